package eas

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
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
}

type heldPing struct {
	cancel     context.CancelCauseFunc
	superseded atomic.Bool
}

func newPingRegistry(max int) *pingRegistry {
	root, cancel := context.WithCancel(context.Background())
	return &pingRegistry{byDev: map[string]*heldPing{}, max: int64(max), root: root, shutdown: cancel}
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

// Held is how many Pings are being held now.
func (r *pingRegistry) Held() int64 { return r.held.Load() }

type pingEnd string

func (e pingEnd) Error() string { return string(e) }

const (
	errSuperseded = pingEnd("a newer Ping from the same device")
	errShutdown   = pingEnd("server shutting down")
)
