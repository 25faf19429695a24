package lmtp

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/smtpdoor"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Deliverer stores a message for an account.
type Deliverer interface {
	Deliver(ctx context.Context, accountID uint64, raw []byte) (*store.Item, error)
}

// Resolver finds the account of a recipient address (lower-casing is the resolver's job).
type Resolver interface {
	Get(ctx context.Context, email string) (*store.Account, error)
}

// Options tune the listener. Zero values take the defaults below.
type Options struct {
	MaxSize      int64  // largest message in bytes; 0 or more than mailbox.MaxMessage means mailbox.MaxMessage
	Domain       string // hostname in the greeting; "localhost" when empty
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
}

// Defaults. The read deadline is set when a command line is read and is not renewed while DATA
// streams in, so it has to cover a whole 50 MiB transfer, not just an idle pause.
const (
	DefaultReadTimeout  = 10 * time.Minute
	DefaultWriteTimeout = time.Minute
)

// ErrServerClosed is what Serve returns once Close was called, and Close when called twice.
var ErrServerClosed = smtp.ErrServerClosed

// Server is an LMTP listener that delivers into mailboxes.
type Server struct {
	deliver Deliverer
	resolve Resolver
	log     *slog.Logger
	maxSize int64

	// run's context ends with Close, so lookups and stores in progress stop instead of holding Close up.
	// Their connections are dropped unanswered, and the MTA retries those recipients.
	run *smtpdoor.Runner // Serve, Close, and the backend calls in progress
}

// New returns a server; it does not listen until Serve.
func New(d Deliverer, r Resolver, o Options, log *slog.Logger) *Server {
	if o.MaxSize <= 0 || o.MaxSize > mailbox.MaxMessage {
		o.MaxSize = mailbox.MaxMessage // Deliver refuses anything larger anyway
	}
	if o.Domain == "" {
		o.Domain = "localhost"
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{deliver: d, resolve: r, log: log, maxSize: o.MaxSize}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.LMTP = true
	srv.Domain = o.Domain
	// One byte of slack: go-smtp's reader fails a message of exactly its limit (it runs out
	// before reading the final dot), so the exact cap is enforced in LMTPData instead.
	srv.MaxMessageBytes = o.MaxSize + 1
	srv.ReadTimeout = o.ReadTimeout
	srv.WriteTimeout = o.WriteTimeout
	srv.ErrorLog = errorLog{log}
	s.run = smtpdoor.New(srv)
	return s
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, remote: remoteAddr(c)}, nil
}

func remoteAddr(c *smtp.Conn) string {
	if nc := c.Conn(); nc != nil {
		return nc.RemoteAddr().String()
	}
	return ""
}

// errorLog routes go-smtp's internal errors (accept failures, panics) to slog.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Printf(format string, v ...any) { l.log.Warn("lmtp: " + fmt.Sprintf(format, v...)) }
func (l errorLog) Println(v ...any)               { l.log.Warn("lmtp: " + fmt.Sprintln(v...)) }

// Serve accepts connections on ln until Close, then returns ErrServerClosed (also when Close
// came first), as net/http does; any other error is the listener's.
func (s *Server) Serve(ln net.Listener) error { return s.run.Serve(ln) }

// Close stops listening, drops open connections and waits for backend calls in progress to
// end, so the store can be closed right after.
func (s *Server) Close() error { return s.run.Close() }
