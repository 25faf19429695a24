package eas_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

type loopView struct {
	DeviceID string `json:"deviceId"`
	Loop     *struct {
		Collection string `json:"collection"`
		Item       string `json:"item"`
		Count      int    `json:"count"`
		LastAt     string `json:"lastAt"`
	} `json:"loop"`
}

// devicesOf reads the account's devices through the admin API.
func devicesOf(t *testing.T, s *apptest.Server) map[string]loopView {
	t.Helper()
	r := eastest.AdminClient(t, s).Do("GET", "/api/v1/admin/accounts/"+admin+"/devices", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("devices: %d %s", r.StatusCode, r.Body)
	}
	var out struct{ Items []loopView }
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]loopView{}
	for _, d := range out.Items {
		m[d.DeviceID] = d
	}
	return m
}

// A device whose Change of one contact keeps failing (a Birthday the server cannot read) gets
// Status 6 the first time and the identical answer to one retry of the previous key; the third
// failure is a loop: the Change is acknowledged (Status 1) so the device drops it, and the
// loop shows on the device in the admin API and in the audit log.
func TestSyncLoopSkipsTheFailingChange(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		p, _ := eastest.Provisioned(t, s, "loopdev")
		fs := eastest.OK(t)(p.FolderSync("0")).Body
		contacts := eastest.FolderOfType(fs, "9")
		d := &eastest.Syncer{T: t, P: p, Coll: contacts, Key: "0"}
		d.Sync()
		col := d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "c"), wbxml.New("ApplicationData",
			wbxml.NewText("Contacts:FirstName", "Anna"), wbxml.NewText("Contacts:LastName", "Berg")))))
		sid := col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:ServerId")
		bad := wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", sid),
			wbxml.New("ApplicationData", wbxml.NewText("Contacts:FirstName", "Anna"), wbxml.NewText("Contacts:Birthday", "not a date"))))
		status := func(col *wbxml.Node) string {
			return col.Child("AirSync:Responses").Child("AirSync:Change").TextOf("AirSync:Status")
		}

		prev := d.Key
		first := d.Sync(bad)
		if status(first) != "6" {
			t.Fatalf("first failing Change: %s", first)
		}
		// One retry of the previous key is no loop: the identical answer.
		retry := &eastest.Syncer{T: t, P: p, Coll: contacts, Key: prev}
		if again := retry.Sync(bad); again.String() != first.String() {
			t.Fatalf("a retry of the previous key got\n%s\nthe first answer was\n%s", again, first)
		}
		if l := devicesOf(t, s)["loopdev"].Loop; l != nil {
			t.Fatalf("a loop after one retry: %+v", l)
		}

		// The third time the same Change fails: the loop is broken.
		third := d.Sync(bad)
		if status(third) != "1" {
			t.Fatalf("the looping Change is not skipped: %s", third)
		}
		l := devicesOf(t, s)["loopdev"].Loop
		if l == nil || l.Collection != contacts || l.Item != sid || l.Count != 3 || l.LastAt == "" {
			t.Fatalf("loop in the admin API: %+v", l)
		}
		evs, err := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionDeviceSyncLoop})
		if err != nil || len(evs) != 1 || evs[0].Account != admin || !strings.Contains(evs[0].Reason, "loopdev") {
			t.Fatalf("audit of the loop: %+v %v", evs, err)
		}
		// The device, having dropped the change, syncs on normally.
		if col := d.Sync(); col != nil && col.TextOf("AirSync:Status") != "1" {
			t.Fatalf("after the loop: %s", col)
		}
	})
}

// A contact the server cannot encode fails the Sync that would send it (a temporary server error, HTTP 503); the phone
// retries the same key, and the third failure is a loop: the answer leaves that contact out
// (the others come), and the loop is recorded on the device.
func TestSyncLoopSkipsAnItemThatCannotBeSent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		p, _ := eastest.Provisioned(t, s, "encdev")
		fs := eastest.OK(t)(p.FolderSync("0")).Body
		contacts := eastest.FolderOfType(fs, "9")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		fid, _ := strconv.ParseUint(contacts, 10, 64)
		broken, err := s.App.Mailbox.AddPIM(t.Context(), acct.ID, fid, mailbox.ClassContacts, "Broken", `{"firstName": 5}`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Mailbox.AddPIM(t.Context(), acct.ID, fid, mailbox.ClassContacts, "Good", `{"firstName": "Good"}`); err != nil {
			t.Fatal(err)
		}
		key := eastest.InitialKey(t, p, contacts)
		for i := 1; i < 3; i++ {
			r, err := p.SyncOne(contacts, key)
			if err != nil || r.HTTPStatus < 500 {
				t.Fatalf("Sync %d with the broken contact: %v %+v", i, err, r)
			}
		}
		r := eastest.OK(t)(p.SyncOne(contacts, key))
		col := easclient.Collection(r.Body, contacts)
		adds := col.Child("AirSync:Commands").All("AirSync:Add")
		if len(adds) != 1 || adds[0].Child("AirSync:ApplicationData").TextOf("Contacts:FirstName") != "Good" {
			t.Fatalf("the loop is not broken: %s", col)
		}
		l := devicesOf(t, s)["encdev"].Loop
		if l == nil || l.Collection != contacts || l.Item != strconv.FormatUint(broken.ID, 10) || l.Count != 3 {
			t.Fatalf("loop in the admin API: %+v", l)
		}
		// Skipped for good: the next Sync does not bring it again.
		d := &eastest.Syncer{T: t, P: p, Coll: contacts, Key: col.TextOf("AirSync:SyncKey")}
		if col := d.Sync(); col != nil && col.Has("AirSync:Commands") {
			t.Fatalf("the skipped contact came again: %s", col)
		}
	})
}

// Only failures in a row make a loop: a Change that worked in between starts the count anew.
func TestSyncLoopNeedsFailuresInARow(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		p, _ := eastest.Provisioned(t, s, "rowdev")
		contacts := eastest.FolderOfType(eastest.OK(t)(p.FolderSync("0")).Body, "9")
		d := &eastest.Syncer{T: t, P: p, Coll: contacts, Key: "0"}
		d.Sync()
		col := d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "c"), wbxml.New("ApplicationData",
			wbxml.NewText("Contacts:FirstName", "Anna")))))
		sid := col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:ServerId")
		change := func(birthday string) string {
			ad := wbxml.New("ApplicationData", wbxml.NewText("Contacts:FirstName", "Anna"))
			if birthday != "" {
				ad.Add(wbxml.NewText("Contacts:Birthday", birthday))
			}
			col := d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", sid), ad)))
			if col == nil {
				return ""
			}
			return col.Child("AirSync:Responses").Child("AirSync:Change").TextOf("AirSync:Status")
		}
		for i, want := range []struct{ birthday, status string }{{"bad", "6"}, {"bad", "6"}, {"", ""}, {"bad", "6"}, {"bad", "6"}, {"bad", "1"}} {
			if got := change(want.birthday); got != want.status {
				t.Fatalf("change %d (birthday %q): Status %q, want %q", i, want.birthday, got, want.status)
			}
		}
	})
}
