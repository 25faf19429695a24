package store_test

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A device known before 0024 has no sync loop recorded; one can be written afterwards.
func TestUpgradeAddsSyncLoop(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0023_scoped_passcodes"); err != nil {
			t.Fatal(err)
		}
		if err := old.Gorm().Exec("INSERT INTO devices (id, account_id, device_id, device_type, user_agent, protocol_version, policy_key, pending_key, model, friendly_name, os, wipe_state, access, access_by, access_noticed, suspended, first_sync_at, last_sync_at) VALUES (1, 1, 'old', 'iPhone', '', '14.1', '', '', '', '', '', '', '', '', false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		d, err := s.DeviceOf(ctx, 1, "old")
		if err != nil || d.SyncLoop != "" {
			t.Fatalf("device after upgrade: %+v %v", d, err)
		}
		loop := `{"collection":"7","item":"1","count":3}`
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{SyncLoop: &loop}); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.DeviceOf(ctx, 1, "old"); d.SyncLoop != loop {
			t.Fatalf("sync loop written: %q", d.SyncLoop)
		}
	})
}
