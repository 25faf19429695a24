package imap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// session is one connection. go-imap runs its commands one at a time; mu guards what Idle's
// goroutine and Close share with them.
type session struct {
	srv    *Server
	conn   *imapserver.Conn
	fr     *front // CONDSTORE: what the front took out of the command, and MODSEQ to write
	ip     string
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	grant     *authn.Grant
	acct      uint64
	changes   <-chan mailbox.Change
	unsub     func()
	checkedAt time.Time
	recheck   bool // an account-wide change arrived: ask authn again
	dirty     bool // a folder change arrived: read the selected folder again
	sel       *selected
	revoked   bool
	park      *idlePark // the front holds an IDLE (idlepark.go)
	resuming  bool      // the next Select is the front's replay after a held IDLE
}

func (s *Server) newSession(c *imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
	ctx, cancel := context.WithCancel(context.Background())
	ip := ""
	if a, ok := c.NetConn().RemoteAddr().(*net.TCPAddr); ok {
		ip = a.IP.String()
	}
	fr := frontOf(c)
	sess, fresh := fr.setSession(&session{srv: s, conn: c, fr: fr, ip: ip, ctx: ctx, cancel: cancel})
	if !fresh { // a held IDLE ended: the same session goes on, logged in (idlepark.go)
		cancel()
		sess.mu.Lock()
		sess.conn = c
		sess.mu.Unlock()
		return sess, &imapserver.GreetingData{PreAuth: true}, nil
	}
	return sess, nil, nil
}

// Close ends the session (connection gone or server closing), but not when the go-imap Conn
// ends because the front holds an IDLE.
func (s *session) Close() error {
	if s.fr.parking() {
		return nil
	}
	s.end()
	return nil
}

func (s *session) end() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unsub != nil {
		s.unsub()
		s.unsub = nil
	}
	s.sel = nil
}

var (
	errAuthFailed = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeAuthenticationFailed,
		Text: "Authentication failed: wrong username or password, or this password cannot be used here"}
	errTryLater = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeUnavailable,
		Text: "Too many failed attempts or a service is away; try again later"}
	errRevoked = &goimap.Error{Type: goimap.StatusResponseTypeNo, Code: goimap.ResponseCodeAuthorizationFailed, Text: "Your credential is no longer valid"}
)

// Login asks authn with the door's service name; every refusal reads the same.
func (s *session) Login(username, password string) error {
	g, err := s.srv.deps.Authn.Authenticate(s.ctx, authn.Request{Service: authn.IMAP, Username: username, Secret: password, ClientIP: s.ip})
	var thr *authn.ThrottledError
	switch {
	case errors.As(err, &thr) || errors.Is(err, authn.ErrUnavailable):
		return errTryLater
	case errors.Is(err, authn.ErrInvalidCredentials):
		return errAuthFailed
	case err != nil:
		s.srv.deps.Log.Error("imap login", "err", err)
		return errTryLater
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grant, s.acct, s.checkedAt = g, g.Account.ID, time.Now()
	s.changes, s.unsub = s.srv.deps.Mailbox.Notifier().Subscribe(s.acct)
	return nil
}

// drain takes the changes that arrived since the last command without waiting.
func (s *session) drain() {
	for {
		select {
		case c := <-s.changes:
			s.note(c)
		default:
			return
		}
	}
}

// note records what a change asks of the session. A full channel may have dropped changes,
// so it makes the session check everything.
func (s *session) note(c mailbox.Change) {
	if c.FolderID == 0 || c.AccountID == 0 || len(s.changes) >= cap(s.changes)-1 {
		s.recheck, s.dirty = true, true
		return
	}
	if s.sel != nil && c.FolderID == s.sel.folder.ID {
		s.dirty = true
	}
}

// valid is called before every command of a logged-in session: after an account-wide change,
// or when the last check is older than Revalidate, authn says whether the grant still holds
// (no hashing). When it does not, the client is told and the connection closed.
func (s *session) valid() error {
	if s.revoked {
		return errRevoked
	}
	if s.grant == nil {
		return nil
	}
	s.drain()
	if !s.recheck && time.Since(s.checkedAt) < s.srv.opts.Revalidate {
		return nil
	}
	ok, err := s.srv.deps.Authn.StillValid(s.ctx, authn.IMAP, s.grant)
	if err != nil {
		return errTryLater
	}
	s.recheck, s.checkedAt = false, time.Now()
	if !ok {
		s.revoked = true
		if s.park != nil { // no go-imap Conn to say it
			_ = s.fr.writeParked([]byte("* BYE " + errRevoked.Text + "\r\n"))
			s.fr.conn().Close()
		} else {
			_ = s.conn.Bye(errRevoked.Text)
		}
		return errRevoked
	}
	return nil
}

// begin starts a command of the authenticated state.
func (s *session) begin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.valid()
}

// Namespace: one personal namespace, "/" the delimiter.
func (s *session) Namespace() (*goimap.NamespaceData, error) {
	return &goimap.NamespaceData{Personal: []goimap.NamespaceDescriptor{{Prefix: "", Delim: delim}}}, nil
}

// AppendLimit is the largest message the mailbox stores.
func (s *session) AppendLimit() uint32 { return mailbox.MaxMessage }
