package eas_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// A device that resends the same failing Add (a contact whose Birthday the server cannot
// read, same ClientId) gets Status 6 ("do not resend this item") each time; the third time in
// a row is a loop, recorded on the device (admin API) and audited once, however often the
// device goes on; another ClientId, or the same one failing otherwise, starts its own count.
// The third answer is decoded by libwbxml.
func TestSyncLoopOfAFailingAdd(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *apptest.Server) {
		p, _ := eastest.Provisioned(t, s, "addloop")
		contacts := eastest.FolderOfType(eastest.OK(t)(p.FolderSync("0")).Body, "9")
		d := &eastest.Syncer{T: t, P: p, Coll: contacts, Key: "0"}
		d.Sync()
		add := func(clientID, birthday string) *wbxml.Node {
			return wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", clientID), wbxml.New("ApplicationData",
				wbxml.NewText("Contacts:FirstName", "Anna"), wbxml.NewText("Contacts:Birthday", birthday))))
		}
		status := func(col *wbxml.Node) string {
			r := col.Child("AirSync:Responses").Child("AirSync:Add")
			if r.Has("AirSync:ServerId") {
				t.Fatalf("a refused Add with a ServerId: %s", col)
			}
			return r.TextOf("AirSync:Status")
		}
		audits := func() int {
			evs, err := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionDeviceSyncLoop})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if e.Account != admin || !strings.Contains(e.Reason, "addloop") {
					t.Fatalf("audit of the loop: %+v", e)
				}
			}
			return len(evs)
		}

		// Two failures, then one of another ClientId and one of the same ClientId with another
		// error: no loop yet.
		for i, c := range []struct{ client, birthday string }{{"c1", "not a date"}, {"c1", "not a date"}, {"c2", "not a date"}, {"c1", "31.02.x"}} {
			if got := status(d.Sync(add(c.client, c.birthday))); got != "6" {
				t.Fatalf("failing Add %d: Status %q", i, got)
			}
		}
		if l := devicesOf(t, s)["addloop"].Loop; l != nil {
			t.Fatalf("a loop before three identical failures in a row: %+v", l)
		}
		// Three times the same failure in a row: a loop. The answer stays Status 6, no ServerId.
		for range 2 {
			status(d.Sync(add("c1", "not a date")))
		}
		r := eastest.OK(t)(p.SyncOne(contacts, d.Key, add("c1", "not a date")))
		col := easclient.Collection(r.Body, contacts)
		if status(col) != "6" {
			t.Fatalf("the looping Add: %s", col)
		}
		eastest.LibwbxmlDecodes(t, r.Raw, "<ClientId>c1</ClientId>", "<Status>6</Status>")
		l := devicesOf(t, s)["addloop"].Loop
		if l == nil || l.Collection != contacts || l.Item != "c1" || l.Count != 3 || l.LastAt == "" {
			t.Fatalf("loop in the admin API: %+v", l)
		}
		if n := audits(); n != 1 {
			t.Fatalf("audited loops: %d", n)
		}
		// The device goes on: the same answer, audited once only.
		d.Key = col.TextOf("AirSync:SyncKey")
		if got := status(d.Sync(add("c1", "not a date"))); got != "6" {
			t.Fatalf("after the loop: Status %q", got)
		}
		if n := audits(); n != 1 {
			t.Fatalf("audited loops after another resend: %d", n)
		}
		// A good Add still works.
		col = d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "c3"),
			wbxml.New("ApplicationData", wbxml.NewText("Contacts:FirstName", "Berta")))))
		if r := col.Child("AirSync:Responses").Child("AirSync:Add"); r.TextOf("AirSync:Status") != "1" || r.TextOf("AirSync:ServerId") == "" {
			t.Fatalf("a good Add: %s", col)
		}
	})
}
