package eas_test

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Contacts and calendar two-way with two devices of one account: create on a device, change
// on the server, delete on a device, each step seen by the other device.
func TestContactsAndCalendarTwoDevices(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p1, _ := eastest.Provisioned(t, s, "dev1")
		p2, _ := eastest.Provisioned(t, s, "dev2")
		fs := must(p1.FolderSync("0")).Body
		contacts, calendar := eastest.FolderOfType(fs, "9"), eastest.FolderOfType(fs, "8")
		d1 := &eastest.Syncer{T: t, P: p1, Coll: contacts, Key: "0"}
		d2 := &eastest.Syncer{T: t, P: p2, Coll: contacts, Key: "0"}
		d1.Sync()
		d2.Sync()

		add := wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "c-1"), wbxml.New("ApplicationData",
			wbxml.NewText("Contacts:FileAs", "Berg, Anna"), wbxml.NewText("Contacts:FirstName", "Anna"),
			wbxml.NewText("Contacts:LastName", "Berg"), wbxml.NewText("Contacts:Email1Address", `"Anna Berg" <anna@example.org>`),
			wbxml.NewText("Contacts:MobilePhoneNumber", "+49 170 1234567"))))
		prevKey := d1.Key
		col := d1.Sync(add)
		resp := col.Child("AirSync:Responses").Child("AirSync:Add")
		serverID := resp.TextOf("AirSync:ServerId")
		if resp.TextOf("AirSync:Status") != "1" || serverID == "" || resp.TextOf("AirSync:ClientId") != "c-1" {
			t.Fatalf("device Add: %s", col)
		}
		// The device lost that response and resends it with the previous key: the same ServerId, no copy.
		retry := &eastest.Syncer{T: t, P: p1, Coll: contacts, Key: prevKey}
		col = retry.Sync(add)
		if got := col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:ServerId"); got != serverID {
			t.Fatalf("retried Add gave ServerId %q, first %q", got, serverID)
		}
		d1.Key = retry.Key
		if d1.Sync() != nil {
			t.Fatal("the device's own Add came back to it")
		}
		col = d2.Sync()
		if eastest.Ops(col)["Add"] != 1 {
			t.Fatalf("second device after the Add: %s", col)
		}
		ad := col.Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		if ad.TextOf("Contacts:FirstName") != "Anna" || ad.TextOf("Contacts:MobilePhoneNumber") != "+49 170 1234567" {
			t.Fatalf("contact on the second device: %s", ad)
		}

		// A change on the server reaches both devices.
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		id, _ := strconv.ParseUint(serverID, 10, 64)
		it, _ := s.App.Store.ItemOf(t.Context(), acct.ID, id)
		var props map[string]any
		json.Unmarshal([]byte(it.Props), &props)
		if props["firstName"] != "Anna" {
			t.Fatalf("stored contact: %s", it.Props)
		}
		props["jobTitle"] = "Head of Planning"
		raw, _ := json.Marshal(props)
		if _, err := s.App.Mailbox.UpdatePIM(t.Context(), acct.ID, id, "Berg, Anna", string(raw)); err != nil {
			t.Fatal(err)
		}
		for _, d := range []*eastest.Syncer{d1, d2} {
			col := d.Sync()
			ch := col.Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
			if eastest.Ops(col)["Change"] != 1 || ch.TextOf("Contacts:JobTitle") != "Head of Planning" || ch.TextOf("Contacts:FirstName") != "Anna" {
				t.Fatalf("%s after a server change: %s", d.P.DeviceID, col)
			}
		}

		// Deleted on the second device: gone for good, and the first device hears of it.
		del := wbxml.New("AirSync:Commands", wbxml.New("Delete", wbxml.NewText("ServerId", serverID)))
		d2.Sync(del)
		if _, err := s.App.Store.ItemOf(t.Context(), acct.ID, id); err == nil {
			t.Fatal("the contact survived its delete")
		}
		if col := d1.Sync(); eastest.Ops(col)["Delete"] != 1 {
			t.Fatalf("first device after the delete: %s", col)
		}

		// A recurring meeting from a real Android payload, created on one device.
		doc, err := os.ReadFile("pim/testdata/android-event-weekly.xml")
		if err != nil {
			t.Fatal(err)
		}
		tree, err := wbxml.ParseXML(doc)
		if err != nil {
			t.Fatal(err)
		}
		eventData := tree.Child("Collections").Child("Collection").Child("Commands").Child("Change").Child("ApplicationData")
		c1 := &eastest.Syncer{T: t, P: p1, Coll: calendar, Key: "0"}
		c2 := &eastest.Syncer{T: t, P: p2, Coll: calendar, Key: "0"}
		c1.Sync()
		c2.Sync()
		eventData.Name = "AirSync:ApplicationData"
		col = c1.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "e-1"), eventData)))
		if col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:Status") != "1" {
			t.Fatalf("event Add: %s", col)
		}
		col = c2.Sync()
		ev := col.Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData")
		rec := ev.Child("Calendar:Recurrence")
		if ev.TextOf("Calendar:Subject") != "Jour fixe" || rec.TextOf("Calendar:Type") != "1" || rec.TextOf("Calendar:Occurrences") != "10" ||
			len(ev.Child("Calendar:Exceptions").All("Calendar:Exception")) != 2 || len(ev.Child("Calendar:Attendees").All("Calendar:Attendee")) != 2 {
			t.Fatalf("event on the second device: %s", ev)
		}
		eastest.LibwbxmlDecodes(t, mustMarshal(t, col), "Jour fixe", "Raum Elbe")
	})
}

