package pop3

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Authenticator decides logins (authn.Authenticator).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
	StillValid(ctx context.Context, s authn.Service, g *authn.Grant) (bool, error)
}

// Mailbox is what a session reads and deletes (mailbox.Service).
type Mailbox interface {
	FolderByType(ctx context.Context, accountID uint64, typ int) (*store.Folder, error)
	Messages(ctx context.Context, accountID, folderID uint64) ([]store.Item, error)
	Item(ctx context.Context, accountID, id uint64) (*store.Item, error)
	Delete(ctx context.Context, accountID, id uint64) error
}

// Options tune a server; the zero value is usable.
type Options struct {
	// PlaintextLoopback lets a client on a loopback address log in without TLS.
	PlaintextLoopback bool
	// IdleTimeout ends a session that sent nothing for this long (0: 10 minutes).
	IdleTimeout time.Duration
	// MaxBadCommands closes a connection after this many bad commands (0: 10).
	MaxBadCommands int
}

// Deps gathers the collaborators of a server.
type Deps struct {
	Auth    Authenticator
	Mailbox Mailbox
	Log     *slog.Logger
	// TLS, when not nil, is offered by STLS on plain connections. A connection that is a
	// *tls.Conn already (implicit TLS, the pop3s door) counts as secure and offers no STLS.
	TLS     *tls.Config
	Options Options
}

// MaxLine is the longest command line accepted, CRLF included. RFC 2449 allows 255 octets;
// some clients send longer AUTH lines, so up to 512 are taken.
const MaxLine = 512

// ErrServerClosed is what Serve returns after Close.
var ErrServerClosed = errors.New("pop3: server closed")

// closeWait bounds how long Close waits for sessions to say goodbye.
const closeWait = 5 * time.Second

// Server is a POP3 server; one may serve several listeners.
type Server struct {
	d      Deps
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	closed   bool
	lns      map[net.Listener]struct{}
	sessions map[*session]struct{}
	wg       sync.WaitGroup
}

// New returns a server.
func New(d Deps) *Server {
	if d.Options.IdleTimeout <= 0 {
		d.Options.IdleTimeout = 10 * time.Minute
	}
	if d.Options.MaxBadCommands <= 0 {
		d.Options.MaxBadCommands = 10
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{d: d, ctx: ctx, cancel: cancel, lns: map[net.Listener]struct{}{}, sessions: map[*session]struct{}{}}
}

// Serve accepts connections on ln until Close; it returns ErrServerClosed then.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.lns[ln] = struct{}{}
	s.mu.Unlock()
	var delay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() { // e.g. out of file descriptors: wait, then go on
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		sess := newSession(s, c)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return ErrServerClosed
		}
		s.sessions[sess] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			sess.run()
			s.mu.Lock()
			delete(s.sessions, sess)
			s.mu.Unlock()
		}()
	}
}

// Close stops accepting, tells every open session goodbye at its next read (no UPDATE state:
// nothing they marked is deleted) and waits a little for them to end.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	var err error
	for ln := range s.lns {
		if e := ln.Close(); e != nil && !errors.Is(e, net.ErrClosed) {
			err = e
		}
	}
	sessions := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		sessions = append(sessions, sess)
	}
	s.mu.Unlock()
	for _, sess := range sessions {
		sess.shutdown()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeWait):
		for _, sess := range sessions {
			sess.raw.Close()
		}
	}
	s.cancel()
	return err
}
