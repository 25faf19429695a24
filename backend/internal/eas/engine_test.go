package eas

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func msg(i int, date time.Time) []byte {
	return []byte(fmt.Sprintf("From: a@example.org\r\nTo: b@example.com\r\nSubject: message %d\r\nDate: %s\r\n\r\nbody %d\r\n", i, date.Format(time.RFC1123Z), i))
}

func ops(cs []serverChange) string {
	s := ""
	for _, c := range cs {
		s += fmt.Sprintf("%s:%s ", c.Op, c.Item.Subject)
	}
	return s
}

func TestNextWindowStable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, _ := s.CreateDomain(ctx, "example.com")
		a := &store.Account{Email: "a@example.com", DomainID: d.ID, PasswordHash: "h", Role: "user", Status: "active"}
		s.CreateAccount(ctx, a)
		mb := mailbox.New(s, mailbox.NewLocalNotifier())
		inbox, _ := mb.FolderByType(ctx, a.ID, mailbox.TypeInbox)
		now := time.Now()
		var ids []uint64
		for i := 1; i <= 5; i++ {
			it, err := mb.Deliver(ctx, a.ID, msg(i, now.Add(-time.Duration(i)*time.Hour)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, it.ID)
		}
		st, _ := decodeCollState(nil)
		w1, more, _ := nextWindow(ctx, mb, inbox.ID, st, 2, time.Time{})
		if ops(w1) != "Add:message 1 Add:message 2 " || !more {
			t.Fatalf("window 1: %s more=%v", ops(w1), more)
		}
		w2, more, _ := nextWindow(ctx, mb, inbox.ID, st, 2, time.Time{})
		w3, more3, _ := nextWindow(ctx, mb, inbox.ID, st, 2, time.Time{})
		if ops(w2) != "Add:message 3 Add:message 4 " || !more || ops(w3) != "Add:message 5 " || more3 {
			t.Fatalf("windows 2, 3: %s / %s", ops(w2), ops(w3))
		}
		// Nothing is reported again when nothing changed.
		if w, more, _ := nextWindow(ctx, mb, inbox.ID, st, 100, time.Time{}); len(w) != 0 || more {
			t.Fatalf("idle poll: %s", ops(w))
		}
		// A state survives encoding.
		st, _ = decodeCollState(st.encode())
		read := true
		mb.SetFlags(ctx, a.ID, ids[0], &read, nil)
		mb.Delete(ctx, a.ID, ids[1])
		w, _, _ := nextWindow(ctx, mb, inbox.ID, st, 100, time.Time{})
		if ops(w) != "Change:message 1 Delete:message 2 " {
			t.Fatalf("after read+delete: %s", ops(w))
		}
		// The device's own change is not echoed back.
		upd, _ := mb.SetFlags(ctx, a.ID, ids[2], &read, nil)
		st.Echo[upd.ID] = upd.ModSeq
		if w, _, _ := nextWindow(ctx, mb, inbox.ID, st, 100, time.Time{}); len(w) != 0 {
			t.Fatalf("echo: %s", ops(w))
		}
		// Added and deleted between two syncs: the device never hears of it.
		it, _ := mb.Deliver(ctx, a.ID, msg(9, now))
		mb.Delete(ctx, a.ID, it.ID)
		if w, _, _ := nextWindow(ctx, mb, inbox.ID, st, 100, time.Time{}); len(w) != 0 {
			t.Fatalf("transient item: %s", ops(w))
		}
		// A filter keeps old mail out of a fresh sync.
		fresh, _ := decodeCollState(nil)
		w, _, _ = nextWindow(ctx, mb, inbox.ID, fresh, 100, now.Add(-150*time.Minute))
		if ops(w) != "Add:message 1 " { // 2 is deleted; 3.. are older than 2.5 h
			t.Fatalf("filtered: %s", ops(w))
		}
	})
}
