package dav_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const contactVCF = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:carla-1@test\r\nFN:Carla Diaz\r\nN:Diaz;Carla;;Dr.;\r\n" +
	"EMAIL;TYPE=INTERNET:carla@example.net\r\nTEL;TYPE=CELL:+34 600 111 222\r\nTEL;TYPE=WORK,VOICE:+34 91 555 0101\r\n" +
	"ADR;TYPE=WORK:;;Calle Mayor 1;Madrid;;28013;Spain\r\nORG:Acme;Sales\r\nTITLE:Buyer\r\nBDAY:1985-04-12\r\n" +
	"NOTE:Met at the fair\r\nX-CUSTOM-FIELD:kept\r\nEND:VCARD\r\n"

// One store for both doors: Android's weekly meeting with exceptions, added over EAS, read
// over CalDAV with its rule and exceptions; a contact PUT over CardDAV on the phone's next
// Sync; deletes each way; a held Ping woken by a DAV PUT; an EAS change of a DAV object keeps
// its href and the properties EAS does not carry.
func TestCrossDoorWithEAS(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		p, _ := eastest.Provisioned(t, s, "android1")
		fs := must(p.FolderSync("0")).Body
		calID, contactsID := eastest.FolderOfType(fs, "8"), eastest.FolderOfType(fs, "9")
		calColl := "/dav/calendars/admin@example.com/" + calID + "/"
		abColl := "/dav/addressbooks/admin@example.com/" + contactsID + "/"
		cal := &eastest.Syncer{T: t, P: p, Coll: calID, Key: "0"}
		ab := &eastest.Syncer{T: t, P: p, Coll: contactsID, Key: "0"}
		cal.Sync()
		ab.Sync()

		// The Android meeting, over EAS.
		doc, err := os.ReadFile("../eas/pim/testdata/android-event-weekly.xml")
		if err != nil {
			t.Fatal(err)
		}
		tree, err := wbxml.ParseXML(doc)
		if err != nil {
			t.Fatal(err)
		}
		data := tree.Child("Collections").Child("Collection").Child("Commands").Child("Change").Child("ApplicationData")
		data.Name = "AirSync:ApplicationData"
		col := cal.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "e-1"), data)))
		eventSID := col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:ServerId")
		if eventSID == "" {
			t.Fatalf("EAS Add: %s", col)
		}
		r := c.expect(http.StatusMultiStatus, "PROPFIND", calColl, propfind("<d:getetag/>"), "Depth", "1")
		var href string
		for _, h := range hrefsIn(r.body) {
			if strings.HasSuffix(h, ".ics") {
				href = h
			}
		}
		got := c.expect(http.StatusOK, "GET", href, "")
		parsed, err := ical.NewDecoder(strings.NewReader(got.body)).Decode()
		if err != nil {
			t.Fatalf("the CalDAV text does not parse: %v\n%s", err, got.body)
		}
		var master, moved *ical.Component
		for _, ev := range parsed.Children {
			if ev.Name == ical.CompEvent && ev.Props.Get(ical.PropRecurrenceID) == nil {
				master = ev
			} else if ev.Name == ical.CompEvent {
				moved = ev
			}
		}
		if master == nil || moved == nil {
			t.Fatalf("no master and override:\n%s", got.body)
		}
		rule, err := master.Props.RecurrenceRule()
		if err != nil || rule == nil || rule.Count != 10 || len(rule.Byweekday) != 1 || rule.Byweekday[0].String() != "TU" {
			t.Fatalf("RRULE %+v %v\n%s", rule, err, got.body)
		}
		start, _ := master.Props.DateTime(ical.PropDateTimeStart, nil)
		exdate, _ := master.Props.DateTime(ical.PropExceptionDates, nil)
		rid, _ := moved.Props.DateTime(ical.PropRecurrenceID, nil)
		movedStart, _ := moved.Props.DateTime(ical.PropDateTimeStart, nil)
		summary, _ := moved.Props.Text(ical.PropSummary)
		if !start.Equal(time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC)) || !exdate.Equal(time.Date(2026, 9, 29, 8, 0, 0, 0, time.UTC)) ||
			!rid.Equal(time.Date(2026, 10, 27, 9, 0, 0, 0, time.UTC)) || !movedStart.Equal(time.Date(2026, 10, 28, 13, 0, 0, 0, time.UTC)) ||
			summary != "Jour fixe (verschoben)" || len(master.Props.Values(ical.PropAttendee)) != 2 ||
			!strings.Contains(master.Props.Get(ical.PropOrganizer).Value, "anna@example.org") {
			t.Fatalf("start %v exdate %v rid %v moved %v %q\n%s", start, exdate, rid, movedStart, summary, got.body)
		}

		// A contact over CardDAV, on the phone's next Sync with its fields.
		c.expect(http.StatusCreated, "PUT", abColl+"carla.vcf", contactVCF, "Content-Type", "text/vcard")
		col = ab.Sync()
		add := col.Child("AirSync:Commands").Child("AirSync:Add")
		ad := add.Child("AirSync:ApplicationData")
		for el, want := range map[string]string{"Contacts:FirstName": "Carla", "Contacts:LastName": "Diaz", "Contacts:Title": "Dr.",
			"Contacts:Email1Address": "carla@example.net", "Contacts:MobilePhoneNumber": "+34 600 111 222",
			"Contacts:BusinessPhoneNumber": "+34 91 555 0101", "Contacts:BusinessAddressCity": "Madrid",
			"Contacts:BusinessAddressStreet": "Calle Mayor 1", "Contacts:CompanyName": "Acme", "Contacts:Department": "Sales",
			"Contacts:JobTitle": "Buyer", "Contacts:FileAs": "Carla Diaz"} {
			if got := ad.TextOf(el); got != want {
				t.Fatalf("%s = %q, want %q in %s", el, got, want, ad)
			}
		}
		if !strings.HasPrefix(ad.TextOf("Contacts:Birthday"), "1985-04-12") || !strings.Contains(ad.Child("AirSyncBase:Body").TextOf("Data"), "Met at the fair") {
			t.Fatalf("birthday or note: %s", ad)
		}

		// The phone changes it: the href stays, the field EAS cannot carry survives.
		tok := syncToken(t, c.expect(http.StatusMultiStatus, "REPORT", abColl, syncReport("")).body)
		contactSID := add.TextOf("AirSync:ServerId")
		ab.Sync(wbxml.New("AirSync:Commands", wbxml.New("Change", wbxml.NewText("ServerId", contactSID), wbxml.New("ApplicationData",
			wbxml.NewText("Contacts:FirstName", "Carla"), wbxml.NewText("Contacts:LastName", "Diaz-Ruiz"),
			wbxml.NewText("Contacts:Email1Address", "carla@example.net")))))
		r = c.expect(http.StatusMultiStatus, "REPORT", abColl, syncReport(tok))
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != abColl+"carla.vcf" {
			t.Fatalf("sync after the phone's change: %s", r.body)
		}
		v := c.expect(http.StatusOK, "GET", abColl+"carla.vcf", "").body
		if !strings.Contains(v, "Diaz-Ruiz") || !strings.Contains(v, "X-CUSTOM-FIELD:kept") || !strings.Contains(v, "UID:carla-1@test") {
			t.Fatalf("after the phone's change:\n%s", v)
		}

		// The phone deletes it: gone in the next sync-collection.
		tok = syncToken(t, r.body)
		ab.Sync(wbxml.New("AirSync:Commands", wbxml.New("Delete", wbxml.NewText("ServerId", contactSID))))
		r = c.expect(http.StatusMultiStatus, "REPORT", abColl, syncReport(tok))
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != abColl+"carla.vcf" || !strings.Contains(r.body, "404 Not Found") {
			t.Fatalf("sync after the phone's delete: %s", r.body)
		}

		// A DAV delete reaches the phone.
		c.expect(http.StatusNoContent, "DELETE", href, "")
		col = cal.Sync()
		if eastest.Ops(col)["Delete"] != 1 || col.Child("AirSync:Commands").Child("AirSync:Delete").TextOf("AirSync:ServerId") != eventSID {
			t.Fatalf("phone after the DAV delete: %s", col)
		}

		// A held Ping wakes on a DAV PUT.
		done := make(chan *easclient.Response, 1)
		go func() { r, _ := p.Do("Ping", eastest.PingBody("300", calID)); done <- r }()
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
		began := time.Now()
		c.expect(http.StatusCreated, "PUT", calColl+"weekly.ics", weekly, "Content-Type", "text/calendar")
		select {
		case r := <-done:
			if r.Body.TextOf("Status") != "2" || !strings.Contains(r.Body.String(), calID) {
				t.Fatalf("Ping after a DAV PUT: %s", r.Body)
			}
			t.Logf("Ping woke %v after the DAV PUT began", time.Since(began))
		case <-time.After(10 * time.Second):
			t.Fatal("the DAV PUT did not wake the Ping")
		}
		col = cal.Sync()
		if ad := col.Child("AirSync:Commands").Child("AirSync:Add").Child("AirSync:ApplicationData"); ad.TextOf("Calendar:Subject") != "Jour fixe" ||
			ad.Child("Calendar:Recurrence").TextOf("Calendar:Occurrences") != "10" || len(ad.Child("Calendar:Exceptions").All("Calendar:Exception")) != 2 {
			t.Fatalf("phone after the DAV PUT: %s", col)
		}
	})
}
