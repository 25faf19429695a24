package eas

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// collState is what a collection's SyncState covers: how far in the folder's change sequence
// the device has been brought, and which items it holds. Knowing what it holds is what keeps
// an item it already has from being sent as an Add again, and a delete of something it never
// had from being sent at all.
type collState struct {
	Seq  int64    `json:"s"`
	Have []uint64 `json:"h"`
	// Echo: items the device itself changed, at the change number its change got, so the change
	// is not reported back to it as a server change.
	Echo   map[uint64]int64 `json:"e,omitempty"`
	Filter int              `json:"f"`
	// Clients maps the ClientIds of items the device added to their ServerIds, so an Add the
	// device retries (a lost response) does not create the item twice.
	Clients map[string]uint64 `json:"c,omitempty"`
	// Sent and More are the server changes (which items, not their data) and the MoreAvailable
	// of the answer that led to this state, so that a retry of the key before it gets the same
	// answer again (replaySync).
	Sent []sentChange `json:"x,omitempty"`
	More bool         `json:"m,omitempty"`
	have map[uint64]bool
}

// sentChange is one server change of an answer, by item.
type sentChange struct {
	Op string `json:"o"`
	ID uint64 `json:"i"`
}

func decodeCollState(b []byte) (*collState, error) {
	st := &collState{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, st); err != nil {
			return nil, err
		}
	}
	st.have = make(map[uint64]bool, len(st.Have))
	for _, id := range st.Have {
		st.have[id] = true
	}
	if st.Echo == nil {
		st.Echo = map[uint64]int64{}
	}
	if st.Clients == nil {
		st.Clients = map[string]uint64{}
	}
	return st, nil
}

func (st *collState) encode() []byte {
	st.Have = st.Have[:0]
	for id := range st.have {
		st.Have = append(st.Have, id)
	}
	sort.Slice(st.Have, func(i, j int) bool { return st.Have[i] < st.Have[j] })
	b, _ := json.Marshal(st)
	return b
}

// clone copies a state so that a response can be computed without touching the loaded one.
func (st *collState) clone() *collState {
	c := &collState{Seq: st.Seq, Filter: st.Filter, have: make(map[uint64]bool, len(st.have)), Echo: map[uint64]int64{},
		Clients: make(map[string]uint64, len(st.Clients))}
	for k, v := range st.Clients {
		c.Clients[k] = v
	}
	for id := range st.have {
		c.have[id] = true
	}
	for id, s := range st.Echo {
		c.Echo[id] = s
	}
	return c
}

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
// filter are skipped; more says whether changes remain after the window.
func nextWindow(ctx context.Context, src ChangeSource, folderID uint64, st *collState, window int, cutoff time.Time) ([]serverChange, bool, error) {
	var out []serverChange
	page := window + 1
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
			switch {
			case it.Deleted:
				if st.have[it.ID] {
					delete(st.have, it.ID)
					delete(st.Echo, it.ID)
					out = append(out, serverChange{Op: opDelete, Item: it})
				}
			case st.Echo[it.ID] == it.ModSeq: // the device's own change coming back
				delete(st.Echo, it.ID)
			case !cutoff.IsZero() && it.ReceivedAt.Before(cutoff) && !st.have[it.ID]:
				// older than the device asked for
			case st.have[it.ID]:
				out = append(out, serverChange{Op: opChange, Item: it})
			default:
				st.have[it.ID] = true
				out = append(out, serverChange{Op: opAdd, Item: it})
			}
		}
		if len(items) < page {
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
