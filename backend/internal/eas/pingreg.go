package eas

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// pingRegistry tracks held Pings: one per device (a newer Ping from the same device ends the
// older one), and a ceiling on how many are held at once, past which new ones get 503.
type pingRegistry struct {
	mu    sync.Mutex
	byDev map[string]*heldPing
	held  atomic.Int64
	max   int64
	// root ends at shutdown; each held Ping hangs a callback on it instead of a goroutine,
	// which matters at ten thousand Pings.
	root     context.Context
	shutdown context.CancelFunc
	// parked counts parked Pings until their answer is written (or they are given up).
	parked atomic.Int64
	// parkedBy: the parked Pings of each account, told of its changes by changed, the one
	// observer of the notifier (registered once, by the first Ping parked).
	parkedBy    mailbox.Watchers[*parkedPing]
	observeOnce sync.Once
	header      http.Header // the last parked Ping's response headers, never changed

}

type heldPing struct {
	cancel     context.CancelCauseFunc
	superseded atomic.Bool
}

func newPingRegistry(max int) *pingRegistry {
	root, cancel := context.WithCancel(context.Background())
	return &pingRegistry{byDev: map[string]*heldPing{},
		max: int64(max), root: root, shutdown: cancel}
}

// hold registers a Ping of a device. It returns a context that ends when a newer Ping of the
// device arrives or the server shuts down, whether it was superseded, and a release function;
// ok is false when the server already holds its maximum.
func (r *pingRegistry) hold(parent context.Context, device string) (ctx context.Context, superseded func() bool, release func(), ok bool) {
	if r.held.Add(1) > r.max {
		r.held.Add(-1)
		return nil, nil, nil, false
	}
	ctx, cancel := context.WithCancelCause(parent)
	h := &heldPing{cancel: cancel}
	r.mu.Lock()
	if old := r.byDev[device]; old != nil {
		old.superseded.Store(true)
		old.cancel(errSuperseded)
	}
	r.byDev[device] = h
	r.mu.Unlock()
	stop := context.AfterFunc(r.root, func() { cancel(errShutdown) })
	release = func() {
		stop()
		cancel(nil)
		r.mu.Lock()
		if r.byDev[device] == h {
			delete(r.byDev, device)
		}
		r.mu.Unlock()
		r.held.Add(-1)
	}
	return ctx, h.superseded.Load, release, true
}

// end ends every held Ping and waits up to max for the parked ones to be answered.
func (r *pingRegistry) end(max time.Duration) {
	r.shutdown()
	for deadline := time.Now().Add(max); r.parked.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *pingRegistry) observe(account uint64, p *parkedPing)   { r.parkedBy.Add(account, p) }
func (r *pingRegistry) unobserve(account uint64, p *parkedPing) { r.parkedBy.Remove(account, p) }

// changed tells the account's parked Pings of a change; it runs inside the notifier's Publish,
// so it only queues. Change{} (account 0: changes may have been missed) wakes no Ping, as for
// Pings held in their handler.
func (r *pingRegistry) changed(c mailbox.Change) {
	r.parkedBy.Each(c.AccountID, func(p *parkedPing) { p.changed(c.FolderID) })
}

// requestIDHeader differs from request to request; sharedHeader leaves it out.
const requestIDHeader = "X-Request-Id"

// sharedHeader returns a copy of h without X-Request-Id that parked Pings share (the last
// one's when equal); it must not be changed.
func (r *pingRegistry) sharedHeader(h http.Header) http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !sameHeader(r.header, h) {
		r.header = h.Clone()
		r.header.Del(requestIDHeader)
	}
	return r.header
}

// sameHeader: b, but for its X-Request-Id, is the shared a.
func sameHeader(a, b http.Header) bool {
	n := len(b)
	if _, ok := b[requestIDHeader]; ok {
		n--
	}
	if a == nil || len(a) != n {
		return false
	}
	for k, va := range a {
		if !slices.Equal(va, b[k]) {
			return false
		}
	}
	return true
}

// Held is how many Pings are being held now.
func (r *pingRegistry) Held() int64 { return r.held.Load() }

type pingEnd string

func (e pingEnd) Error() string { return string(e) }

const (
	errSuperseded = pingEnd("a newer Ping from the same device")
	errShutdown   = pingEnd("server shutting down")
)
