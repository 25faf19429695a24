package eas_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml/libwbxmltest"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// libwbxmlXML decodes an answer with libwbxml's wbxml2xml, a decoder nobody here wrote.
func libwbxmlXML(t *testing.T, r *easclient.Response) string {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "r.wbxml"), filepath.Join(dir, "r.xml")
	if err := os.WriteFile(in, r.Raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("wbxml2xml", "-l", "ACTIVESYNC", "-m", "0", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("wbxml2xml refused the answer: %v %s", err, msg)
	}
	x, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}

func provisionEmpty(t *testing.T, p *eastest.Phone, ack string) *easclient.Response {
	t.Helper()
	body := wbxml.New("Provision:Provision")
	if ack != "" {
		body.Add(wbxml.New(ack, wbxml.NewText("Status", "1")))
	}
	return eastest.OK(t)(p.Do("Provision", body))
}

// Account-only remote wipe at 16.1 (MS-ASPROV 2.2.2.1, 3.1.5.1.2.3): the user asks for it on
// their own device; any command answers Status 140; Provision delivers <AccountOnlyRemoteWipe/>
// and no policy; the acknowledgement is recorded with its time and audited. At 14.1 it is
// refused (409) and a whole-device wipe goes the same way with <RemoteWipe/>; at 12.1 the
// device is sent to Provision with HTTP 449.
func TestAccountOnlyRemoteWipe(t *testing.T) {
	libwbxmltest.Need(t)
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		api := eastest.AdminClient(t, s)
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		p161, _ := eastest.ProvisionedAt(t, s, "16.1", "phone161")
		p141, _ := eastest.ProvisionedAt(t, s, "14.1", "phone141")
		dev := func(id string) *store.Device {
			d, err := s.App.Store.DeviceOf(t.Context(), acct.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		var list struct{ Items []map[string]any }
		api.Do("GET", "/api/v1/me/devices", nil).JSON(t, &list)
		can := map[string]any{}
		for _, d := range list.Items {
			can[d["deviceId"].(string)] = d["accountOnlyWipe"]
		}
		if can["phone161"] != true || can["phone141"] != false {
			t.Fatalf("accountOnlyWipe in the device list: %v", can)
		}

		// 16.1, the user's own request.
		if r := api.Do("POST", "/api/v1/me/devices/phone161/wipe", map[string]string{"scope": "account"}); r.StatusCode != 204 {
			t.Fatalf("account-only wipe of a 16.1 device: %d %s", r.StatusCode, r.Body)
		}
		if d := dev("phone161"); d.WipeState != store.WipeRequested || d.WipeScope != store.WipeScopeAccount || d.WipeRequestedAt == nil || d.WipeDoneAt != nil {
			t.Fatalf("after the request: %+v", d)
		}
		if r, _ := p161.FolderSync("0"); r.Body.TextOf("Status") != "140" {
			t.Fatalf("a command with a wipe pending at 16.1: %v", r.Body)
		}
		r := provisionEmpty(t, p161, "")
		if !r.Body.Has("AccountOnlyRemoteWipe") || r.Body.Has("RemoteWipe") || r.Body.Has("Policies") || r.Body.TextOf("Status") != "1" {
			t.Fatalf("account-only wipe not delivered as such: %s", r.Body)
		}
		// libwbxml 0.11.8 has no name for Provision token 0x3B (AccountOnlyRemoteWipe, 16.1):
		// it decodes the document whole and shows that tag, empty, as <unknown/> in the
		// Provision page, right after the Status, where RemoteWipe would be.
		if x := libwbxmlXML(t, r); !strings.Contains(x, `<Provision xmlns="Provision:"><Status>1</Status><unknown/></Provision>`) {
			t.Fatalf("libwbxml's reading of the directive:\n%s", x)
		}
		// A failure reported by the device leaves the wipe pending and gets the directive again.
		fail := eastest.OK(t)(p161.Do("Provision", wbxml.New("Provision:Provision",
			wbxml.New("AccountOnlyRemoteWipe", wbxml.NewText("Status", "2")))))
		if fail.Body.TextOf("Status") != "2" || !fail.Body.Has("AccountOnlyRemoteWipe") || dev("phone161").WipeState != store.WipeRequested {
			t.Fatalf("a failed wipe: %s", fail.Body)
		}
		// A whole-device acknowledgement is not this wipe's.
		if r := provisionEmpty(t, p161, "RemoteWipe"); !r.Body.Has("AccountOnlyRemoteWipe") || dev("phone161").WipeState != store.WipeRequested {
			t.Fatalf("the other element as acknowledgement: %s", r.Body)
		}
		ack := provisionEmpty(t, p161, "AccountOnlyRemoteWipe")
		if ack.Body.TextOf("Status") != "1" || !ack.Body.Has("AccountOnlyRemoteWipe") {
			t.Fatalf("acknowledgement answer: %s", ack.Body)
		}
		if d := dev("phone161"); d.WipeState != store.WipeDone || d.WipeScope != store.WipeScopeAccount || d.WipeDoneAt == nil {
			t.Fatalf("after the acknowledgement: %+v", d)
		}
		api.Do("GET", "/api/v1/me/devices", nil).JSON(t, &list)
		for _, d := range list.Items {
			if d["deviceId"] == "phone161" && (d["wipeState"] != "wiped" || d["wipeScope"] != "account" || d["wipeRequestedAt"] == nil || d["wipeDoneAt"] == nil) {
				t.Fatalf("the device as the user sees it: %v", d)
			}
		}
		events, _ := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Account: admin})
		var saw []string
		for _, e := range events {
			if strings.HasPrefix(e.Action, "device_") && strings.Contains(e.Reason, "phone161") {
				saw = append(saw, e.Actor+" "+e.Action)
			}
		}
		if strings.Join(saw, ",") != "system "+audit.ActionDeviceWipeDone+","+admin+" "+audit.ActionDeviceAccountWipe {
			t.Fatalf("audit of the account-only wipe: %v", saw)
		}

		// 14.1: account-only is refused; the whole-device wipe goes through.
		r2 := api.Do("POST", "/api/v1/admin/accounts/"+admin+"/devices/phone141/wipe", map[string]string{"scope": "account"})
		if r2.StatusCode != 409 || r2.ErrorCode() != "account_wipe_unsupported" || dev("phone141").WipeState != store.WipeNone {
			t.Fatalf("account-only wipe of a 14.1 device: %d %s", r2.StatusCode, r2.Body)
		}
		if r := api.Do("POST", "/api/v1/admin/accounts/"+admin+"/devices/phone141/wipe", map[string]string{"scope": "everything"}); r.StatusCode != 400 {
			t.Fatalf("an unknown scope: %d %s", r.StatusCode, r.Body)
		}
		if r := api.Do("POST", "/api/v1/admin/accounts/"+admin+"/devices/phone141/wipe", map[string]string{"scope": "device"}); r.StatusCode != 204 {
			t.Fatalf("whole-device wipe of a 14.1 device: %d %s", r.StatusCode, r.Body)
		}
		if r, _ := p141.FolderSync("0"); r.Body.TextOf("Status") != "140" {
			t.Fatalf("a command with a wipe pending at 14.1: %v", r.Body)
		}
		old := *p141
		old.Version = "12.1"
		if r, _ := old.FolderSync("0"); r.HTTPStatus != 449 {
			t.Fatalf("a command with a wipe pending at 12.1: HTTP %d", r.HTTPStatus)
		}
		r = provisionEmpty(t, p141, "")
		if !r.Body.Has("RemoteWipe") || r.Body.Has("AccountOnlyRemoteWipe") || r.Body.Has("Policies") {
			t.Fatalf("whole-device wipe at 14.1: %s", r.Body)
		}
		if x := libwbxmlXML(t, r); !strings.Contains(x, "<RemoteWipe/>") {
			t.Fatalf("libwbxml's reading of the RemoteWipe directive:\n%s", x)
		}
		if ack := provisionEmpty(t, p141, "RemoteWipe"); !strings.Contains(libwbxmlXML(t, ack), "<RemoteWipe/>") || ack.Body.TextOf("Status") != "1" {
			t.Fatalf("acknowledgement answer at 14.1: %s", ack.Body)
		}
		if d := dev("phone141"); d.WipeState != store.WipeDone || d.WipeScope != store.WipeScopeDevice || d.WipeDoneAt == nil {
			t.Fatalf("after the 14.1 acknowledgement: %+v", d)
		}
		// A wipe acknowledgement from a device with none asked for starts nothing.
		p3, _ := eastest.ProvisionedAt(t, s, "16.1", "phone3")
		if r := provisionEmpty(t, p3, "RemoteWipe"); r.Body.Has("RemoteWipe") || dev("phone3").WipeState != store.WipeNone {
			t.Fatalf("an unasked acknowledgement: %s", r.Body)
		}
	})
}

