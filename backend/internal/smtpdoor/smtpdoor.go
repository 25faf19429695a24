// Package smtpdoor runs a go-smtp server for Tessera's SMTP-speaking doors (LMTP delivery and
// SMTP submission) with the life cycle both need: Serve on one or more listeners until Close;
// Close stops listening, drops open connections, cancels the context of backend calls in
// progress and waits for them to end, so the store can be closed right after. It imports
// nothing of the project.
package smtpdoor

import (
	"context"
	"net"
	"sync"

	"github.com/emersion/go-smtp"
)

// ErrServerClosed is what Serve returns once Close was called, as net/http does.
var ErrServerClosed = smtp.ErrServerClosed

// Runner owns one go-smtp server.
type Runner struct {
	srv    *smtp.Server
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	closed   bool
	lns      []net.Listener
	inflight sync.WaitGroup // backend calls still touching the store
}

// New returns a runner of srv.
func New(srv *smtp.Server) *Runner {
	r := &Runner{srv: srv}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r
}

// Context is the context of backend calls: cancelled by Close.
func (r *Runner) Context() context.Context { return r.ctx }

// Serve accepts connections on ln until Close, then returns ErrServerClosed (also when Close
// came first); any other error is the listener's.
func (r *Runner) Serve(ln net.Listener) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	r.lns = append(r.lns, ln)
	r.mu.Unlock()
	err := r.srv.Serve(ln)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil || r.closed {
		return ErrServerClosed // go-smtp returns nil after Close
	}
	return err
}

// Close stops listening, drops open connections and waits for backend calls in progress.
func (r *Runner) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrServerClosed
	}
	r.closed = true
	lns := r.lns
	r.mu.Unlock()
	r.cancel()
	err := r.srv.Close()
	for _, ln := range lns {
		ln.Close() // in case Serve had not yet handed it to go-smtp; a second close is harmless
	}
	r.inflight.Wait()
	return err
}

// Enter registers a backend call, to be ended with Leave; false once Close has begun.
// Checking closed under the lock keeps inflight.Add from racing inflight.Wait.
func (r *Runner) Enter() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.inflight.Add(1)
	return true
}

// Leave ends a backend call Enter registered.
func (r *Runner) Leave() { r.inflight.Done() }
