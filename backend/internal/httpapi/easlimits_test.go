package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// easMaxDevicesPerAccount: a new phone beyond it is refused with Status 177 and gets no device
// row; the phones the account has keep working; 0 lifts the limit.
func TestEASDeviceQuota(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		must := okFn(t)
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 2}); r.StatusCode != http.StatusOK {
			t.Fatalf("set quota: %d %s", r.StatusCode, r.Body)
		}
		first, _ := provisioned(t, w.s, "dev1")
		provisioned(t, w.s, "dev2")

		third := phone(t, w.s, "14.1", "dev3")
		body, err := third.Provision()
		if err == nil || body == nil || body.Name != "Provision:Provision" || body.TextOf("Status") != "177" {
			t.Fatalf("third phone's Provision: %v %v", body, err)
		}
		if r := must(third.FolderSync("0")); r.Body.TextOf("Status") != "177" {
			t.Fatalf("third phone's FolderSync: %s", r.Body)
		}
		old := phone(t, w.s, "12.1", "dev4")
		if r, _ := old.FolderSync("0"); r.HTTPStatus != 449 {
			t.Fatalf("12.1 phone beyond the quota, FolderSync: HTTP %d (want 449, to Provision)", r.HTTPStatus)
		}
		if body, err := old.Provision(); err == nil || body.TextOf("Status") != "177" {
			t.Fatalf("12.1 phone's Provision: %v %v", body, err)
		}
		acct := mustAccount(t, w, admin)
		if devs, err := w.s.App.Devices.List(t.Context(), acct.ID); err != nil || len(devs) != 2 {
			t.Fatalf("refused phones got device rows: %d %v", len(devs), err)
		}
		// The known phones go on.
		if r := must(first.FolderSync("0")); r.Body.TextOf("Status") != "1" {
			t.Fatalf("first phone after the refusals: %s", r.Body)
		}
		// Lowering the quota below the count does not cut known phones off either.
		w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 1})
		if r := must(first.FolderSync("0")); r.Body.TextOf("Status") != "1" {
			t.Fatalf("first phone with quota 1: %s", r.Body)
		}
		// 0 is unlimited.
		w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 0})
		if _, err := third.Provision(); err != nil {
			t.Fatalf("third phone with no quota: %v", err)
		}
	})
}

// The Ping and Sync heartbeat bounds are the global settings, read at request time.
func TestEASHeartbeatFromSettings(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newAdminWorld(t, b)
		must := okFn(t)
		p, inbox := provisioned(t, w.s, "dev1")
		// Defaults (the configured 60..3540 s) first.
		if r := must(p.Do("Ping", pingBody("30", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "60" {
			t.Fatalf("30 s with the default bounds: %s", r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMinSeconds": 120, "easHeartbeatMaxSeconds": 600}); r.StatusCode != http.StatusOK {
			t.Fatalf("set bounds: %d %s", r.StatusCode, r.Body)
		}
		for _, c := range []struct{ hb, limit string }{{"90", "120"}, {"900", "600"}} {
			if r := must(p.Do("Ping", pingBody(c.hb, inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != c.limit {
				t.Errorf("Ping %s s: %s (want Status 5, HeartbeatInterval %s)", c.hb, r.Body, c.limit)
			}
		}
		sync := func(elem, v string) *wbxml.Node {
			return wbxml.New("AirSync:Sync", wbxml.NewText(elem, v), wbxml.New("Collections",
				wbxml.New("Collection", wbxml.NewText("SyncKey", "0"), wbxml.NewText("CollectionId", inbox))))
		}
		for _, c := range []struct{ elem, v, limit string }{
			{"Wait", "1", "2"},                  // 60 s < 120 s: at least 2 minutes
			{"Wait", "15", "10"},                // 900 s > 600 s: at most 10 minutes
			{"HeartbeatInterval", "100", "120"}, // seconds
			{"HeartbeatInterval", "601", "600"},
		} {
			if r := must(p.Do("Sync", sync(c.elem, c.v))); r.Body.TextOf("Status") != "14" || r.Body.TextOf("Limit") != c.limit {
				t.Errorf("Sync %s %s: %s (want Status 14, Limit %s)", c.elem, c.v, r.Body, c.limit)
			}
		}
		// min above max is refused, and nothing changes.
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMinSeconds": 700}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("min > max: %d %s", r.StatusCode, r.Body)
		}
		if r := w.global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMaxSeconds": 5}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("max below 10 s: %d %s", r.StatusCode, r.Body)
		}
		if r := must(p.Do("Ping", pingBody("90", inbox))); r.Body.TextOf("HeartbeatInterval") != "120" {
			t.Fatalf("a refused change moved the bounds: %s", r.Body)
		}
	})
}