// A wipe reaches a blocked device: it is sent to Provision (140) and gets the directive;
// once acknowledged, the block answers again (129).
func TestRemoteWipeOfBlockedDevice(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		api := eastest.AdminClient(t, s)
		p, _ := eastest.ProvisionedAt(t, s, "16.1", "lost")
		base := "/api/v1/admin/accounts/" + admin + "/devices/lost"
		if r := api.Do("POST", base+"/block", nil); r.StatusCode != 200 {
			t.Fatalf("block: %d %s", r.StatusCode, r.Body)
		}
		if r, _ := p.FolderSync("0"); r.Body.TextOf("Status") != "129" {
			t.Fatalf("blocked: %v", r.Body)
		}
		if r := api.Do("POST", base+"/wipe", nil); r.StatusCode != 204 {
			t.Fatalf("wipe without a body (whole device): %d %s", r.StatusCode, r.Body)
		}
		if r, _ := p.FolderSync("0"); r.Body.TextOf("Status") != "140" {
			t.Fatalf("blocked with a wipe pending: %v", r.Body)
		}
		if r := provisionEmpty(t, p, ""); !r.Body.Has("RemoteWipe") {
			t.Fatalf("directive to a blocked device: %s", r.Body)
		}
		provisionEmpty(t, p, "RemoteWipe")
		if r, _ := p.FolderSync("0"); r.Body.TextOf("Status") != "129" {
			t.Fatalf("blocked after the wipe: %v", r.Body)
		}
	})
}
