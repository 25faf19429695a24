package imap

import (
	"sync"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// idleRegistry indexes held IDLEs by account for the notifier's observer.
type idleRegistry struct {
	once      sync.Once
	mu        sync.Mutex
	byAccount map[uint64]map[*idlePark]struct{}
}

func (r *idleRegistry) add(acct uint64, p *idlePark) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byAccount == nil {
		r.byAccount = map[uint64]map[*idlePark]struct{}{}
	}
	if r.byAccount[acct] == nil {
		r.byAccount[acct] = map[*idlePark]struct{}{}
	}
	r.byAccount[acct][p] = struct{}{}
}

func (r *idleRegistry) remove(acct uint64, p *idlePark) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.byAccount[acct], p)
	if len(r.byAccount[acct]) == 0 {
		delete(r.byAccount, acct)
	}
}

// changed runs inside the notifier's Publish, so it only queues. Change{} (changes may have
// been missed) wakes no IDLE, as it reaches no subscription either.
func (r *idleRegistry) changed(c mailbox.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for p := range r.byAccount[c.AccountID] {
		if c.FolderID == 0 || c.FolderID == p.folder {
			p.event(func() { p.folders = append(p.folders, c.FolderID) })
		}
	}
}

// closeAll closes the connections of every held IDLE (Server.Close).
func (r *idleRegistry) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ps := range r.byAccount {
		for p := range ps {
			p.s.fr.conn().Close()
		}
	}
}
