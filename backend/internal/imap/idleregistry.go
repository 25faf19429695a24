package imap

import (
	"sync"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// idleRegistry indexes held IDLEs by account for the notifier's observer.
type idleRegistry struct {
	once sync.Once
	mailbox.Watchers[*idlePark]
}

func (r *idleRegistry) add(acct uint64, p *idlePark)    { r.Add(acct, p) }
func (r *idleRegistry) remove(acct uint64, p *idlePark) { r.Remove(acct, p) }

// changed runs inside the notifier's Publish, so it only queues. Change{} (changes may have
// been missed) wakes no IDLE, as it reaches no subscription either.
func (r *idleRegistry) changed(c mailbox.Change) {
	r.Each(c.AccountID, func(p *idlePark) {
		if c.FolderID == 0 || c.FolderID == p.folder {
			p.event(func() { p.folders = append(p.folders, c.FolderID) })
		}
	})
}

// closeAll closes the connections of every held IDLE (Server.Close).
func (r *idleRegistry) closeAll() {
	r.All(func(p *idlePark) { p.s.fr.conn().Close() })
}
