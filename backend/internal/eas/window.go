package eas

import (
	"context"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// opSoftDelete tells a device to drop an item that left its filter window (MS-ASCMD
// 2.2.3.162): the item stays on the server, the device removes its copy and sends nothing back.
const opSoftDelete = "SoftDelete"

// windowSource is where the filter window's moves read items: ranges of a folder in arrival
// order, and the items of a set of UIDs.
type windowSource interface {
	ItemsArrived(ctx context.Context, folderID uint64, r store.ArrivalRange, limit int) ([]store.Item, error)
	ItemsByUID(ctx context.Context, folderID uint64, uids []uint32) ([]store.Item, error)
}

// windowStart is where a FilterType's window starts at now (nil: no filter). Whole seconds,
// so that the start a state records and the one the engine skips by are the same.
func windowStart(filter int, now time.Time) *store.ArrivalPos {
	c := filterCutoff(filter, now)
	if c.IsZero() {
		return nil
	}
	return &store.ArrivalPos{At: time.Unix(c.Unix(), 0)}
}

// before orders two positions in arrival order; nil is before every item (no filter).
func before(a, b *store.ArrivalPos) bool {
	switch {
	case b == nil:
		return false
	case a == nil:
		return true
	case !a.At.Equal(b.At):
		return a.At.Before(b.At)
	}
	return a.UID < b.UID
}

// moveWindow brings the start of the state's window (collState.Cut) to where the filter's
// window starts now, for a FilterType the device changed or for time that passed: an item the
// device holds that is now older than the window is a SoftDelete, an item that is now inside
// and that it does not hold is an Add. At most window changes; more says the move is not
// finished (the next Sync goes on from where this one stopped, and the engine's walk of new
// changes waits until it is). Its cost is the items between the two starts, read as a range of
// the folder in arrival order; a window that stays where it was costs nothing.
func moveWindow(ctx context.Context, src windowSource, folderID uint64, st *collState, now time.Time, window int) ([]serverChange, bool, error) {
	target := windowStart(st.Filter, now)
	var out []serverChange
	full := func() bool { return len(out) >= window }
	// Items held by exception (Extra: older than the start) that are older than the new start
	// leave; the others become part of the rule as the start passes them below.
	if target != nil && !st.extra.IsEmpty() {
		for _, chunk := range uidChunks(st.extra.ToArray(), maxWindow) {
			items, err := src.ItemsByUID(ctx, folderID, chunk)
			if err != nil {
				return nil, false, err
			}
			for _, it := range items {
				if !before(&store.ArrivalPos{At: it.ReceivedAt, UID: it.UID}, target) {
					continue
				}
				if full() {
					return out, true, nil
				}
				out = append(out, serverChange{Op: opSoftDelete, Item: it})
				st.extra.Remove(it.UID)
			}
		}
	}
	page := window + 1
	for {
		cur := st.bound()
		switch {
		case before(cur, target): // narrower: what lies between leaves
			r := store.ArrivalRange{From: cur, To: target, Marks: true}
			if st.pend.IsEmpty() {
				// Only items up to Mark can be held (Extra is done above): a phone that
				// synced nothing yet, or only new mail, passes the old part of a big
				// folder without reading it.
				if st.Mark == 0 {
					st.setBound(target)
					continue
				}
				r.MaxUID = st.Mark
			}
			items, err := src.ItemsArrived(ctx, folderID, r, page)
			if err != nil {
				return nil, false, err
			}
			for i := range items {
				it := &items[i]
				if st.holds(it) {
					if full() {
						return out, true, nil
					}
					out = append(out, serverChange{Op: opSoftDelete, Item: *it})
				}
				st.setBound(&store.ArrivalPos{At: it.ReceivedAt, UID: it.UID + 1})
				st.not.Remove(it.UID)
				st.pend.Remove(it.UID)
			}
			if len(items) < page {
				st.setBound(target)
			}
		case before(target, cur): // wider: what lies between enters
			items, err := src.ItemsArrived(ctx, folderID, store.ArrivalRange{From: target, To: cur, Desc: true}, page)
			if err != nil {
				return nil, false, err
			}
			for i := range items {
				it := &items[i]
				held := st.extra.Contains(it.UID) // below the start only Extra holds
				walked := it.ModSeq <= st.Seq
				if !held && walked && full() {
					return out, true, nil
				}
				st.setBound(&store.ArrivalPos{At: it.ReceivedAt, UID: it.UID})
				st.extra.Remove(it.UID)
				switch {
				case held:
					st.setHeld(it)
				case walked:
					st.setHeld(it)
					out = append(out, serverChange{Op: opAdd, Item: *it})
				default:
					// Changed after the state's sequence: the walk of changes brings it as an
					// Add (collState.Not keeps the rule from claiming it until then).
					st.setNotHeld(it)
				}
			}
			if len(items) < page {
				st.setBound(target)
			}
		default:
			return out, false, nil
		}
	}
}

func uidChunks(uids []uint32, n int) [][]uint32 {
	var out [][]uint32
	for len(uids) > n {
		out = append(out, uids[:n])
		uids = uids[n:]
	}
	if len(uids) > 0 {
		out = append(out, uids)
	}
	return out
}

// serverChanges is the next window of server changes of a Sync or an estimate: the filter
// window's move first (moveWindow), then, once it is done, the folder's changes (nextWindow)
// with what is left of the window.
func serverChanges(ctx context.Context, src interface {
	ChangeSource
	windowSource
}, folderID uint64, st *collState, now time.Time, window int) ([]serverChange, bool, error) {
	out, more, err := moveWindow(ctx, src, folderID, st, now, window)
	if err != nil || more {
		return out, more, err
	}
	var cutoff time.Time
	if b := st.bound(); b != nil {
		cutoff = b.At
	}
	rest, more, err := nextWindow(ctx, src, folderID, st, window-len(out), cutoff)
	return append(out, rest...), more, err
}
