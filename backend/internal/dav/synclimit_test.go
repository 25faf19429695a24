package dav_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// sync-collection with DAV:limit (RFC 6578 3.6): at most that many changes, a 507 for the
// collection, and a token from which the next request continues with what was left out.
func TestSyncCollectionLimit(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		cal, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 8)
		col := "/dav/calendars/admin@example.com/" + itoa(cal.ID) + "/"
		token0 := syncToken(t, c.expect(http.StatusMultiStatus, "REPORT", col, syncReport("")).body)
		for _, n := range []string{"a", "b", "c"} {
			ev := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:" + n + "@limit\r\nDTSTAMP:20260101T000000Z\r\n" +
				"DTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\nSUMMARY:" + n + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
			c.expect(http.StatusCreated, "PUT", col+n+".ics", ev, "Content-Type", "text/calendar")
		}
		limited := func(token string, n string) string {
			return `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>` + token +
				`</d:sync-token><d:sync-level>1</d:sync-level><d:limit><d:nresults>` + n +
				`</d:nresults></d:limit><d:prop><d:getetag/></d:prop></d:sync-collection>`
		}
		r := c.expect(http.StatusMultiStatus, "REPORT", col, limited(token0, "2"))
		h := hrefsIn(r.body)
		if len(h) != 3 || h[0] != col+"a.ics" || h[1] != col+"b.ics" || h[2] != col ||
			!strings.Contains(r.body, "507 Insufficient Storage") || !strings.Contains(r.body, "number-of-matches-within-limits") {
			t.Fatalf("limit 2 of 3: %s", r.body)
		}
		r = c.expect(http.StatusMultiStatus, "REPORT", col, limited(syncToken(t, r.body), "2"))
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != col+"c.ics" || strings.Contains(r.body, "507") {
			t.Fatalf("the rest: %s", r.body)
		}
		if r := c.expect(http.StatusMultiStatus, "REPORT", col, limited(syncToken(t, r.body), "2")); len(hrefsIn(r.body)) != 0 {
			t.Fatalf("nothing left: %s", r.body)
		}
		for _, bad := range []string{"0", "-1", "many"} {
			c.expect(http.StatusBadRequest, "REPORT", col, limited(token0, bad))
		}
	})
}
