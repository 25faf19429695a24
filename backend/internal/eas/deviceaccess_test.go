package eas_test

import (
	"net/http"
	"slices"
	"testing"

	adminsvc "github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

var cli = adminsvc.Scope{Global: true, Actor: "cli"}

func setDeviceAccess(t *testing.T, s *apptest.Server, v string) {
	t.Helper()
	if r := eastest.AdminClient(t, s).Do("PATCH", "/api/v1/admin/settings", map[string]any{"deviceAccess": v}); r.StatusCode != http.StatusOK {
		t.Fatalf("deviceAccess=%s: %d %s", v, r.StatusCode, r.Body)
	}
}

// A new device under a quarantine setting provisions and syncs, but sees one Inbox with one
// notice; the user's real Inbox gets the notice mail; once approved, the phone's next
// FolderSync meets an unknown key (Status 9), it starts over and gets the real folders.
func TestQuarantineThenApprove(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		for _, v := range []string{"16.1", "14.1"} {
			t.Run(v, func(t *testing.T) {
				must := eastest.OK(t)
				setDeviceAccess(t, s, "quarantined")
				id := "quar" + v[:2]
				notices := countOf(eastest.FolderItems(t, s, admin, 2), device.NoticeSubject)
				p := eastest.NewPhone(t, s, v, id)
				if _, err := p.Provision(); err != nil {
					t.Fatalf("a quarantined device provisions: %v", err)
				}
				fs := must(p.FolderSync("0"))
				eastest.LibwbxmlDecodes(t, fs.Raw, "<DisplayName>Inbox</DisplayName>", "<ServerId>quarantine</ServerId>")
				adds := fs.Body.Child("Changes").All("Add")
				if fs.Body.TextOf("Status") != "1" || len(adds) != 1 || eastest.FolderOfType(fs.Body, "2") != "quarantine" {
					t.Fatalf("quarantined FolderSync: %s", fs.Body)
				}
				syncer := &eastest.Syncer{T: t, P: p, Coll: "quarantine", Key: "0"}
				syncer.Sync()
				col := syncer.Sync()
				if got := eastest.Adds(col); !slices.Equal(got, []string{device.NoticeSubject}) {
					t.Fatalf("quarantined Inbox: %v", got)
				}
				r := must(p.SyncOne("quarantine", syncer.Key))
				eastest.LibwbxmlDecodes(t, r.Raw, "<Status>1</Status>")
				if easclient.Collection(r.Body, "quarantine").Child("AirSync:Commands") != nil {
					t.Fatalf("the notice came twice: %s", r.Body)
				}
				// Anything else is refused with AccessDenied.
				if r := must(p.Do("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "Mailbox"),
					wbxml.NewText("Query", "x"))))); r.Body.TextOf("Status") != "130" {
					t.Fatalf("Search while quarantined: %s", r.Body)
				}
				// The user's real Inbox has the notice once, whatever the device asked meanwhile.
				if n := countOf(eastest.FolderItems(t, s, admin, 2), device.NoticeSubject); n != notices+1 {
					t.Fatalf("notices in the real Inbox: %d, had %d", n, notices)
				}
				held, _ := s.App.DeviceAccess().Quarantined(t.Context(), cli)
				if !slices.ContainsFunc(held, func(h storeHeld) bool { return h.DeviceID == id }) {
					t.Fatalf("%s not listed as held: %+v", id, held)
				}

				if _, err := s.App.DeviceAccess().DecideDevice(t.Context(), cli, admin, id, policy.DeviceAllowed, ""); err != nil {
					t.Fatal(err)
				}
				if r := must(p.SyncOne("quarantine", syncer.Key)); easclient.Collection(r.Body, "quarantine").TextOf("AirSync:Status") != "12" {
					t.Fatalf("Sync of the notice folder after approval: %s", r.Body)
				}
				if r := must(p.FolderSync("Q1")); r.Body.TextOf("Status") != "9" {
					t.Fatalf("FolderSync with the quarantine key after approval: %s", r.Body)
				}
				real := must(p.FolderSync("0"))
				inbox := eastest.FolderOfType(real.Body, "2")
				if inbox == "" || inbox == "quarantine" || len(real.Body.Child("Changes").All("Add")) < 5 {
					t.Fatalf("real hierarchy after approval: %s", real.Body)
				}
				in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
				in.Sync()
				if got := eastest.Adds(in.Sync()); !slices.Contains(got, device.NoticeSubject) {
					t.Fatalf("the real Inbox after approval: %v", got)
				}
				setDeviceAccess(t, s, "allowed")
			})
		}
	})
}

