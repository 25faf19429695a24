package dav_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const weekly = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nX-WR-CALNAME:kept\r\n" +
	"BEGIN:VTIMEZONE\r\nTZID:Custom Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly-1@test\r\nDTSTAMP:20260901T100000Z\r\nDTSTART;TZID=Custom Berlin:20260915T100000\r\nDTEND;TZID=Custom Berlin:20260915T110000\r\n" +
	"SUMMARY:Jour fixe\r\nLOCATION:Raum Elbe\r\nRRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU\r\nEXDATE;TZID=Custom Berlin:20260929T100000\r\n" +
	"ORGANIZER;CN=Anna Berg:mailto:anna@example.org\r\nATTENDEE;CN=Bernd;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bernd@example.org\r\n" +
	"X-UNKNOWN-THING;X-P=1:survives\r\nSEQUENCE:3\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:weekly-1@test\r\nDTSTAMP:20260901T100000Z\r\nRECURRENCE-ID;TZID=Custom Berlin:20261027T100000\r\n" +
	"DTSTART;TZID=Custom Berlin:20261028T140000\r\nDTEND;TZID=Custom Berlin:20261028T150000\r\nSUMMARY:Jour fixe (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// PUT/GET/DELETE with ETags and preconditions, sync-collection with tokens and tombstones,
