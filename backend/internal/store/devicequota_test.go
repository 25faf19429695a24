package store_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Ten new phones of one account at the same instant, three allowed: exactly three get a row,
// the others ErrLimit; a phone already known is returned even at the limit.
func TestCreateDeviceWithinHoldsTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ids := twoAccounts(t, s)
		at := time.Now().UTC().Truncate(time.Millisecond)
		newDevice := func(acct uint64, id string) *store.Device {
			return &store.Device{AccountID: acct, DeviceID: id, DeviceType: "iPhone", FirstSyncAt: at, LastSyncAt: at}
		}
		var wg sync.WaitGroup
		errs := make([]error, 10)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = s.CreateDeviceWithin(ctx, newDevice(ids[0], "phone"+strconv.Itoa(i)), 3)
			}()
		}
		close(start)
		wg.Wait()
		created, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				created++
			case errors.Is(err, store.ErrLimit):
				refused++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		devs, _ := s.DevicesOf(ctx, ids[0])
		if created != 3 || refused != 7 || len(devs) != 3 {
			t.Fatalf("created %d, refused %d, rows %d; want 3, 7, 3", created, refused, len(devs))
		}
		if d, err := s.CreateDeviceWithin(ctx, newDevice(ids[0], devs[0].DeviceID), 3); err != nil || d.ID != devs[0].ID {
			t.Fatalf("a known device at the limit: %+v %v", d, err)
		}
		// The other account's devices do not count, and 0 is no limit.
		for i := range 5 {
			if _, err := s.CreateDeviceWithin(ctx, newDevice(ids[1], "tab"+strconv.Itoa(i)), 0); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateDeviceWithin(ctx, newDevice(ids[0], "one-more"), 4); err != nil {
			t.Fatalf("under a raised limit: %v", err)
		}
	})
}
