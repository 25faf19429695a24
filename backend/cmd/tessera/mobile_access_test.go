package main_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The device access commands: quarantine list, allowDevice, blockDevice, doSuspendDevice and
// doResumeDevice (the SyncStates stay), the rules; each decision audited; bad input exit 2.
func TestMobileAccessCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.com")
		c.ok("account", "create", "john@example.com")
		s := storetest.Open(t, b)
		ctx := context.Background()
		john, _ := s.AccountByEmail(ctx, "john@example.com")
		now := time.Now()
		d, err := s.CreateDevice(ctx, &store.Device{AccountID: john.ID, DeviceID: "Appl79032X2WA4S", DeviceType: "iPhone", Model: "iPhone15,3",
			ProtocolVersion: "16.1", FirstSyncAt: now, LastSyncAt: now, Access: "quarantined", AccessBy: "default"})
		if err != nil {
			t.Fatal(err)
		}
		for _, coll := range []string{"hierarchy", "1"} {
			if err := s.SaveSyncState(ctx, &store.SyncState{DeviceID: d.ID, CollectionID: coll, SyncKey: "1-x"}); err != nil {
				t.Fatal(err)
			}
		}
		if out := c.ok("mobile", "quarantine", "list"); !strings.Contains(out, "john@example.com") || !strings.Contains(out, "Appl79032X2WA4S") || !strings.Contains(out, "iPhone15,3") {
			t.Fatalf("quarantine list:\n%s", out)
		}
		if out := c.ok("mobile", "allowDevice", "john@example.com", "Appl79032X2WA4S"); !strings.Contains(out, "allowed device Appl79032X2WA4S") {
			t.Fatalf("allowDevice: %q", out)
		}
		if out := c.ok("mobile", "quarantine", "list"); !strings.Contains(out, "no devices awaiting approval") {
			t.Fatalf("quarantine list after approval:\n%s", out)
		}
		access := func() (string, string, bool) {
			got, err := s.DeviceOf(ctx, john.ID, "Appl79032X2WA4S")
			if err != nil {
				t.Fatal(err)
			}
			return got.Access, got.AccessBy, got.Suspended
		}
		if a, by, _ := access(); a != "allowed" || by != "admin" {
			t.Fatalf("after allowDevice: %s by %s", a, by)
		}
		c.ok("mobile", "blockDevice", "john@example.com", "Appl79032X2WA4S")
		if a, _, _ := access(); a != "blocked" {
			t.Fatalf("after blockDevice: %s", a)
		}
		c.ok("mobile", "allowDevice", "john@example.com", "Appl79032X2WA4S")
		c.ok("mobile", "doSuspendDevice", "john@example.com", "Appl79032X2WA4S")
		if out := c.ok("mobile", "getDevices", "john@example.com"); !strings.Contains(out, "allowed, suspended") {
			t.Fatalf("getDevices of a suspended device:\n%s", out)
		}
		c.ok("mobile", "doResumeDevice", "john@example.com", "Appl79032X2WA4S")
		var states int64
		s.Gorm().Model(&store.SyncState{}).Where("device_id = ?", d.ID).Count(&states)
		if _, _, suspended := access(); suspended || states != 2 {
			t.Fatalf("after suspend and resume: suspended=%v, %d SyncStates (want 2)", suspended, states)
		}

		// Rules: ordered, per level; removing one closes the gap.
		c.ok("mobile", "rules", "add", "deviceType", "iPhone*", "allow")
		c.ok("mobile", "rules", "add", "userAgent", "*Outlook*", "quarantine")
		if out := c.ok("mobile", "rules", "add", "model", "SM-*", "block", "--position", "1"); !strings.Contains(out, "at position 1") {
			t.Fatalf("rules add --position 1: %q", out)
		}
		c.ok("mobile", "rules", "add", "os", "Android 9*", "block", "--domain", "example.com")
		out := c.ok("mobile", "rules", "list")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[1], "1 ") || !strings.Contains(lines[1], "SM-*") || !strings.Contains(lines[3], "*Outlook*") || strings.Contains(out, "Android 9") {
			t.Fatalf("rules list:\n%s", out)
		}
		if out := c.ok("mobile", "rules", "list", "--domain", "example.com"); !strings.Contains(out, "Android 9*") {
			t.Fatalf("domain rules:\n%s", out)
		}
		id := strings.Fields(lines[1])[1]
		c.ok("mobile", "rules", "remove", id)
		if out := c.ok("mobile", "rules", "list"); strings.Contains(out, "SM-*") || !strings.Contains(out, "1    ") && !strings.HasPrefix(strings.Split(out, "\n")[1], "1 ") {
			t.Fatalf("after remove:\n%s", out)
		}

		// Bad input: exit 2 with a message; what does not exist: exit 1.
		c.fails(2, "deviceType, model, os or userAgent", "mobile", "rules", "add", "colour", "x", "block")
		c.fails(2, "allowed, quarantined or blocked", "mobile", "rules", "add", "model", "x", "deny")
		c.fails(2, "want a number", "mobile", "rules", "remove", "first")
		c.fails(2, "accepts 2 arg", "mobile", "doSuspendDevice", "john@example.com")
		c.fails(2, "account", "mobile", "allowDevice", "not-an-address", "x")
		c.fails(1, "rule 9999 does not exist", "mobile", "rules", "remove", "9999")
		c.fails(1, "domain nowhere.example does not exist", "mobile", "rules", "list", "--domain", "nowhere.example")
		c.fails(1, "nope of john@example.com: no such device", "mobile", "blockDevice", "john@example.com", "nope")

		events, err := s.ListAudit(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range events {
			seen[e.Actor+" "+e.Action]++
		}
		for want, n := range map[string]int{"cli device_allowed": 2, "cli device_blocked": 1, "cli device_suspended": 1,
			"cli device_resumed": 1, "cli device_rule_added": 4, "cli device_rule_removed": 1} {
			if seen[want] != n {
				t.Errorf("audit %q: %d events, want %d (%v)", want, seen[want], n, seen)
			}
		}
	})
}
