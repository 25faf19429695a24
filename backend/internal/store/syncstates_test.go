package store_test

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// SyncStatesOf reads in one statement what SyncStateOf reads one by one: the device's states of
// the collections asked for, keyed by collection; a collection without a state is absent, and
// another device's state of the same collection is never among them.
func TestSyncStatesOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ids := twoAccounts(t, s)
		var devs []uint64
		for _, acct := range ids {
			d, err := s.CreateDevice(ctx, &store.Device{AccountID: acct, DeviceID: "phone", DeviceType: "iPhone"})
			if err != nil {
				t.Fatal(err)
			}
			devs = append(devs, d.ID)
		}
		save := func(dev uint64, c string) {
			if err := s.SaveSyncState(ctx, &store.SyncState{DeviceID: dev, CollectionID: c, SyncKey: "2-" + c,
				State: []byte(`{"v":2,"s":` + c[:1] + `}`), PrevKey: "1-" + c, PrevState: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
		save(devs[0], "hierarchy")
		save(devs[0], "17")
		save(devs[0], "18")
		save(devs[1], "19") // another account's device: a collection only it has
		save(devs[1], "17")
		got, err := s.SyncStatesOf(ctx, devs[0], []string{"hierarchy", "17", "19", "99"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got["19"] != nil || got["99"] != nil || got["18"] != nil {
			t.Fatalf("states %v, want hierarchy and 17 only", slices.Sorted(maps.Keys(got)))
		}
		for _, c := range []string{"hierarchy", "17"} {
			one, err := s.SyncStateOf(ctx, devs[0], c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[c], one) {
				t.Errorf("%s: SyncStatesOf %+v, SyncStateOf %+v", c, got[c], one)
			}
		}
		if none, err := s.SyncStatesOf(ctx, devs[1], []string{"hierarchy"}); err != nil || len(none) != 0 {
			t.Errorf("a device without the state: %v %v", slices.Sorted(maps.Keys(none)), err)
		}
	})
}
