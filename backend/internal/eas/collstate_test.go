package eas

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func testInbox(t *testing.T, s *store.Store) (context.Context, *mailbox.Service, uint64, uint64) {
	t.Helper()
	ctx := context.Background()
	d, _ := s.CreateDomain(ctx, "example.com")
	a := &store.Account{Email: "a@example.com", DomainID: d.ID, PasswordHash: "h", Role: "user", Status: "active"}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	mb := mailbox.New(s, mailbox.NewLocalNotifier())
	inbox, err := mb.FolderByType(ctx, a.ID, mailbox.TypeInbox)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, mb, a.ID, inbox.ID
}

// Items whose change numbers run in another order than their UIDs (old mail changed before the
// first sync) are each added once, whatever the window, and the rule covers them afterwards.
func TestNextWindowOutOfOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, mb, acct, inbox := testInbox(t, s)
		now := time.Now()
		var ids []uint64
		for i := 1; i <= 4; i++ {
			it, err := mb.Deliver(ctx, acct, msg(i, now))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		read := true
		mb.SetFlags(ctx, acct, ids[0], &read, nil) // change order: 2 3 4 1
		st, _ := decodeCollState(nil)
		var all string
		for {
			w, more, err := nextWindow(ctx, mb, inbox, st, 1, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			all += ops(w)
			st, _ = decodeCollState(st.encode())
			if !more {
				break
			}
		}
		if all != "Add:message 2 Add:message 3 Add:message 4 Add:message 1 " {
			t.Fatalf("initial: %s", all)
		}
		if !st.pend.IsEmpty() || !st.not.IsEmpty() || st.Mark == 0 {
			t.Fatalf("after the walk: mark %d pend %v not %v", st.Mark, st.pend, st.not)
		}
		mb.SetFlags(ctx, acct, ids[1], &read, nil)
		mb.Delete(ctx, acct, ids[2])
		it, _ := mb.Deliver(ctx, acct, msg(9, now))
		mb.Delete(ctx, acct, it.ID)
		if w, _, _ := nextWindow(ctx, mb, inbox, st, 100, time.Time{}); ops(w) != "Change:message 2 Delete:message 3 " {
			t.Fatalf("later: %s", ops(w))
		}
		// The device deletes an item itself: its tombstone brings no Delete back.
		gone, _ := mb.Item(ctx, acct, ids[3])
		st.deviceDropped(gone)
		mb.Delete(ctx, acct, ids[3])
		if w, _, _ := nextWindow(ctx, mb, inbox, st, 100, time.Time{}); len(w) != 0 || !st.not.IsEmpty() {
			t.Fatalf("own delete: %s, not %v", ops(w), st.not)
		}
	})
}

// A list-format state with a filter converts into the rule: what the device had is changed and
// deleted, what it never had (older than its filter) is neither added nor deleted.
func TestConvertListState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, mb, acct, inbox := testInbox(t, s)
		now := time.Now()
		var ids []uint64
		for i, age := range []time.Duration{240 * time.Hour, 230 * time.Hour, time.Hour, 30 * time.Minute} {
			it, err := mb.Deliver(ctx, acct, msg(i+1, now.Add(-age)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		f, _ := mb.Folder(ctx, acct, inbox)
		old := []byte(`{"s":` + itoa(f.LastSeq) + `,"h":[` + itoa(int64(ids[2])) + `,` + itoa(int64(ids[3])) + `],"f":3}`)
		srv := &Server{mailbox: mb}
		st, err := srv.collStateOf(ctx, inbox, old)
		if err != nil || st.V != stateVersion {
			t.Fatalf("convert: %v %+v", err, st)
		}
		read := true
		mb.SetFlags(ctx, acct, ids[0], &read, nil)
		mb.SetFlags(ctx, acct, ids[2], &read, nil)
		mb.Delete(ctx, acct, ids[1])
		mb.Delete(ctx, acct, ids[3])
		mb.Deliver(ctx, acct, msg(5, now))
		cutoff := filterCutoff(3, now)
		w, _, _ := nextWindow(ctx, mb, inbox, st, 100, cutoff)
		if ops(w) != "Change:message 3 Delete:message 4 Add:message 5 " {
			t.Fatalf("after conversion: %s", ops(w))
		}
		if b := st.encode(); len(b) > 80 {
			t.Fatalf("converted state: %d bytes: %s", len(b), b)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
