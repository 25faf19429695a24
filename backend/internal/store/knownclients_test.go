package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A client remembered once is found by device or address, seen again without a second row,
// forgotten after the window asked for, and an account keeps only its most recent ones.
func TestKnownClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		if err := s.RememberClient(ctx, 7, store.KnownDevice, "PHONE1", t0, 5); err != nil {
			t.Fatal(err)
		}
		if err := s.RememberClient(ctx, 7, store.KnownAddress, "2001:db8::1", t0, 5); err != nil {
			t.Fatal(err)
		}
		got, err := s.KnownClients(ctx, 7, "PHONE1", "2001:db8::1", t0.Add(-time.Hour))
		if err != nil || len(got) != 2 {
			t.Fatalf("known = %+v, %v", got, err)
		}
		for name, q := range map[string][3]string{"other account": {"8", "PHONE1", "2001:db8::1"}, "other device and address": {"7", "PHONE2", "192.0.2.1"},
			"device id given as an address": {"7", "", "PHONE1"}} {
			id, _ := strconv.ParseUint(q[0], 10, 64)
			if got, err := s.KnownClients(ctx, id, q[1], q[2], t0.Add(-time.Hour)); err != nil || len(got) != 0 {
				t.Errorf("%s: %+v, %v", name, got, err)
			}
		}
		if got, _ := s.KnownClients(ctx, 7, "PHONE1", "", t0.Add(time.Second)); len(got) != 0 {
			t.Fatalf("seen before the window still known: %+v", got)
		}
		// Seen again: the same row, newer.
		if err := s.RememberClient(ctx, 7, store.KnownDevice, "PHONE1", t0.Add(time.Hour), 5); err != nil {
			t.Fatal(err)
		}
		got, _ = s.KnownClients(ctx, 7, "PHONE1", "", t0.Add(time.Minute))
		if len(got) != 1 || !got[0].LastSeenAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("after a second success: %+v", got)
		}
		var n int64
		s.Gorm().Model(&store.KnownClient{}).Where("account_id = 7").Count(&n)
		if n != 2 {
			t.Fatalf("%d rows, want 2", n)
		}
		// Five kept: the oldest addresses go first.
		for i := range 6 {
			if err := s.RememberClient(ctx, 7, store.KnownAddress, "192.0.2."+strconv.Itoa(i), t0.Add(2*time.Hour+time.Duration(i)*time.Minute), 5); err != nil {
				t.Fatal(err)
			}
		}
		s.Gorm().Model(&store.KnownClient{}).Where("account_id = 7").Count(&n)
		if n != 5 {
			t.Fatalf("%d rows kept, want 5", n)
		}
		if got, _ := s.KnownClients(ctx, 7, "PHONE1", "192.0.2.0", t0); len(got) != 0 {
			t.Fatalf("the least recently seen survived: %+v", got)
		}
		if got, _ := s.KnownClients(ctx, 7, "", "192.0.2.5", t0); len(got) != 1 {
			t.Fatalf("the most recent was dropped: %+v", got)
		}
	})
}
