package eas

import (
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The window's start moves in arrival order and then by UID, so that items that arrived in the
// same second are each passed once whatever the window size: six old items of one second leave
// one by one as SoftDeletes and come back as Adds, each once, and the recent ones are never
// touched. The state saved between the answers ends as small as it began.
func TestMoveWindowSameSecond(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, mb, acct, inbox := testInbox(t, s)
		now := time.Now()
		old, recent := now.Add(-5*24*time.Hour), now.Add(-24*time.Hour)
		names := map[uint64]string{} // a SoftDelete carries only the item's id
		for i := 1; i <= 8; i++ {
			at := old
			if i > 6 {
				at = recent
			}
			it, err := mb.Deliver(ctx, acct, msg(i, at))
			if err != nil {
				t.Fatal(err)
			}
			names[it.ID] = strconv.Itoa(i)
		}
		var st *collState
		run := func(window int) []string {
			t.Helper()
			var all []string
			for {
				w, more, err := serverChanges(ctx, mb, inbox, st, now, window)
				if err != nil {
					t.Fatal(err)
				}
				if len(w) > window {
					t.Fatalf("%d changes in a window of %d", len(w), window)
				}
				for _, c := range w {
					all = append(all, c.Op+":"+names[c.Item.ID])
				}
				if st, err = decodeCollState(st.encode()); err != nil {
					t.Fatal(err)
				}
				if !more {
					sort.Strings(all)
					return all
				}
			}
		}
		// A phone whose first Sync had no FilterType and whose second has one holds nothing
		// yet: the window's start jumps, and only what is inside comes.
		st, _ = decodeCollState(nil)
		st.Filter = 2
		if got := strings.Join(run(3), " "); got != "Add:7 Add:8" {
			t.Fatalf("first sync with a filter: %s", got)
		}
		st, _ = decodeCollState(nil)
		if got := strings.Join(run(3), " "); got != "Add:1 Add:2 Add:3 Add:4 Add:5 Add:6 Add:7 Add:8" {
			t.Fatalf("initial: %s", got)
		}
		st.Filter = 2 // 3 days
		if got := strings.Join(run(1), " "); got != "SoftDelete:1 SoftDelete:2 SoftDelete:3 SoftDelete:4 SoftDelete:5 SoftDelete:6" {
			t.Fatalf("narrower: %s", got)
		}
		if got := run(1); len(got) != 0 {
			t.Fatalf("again: %v", got)
		}
		st.Filter = 0
		if got := strings.Join(run(4), " "); got != "Add:1 Add:2 Add:3 Add:4 Add:5 Add:6" {
			t.Fatalf("wider: %s", got)
		}
		if !st.not.IsEmpty() || !st.pend.IsEmpty() || !st.extra.IsEmpty() || st.bound() != nil {
			t.Fatalf("state after the moves: not %v pend %v extra %v bound %v", st.not, st.pend, st.extra, st.bound())
		}
		if got := run(4); len(got) != 0 {
			t.Fatalf("after: %v", got)
		}
	})
}
