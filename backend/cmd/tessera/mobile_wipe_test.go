package main_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// doWipeDevice in Carbonio's form: the whole device by default, "account_only true" only this
// account's data, refused for a device below EAS 16.1; getDevices shows state, scope and time;
// both requests audited; bad input exit 2.
func TestMobileWipeCommand(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.com")
		c.ok("account", "create", "john@example.com")
		s := storetest.Open(t, b)
		ctx := context.Background()
		john, _ := s.AccountByEmail(ctx, "john@example.com")
		now := time.Now()
		for id, v := range map[string]string{"new161": "16.1", "old141": "14.1"} {
			if _, err := s.CreateDevice(ctx, &store.Device{AccountID: john.ID, DeviceID: id, DeviceType: "iPhone",
				ProtocolVersion: v, FirstSyncAt: now, LastSyncAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		if out := c.ok("mobile", "doWipeDevice", "john@example.com", "new161", "account_only", "true"); !strings.Contains(out, "account-only wipe") {
			t.Fatalf("account-only wipe: %q", out)
		}
		c.fails(1, "old141 of john@example.com: account-only wipe needs a device speaking EAS 16.1", "mobile", "doWipeDevice", "john@example.com", "old141", "account_only", "true")
		if out := c.ok("mobile", "doWipeDevice", "john@example.com", "old141", "account_only", "false"); !strings.Contains(out, "wipe of the whole device old141") {
			t.Fatalf("whole-device wipe: %q", out)
		}
		out := c.ok("mobile", "getDevices", "john@example.com")
		if !strings.Contains(out, "requested(account) "+time.Now().UTC().Format("2006-01-02")) || !strings.Contains(out, "requested(device)") {
			t.Fatalf("getDevices:\n%s", out)
		}
		c.fails(2, "account_only", "mobile", "doWipeDevice", "john@example.com", "new161", "account_only", "yes")
		c.fails(2, "unknown parameter", "mobile", "doWipeDevice", "john@example.com", "new161", "confirm", "true")
		c.fails(2, "accepts ACCOUNT DEVICE_ID", "mobile", "doWipeDevice", "john@example.com", "new161", "account_only")
		c.fails(1, "nope of john@example.com: no such device", "mobile", "doWipeDevice", "john@example.com", "nope")
		events, _ := s.ListAudit(ctx, store.AuditFilter{Account: "john@example.com"})
		seen := map[string]int{}
		for _, e := range events {
			seen[e.Actor+" "+e.Action+" "+e.Reason]++
		}
		if seen["cli device_account_wipe_requested new161"] != 1 || seen["cli device_wipe_requested old141"] != 1 || len(seen) != 3 {
			t.Fatalf("audit: %v", seen)
		}
	})
}