func mustMarshal(t *testing.T, n *wbxml.Node) []byte {
	t.Helper()
	b, err := wbxml.Marshal(wbxml.New("AirSync:Sync", wbxml.New("Collections", n)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Both sides change a contact: by default the server's change wins (Status 7 and the server
// version goes to the device); with Conflict 0 the device's change wins.
func TestPIMConflicts(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	p, _ := eastest.Provisioned(t, s, "dev1")
	fs := eastest.OK(t)(p.FolderSync("0")).Body
	d := &eastest.Syncer{T: t, P: p, Coll: eastest.FolderOfType(fs, "9"), Key: "0"}
	d.Sync()
	col := d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "c"), wbxml.New("ApplicationData",
		wbxml.NewText("Contacts:FirstName", "Anna"), wbxml.NewText("Contacts:LastName", "Berg")))))
	sid := col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:ServerId")
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	id, _ := strconv.ParseUint(sid, 10, 64)
	serverEdit := func(name string) {
		raw, _ := json.Marshal(map[string]any{"firstName": name, "lastName": "Berg"})
		if _, err := s.App.Mailbox.UpdatePIM(t.Context(), acct.ID, id, name+" Berg", string(raw)); err != nil {
			t.Fatal(err)
		}
	}
	deviceEdit := func(name string, opts ...*wbxml.Node) *wbxml.Node {
		return d.Sync(append(opts, wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", sid),
			wbxml.New("ApplicationData", wbxml.NewText("Contacts:FirstName", name), wbxml.NewText("Contacts:LastName", "Berg")))))...)
	}
	serverEdit("Server")
	col = deviceEdit("Device")
	ch := col.Child("AirSync:Commands").Child("AirSync:Change").Child("AirSync:ApplicationData")
	if col.Child("AirSync:Responses").Child("AirSync:Change").TextOf("AirSync:Status") != "7" || ch.TextOf("Contacts:FirstName") != "Server" {
		t.Fatalf("server wins by default: %s", col)
	}
	serverEdit("Server2")
	col = deviceEdit("Device2", wbxml.New("AirSync:Options", wbxml.NewText("AirSync:Conflict", "0")))
	it, _ := s.App.Store.ItemOf(t.Context(), acct.ID, id)
	if col.Has("AirSync:Responses") || it.Subject != "Berg, Device2" && it.Subject != "Device2 Berg" {
		t.Fatalf("client wins with Conflict 0: %s, stored %q", col, it.Subject)
	}
}
