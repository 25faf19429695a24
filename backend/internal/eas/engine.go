package eas

import (
	"context"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Change kinds a Sync response carries.
const (
	opAdd    = "Add"
	opChange = "Change"
	opDelete = "Delete"
)

type serverChange struct {
	Op   string
	Item store.Item
}

// ChangeSource is where server changes are read from.
type ChangeSource interface {
	Changes(ctx context.Context, folderID uint64, seq int64, limit int) ([]store.Item, error)
}

// nextWindow collects up to window server changes after st.Seq, advancing st. Items outside the
// filter are skipped; more says whether changes remain after the window. Its cost is the
// changes it reads: whether the device holds an item is a test of the item's UID and arrival
// time against the state (collState.holds), not a lookup in a list of everything it holds.
func nextWindow(ctx context.Context, src ChangeSource, folderID uint64, st *collState, window int, cutoff time.Time) ([]serverChange, bool, error) {
	var out []serverChange
	page := window + 1
	var walked uint32 // the highest UID walked, for st.caughtUp
	for {
		items, err := src.Changes(ctx, folderID, st.Seq, page)
		if err != nil {
			return nil, false, err
		}
		for _, it := range items {
			if len(out) == window {
				return out, true, nil // it is a change the next window starts with
			}
			st.Seq = it.ModSeq
			walked = max(walked, it.UID)
			held := st.holds(&it)
			switch {
			case it.Deleted:
				if held {
					out = append(out, serverChange{Op: opDelete, Item: it})
				}
				delete(st.Echo, it.ID)
				st.passTombstone(it.UID) // a tombstone never changes again
			case st.Echo[it.ID] == it.ModSeq: // the device's own change coming back
				delete(st.Echo, it.ID)
			case !held && (!st.inCut(&it) || (!cutoff.IsZero() && it.ReceivedAt.Before(cutoff))):
				st.setNotHeld(&it) // older than the device asked for
			case held:
				out = append(out, serverChange{Op: opChange, Item: it})
			default:
				st.setHeld(&it)
				out = append(out, serverChange{Op: opAdd, Item: it})
			}
		}
		if len(items) < page {
			// Every item that existed at this read has been walked once: the rule covers them.
			st.caughtUp(walked)
			return out, false, nil
		}
	}
}

// filterCutoff turns an EAS FilterType into the oldest date a device wants (zero: all).
func filterCutoff(filter int, now time.Time) time.Time {
	days := map[int]int{1: 1, 2: 3, 3: 7, 4: 14, 5: 30, 6: 90, 7: 180}[filter]
	if days == 0 {
		return time.Time{}
	}
	return now.AddDate(0, 0, -days)
}
