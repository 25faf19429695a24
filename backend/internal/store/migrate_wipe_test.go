package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// 0029: a wipe asked for before account-only wipe existed was of the whole device, so it gets
// that scope (its times unknown); a device with no wipe keeps none. The new columns are written.
func TestUpgradeAddsWipeScope(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0025_web_sessions"); err != nil {
			t.Fatal(err)
		}
		for _, row := range [][2]string{{"1", ""}, {"2", "requested"}, {"3", "wiped"}} {
			if err := old.Gorm().Exec("INSERT INTO devices (id, account_id, device_id, device_type, user_agent, protocol_version, policy_key, pending_key, model, friendly_name, os, wipe_state, access, access_by, access_noticed, suspended, sync_loop, first_sync_at, last_sync_at) VALUES (?, 1, ?, 'iPhone', '', '14.1', '', '', '', '', '', ?, '', '', false, false, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
				row[0], "d"+row[0], row[1]).Error; err != nil {
				t.Fatal(err)
			}
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		for id, want := range map[string]string{"d1": "", "d2": store.WipeScopeDevice, "d3": store.WipeScopeDevice} {
			d, err := s.DeviceOf(ctx, 1, id)
			if err != nil || d.WipeScope != want || d.WipeRequestedAt != nil || d.WipeDoneAt != nil {
				t.Fatalf("%s after upgrade: %+v %v", id, d, err)
			}
		}
		d, _ := s.DeviceOf(ctx, 1, "d1")
		at := time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC)
		pat, scope, state := &at, store.WipeScopeAccount, store.WipeRequested
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{WipeState: &state, WipeScope: &scope, WipeRequestedAt: &pat}); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.DeviceOf(ctx, 1, "d1"); d.WipeScope != scope || d.WipeRequestedAt == nil || !d.WipeRequestedAt.Equal(at) {
			t.Fatalf("wipe written: %+v", d)
		}
		var none *time.Time
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{WipeRequestedAt: &none}); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.DeviceOf(ctx, 1, "d1"); d.WipeRequestedAt != nil {
			t.Fatalf("time cleared: %v", d.WipeRequestedAt)
		}
	})
}
