package mailbox

import "sync"

// Watchers indexes by account what waits for an account's changes without a goroutine of its
// own (a parked EAS Ping, an IMAP IDLE held by the front), for the one observer a protocol
// registers on the notifier. The zero value is ready to use.
type Watchers[T comparable] struct {
	mu        sync.Mutex
	byAccount map[uint64]map[T]struct{}
}

// Add lists w among the account's watchers.
func (ws *Watchers[T]) Add(account uint64, w T) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.byAccount == nil {
		ws.byAccount = map[uint64]map[T]struct{}{}
	}
	if ws.byAccount[account] == nil {
		ws.byAccount[account] = map[T]struct{}{}
	}
	ws.byAccount[account][w] = struct{}{}
}

// Remove takes w off the account's list.
func (ws *Watchers[T]) Remove(account uint64, w T) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.byAccount[account], w)
	if len(ws.byAccount[account]) == 0 {
		delete(ws.byAccount, account)
	}
}

// Each calls f for every watcher of the account. It holds the lock (it runs inside the
// notifier's Publish): f only queues work, and calls neither Add nor Remove.
func (ws *Watchers[T]) Each(account uint64, f func(T)) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for w := range ws.byAccount[account] {
		f(w)
	}
}

// All calls f for every watcher of every account, under the lock as Each does.
func (ws *Watchers[T]) All(f func(T)) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, set := range ws.byAccount {
		for w := range set {
			f(w)
		}
	}
}
