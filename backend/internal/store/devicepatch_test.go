package store_test

import (
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A device patch writes each field it carries to its own column and leaves the others; an
// empty patch writes nothing.
func TestUpdateDevicePatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ids := twoAccounts(t, s)
		at := time.Now().UTC().Truncate(time.Second)
		d, err := s.CreateDevice(ctx, &store.Device{AccountID: ids[0], DeviceID: "phone", DeviceType: "iPhone", UserAgent: "ua",
			ProtocolVersion: "14.1", PolicyKey: "1", PendingKey: "2", Model: "m", FriendlyName: "f", OS: "o", FirstSyncAt: at, LastSyncAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{}); err != nil {
			t.Fatal(err)
		}
		str := func(v string) *string { return &v }
		later := at.Add(time.Hour)
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{DeviceType: str("Android"), UserAgent: str("ua2"),
			ProtocolVersion: str("16.1"), Model: str("Pixel"), FriendlyName: str("Mine"), OS: str("Android 15"),
			PolicyKey: str("3"), PendingKey: str(""), WipeState: str(store.WipeRequested), LastSyncAt: &later}); err != nil {
			t.Fatal(err)
		}
		got, err := s.DeviceOf(ctx, ids[0], "phone")
		if err != nil {
			t.Fatal(err)
		}
		want := store.Device{ID: d.ID, AccountID: ids[0], DeviceID: "phone", DeviceType: "Android", UserAgent: "ua2",
			ProtocolVersion: "16.1", PolicyKey: "3", PendingKey: "", Model: "Pixel", FriendlyName: "Mine", OS: "Android 15",
			WipeState: store.WipeRequested, FirstSyncAt: at, LastSyncAt: later}
		got.FirstSyncAt, got.LastSyncAt = got.FirstSyncAt.UTC(), got.LastSyncAt.UTC()
		if *got != want {
			t.Fatalf("after the patch\n got %+v\nwant %+v", *got, want)
		}
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{WipeState: str(store.WipeDone)}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.DeviceOf(ctx, ids[0], "phone")
		if got.WipeState != store.WipeDone || got.Model != "Pixel" || got.PolicyKey != "3" {
			t.Fatalf("a one-field patch: %+v", *got)
		}
	})
}
