package mailbox

import "sync"

// Change says that a folder of an account has new content; FolderID 0 means something
// account-wide changed (the folder hierarchy, a credential, a device, the account itself).
// AccountID 0 is only ever seen by observers: anything may have changed (changes from other
// instances may have been missed), so whatever was cached must go.
type Change struct {
	AccountID uint64
	FolderID  uint64
}

// Notifier carries changes to whoever waits on an account (EAS Ping). The in-process one
// serves a single instance; a Redis one carries changes between instances.
type Notifier interface {
	Publish(c Change)
	// Subscribe returns a channel of the account's changes and a function to stop.
	Subscribe(accountID uint64) (<-chan Change, func())
}

// Observable is a Notifier that also tells observers of every change, whatever the account:
// caches of this instance use it to drop what a change makes stale.
type Observable interface {
	Observe(f func(Change))
}

// Forgetter keeps values per account in memory (package cache, the authenticator's grants).
type Forgetter interface {
	Forget(accountID uint64)
	ForgetAll()
}

// ForgetOnChange makes o drop f's values of an account on each of its account-wide changes
// (FolderID 0), and all of them on Change{}; deliveries into a folder drop nothing.
func ForgetOnChange(o Observable, f Forgetter) {
	o.Observe(func(c Change) {
		switch {
		case c.AccountID == 0:
			f.ForgetAll()
		case c.FolderID == 0:
			f.Forget(c.AccountID)
		}
	})
}

// LocalNotifier fans changes out to subscribers in this process. A slow subscriber never
// blocks the publisher: its channel holds one pending change, and a Ping only needs to know
// that something changed.
type LocalNotifier struct {
	mu        sync.Mutex
	subs      map[uint64]map[chan Change]struct{}
	observers []func(Change)
}

// NewLocalNotifier returns an empty notifier.
func NewLocalNotifier() *LocalNotifier {
	return &LocalNotifier{subs: map[uint64]map[chan Change]struct{}{}}
}

// Observe calls f with every change published from now on, before any waiter hears of it, so
// a waiter that re-reads after a change never finds what the change made stale. f must be
// quick and must not publish.
func (n *LocalNotifier) Observe(f func(Change)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.observers = append(n.observers, f)
}

// Publish delivers c to the account's subscribers without waiting.
func (n *LocalNotifier) Publish(c Change) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, f := range n.observers {
		f(c)
	}
	for ch := range n.subs[c.AccountID] {
		select {
		case ch <- c:
		default: // already has an undelivered change; the waiter will re-check everything
		}
	}
}

// Subscribe registers a waiter for an account.
func (n *LocalNotifier) Subscribe(accountID uint64) (<-chan Change, func()) {
	ch := make(chan Change, 8)
	n.mu.Lock()
	if n.subs[accountID] == nil {
		n.subs[accountID] = map[chan Change]struct{}{}
	}
	n.subs[accountID][ch] = struct{}{}
	n.mu.Unlock()
	return ch, func() {
		n.mu.Lock()
		delete(n.subs[accountID], ch)
		if len(n.subs[accountID]) == 0 {
			delete(n.subs, accountID)
		}
		n.mu.Unlock()
	}
}

// Subscribers counts the waiters of an account (tests, metrics).
func (n *LocalNotifier) Subscribers(accountID uint64) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.subs[accountID])
}
