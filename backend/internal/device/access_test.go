package device_test

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// What decides a device's access, over its life: the setting when it appears (a later change of
// the setting leaves it), a rule whenever what it says matches one, the setting again when the
// rule that decided it is gone, and an admin's decision above all.
func TestAccessDecisionsOverTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		dom, err := s.CreateDomain(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		a := &store.Account{Email: "bob@example.com", DomainID: dom.ID, PasswordHash: "x", Role: store.RoleUser, Status: "active"}
		if err := s.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		setGlobal := func(v string) {
			g, _ := s.GlobalSettings(ctx)
			g.DeviceAccess = v
			if err := s.SaveGlobalSettings(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		svc := device.New(s, mailbox.NewLocalNotifier())
		svc.UseAccessControl(s, nil, nil, nil)
		touch := func(ua string) *store.Device {
			t.Helper()
			d, err := svc.Touch(ctx, a.ID, device.Contact{DeviceID: "dev1", DeviceType: "iPhone", UserAgent: ua, ProtocolVersion: "16.1"})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		want := func(d *store.Device, access, by string) {
			t.Helper()
			if d.Access != access || d.AccessBy != by {
				t.Fatalf("access %q by %q, want %q by %q", d.Access, d.AccessBy, access, by)
			}
		}
		setGlobal("quarantined")
		want(touch("Apple-iPhone/1"), "quarantined", device.ByDefault)
		setGlobal("allowed")
		want(touch("Apple-iPhone/2"), "quarantined", device.ByDefault) // the setting is for new devices

		rule := &store.DeviceRule{DomainID: &dom.ID, Field: device.FieldUserAgent, Pattern: "*outlook*", Action: "blocked"}
		if err := s.AddDeviceRule(ctx, rule, 0); err != nil {
			t.Fatal(err)
		}
		want(touch("Outlook-iOS/2.0"), "blocked", device.ByRule)
		if err := s.DeleteDeviceRule(ctx, rule); err != nil {
			t.Fatal(err)
		}
		want(touch("Outlook-iOS/2.1"), "allowed", device.ByDefault) // the rule is gone: the setting now

		if err := s.AddDeviceRule(ctx, &store.DeviceRule{Field: device.FieldDeviceType, Pattern: "*", Action: "blocked"}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Decide(ctx, a.ID, "dev1", "allowed"); err != nil {
			t.Fatal(err)
		}
		want(touch("Outlook-iOS/2.2"), "allowed", device.ByAdmin) // the admin's decision stands
		d, _ := s.DeviceOf(ctx, a.ID, "dev1")
		if err := svc.SetInformation(ctx, d, device.Information{Model: "iPhone15,3"}); err != nil {
			t.Fatal(err)
		}
		d, _ = s.DeviceOf(ctx, a.ID, "dev1")
		want(d, "allowed", device.ByAdmin)
	})
}
