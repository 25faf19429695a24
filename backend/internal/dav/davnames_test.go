package dav_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A calendar made (as Apple Calendar, DAVx5 and python-caldav do) at a uuid segment with
// another display name keeps answering at that segment: PROPFIND, PUT, GET, REPORT, and its
// href in the home listing is the segment; the phone shows the display name.
func TestCollectionAtOwnSegment(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		p, _ := eastest.Provisioned(t, s, "dev1")
		key := must(p.FolderSync("0")).Body.TextOf("SyncKey")

		home := "/dav/calendars/admin@example.com/"
		col := home + "5f0c7a1e-9b2d-4c8e-a3f1-0d6e2b7c9a44/"
		c.expect(http.StatusCreated, "MKCALENDAR", col, `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">`+
			`<d:set><d:prop><d:displayname>Work</d:displayname></d:prop></d:set></c:mkcalendar>`)
		c.expect(http.StatusMethodNotAllowed, "MKCALENDAR", col, "")

		r := c.expect(http.StatusMultiStatus, "PROPFIND", col, propfind("<d:displayname/><d:resourcetype/>"), "Depth", "0")
		if !strings.Contains(r.body, "<d:displayname>Work</d:displayname>") || !strings.Contains(r.body, "<c:calendar/>") {
			t.Fatalf("PROPFIND of the new calendar: %s", r.body)
		}
		r = c.expect(http.StatusMultiStatus, "PROPFIND", home, propfind("<d:displayname/>"), "Depth", "1")
		if hrefs := strings.Join(hrefsIn(r.body), " "); !strings.Contains(hrefs, col) {
			t.Fatalf("home listing does not show the segment %s: %s", col, hrefs)
		}

		put := c.expect(http.StatusCreated, "PUT", col+"B6C1.ics", weekly, "Content-Type", "text/calendar", "If-None-Match", "*")
		got := c.expect(http.StatusOK, "GET", col+"B6C1.ics", "")
		if !strings.Contains(got.body, "SUMMARY:Jour fixe") || got.hdr.Get("ETag") != put.hdr.Get("ETag") {
			t.Fatalf("GET under the segment: %s %s", got.hdr.Get("ETag"), got.body)
		}
		r = c.expect(http.StatusMultiStatus, "REPORT", col, syncReport(""))
		if hrefs := hrefsIn(r.body); len(hrefs) != 1 || hrefs[0] != col+"B6C1.ics" {
			t.Fatalf("sync-collection under the segment: %v", hrefs)
		}
		r = c.expect(http.StatusMultiStatus, "REPORT", col, `<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">`+
			`<d:prop><d:getetag/><c:calendar-data/></d:prop><d:href>`+col+`B6C1.ics</d:href></c:calendar-multiget>`)
		if !strings.Contains(r.body, "Jour fixe") {
			t.Fatalf("multiget under the segment: %s", r.body)
		}
		// The display name still finds it too (clients that rediscover by name), and the id.
		c.expect(http.StatusOK, "GET", home+"Work/B6C1.ics", "")

		fs := must(p.FolderSync(key)).Body
		var added []string
		for _, a := range fs.Child("Changes").All("Add") {
			added = append(added, a.TextOf("DisplayName")+"/"+a.TextOf("Type"))
		}
		if len(added) != 1 || added[0] != "Work/13" {
			t.Fatalf("FolderSync after MKCALENDAR at a uuid: %v\n%s", added, fs)
		}
		c.expect(http.StatusNoContent, "DELETE", col, "")
		c.expect(http.StatusNotFound, "PROPFIND", col, propfind("<d:displayname/>"), "Depth", "0")
	})
}

// An object PUT under a name the client chose is found by that name (index, not a folder
// scan): GET, replace with If-Match, a second name beside it, DELETE; a name longer than the
// index keeps is still found.
func TestObjectFoundByClientName(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		ab, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 9)
		col := "/dav/addressbooks/admin@example.com/" + itoa(ab.ID) + "/"
		vcf := "text/vcard"

		put := c.expect(http.StatusCreated, "PUT", col+"carla-uuid.vcf", contactVCF, "Content-Type", vcf, "If-None-Match", "*")
		it, err := s.App.Mailbox.ItemByDAVName(t.Context(), acct.ID, ab.ID, "carla-uuid.vcf")
		if err != nil || it.Subject == "" {
			t.Fatalf("ItemByDAVName: %+v %v", it, err)
		}
		if _, err := s.App.Mailbox.ItemByDAVName(t.Context(), acct.ID+1, ab.ID, "carla-uuid.vcf"); err == nil {
			t.Fatal("another account found the item by its name")
		}
		c.expect(http.StatusPreconditionFailed, "PUT", col+"carla-uuid.vcf", contactVCF, "Content-Type", vcf, "If-None-Match", "*")
		edited := strings.Replace(contactVCF, "TITLE:Buyer", "TITLE:Head of Buying", 1)
		c.expect(http.StatusPreconditionFailed, "PUT", col+"carla-uuid.vcf", edited, "Content-Type", vcf, "If-Match", `"0-0"`)
		c.expect(http.StatusNoContent, "PUT", col+"carla-uuid.vcf", edited, "Content-Type", vcf, "If-Match", put.hdr.Get("ETag"))
		if got := c.expect(http.StatusOK, "GET", col+"carla-uuid.vcf", ""); !strings.Contains(got.body, "Head of Buying") {
			t.Fatalf("GET after replace: %s", got.body)
		}
		other := strings.Replace(contactVCF, "UID:carla-1@test", "UID:carla-2@test", 1)
		c.expect(http.StatusCreated, "PUT", col+"carla-copy.vcf", other, "Content-Type", vcf)
		long := strings.Repeat("x", 240) + ".vcf"
		c.expect(http.StatusCreated, "PUT", col+long, strings.Replace(contactVCF, "UID:carla-1@test", "UID:carla-3@test", 1), "Content-Type", vcf)
		c.expect(http.StatusOK, "GET", col+long, "")
		items, _ := s.App.Mailbox.Changes(t.Context(), ab.ID, 0, 10)
		if len(items) != 3 {
			t.Fatalf("%d items after 3 names, want 3", len(items))
		}
		c.expect(http.StatusNoContent, "DELETE", col+"carla-uuid.vcf", "")
		c.expect(http.StatusNotFound, "GET", col+"carla-uuid.vcf", "")
		c.expect(http.StatusOK, "GET", col+"carla-copy.vcf", "")
		c.expect(http.StatusNoContent, "DELETE", col+long, "")
		c.expect(http.StatusNotFound, "GET", col+long, "")
	})
}
