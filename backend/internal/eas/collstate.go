package eas

import (
	"encoding/json"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// collState is what a collection's SyncState covers: how far in the folder's change sequence
// the device has been brought, and which items it holds. Knowing what it holds is what keeps
// an item it already has from being sent as an Add again, and a delete of something it never
// had from being sent at all.
//
// What the device holds is not listed item by item (that made every Sync of a big folder
// decode, sort and write a list as long as the folder). It is a rule with exceptions, about the
// item's IMAP UID in the folder (taken in creation order, under the folder row's lock, the same
// as the change number) and its arrival time:
//
//	holds(X) = X ∈ Extra  or  (X ∉ Not  and  X.ReceivedAt ≥ Cut  and  (X.UID ≤ Mark  or  X ∈ Pend))
//
// Mark is a UID up to which every item of the folder has been walked by the engine at least
// once (it moves when a walk reaches the end of the folder's changes, see caughtUp), Cut the
// filter's cutoff when the state began. The exceptions are UID sets (roaring bitmaps, run-length
// compressed): Pend, items sent above Mark (folded into the rule when Mark passes them); Not,
// items the rule covers that the device does not hold (skipped by the filter, or deleted by the
// device itself until the engine passes their tombstone); Extra, items held the rule misses
// (older than Cut, sent after the filter was widened). A device that has all of a folder of
// 100,000 messages has a state of a few dozen bytes plus the last answer's list (Sent).
type collState struct {
	V    int    `json:"v"`
	Seq  int64  `json:"s"`
	Mark uint32 `json:"k,omitempty"`
	Cut  int64  `json:"t,omitempty"` // unix seconds; 0: no filter
	// CutN and CutU complete Cut into a position in arrival order (store.ArrivalPos): the
	// nanoseconds of the time, and the UID from which an item arrived at that very time is
	// inside. Both 0 in a state whose window has not moved (window.go).
	CutN int32  `json:"tn,omitempty"`
	CutU uint32 `json:"tu,omitempty"`
	Pend []byte `json:"p,omitempty"`
	Not  []byte `json:"n,omitempty"`
	Xtra []byte `json:"a,omitempty"`
	// Have is the format before version 2: every item id the device held. It is read to
	// convert such a state (convertV1) and never written.
	Have []uint64 `json:"h,omitempty"`
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
	// SentRaw is Sent as saved: only a retry reads it (sent), so a Ping's look or an estimate
	// does not decode the list of a last answer of 512 items.
	Sent    []sentChange    `json:"-"`
	SentRaw json.RawMessage `json:"x,omitempty"`
	More    bool            `json:"m,omitempty"`

	pend, not, extra *roaring.Bitmap
	// log is what the device's own commands of this request did to the held set, so that a
	// retry can do the same to the lost answer's state (replaySync).
	log []heldOp
}

// stateVersion is the format collState writes; a state without it is the list format.
const stateVersion = 2

// sentChange is one server change of an answer, by item.
type sentChange struct {
	Op string `json:"o"`
	ID uint64 `json:"i"`
}

// heldOp is one change of the held set by a device's command: the item, and whether the device
// holds it after the command.
type heldOp struct {
	item store.Item
	held bool
}

// decodeCollState reads a state of version 2; a list-format state (v1) comes back with Have
// set and V 0, for the caller to convert (Server.loadCollState).
func decodeCollState(b []byte) (*collState, error) {
	st := &collState{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, st); err != nil {
			return nil, err
		}
	} else {
		st.V = stateVersion
	}
	if st.Echo == nil {
		st.Echo = map[uint64]int64{}
	}
	if st.Clients == nil {
		st.Clients = map[string]uint64{}
	}
	var err error
	if st.pend, err = bitmap(st.Pend); err != nil {
		return nil, err
	}
	if st.not, err = bitmap(st.Not); err != nil {
		return nil, err
	}
	if st.extra, err = bitmap(st.Xtra); err != nil {
		return nil, err
	}
	return st, nil
}

func bitmap(b []byte) (*roaring.Bitmap, error) {
	rb := roaring.New()
	if len(b) == 0 {
		return rb, nil
	}
	return rb, rb.UnmarshalBinary(b)
}

func bytesOf(rb *roaring.Bitmap) []byte {
	if rb.IsEmpty() {
		return nil
	}
	rb.RunOptimize()
	b, _ := rb.ToBytes()
	return b
}

// sent is the last answer's server changes (Sent), read from the saved state.
func (st *collState) sent() ([]sentChange, error) {
	if st.Sent == nil && len(st.SentRaw) > 0 {
		if err := json.Unmarshal(st.SentRaw, &st.Sent); err != nil {
			return nil, err
		}
	}
	return st.Sent, nil
}

