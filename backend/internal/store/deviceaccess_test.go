package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A database from before 0022 keeps its devices working: they upgrade to access "" (allowed,
// decided by nothing), not suspended; new devices stay allowed by default.
func TestUpgradeToDeviceAccess(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0017_dav_names"); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"INSERT INTO domains (id, name, created_at) VALUES (7, 'example.com', CURRENT_TIMESTAMP)",
			"INSERT INTO accounts (id, email, domain_id, password_hash, role, status, two_factor_enabled, token_version, created_at, updated_at) VALUES (5, 'old@example.com', 7, 'hash', 'user', 'active', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
			"INSERT INTO devices (account_id, device_id, device_type, user_agent, protocol_version, policy_key, pending_key, model, friendly_name, os, wipe_state, first_sync_at, last_sync_at) VALUES (5, 'olddev', 'iPhone', '', '14.1', '42', '', '', '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		} {
			if err := old.Gorm().Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		d, err := s.DeviceOf(ctx, 5, "olddev")
		if err != nil || d.Access != "" || d.AccessBy != "" || d.Suspended || d.AccessNoticed || d.PolicyKey != "42" {
			t.Fatalf("old device after upgrade: %+v %v", d, err)
		}
		g, _ := s.GlobalSettings(ctx)
		dom, _ := s.DomainByName(ctx, "example.com")
		if g.DeviceAccess != "allowed" || dom.DeviceAccess != "" {
			t.Fatalf("settings after upgrade: global %q, domain %q", g.DeviceAccess, dom.DeviceAccess)
		}
		// The MySQL one-statement read carries the new columns too.
		if err := s.UpdateDevice(ctx, d.ID, store.DevicePatch{Access: ptr("blocked"), AccessBy: ptr("admin"), Suspended: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		d2, _, err := s.DeviceWithState(ctx, 5, "olddev", "hierarchy")
		if err != nil || d2.Access != "blocked" || d2.AccessBy != "admin" || !d2.Suspended {
			t.Fatalf("DeviceWithState: %+v %v", d2, err)
		}
	})
}

// Rules keep their order per level; an insert and a removal move the others; the domain's
// come before the global ones.
func TestDeviceRulesOrderAndQuarantineList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		dom, err := s.CreateDomain(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		add := func(domainID *uint64, pattern string, pos int) *store.DeviceRule {
			r := &store.DeviceRule{DomainID: domainID, Field: "deviceType", Pattern: pattern, Action: "blocked"}
			if err := s.AddDeviceRule(ctx, r, pos); err != nil {
				t.Fatal(err)
			}
			return r
		}
		add(nil, "a", 0)
		b := add(nil, "b", 0)
		add(nil, "c", 1)
		add(&dom.ID, "d", 0)
		order := func(rules []store.DeviceRule) string {
			out := ""
			for _, r := range rules {
				out += r.Pattern
			}
			return out
		}
		if g, _ := s.DeviceRules(ctx, nil); order(g) != "cab" {
			t.Fatalf("global rules: %q", order(g))
		}
		if all, _ := s.DeviceRulesFor(ctx, dom.ID); order(all) != "dcab" {
			t.Fatalf("rules for the domain: %q", order(all))
		}
		if err := s.DeleteDeviceRule(ctx, b); err != nil {
			t.Fatal(err)
		}
		add(nil, "e", 0)
		g, _ := s.DeviceRules(ctx, nil)
		if order(g) != "cae" || g[2].Position != 3 {
			t.Fatalf("after remove and add: %q %+v", order(g), g)
		}
		if err := s.DeleteDeviceRule(ctx, b); err != store.ErrNotFound {
			t.Fatalf("removing twice: %v", err)
		}

		other, _ := s.CreateDomain(ctx, "other.org")
		now := time.Now()
		for i, email := range []string{"a@example.com", "b@other.org"} {
			dID := dom.ID
			if i == 1 {
				dID = other.ID
			}
			a := &store.Account{Email: email, DomainID: dID, PasswordHash: "x", Role: store.RoleUser, Status: "active"}
			if err := s.Gorm().Create(a).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateDevice(ctx, &store.Device{AccountID: a.ID, DeviceID: "dev", DeviceType: "iPhone", Access: "quarantined",
				FirstSyncAt: now.Add(time.Duration(i) * time.Minute), LastSyncAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := s.QuarantinedDevices(ctx, nil)
		if err != nil || len(all) != 2 || all[0].Email != "a@example.com" || all[0].DeviceID != "dev" {
			t.Fatalf("every quarantined device: %+v %v", all, err)
		}
		mine, _ := s.QuarantinedDevices(ctx, []uint64{other.ID})
		if len(mine) != 1 || mine[0].Email != "b@other.org" {
			t.Fatalf("one domain's: %+v", mine)
		}
		if none, _ := s.QuarantinedDevices(ctx, []uint64{}); len(none) != 0 {
			t.Fatalf("no domains: %+v", none)
		}
		first, _ := s.ClaimQuarantineNotice(ctx, all[0].ID)
		again, _ := s.ClaimQuarantineNotice(ctx, all[0].ID)
		if !first || again {
			t.Fatalf("notice claimed %v then %v", first, again)
		}
	})
}
