package eas_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestPingRules(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	p, inbox := eastest.Provisioned(t, s, "dev1")
	key := eastest.InitialKey(t, p, inbox)
	_ = key
	if r := must(p.Do("Ping", eastest.PingBody("30", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "60" {
		t.Fatalf("heartbeat below the minimum: %s", r.Body)
	}
	if r := must(p.Do("Ping", eastest.PingBody("4000", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "3540" {
		t.Fatalf("heartbeat above the maximum: %s", r.Body)
	}
	if r := must(p.Do("Ping", nil)); r.Body.TextOf("Status") != "3" {
		t.Fatalf("empty Ping with nothing before: %s", r.Body)
	}
	// A newer Ping from the same device ends the older one (Status 1), and an empty Ping
	// reuses the last parameters.
	first := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", eastest.PingBody("300", inbox)); first <- r }()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	second := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", nil); second <- r }()
	select {
	case r := <-first:
		if r.Body.TextOf("Status") != "1" {
			t.Fatalf("superseded Ping: %s", r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the older Ping was not ended by the newer one")
	}
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	// Removing the device ends its Ping with Status 7 (folder sync required).
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	if err := s.App.Devices.Remove(t.Context(), acct.ID, "dev1"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-second:
		if r.HTTPStatus != 200 || r.Body.TextOf("Status") != "7" {
			t.Fatalf("Ping of a removed device: %d %v", r.HTTPStatus, r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("removing the device did not end its Ping")
	}
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 0 })
}

// A Ping ends with Status 7 when the folder hierarchy changes under it.
func TestPingHierarchyChanged(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	p, inbox := eastest.Provisioned(t, s, "dev1")
	must(p.SyncOne(inbox, "0"))
	done := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", eastest.PingBody("300", inbox)); done <- r }()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	if _, err := s.App.Mailbox.CreateFolder(t.Context(), acct.ID, 0, "Made on the web", 12); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.Body.TextOf("Status") != "7" {
			t.Fatalf("Ping after a hierarchy change: %s", r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a hierarchy change did not end the Ping")
	}
}

// Notes exist only from 14.0: a 12.1 device is not offered the Notes folder, and its Ping is
// not told the hierarchy changed because of it.
func TestNotesFolderHiddenFrom121(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p := eastest.NewPhone(t, s, "12.1", "old1")
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs := eastest.OK(t)(p.FolderSync("0")).Body
	if fs.Child("Changes").TextOf("Count") != "8" || eastest.FolderOfType(fs, "10") != "" {
		t.Fatalf("12.1 hierarchy: %s", fs)
	}
	inbox := eastest.FolderOfType(fs, "2")
	eastest.OK(t)(p.SyncOne(inbox, "0"))
	done := make(chan *easclient.Response, 1)
	go func() { r, _ := p.Do("Ping", eastest.PingBody("60", inbox)); done <- r }()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
	select {
	case r := <-done:
		t.Fatalf("12.1 Ping answered at once (a hierarchy change that is not there?): %s", r.Body)
	case <-time.After(500 * time.Millisecond):
	}
	s.App.EAS.Shutdown()
	if r := <-done; r.Body.TextOf("Status") != "1" {
		t.Fatalf("Ping at shutdown: %s", r.Body)
	}
}

// The Ping and Sync heartbeat bounds are the global settings, read at request time.
func TestEASHeartbeatFromSettings(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		global := eastest.AdminClient(t, s)
		must := eastest.OK(t)
		p, inbox := eastest.Provisioned(t, s, "dev1")
		// Defaults (the configured 60..3540 s) first.
		if r := must(p.Do("Ping", eastest.PingBody("30", inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != "60" {
			t.Fatalf("30 s with the default bounds: %s", r.Body)
		}
		if r := global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMinSeconds": 120, "easHeartbeatMaxSeconds": 600}); r.StatusCode != http.StatusOK {
			t.Fatalf("set bounds: %d %s", r.StatusCode, r.Body)
		}
		for _, c := range []struct{ hb, limit string }{{"90", "120"}, {"900", "600"}} {
			if r := must(p.Do("Ping", eastest.PingBody(c.hb, inbox))); r.Body.TextOf("Status") != "5" || r.Body.TextOf("HeartbeatInterval") != c.limit {
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
		if r := global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMinSeconds": 700}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("min > max: %d %s", r.StatusCode, r.Body)
		}
		if r := global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easHeartbeatMaxSeconds": 5}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("max below 10 s: %d %s", r.StatusCode, r.Body)
		}
		if r := must(p.Do("Ping", eastest.PingBody("90", inbox))); r.Body.TextOf("HeartbeatInterval") != "120" {
			t.Fatalf("a refused change moved the bounds: %s", r.Body)
		}
	})
}
