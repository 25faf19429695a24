package dav_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// CardDAV objects: preconditions, refused bodies, addressbook-query and -multiget.
func TestCardDAVObjectsAndReports(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		ab, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 9)
		col := "/dav/addressbooks/admin@example.com/" + itoa(ab.ID) + "/"
		vcf := "text/vcard; charset=utf-8"

		etag := c.expect(http.StatusCreated, "PUT", col+"carla.vcf", contactVCF, "Content-Type", vcf, "If-None-Match", "*").hdr.Get("ETag")
		other := strings.NewReplacer("carla-1@test", "bo-2@test", "FN:Carla Diaz", "FN:Bo Berg", "N:Diaz;Carla;;Dr.;", "N:Berg;Bo;;;").Replace(contactVCF)
		c.expect(http.StatusCreated, "PUT", col+"bo.vcf", other, "Content-Type", vcf)
		c.expect(http.StatusPreconditionFailed, "PUT", col+"carla.vcf", contactVCF, "Content-Type", vcf, "If-None-Match", "*")
		c.expect(http.StatusNoContent, "PUT", col+"carla.vcf", strings.Replace(contactVCF, "TITLE:Buyer", "TITLE:Lead", 1), "Content-Type", vcf, "If-Match", etag)
		c.expect(http.StatusPreconditionFailed, "PUT", col+"carla.vcf", contactVCF, "Content-Type", vcf, "If-Match", etag)
		if g := c.expect(http.StatusOK, "GET", col+"carla.vcf", ""); !strings.Contains(g.body, "TITLE:Lead") {
			t.Fatalf("after a stale PUT: %s", g.body)
		}
		for name, body := range map[string]string{
			"garbage":  "not a vcard",
			"v21":      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Old\r\nEND:VCARD\r\n",
			"bad-bday": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nBDAY:yesterday\r\nEND:VCARD\r\n",
		} {
			if r := c.expect(http.StatusBadRequest, "PUT", col+name+".vcf", body, "Content-Type", vcf); strings.TrimSpace(r.body) == "" {
				t.Fatalf("%s: 400 without a reason", name)
			}
		}
		if items, _ := s.App.Mailbox.Changes(t.Context(), ab.ID, 0, 100); len(items) != 2 {
			t.Fatalf("refused cards stored something: %d items", len(items))
		}

		q := `<?xml version="1.0"?><card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>` +
			`<card:filter><card:prop-filter name="FN"><card:text-match collation="i;unicode-casemap" match-type="contains">carla</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`
		r := c.expect(http.StatusMultiStatus, "REPORT", col, q, "Depth", "1")
		if h := hrefsIn(r.body); len(h) != 1 || h[0] != col+"carla.vcf" || !strings.Contains(r.body, "TITLE:Lead") {
			t.Fatalf("addressbook-query: %s", r.body)
		}
		mg := `<?xml version="1.0"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>` +
			`<d:href>` + col + `bo.vcf</d:href><d:href>` + col + `carla.vcf</d:href></card:addressbook-multiget>`
		r = c.expect(http.StatusMultiStatus, "REPORT", col, mg, "Depth", "1")
		if h := hrefsIn(r.body); len(h) != 2 || !strings.Contains(r.body, "FN:Bo Berg") || !strings.Contains(r.body, "FN:Carla Diaz") {
			t.Fatalf("addressbook-multiget: %s", r.body)
		}
	})
}
