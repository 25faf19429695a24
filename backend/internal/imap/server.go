package imap

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Authenticator decides logins and whether a session's grant still holds (authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
	StillValid(ctx context.Context, s authn.Service, g *authn.Grant) (bool, error)
}

// Gauge counts held IDLE sessions (a Prometheus gauge).
type Gauge interface {
	Inc()
	Dec()
}

// Deps are the services the IMAP door is thin over.
type Deps struct {
	Mailbox *mailbox.Service
	Authn   Authenticator
	Log     *slog.Logger
	Idle    Gauge // nil: not counted
}

// Options configure the door.
type Options struct {
	// TLS serves STARTTLS on plain listeners (nil: no STARTTLS, so no login off loopback).
	TLS *tls.Config
	// PlaintextLoopback lets a client on a loopback address log in without TLS.
	PlaintextLoopback bool
	// MaxIdle bounds the IDLE sessions held at once; past it IDLE answers NO (0: 20000).
	MaxIdle int
	// Revalidate is how often a session checks again that its credential holds when no
	// account-wide change told it to (an expiry passing); 0: one minute.
	Revalidate time.Duration
	// IdleRecheck is how often a held IDLE looks again without being told to (0: ten
	// minutes). A held IDLE learns of changes and revocations from the change notifier, as a
	// held Ping does, and of its credential's expiry from a timer; this only bounds what a lost
	// notice leaves behind. Every look costs three statements, so it is kept rare: with 10,000
	// held sessions, once a minute was about 500 statements a second on an idle database.
	IdleRecheck time.Duration
}

// Server is the IMAP door: one go-imap server behind one Serve, each connection passed to it
// through a front (front.go) that adds what go-imap's server lacks.
type Server struct {
	deps      Deps
	opts      Options
	inner     *imapserver.Server
	innerLn   *chanListener
	idle      atomic.Int64
	done      chan struct{}
	closeOnce sync.Once
	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	innerWG   sync.WaitGroup
	parked    idleRegistry // IDLEs the fronts hold
	folders   *folderCache // indexes of large folders, kept between SELECTs
}

// caps are what every session supports: IMAP4rev1 and the extensions desktop clients use.
var caps = goimap.CapSet{
	goimap.CapIMAP4rev1: {}, goimap.CapNamespace: {}, goimap.CapUIDPlus: {}, goimap.CapMove: {},
	goimap.CapSpecialUse: {}, goimap.CapLiteralPlus: {}, goimap.CapChildren: {},
}

// New builds the door; Serve it on each listener.
func New(d Deps, o Options) *Server {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if o.MaxIdle <= 0 {
		o.MaxIdle = 20000
	}
	if o.Revalidate <= 0 {
		o.Revalidate = time.Minute
	}
	if o.IdleRecheck <= 0 {
		o.IdleRecheck = 10 * time.Minute
	}
	s := &Server{deps: d, opts: o, done: make(chan struct{}), listeners: map[net.Listener]struct{}{}, folders: newFolderCache()}
	// go-imap sees no TLS and may let every login through: the front does STARTTLS and
	// refuses LOGIN and AUTHENTICATE before TLS unless the client may log in without it.
	s.inner = imapserver.New(&imapserver.Options{
		NewSession:   s.newSession,
		Caps:         caps,
		Logger:       logAdapter{d.Log},
		InsecureAuth: true,
	})
	s.innerLn = newChanListener()
	s.innerWG.Add(1)
	go func() {
		defer s.innerWG.Done()
		_ = s.inner.Serve(s.innerLn)
	}()
	return s
}

// Serve accepts connections on ln until Close; a loopback client may log in without TLS when
// the options allow it.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return net.ErrClosed
	default:
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	for {
		c, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return net.ErrClosed
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		fr := newFront(c, s.opts.TLS, s.opts.PlaintextLoopback && isLoopback(c.RemoteAddr()))
		if !s.innerLn.push(fr) {
			c.Close()
			return net.ErrClosed
		}
	}
}

// Close stops accepting and closes every connection at once, held IDLE sessions included.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		close(s.done)
		for ln := range s.listeners {
			ln.Close()
		}
		s.mu.Unlock()
		// go-imap's Serve counts itself (a WaitGroup Add) just before its first Accept, and
		// its Close waits on that count: closing before would race (go test -race saw it).
		<-s.innerLn.accepting
		s.inner.Close()
		s.innerWG.Wait()
		s.parked.closeAll()
	})
	return nil
}

// IdleSessions counts the IDLE commands being held now.
func (s *Server) IdleSessions() int { return int(s.idle.Load()) }

func isLoopback(a net.Addr) bool {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.IsLoopback()
	}
	return false
}

// chanListener hands the inner go-imap server the connections Serve accepted.
type chanListener struct {
	ch        chan net.Conn
	closed    chan struct{}
	once      sync.Once
	accepting chan struct{} // closed at the first Accept
	acceptOne sync.Once
}

func newChanListener() *chanListener {
	return &chanListener{ch: make(chan net.Conn), closed: make(chan struct{}), accepting: make(chan struct{})}
}

func (l *chanListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.closed:
		return false
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	l.acceptOne.Do(func() { close(l.accepting) })
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{} }

type logAdapter struct{ log *slog.Logger }

func (l logAdapter) Printf(format string, args ...any) {
	l.log.Debug("imap", "msg", sprintf(format, args...))
}
