package eas

import (
	"context"

	"github.com/RoaringBitmap/roaring/v2"
)

// collStateOf reads a collection's state. A state written before version 2 (every item id the
// device held, as a list) is converted on the way: phones that were syncing go on from where
// they were, with no re-Add and no resync. The converted state is written back by the
// request's save, so the conversion (one read of the folder's item marks) happens once per
// device and collection; a previous state still in the old format is converted when a retry
// needs it.
func (s *Server) collStateOf(ctx context.Context, folderID uint64, b []byte) (*collState, error) {
	st, err := decodeCollState(b)
	if err != nil || st.V == stateVersion {
		return st, err
	}
	return st, s.convertV1(ctx, folderID, st)
}

// convertV1 turns a list-format state into the rule of collState: Mark covers every item of
// the folder, Cut is the arrival time of the oldest item the device holds, and Not lists the
// items at or after Cut it does not hold (not walked yet, skipped, or deleted by the device).
// A tombstone the engine has passed already is left out: it is never walked again.
func (s *Server) convertV1(ctx context.Context, folderID uint64, st *collState) error {
	rows, err := s.mailbox.ItemMarks(ctx, folderID)
	if err != nil {
		return err
	}
	have := make(map[uint64]bool, len(st.Have))
	for _, id := range st.Have {
		have[id] = true
	}
	st.V, st.Have, st.Mark, st.Cut = stateVersion, nil, 0, 0
	st.pend, st.not, st.extra = roaring.New(), roaring.New(), roaring.New()
	var oldestHeld, newest int64
	anyHeld := false
	for i := range rows {
		it := &rows[i]
		if it.Deleted && it.ModSeq <= st.Seq {
			continue
		}
		st.Mark = max(st.Mark, it.UID)
		t := it.ReceivedAt.Unix()
		newest = max(newest, t)
		if have[it.ID] && (!anyHeld || t < oldestHeld) {
			oldestHeld, anyHeld = t, true
		}
	}
	switch {
	case anyHeld:
		st.Cut = oldestHeld
	case len(rows) > 0:
		st.Cut = newest + 1 // holds nothing: nothing is at or after Cut
	}
	if st.Cut == 0 && anyHeld {
		st.Cut = -1 // 0 means no cutoff; the oldest held arrived at the epoch itself
	}
	for i := range rows {
		it := &rows[i]
		if it.Deleted && it.ModSeq <= st.Seq {
			continue
		}
		if !have[it.ID] && st.inCut(it) {
			st.not.Add(it.UID)
		}
	}
	return nil
}