// calendar-query with a recurring event, and bodies that are refused.
func TestObjectsETagsSyncAndQueries(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		cal, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 8)
		col := "/dav/calendars/admin@example.com/" + itoa(cal.ID) + "/"
		ics := "text/calendar; charset=utf-8"

		r := c.expect(http.StatusMultiStatus, "REPORT", col, syncReport(""))
		token0 := syncToken(t, r.body)

		put := c.expect(http.StatusCreated, "PUT", col+"weekly.ics", weekly, "Content-Type", ics, "If-None-Match", "*")
		etag := put.hdr.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag on PUT")
		}
		c.expect(http.StatusPreconditionFailed, "PUT", col+"weekly.ics", weekly, "Content-Type", ics, "If-None-Match", "*")

		got := c.expect(http.StatusOK, "GET", col+"weekly.ics", "")
		for _, want := range []string{"SUMMARY:Jour fixe", "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU", "EXDATE;TZID=Europe/Berlin:20260929T100000",
			"RECURRENCE-ID;TZID=Europe/Berlin:20261027T100000", "SUMMARY:Jour fixe (moved)", "X-UNKNOWN-THING;X-P=1:survives", "SEQUENCE:3",
			"X-WR-CALNAME:kept", "PARTSTAT=ACCEPTED", "TRIGGER:-PT15M", "BEGIN:VTIMEZONE"} {
			if !strings.Contains(got.body, want) {
				t.Fatalf("GET lacks %q:\n%s", want, got.body)
			}
		}
		if got.hdr.Get("ETag") != etag {
			t.Fatalf("GET ETag %s, PUT gave %s", got.hdr.Get("ETag"), etag)
		}

		// The model EAS reads: UTC instants, the zone, the recurrence, the exceptions.
		items, _ := s.App.Mailbox.Changes(t.Context(), cal.ID, 0, 10)
		if len(items) != 1 || !strings.Contains(items[0].Props, `"start":"2026-09-15T08:00:00Z"`) ||
			!strings.Contains(items[0].Props, `"type":1`) || !strings.Contains(items[0].Props, `"dayOfWeek":4`) ||
			!strings.Contains(items[0].Props, `"exceptionStartTime":"2026-09-29T08:00:00Z","deleted":true`) ||
			!strings.Contains(items[0].Props, `"exceptionStartTime":"2026-10-27T09:00:00Z"`) {
			t.Fatalf("stored: %+v", items)
		}

		// A stale If-Match is refused and nothing changes.
		changed := strings.Replace(weekly, "SUMMARY:Jour fixe\r\n", "SUMMARY:Renamed\r\n", 1)
		c.expect(http.StatusNoContent, "PUT", col+"weekly.ics", changed, "Content-Type", ics, "If-Match", etag)
		c.expect(http.StatusPreconditionFailed, "PUT", col+"weekly.ics", weekly, "Content-Type", ics, "If-Match", etag)
		if g := c.expect(http.StatusOK, "GET", col+"weekly.ics", ""); !strings.Contains(g.body, "SUMMARY:Renamed") {
			t.Fatalf("after the stale PUT: %s", g.body)
		}
		c.expect(http.StatusPreconditionFailed, "DELETE", col+"weekly.ics", "", "If-Match", etag)

		// sync-collection: the change since the first token, then the delete as a 404 href.
		r = c.expect(http.StatusMultiStatus, "REPORT", col, syncReport(token0))
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != col+"weekly.ics" {
			t.Fatalf("sync after PUT: %s", r.body)
		}
		token1 := syncToken(t, r.body)
		if r = c.expect(http.StatusMultiStatus, "REPORT", col, syncReport(token1)); len(hrefsIn(r.body)) != 0 {
			t.Fatalf("sync without changes: %s", r.body)
		}
		c.expect(http.StatusNoContent, "DELETE", col+"weekly.ics", "")
		r = c.expect(http.StatusMultiStatus, "REPORT", col, syncReport(token1))
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != col+"weekly.ics" || !strings.Contains(r.body, "404 Not Found") {
			t.Fatalf("sync after DELETE: %s", r.body)
		}
		c.expect(http.StatusNotFound, "GET", col+"weekly.ics", "")

		// Tokens of another folder, from the future (a reset store) or made up: valid-sync-token.
		tasks, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 7)
		for _, bad := range []string{"urn:x-tessera:sync:" + itoa(tasks.ID) + ":0", "urn:x-tessera:sync:" + itoa(cal.ID) + ":999999", "http://example.com/x"} {
			if r := c.expect(http.StatusForbidden, "REPORT", col, syncReport(bad)); !strings.Contains(r.body, "valid-sync-token") {
				t.Fatalf("bad token %s: %s", bad, r.body)
			}
		}

		// Bad bodies: 400 with the reason, nothing stored.
		for name, body := range map[string]string{
			"garbage":       "this is not iCalendar",
			"go-ical-panic": "BEGIN:VCALENDAR\r\n0;0=\r\n", // made go-ical's decoder panic (FuzzICalendarToEvent)
			"no-start":      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"bad-date":      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:2026-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"todo":          "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
			"no-tz":         "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Nowhere/Else:20260101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		} {
			r := c.expect(http.StatusBadRequest, "PUT", col+name+".ics", body, "Content-Type", ics)
			if strings.TrimSpace(r.body) == "" {
				t.Fatalf("%s: 400 without a reason", name)
			}
		}
		c.expect(http.StatusRequestEntityTooLarge, "PUT", col+"big.ics", strings.Repeat("x", 2<<20), "Content-Type", ics)
		if items, _ := s.App.Mailbox.Changes(t.Context(), cal.ID, 0, 100); len(items) != 1 || !items[0].Deleted {
			t.Fatalf("refused bodies stored something: %+v", items)
		}

		// calendar-query: the series matches a range holding only a later occurrence, not one
		// after its last; the deleted occurrence's week alone does not match.
		c.expect(http.StatusCreated, "PUT", col+"weekly.ics", weekly, "Content-Type", ics)
		query := func(start, end string) []string {
			body := `<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>` +
				`<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="` + start + `" end="` + end + `"/>` +
				`</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`
			r := c.expect(http.StatusMultiStatus, "REPORT", col, body, "Depth", "1")
			var out []string
			for _, h := range hrefsIn(r.body) {
				if strings.HasSuffix(h, ".ics") {
					out = append(out, h)
				}
			}
			return out
		}
		if got := query("20261103T000000Z", "20261104T000000Z"); len(got) != 1 {
			t.Fatalf("range with the 8th occurrence: %v", got)
		}
		if got := query("20270101T000000Z", "20270201T000000Z"); len(got) != 0 {
			t.Fatalf("range after the series: %v", got)
		}
		if got := query("20260928T000000Z", "20260930T000000Z"); len(got) != 0 {
			t.Fatalf("range of the deleted occurrence only: %v", got)
		}
	})
}
