package submission

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/smtpdoor"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Authenticator decides a login and re-checks a grant later (package authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
	StillValid(ctx context.Context, s authn.Service, g *authn.Grant) (bool, error)
}

// Sender is the send path EAS SendMail uses too (mailbox.Sender).
type Sender interface {
	SendTo(ctx context.Context, accountID uint64, from string, rcpts []string, raw []byte, saveInSent bool) error
	Deliverable(ctx context.Context, addr string) (bool, error)
}

// Deps are the services the server is thin over.
type Deps struct {
	Auth   Authenticator
	Sender Sender
	Log    *slog.Logger // nil: slog.Default()
}

// Options tune the server. Zero values take the defaults below.
type Options struct {
	// TLS is offered through STARTTLS on a plain listener; nil offers none (and then AUTH only
	// where PlaintextLoopback allows it). A listener the caller wrapped in TLS needs no STARTTLS.
	TLS *tls.Config
	// PlaintextLoopback allows AUTH without TLS from a loopback client address (never another).
	PlaintextLoopback bool
	// SaveSent stores a copy of each message in the sender's Sent folder (desktop clients
	// usually APPEND their own copy over IMAP, hence off by default).
	SaveSent      bool
	Domain        string // hostname in the greeting; "localhost" when empty
	MaxSize       int64  // largest message; 0 or more than mailbox.MaxMessage means mailbox.MaxMessage
	MaxRecipients int    // RCPT TO per message; 0 means DefaultMaxRecipients
	MaxLineLength int    // longest command or message line; 0 means DefaultMaxLineLength
	ReadTimeout   time.Duration
	WriteTimeout  time.Duration
}

// Defaults. The read deadline is set when a command line is read and is not renewed while DATA
// streams in, so it has to cover a whole 50 MiB upload from a slow client.
const (
	DefaultMaxRecipients = 100
	DefaultMaxLineLength = 2000 // RFC 5321 4.5.3.1.6's 1000, doubled, as go-smtp does
	DefaultReadTimeout   = 10 * time.Minute
	DefaultWriteTimeout  = time.Minute
)

// ErrServerClosed is what Serve returns once Close was called, and Close when called twice.
var ErrServerClosed = smtp.ErrServerClosed

// Server is an SMTP submission server (RFC 6409). One Server may Serve several listeners: the
// STARTTLS port and the implicit-TLS one.
type Server struct {
	auth Authenticator
	send Sender
	log  *slog.Logger
	opts Options
	now  func() time.Time

	// run's context ends with Close, so a send in progress stops instead of holding Close up.
	run *smtpdoor.Runner // Serve, Close, and the backend calls in progress
}

// New returns a server; it does not listen until Serve.
func New(d Deps, o Options) *Server {
	if o.MaxSize <= 0 || o.MaxSize > mailbox.MaxMessage {
		o.MaxSize = mailbox.MaxMessage
	}
	if o.Domain == "" {
		o.Domain = "localhost"
	}
	if o.MaxRecipients <= 0 {
		o.MaxRecipients = DefaultMaxRecipients
	}
	if o.MaxLineLength <= 0 {
		o.MaxLineLength = DefaultMaxLineLength
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{auth: d.Auth, send: d.Sender, log: d.Log, opts: o, now: time.Now}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = o.Domain
	srv.TLSConfig = o.TLS
	// go-smtp allows AUTH either on TLS or everywhere; the session decides per connection
	// (mayAuth), advertising no mechanism and refusing AUTH where it is not allowed.
	srv.AllowInsecureAuth = true
	// One byte of slack: go-smtp's reader fails a message of exactly its limit (it runs out
	// before reading the final dot), so the exact cap is enforced in Data. SIZE advertises it.
	srv.MaxMessageBytes = o.MaxSize + 1
	srv.MaxRecipients = o.MaxRecipients
	srv.MaxLineLength = o.MaxLineLength
	srv.ReadTimeout = o.ReadTimeout
	srv.WriteTimeout = o.WriteTimeout
	srv.ErrorLog = errorLog{d.Log}
	s.run = smtpdoor.New(srv)
	return s
}

// newSession runs at EHLO/HELO, and again after STARTTLS (go-smtp drops the plain session).
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	ss := &session{srv: s}
	if nc := c.Conn(); nc != nil {
		ss.remote = nc.RemoteAddr().String()
		ss.clientIP = clientIP(nc.RemoteAddr())
		_, ss.tls = nc.(*tls.Conn)
	}
	ss.loopback = isLoopback(ss.clientIP)
	return ss, nil
}

func clientIP(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

func isLoopback(ip string) bool {
	p := net.ParseIP(ip)
	return p != nil && p.IsLoopback()
}

// errorLog routes go-smtp's internal errors (accept failures, panics) to slog.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Printf(format string, v ...any) {
	l.log.Warn("submission: " + fmt.Sprintf(format, v...))
}
func (l errorLog) Println(v ...any) { l.log.Warn("submission: " + fmt.Sprintln(v...)) }

// Serve accepts connections on ln until Close, then returns ErrServerClosed (also when Close
// came first), as net/http does; any other error is the listener's.
func (s *Server) Serve(ln net.Listener) error { return s.run.Serve(ln) }

// Close stops listening, drops open connections and waits for backend calls in progress to
// end, so the store can be closed right after.
func (s *Server) Close() error { return s.run.Close() }
