package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type heldDevice struct {
	Account string
	Device  struct {
		DeviceID, Access, AccessBy string
		Suspended                  bool
	}
}

// A domain admin sees and decides the quarantined devices of her domain only; she manages her
// domain's rules and reads the global ones, which only a global admin changes; the user sees
// his device waiting; every decision is audited.
func TestDeviceAccessAPI(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		ctx := t.Context()
		if _, err := s.App.Accounts.CreateDomain(ctx, "test", "third.net"); err != nil {
			t.Fatal(err)
		}
		for _, in := range []account.CreateInput{{Email: "dana@example.com", Password: testPw, Role: store.RoleDomainAdmin},
			{Email: "bob@example.com", Password: testPw, Role: store.RoleUser}, {Email: "tom@third.net", Password: testPw, Role: store.RoleUser}} {
			if _, _, err := s.App.Accounts.Create(ctx, "test", in); err != nil {
				t.Fatal(err)
			}
		}
		global := s.Client()
		global.Login(admin, apptest.AdminPassword)
		if r := global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"deviceAccess": "quarantined"}); r.StatusCode != http.StatusOK {
			t.Fatalf("setting: %d %s", r.StatusCode, r.Body)
		}
		users := map[string]*apptest.Client{}
		for _, email := range []string{"bob@example.com", "tom@third.net"} {
			c := s.Client()
			c.Login(email, testPw)
			cred := create(t, c, "eas", "Phone")
			p := &easclient.Client{BaseURL: s.URL, User: email, Pass: cred.Secret.Password, DeviceID: "phone1", DeviceType: "iPhone", Version: "16.1"}
			if _, err := p.Provision(); err != nil {
				t.Fatal(err)
			}
			users[email] = c
		}
		var mine struct {
			Items []struct{ DeviceID, Access string }
		}
		users["bob@example.com"].Do("GET", "/api/v1/me/devices", nil).JSON(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].Access != "quarantined" {
			t.Fatalf("the user's device: %+v", mine)
		}

		dana := s.Client()
		dana.Login("dana@example.com", testPw)
		var held struct{ Items []heldDevice }
		dana.Do("GET", "/api/v1/admin/devices/quarantine", nil).JSON(t, &held)
		if len(held.Items) != 1 || held.Items[0].Account != "bob@example.com" || held.Items[0].Device.AccessBy != "default" {
			t.Fatalf("dana's quarantine: %+v", held)
		}
		global.Do("GET", "/api/v1/admin/devices/quarantine", nil).JSON(t, &held)
		if len(held.Items) != 2 {
			t.Fatalf("the global admin's quarantine: %+v", held)
		}
		if r := dana.Do("POST", "/api/v1/admin/accounts/tom@third.net/devices/phone1/allow", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("dana approving another domain's device: %d", r.StatusCode)
		}
		var dev struct{ Access, AccessBy string }
		r := dana.Do("POST", "/api/v1/admin/accounts/bob@example.com/devices/phone1/allow", nil)
		r.JSON(t, &dev)
		if r.StatusCode != http.StatusOK || dev.Access != "allowed" || dev.AccessBy != "admin" {
			t.Fatalf("dana approving bob's device: %d %+v", r.StatusCode, dev)
		}
		if r := dana.Do("POST", "/api/v1/admin/accounts/bob@example.com/devices/nope/block", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("an unknown device: %d", r.StatusCode)
		}

		// Rules.
		if r := dana.Do("POST", "/api/v1/admin/device-rules", map[string]any{"field": "model", "pattern": "SM-*", "action": "block"}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("dana adding a global rule: %d", r.StatusCode)
		}
		if r := dana.Do("POST", "/api/v1/admin/device-rules", map[string]any{"domain": "third.net", "field": "model", "pattern": "SM-*", "action": "block"}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("dana adding a rule to another domain: %d", r.StatusCode)
		}
		if r := dana.Do("POST", "/api/v1/admin/device-rules", map[string]any{"domain": "example.com", "field": "colour", "pattern": "x", "action": "block"}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("a bad rule: %d %s", r.StatusCode, r.Body)
		}
		var rule struct {
			ID       uint64
			Domain   string
			Position int
		}
		r = dana.Do("POST", "/api/v1/admin/device-rules", map[string]any{"domain": "example.com", "field": "userAgent", "pattern": "*Outlook*", "action": "quarantine"})
		r.JSON(t, &rule)
		if r.StatusCode != http.StatusCreated || rule.Domain != "example.com" || rule.Position != 1 {
			t.Fatalf("dana's domain rule: %d %s", r.StatusCode, r.Body)
		}
		if r := global.Do("POST", "/api/v1/admin/device-rules", map[string]any{"field": "deviceType", "pattern": "Android*", "action": "block"}); r.StatusCode != http.StatusCreated {
			t.Fatalf("a global rule: %d %s", r.StatusCode, r.Body)
		}
		var rules struct{ Items []struct{ ID uint64 } }
		dana.Do("GET", "/api/v1/admin/device-rules", nil).JSON(t, &rules)
		if len(rules.Items) != 1 {
			t.Fatalf("dana reads the global rules: %+v", rules)
		}
		if r := dana.Do("DELETE", "/api/v1/admin/device-rules/"+itoa(rules.Items[0].ID), nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("dana removing a global rule: %d", r.StatusCode)
		}
		if r := dana.Do("DELETE", "/api/v1/admin/device-rules/first", nil); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("a rule id that is no number: %d", r.StatusCode)
		}
		if r := dana.Do("DELETE", "/api/v1/admin/device-rules/"+itoa(rule.ID), nil); r.StatusCode != http.StatusNoContent {
			t.Fatalf("dana removing her rule: %d", r.StatusCode)
		}

		// Domain and COS settings.
		var d struct{ DeviceAccess string }
		global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"deviceAccess": "blocked"}).JSON(t, &d)
		if d.DeviceAccess != "blocked" {
			t.Fatalf("domain deviceAccess: %+v", d)
		}
		if r := global.Do("PATCH", "/api/v1/admin/domains/example.com", map[string]any{"deviceAccess": "maybe"}); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("a bad deviceAccess: %d", r.StatusCode)
		}

		events, _ := s.App.Store.ListAudit(ctx, store.AuditFilter{})
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Actor+" "+e.Action)
		}
		all := strings.Join(kinds, "\n")
		for _, want := range []string{"dana@example.com device_allowed", "system device_quarantined", "dana@example.com device_rule_added",
			"dana@example.com device_rule_removed", admin + " device_rule_added"} {
			if !strings.Contains(all, want) {
				t.Errorf("no audit event %q in:\n%s", want, all)
			}
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
