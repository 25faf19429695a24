package eas_test

import (
	"net/http"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestDevicePasswordPolicyAndRemoteWipe(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	s.App.Store.Gorm().Exec("UPDATE domains SET eas_require_device_password = true WHERE name = 'example.com'")
	p := eastest.NewPhone(t, s, "16.1", "dev1")
	doc, err := p.Provision()
	if err != nil {
		t.Fatal(err)
	}
	pd := doc.Child("Policies").Child("Policy").Child("Data").Child("EASProvisionDoc")
	if pd.TextOf("DevicePasswordEnabled") != "1" || pd.TextOf("MinDevicePasswordLength") != "4" {
		t.Fatalf("policy with a domain that requires a device password: %s", pd)
	}
	// An admin asks for a wipe: the next command sends the device to Provision, which delivers it.
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	dev, _ := s.App.Store.DeviceOf(t.Context(), acct.ID, "dev1")
	wipe := store.WipeRequested
	if err := s.App.Store.UpdateDevice(t.Context(), dev.ID, store.DevicePatch{WipeState: &wipe}); err != nil {
		t.Fatal(err)
	}
	if r, _ := p.FolderSync("0"); r.Body.TextOf("Status") != "140" {
		t.Fatalf("command with a wipe pending: %v", r.Body)
	}
	r := eastest.OK(t)(p.Do("Provision", wbxml.New("Provision:Provision", wbxml.New("Policies", wbxml.New("Policy",
		wbxml.NewText("PolicyType", "MS-EAS-Provisioning-WBXML"))))))
	if !r.Body.Has("RemoteWipe") {
		t.Fatalf("wipe not delivered: %s", r.Body)
	}
	eastest.OK(t)(p.Do("Provision", wbxml.New("Provision:Provision", wbxml.New("RemoteWipe", wbxml.NewText("Status", "1")))))
	dev, _ = s.App.Store.DeviceOf(t.Context(), acct.ID, "dev1")
	if dev.WipeState != store.WipeDone {
		t.Fatalf("wipe state = %q", dev.WipeState)
	}
	_ = http.StatusOK
}

// easMaxDevicesPerAccount: a new phone beyond it is refused with Status 177 and gets no device
// row; the phones the account has keep working; 0 lifts the limit.
func TestEASDeviceQuota(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		global := eastest.AdminClient(t, s)
		must := eastest.OK(t)
		if r := global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 2}); r.StatusCode != http.StatusOK {
			t.Fatalf("set quota: %d %s", r.StatusCode, r.Body)
		}
		first, _ := eastest.Provisioned(t, s, "dev1")
		eastest.Provisioned(t, s, "dev2")

		third := eastest.NewPhone(t, s, "14.1", "dev3")
		body, err := third.Provision()
		if err == nil || body == nil || body.Name != "Provision:Provision" || body.TextOf("Status") != "177" {
			t.Fatalf("third phone's Provision: %v %v", body, err)
		}
		if r := must(third.FolderSync("0")); r.Body.TextOf("Status") != "177" {
			t.Fatalf("third phone's FolderSync: %s", r.Body)
		}
		old := eastest.NewPhone(t, s, "12.1", "dev4")
		if r, _ := old.FolderSync("0"); r.HTTPStatus != 449 {
			t.Fatalf("12.1 phone beyond the quota, FolderSync: HTTP %d (want 449, to Provision)", r.HTTPStatus)
		}
		if body, err := old.Provision(); err == nil || body.TextOf("Status") != "177" {
			t.Fatalf("12.1 phone's Provision: %v %v", body, err)
		}
		acct, err := s.App.Store.AccountByEmail(t.Context(), admin)
		if err != nil {
			t.Fatal(err)
		}
		if devs, err := s.App.Devices.List(t.Context(), acct.ID); err != nil || len(devs) != 2 {
			t.Fatalf("refused phones got device rows: %d %v", len(devs), err)
		}
		// The known phones go on.
		if r := must(first.FolderSync("0")); r.Body.TextOf("Status") != "1" {
			t.Fatalf("first phone after the refusals: %s", r.Body)
		}
		// Lowering the quota below the count does not cut known phones off either.
		global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 1})
		if r := must(first.FolderSync("0")); r.Body.TextOf("Status") != "1" {
			t.Fatalf("first phone with quota 1: %s", r.Body)
		}
		// 0 is unlimited.
		global.Do("PATCH", "/api/v1/admin/settings", map[string]any{"easMaxDevicesPerAccount": 0})
		if _, err := third.Provision(); err != nil {
			t.Fatalf("third phone with no quota: %v", err)
		}
	})
}