// A wildcard rule blocks by DeviceType: Status 129 on every command from 14.0 on (Provision
// first), HTTP 403 at 12.1; a Model rule meets the model the device tells in Provision; an
// admin's approval wins over the rules.
func TestBlockedByWildcardRule(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		must := eastest.OK(t)
		da := s.App.DeviceAccess()
		if _, err := da.AddDeviceRule(t.Context(), cli, "", "deviceType", "iPh*", "block", 0, ""); err != nil {
			t.Fatal(err)
		}
		phones := map[string]*eastest.Phone{}
		for _, v := range []string{"16.1", "14.1"} {
			p := eastest.NewPhone(t, s, v, "blk"+v[:2])
			phones[v] = p
			body, err := p.Provision()
			if err == nil || body.TextOf("Status") != "129" {
				t.Fatalf("%s: Provision of a blocked device: %v %v", v, body, err)
			}
			r := must(p.FolderSync("0"))
			eastest.LibwbxmlDecodes(t, r.Raw, "<Status>129</Status>")
			if r.Body.Name != "FolderHierarchy:FolderSync" || r.Body.TextOf("Status") != "129" {
				t.Fatalf("%s: FolderSync of a blocked device: %s", v, r.Body)
			}
			if r := must(p.SyncOne("1", "0")); r.Body.TextOf("Status") != "129" {
				t.Fatalf("%s: Sync of a blocked device: %s", v, r.Body)
			}
		}
		old := eastest.NewPhone(t, s, "12.1", "blk12")
		if r, _ := old.FolderSync("0"); r.HTTPStatus != http.StatusForbidden {
			t.Fatalf("12.1 blocked device: HTTP %d", r.HTTPStatus)
		}
		// An explicit approval wins over the rule.
		if _, err := da.DecideDevice(t.Context(), cli, admin, "blk16", policy.DeviceAllowed, ""); err != nil {
			t.Fatal(err)
		}
		p := phones["16.1"]
		if _, err := p.Provision(); err != nil {
			t.Fatalf("approved device: %v", err)
		}
		if r := must(p.FolderSync("0")); eastest.FolderOfType(r.Body, "2") == "" {
			t.Fatalf("approved device's FolderSync: %s", r.Body)
		}

		// A Model rule: the device tells its model in Provision and is blocked from then on.
		if _, err := da.AddDeviceRule(t.Context(), cli, "", "model", "Pixel *", "block", 1, ""); err != nil {
			t.Fatal(err)
		}
		px := eastest.NewPhone(t, s, "14.1", "pixel1")
		px.DeviceType = "Android"
		info := wbxml.New("Settings:DeviceInformation", wbxml.New("Settings:Set", wbxml.NewText("Settings:Model", "Pixel 8"),
			wbxml.NewText("Settings:OS", "Android 15")))
		r := must(px.Do("Provision", wbxml.New("Provision:Provision", info, wbxml.New("Policies", wbxml.New("Policy",
			wbxml.NewText("PolicyType", "MS-EAS-Provisioning-WBXML"))))))
		if r.Body.TextOf("Status") != "1" {
			t.Fatalf("first Provision (the device is not known to be a Pixel yet): %s", r.Body)
		}
		if r := must(px.FolderSync("0")); r.Body.TextOf("Status") != "129" {
			t.Fatalf("Pixel after telling its model: %s", r.Body)
		}
	})
}