func (st *collState) encode() []byte {
	st.V, st.Have = stateVersion, nil
	if st.Sent != nil {
		st.SentRaw, _ = json.Marshal(st.Sent)
	}
	st.Pend, st.Not, st.Xtra = bytesOf(st.pend), bytesOf(st.not), bytesOf(st.extra)
	b, _ := json.Marshal(st)
	return b
}

// clone copies a state so that a response can be computed without touching the loaded one.
func (st *collState) clone() *collState {
	c := &collState{V: st.V, Seq: st.Seq, Mark: st.Mark, Cut: st.Cut, CutN: st.CutN, CutU: st.CutU, Filter: st.Filter,
		pend: st.pend.Clone(), not: st.not.Clone(), extra: st.extra.Clone(),
		Echo: make(map[uint64]int64, len(st.Echo)), Clients: make(map[string]uint64, len(st.Clients))}
	for k, v := range st.Clients {
		c.Clients[k] = v
	}
	for id, s := range st.Echo {
		c.Echo[id] = s
	}
	return c
}

// startFilter sets the filter of a new state: its cutoff is where the rule starts.
func (st *collState) startFilter(filter int, now time.Time) {
	st.Filter, st.Cut = filter, 0
	if c := filterCutoff(filter, now); !c.IsZero() {
		st.Cut = c.Unix()
	}
}

func (st *collState) inCut(it *store.Item) bool {
	if st.Cut == 0 && st.CutN == 0 && st.CutU == 0 {
		return true
	}
	at := time.Unix(st.Cut, int64(st.CutN))
	return it.ReceivedAt.After(at) || (it.ReceivedAt.Equal(at) && it.UID >= st.CutU)
}

// bound is where the rule starts in arrival order (nil: no filter, every item).
func (st *collState) bound() *store.ArrivalPos {
	if st.Cut == 0 && st.CutN == 0 && st.CutU == 0 {
		return nil
	}
	return &store.ArrivalPos{At: time.Unix(st.Cut, int64(st.CutN)), UID: st.CutU}
}

// setBound moves where the rule starts (nil: no filter).
func (st *collState) setBound(b *store.ArrivalPos) {
	if b == nil {
		st.Cut, st.CutN, st.CutU = 0, 0, 0
		return
	}
	st.Cut, st.CutN, st.CutU = b.At.Unix(), int32(b.At.Nanosecond()), b.UID
	if st.Cut == 0 && st.CutN == 0 && st.CutU == 0 {
		st.Cut, st.CutN = -1, 1e9 // the epoch itself, which 0 (no filter) cannot say
	}
}

// holds says whether the device holds the item (see collState).
func (st *collState) holds(it *store.Item) bool {
	if st.extra.Contains(it.UID) {
		return true
	}
	return !st.not.Contains(it.UID) && st.inCut(it) && (it.UID <= st.Mark || st.pend.Contains(it.UID))
}

// setHeld records that the device holds the item.
func (st *collState) setHeld(it *store.Item) {
	st.not.Remove(it.UID)
	switch {
	case !st.inCut(it):
		st.extra.Add(it.UID)
	case it.UID > st.Mark:
		st.pend.Add(it.UID)
	}
}

// setNotHeld records that the device does not hold the item.
func (st *collState) setNotHeld(it *store.Item) {
	st.extra.Remove(it.UID)
	st.pend.Remove(it.UID)
	if st.inCut(it) { // the rule would claim it, now or once Mark passes it
		st.not.Add(it.UID)
	}
}

// passTombstone forgets the exceptions of an item whose tombstone the engine has passed: it is
// never walked again.
func (st *collState) passTombstone(uid uint32) {
	st.extra.Remove(uid)
	st.pend.Remove(uid)
	st.not.Remove(uid)
}

// caughtUp moves Mark after a walk that reached the end of the folder's changes: every item that
// existed at the walk's last read has been walked once, and any UID walked or excepted so far
// existed then (UIDs are taken in creation order), so the rule may cover up to the highest.
func (st *collState) caughtUp(walked uint32) {
	mark := max(st.Mark, walked)
	for _, rb := range []*roaring.Bitmap{st.pend, st.not, st.extra} {
		if !rb.IsEmpty() {
			mark = max(mark, rb.Maximum())
		}
	}
	if mark > st.Mark {
		st.Mark = mark
		st.pend.RemoveRange(0, uint64(mark)+1)
	}
}

// deviceAdded and deviceDropped change the held set for a device's own command and log it for
// a retry (replaySync).
func (st *collState) deviceAdded(it *store.Item) {
	st.setHeld(it)
	st.log = append(st.log, heldOp{item: *it, held: true})
}

func (st *collState) deviceDropped(it *store.Item) {
	st.setNotHeld(it)
	st.log = append(st.log, heldOp{item: *it, held: false})
}
