package dav_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// MKCALENDAR (events, tasks) and extended MKCOL (address book) make folders a phone's
// FolderSync shows; DELETE of a user collection removes it there too; default ones are 403.
func TestCollectionsMadeAndDeleted(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		p, _ := eastest.Provisioned(t, s, "dev1")
		fs := must(p.FolderSync("0")).Body
		key := fs.TextOf("SyncKey")

		home := "/dav/calendars/admin@example.com/"
		c.expect(http.StatusCreated, "MKCALENDAR", home+"Work/", `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">`+
			`<d:set><d:prop><d:displayname>Work</d:displayname></d:prop></d:set></c:mkcalendar>`)
		c.expect(http.StatusCreated, "MKCALENDAR", home+"Chores/", `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">`+
			`<d:set><d:prop><c:supported-calendar-component-set><c:comp name="VTODO"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`)
		c.expect(http.StatusMethodNotAllowed, "MKCALENDAR", home+"Work/", "")
		c.expect(http.StatusCreated, "MKCOL", "/dav/addressbooks/admin@example.com/Friends/", `<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">`+
			`<d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Friends</d:displayname></d:prop></d:set></d:mkcol>`)
		r := c.expect(http.StatusMultiStatus, "PROPFIND", home, propfind("<d:displayname/><c:supported-calendar-component-set/>"), "Depth", "1")
		if !strings.Contains(r.body, "<d:displayname>Work</d:displayname>") || !strings.Contains(r.body, "<d:displayname>Chores</d:displayname>") {
			t.Fatalf("home after MKCALENDAR: %s", r.body)
		}
		// An event goes into the new calendar by the URL the client chose.
		c.expect(http.StatusCreated, "PUT", home+"Work/weekly.ics", weekly, "Content-Type", "text/calendar")

		fs = must(p.FolderSync(key)).Body
		key = fs.TextOf("SyncKey")
		adds := map[string]string{}
		for _, a := range fs.Child("Changes").All("Add") {
			adds[a.TextOf("DisplayName")] = a.TextOf("Type")
		}
		if adds["Work"] != "13" || adds["Chores"] != "15" || adds["Friends"] != "14" {
			t.Fatalf("FolderSync after MKCALENDAR/MKCOL: %s", fs)
		}

		// Default collections stay; a user one goes, on the phone too.
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		cal, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 8)
		c.expect(http.StatusForbidden, "DELETE", home+itoa(cal.ID)+"/", "")
		c.expect(http.StatusNoContent, "DELETE", home+"Work/", "")
		c.expect(http.StatusNotFound, "GET", home+"Work/weekly.ics", "")
		fs = must(p.FolderSync(key)).Body
		if len(fs.Child("Changes").All("Delete")) != 1 {
			t.Fatalf("FolderSync after DELETE: %s", fs)
		}
	})
}