// Suspending keeps the SyncStates: the phone gets 503 with Retry-After meanwhile, and after
// resume its SyncKey still holds and nothing is added again.
func TestSuspendResumeKeepsSyncStates(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		for _, v := range []string{"16.1", "14.1"} {
			t.Run(v, func(t *testing.T) {
				must := eastest.OK(t)
				id := "susp" + v[:2]
				p, inbox := eastest.ProvisionedAt(t, s, v, id)
				acct, _ := s.App.Accounts.Get(t.Context(), admin)
				if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(1)); err != nil {
					t.Fatal(err)
				}
				in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
				in.Sync()
				if got := eastest.Adds(in.Sync()); !slices.Contains(got, "Hello 1") {
					t.Fatalf("before suspension: %v", got)
				}
				key := in.Key
				dev, _ := s.App.Store.DeviceOf(t.Context(), acct.ID, id)
				before := syncStates(t, s, dev.ID)

				if _, err := s.App.DeviceAccess().SuspendDevice(t.Context(), cli, admin, id, true, ""); err != nil {
					t.Fatal(err)
				}
				for _, cmd := range []func() (*easclient.Response, error){
					func() (*easclient.Response, error) { return p.SyncOne(inbox, key) },
					func() (*easclient.Response, error) { return p.FolderSync("0") },
					func() (*easclient.Response, error) {
						return p.Do("Provision", wbxml.New("Provision:Provision", wbxml.New("Policies", wbxml.New("Policy",
							wbxml.NewText("PolicyType", "MS-EAS-Provisioning-WBXML")))))
					},
				} {
					r, err := cmd()
					if err != nil || r.HTTPStatus != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "900" {
						t.Fatalf("suspended device: %+v %v", r, err)
					}
				}
				if after := syncStates(t, s, dev.ID); after != before {
					t.Fatalf("SyncStates changed while suspended: %d -> %d", before, after)
				}
				if _, err := s.App.DeviceAccess().SuspendDevice(t.Context(), cli, admin, id, false, ""); err != nil {
					t.Fatal(err)
				}
				r := must(p.SyncOne(inbox, key))
				col := easclient.Collection(r.Body, inbox)
				if r.Body != nil && (col.TextOf("AirSync:Status") != "1" || col.Child("AirSync:Commands") != nil) {
					t.Fatalf("the same key after resume: %s", r.Body)
				}
				if r.Body != nil {
					eastest.LibwbxmlDecodes(t, r.Raw, "<Status>1</Status>")
				}
				if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(2)); err != nil {
					t.Fatal(err)
				}
				if got := eastest.Adds(in.Sync()); !slices.Equal(got, []string{"Hello 2"}) {
					t.Fatalf("after resume, only the new mail: %v", got)
				}
			})
		}
	})
}

type storeHeld = store.HeldDevice

// eachEngine runs fn against a fresh server on SQLite, and on MariaDB when the test
// environment has one.
func eachEngine(t *testing.T, fn func(t *testing.T, s *apptest.Server)) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) { fn(t, apptest.Start(t, b)) })
}

func countOf(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// syncStates counts a device's SyncStates, read from the database.
func syncStates(t *testing.T, s *apptest.Server, deviceID uint64) int64 {
	t.Helper()
	var n int64
	if err := s.App.Store.Gorm().Model(&store.SyncState{}).Where("device_id = ?", deviceID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A quarantined device's Ping on the notice folder is held like any Ping and ends with Status 7
// when an admin approves the device; GetItemEstimate sees the one notice.
func TestQuarantinePingEndsAtApproval(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	must := eastest.OK(t)
	setDeviceAccess(t, s, "quarantined")
	p := eastest.NewPhone(t, s, "14.1", "qping")
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	must(p.FolderSync("0"))
	must(p.SyncOne("quarantine", "0"))
	est := must(p.Do("GetItemEstimate", wbxml.New("GetItemEstimate:GetItemEstimate", wbxml.New("Collections",
		wbxml.New("Collection", wbxml.NewText("AirSync:SyncKey", "Q1"), wbxml.NewText("CollectionId", "quarantine"))))))
	eastest.LibwbxmlDecodes(t, est.Raw, "<Estimate>1</Estimate>")
	if e := est.Body.Child("Response").Child("Collection").TextOf("Estimate"); e != "1" {
		t.Fatalf("estimate of the notice folder: %s", est.Body)
	}
	done := make(chan *easclient.Response, 1)
	go func() {
		r, err := p.Do("Ping", eastest.PingBody("300", "quarantine"))
		if err != nil {
			t.Error(err)
		}
		done <- r
	}()
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	eastest.WaitFor(t, func() bool {
		return s.App.Mailbox.Notifier().(interface{ Subscribers(uint64) int }).Subscribers(acct.ID) > 0
	})
	if _, err := s.App.DeviceAccess().DecideDevice(t.Context(), cli, admin, "qping", policy.DeviceAllowed, ""); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r == nil || r.Body.TextOf("Status") != "7" {
		t.Fatalf("the held quarantine Ping after approval: %+v", r)
	}
	eastest.LibwbxmlDecodes(t, r.Raw, "<Status>7</Status>")
}
