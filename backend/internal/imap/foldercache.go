package imap

import (
	"context"
	"slices"
	"sync"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Which folders' indexes the server keeps between SELECTs, and how many messages in all: a
// SELECT of 100,000 messages read and numbered every one (0.2 s on MariaDB, 0.45 s on SQLite)
// while one of 1,000 took 5–7 ms; with the index kept it reads only the changes after it and
// copies the entries (docs/performance.md). Small folders are cheap to read and are not kept,
// so 20,000 held IDLE sessions on small Inboxes cost nothing here. An entry is 48 bytes
// (selected.go) and its flags a few more in a small table: the bound is about 25 MB.
const (
	keepFolderFrom = 2000
	keepMessages   = 500000
)

// folderCache keeps the index of large folders, shared by the sessions of this server. The
// store stays the truth: a kept index is brought up to date from the folder's change sequence
// (items changed after its seen, tombstones included) before each use, exactly as a session's
// view is, so changes made through other doors and other instances reach it without a bus.
type folderCache struct {
	from, most int // keepFolderFrom and keepMessages (smaller in tests)

	mu      sync.Mutex
	folders map[uint64]*keptIndex
	total   int    // entries kept, over all folders
	tick    uint64 // use counter, for dropping the least recently used
}

// keptIndex is one folder's live messages by UID (entries hold immutable flag slices, so a
// copy of the slice shares them safely) and the change sequence they reflect.
type keptIndex struct {
	mu      sync.Mutex
	id      uint64 // the folder
	account uint64
	view    []entry
	flags   flagTable // the view's sets of flags, lent with each copy
	seen    int64
	used    uint64 // folderCache.tick at the last use; under folderCache.mu
	counted int    // len(view) as folderCache.total counts it; under folderCache.mu
}

func newFolderCache() *folderCache {
	return &folderCache{from: keepFolderFrom, most: keepMessages, folders: map[uint64]*keptIndex{}}
}

// indexReader is what the cache reads a folder's changes with (the mailbox service).
type indexReader interface {
	Index(ctx context.Context, accountID, folderID uint64, since int64) ([]store.IndexRow, error)
}

// view returns a copy of the kept index of the account's folder, brought up to date, with its
// table of flags and the change sequence it reflects; ok is false when the folder's index is
// not kept.
func (c *folderCache) view(ctx context.Context, r indexReader, accountID, folderID uint64) (view []entry, flags flagTable, seen int64, ok bool, err error) {
	c.mu.Lock()
	k := c.folders[folderID]
	if k != nil {
		c.tick++
		k.used = c.tick
	}
	c.mu.Unlock()
	if k == nil {
		return nil, flagTable{}, 0, false, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.account != accountID { // a folder id belongs to one account; never lend it to another
		return nil, flagTable{}, 0, false, nil
	}
	changed, err := r.Index(ctx, accountID, folderID, k.seen)
	if err != nil {
		return nil, flagTable{}, 0, false, err
	}
	k.apply(changed)
	c.count(k, len(k.view))
	return slices.Clone(k.view), k.flags.lend(), k.seen, true, nil
}

// apply brings the kept index up to date with the folder's changes after k.seen.
func (k *keptIndex) apply(changed []store.IndexRow) {
	var added []entry
	gone := false
	for i := range changed {
		it := &changed[i]
		k.seen = max(k.seen, it.ModSeq)
		n, known := atUID(k.view, it.UID)
		switch {
		case it.Deleted && known:
			k.view[n].gone, gone = true, true
		case it.Deleted:
		case known:
			k.view[n].fl, k.view[n].modseq = k.flags.set(it.Read, it.Flagged, it.IMAPFlags), it.ModSeq
		default:
			added = append(added, entryOf(it, &k.flags))
		}
	}
	if gone {
		k.view = slices.DeleteFunc(k.view, func(e entry) bool { return e.gone })
	}
	if len(added) > 0 { // appended, not the whole index sorted again for a new message
		k.view = addByUID(k.view, added)
	}
	k.flags.compact(k.view)
}

// keep stores a copy of a folder's index just read whole (SELECT of a folder not kept) and its
// flags, if the folder is large enough, and drops the least recently used folders past
// keepMessages.
func (c *folderCache) keep(accountID, folderID uint64, view []entry, flags *flagTable, seen int64) {
	if len(view) < c.from || len(view) > c.most {
		return
	}
	k := &keptIndex{id: folderID, account: accountID, view: slices.Clone(view), flags: flags.lend(), seen: seen}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.folders[folderID]; old != nil {
		c.total -= old.counted
	}
	c.tick++
	k.used, k.counted = c.tick, len(view)
	c.folders[folderID] = k
	c.total += k.counted
	c.trim()
}

// trim drops the least recently used folders until the bound holds; called with mu held.
// It walks the kept folders: there are at most most/from of them.
func (c *folderCache) trim() {
	for c.total > c.most {
		var lru uint64
		var oldest *keptIndex
		for id, f := range c.folders {
			if oldest == nil || f.used < oldest.used {
				lru, oldest = id, f
			}
		}
		if oldest == nil { // nothing left to drop (the count is of kept folders only)
			c.total = 0
			return
		}
		delete(c.folders, lru)
		c.total -= oldest.counted
	}
}

// count records a kept folder's new size, and drops folders if it grew past the bound (the
// least recently used first: the folder just used is the most recent). A folder dropped
// meanwhile is no longer counted.
func (c *folderCache) count(k *keptIndex, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.folders[k.id] == k {
		c.total += n - k.counted
	}
	k.counted = n
	c.trim()
}
