package dav_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Discovery from the well-known URL down to the collections, with an application passcode;
// an EAS password, a wrong secret and another account's paths are refused.
func TestDiscoveryAndConfinement(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		web := eastest.AdminClient(t, s)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, web, "app_passcode")}

		for _, wk := range []string{"/.well-known/caldav", "/.well-known/carddav"} {
			r := c.expect(http.StatusMovedPermanently, "PROPFIND", wk, "")
			if r.hdr.Get("Location") != "/dav/" {
				t.Fatalf("%s → %q", wk, r.hdr.Get("Location"))
			}
		}
		r := c.expect(http.StatusMultiStatus, "PROPFIND", "/dav/", propfind("<d:current-user-principal/>"), "Depth", "0")
		if !strings.Contains(r.body, "<d:current-user-principal><d:href>/dav/principals/admin@example.com/</d:href>") {
			t.Fatalf("root: %s", r.body)
		}
		r = c.expect(http.StatusMultiStatus, "PROPFIND", "/dav/principals/admin@example.com/",
			propfind("<c:calendar-home-set/><card:addressbook-home-set/><d:resourcetype/>"), "Depth", "0")
		for _, want := range []string{"<c:calendar-home-set><d:href>/dav/calendars/admin@example.com/</d:href>",
			"<card:addressbook-home-set><d:href>/dav/addressbooks/admin@example.com/</d:href>", "<d:principal/>"} {
			if !strings.Contains(r.body, want) {
				t.Fatalf("principal lacks %s: %s", want, r.body)
			}
		}
		r = c.expect(http.StatusMultiStatus, "PROPFIND", "/dav/calendars/admin@example.com/",
			propfind("<d:resourcetype/><d:displayname/><c:supported-calendar-component-set/><d:sync-token/><cs:getctag/>"), "Depth", "1")
		if !strings.Contains(r.body, "<d:displayname>Calendar</d:displayname>") || !strings.Contains(r.body, `<c:comp name="VEVENT"/>`) ||
			!strings.Contains(r.body, "<d:displayname>Tasks</d:displayname>") || !strings.Contains(r.body, `<c:comp name="VTODO"/>`) ||
			strings.Contains(r.body, "Notes") || strings.Contains(r.body, "Inbox") || !strings.Contains(r.body, "urn:x-tessera:sync:") {
			t.Fatalf("calendar home: %s", r.body)
		}
		r = c.expect(http.StatusMultiStatus, "PROPFIND", "/dav/addressbooks/admin@example.com/", propfind("<d:resourcetype/><d:displayname/>"), "Depth", "1")
		if !strings.Contains(r.body, "<card:addressbook/>") || !strings.Contains(r.body, "<d:displayname>Contacts</d:displayname>") {
			t.Fatalf("address book home: %s", r.body)
		}

		// Another account's paths are 404, whether it exists or not.
		if _, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: "eve@example.com", Password: "Granite-Falcon-63"}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/dav/principals/eve@example.com/", "/dav/calendars/eve@example.com/", "/dav/addressbooks/eve@example.com/",
			"/dav/calendars/nobody@example.com/"} {
			c.expect(http.StatusNotFound, "PROPFIND", p, "", "Depth", "1")
		}
		// Eve's calendar by folder id under the admin's own path is not found either.
		eveAcct, _ := s.App.Accounts.Get(t.Context(), "eve@example.com")
		fs, _ := s.App.Mailbox.Folders(t.Context(), eveAcct.ID)
		for _, f := range fs {
			if f.Class == "Calendar" {
				c.expect(http.StatusNotFound, "PROPFIND", "/dav/calendars/admin@example.com/"+itoa(f.ID)+"/", "", "Depth", "1")
			}
		}

		// Refusals: no credentials, a wrong secret, an EAS password (not a DAV credential).
		anon := &dc{t: t, base: s.URL}
		if r := anon.expect(http.StatusUnauthorized, "PROPFIND", "/dav/", ""); !strings.HasPrefix(r.hdr.Get("WWW-Authenticate"), "Basic ") {
			t.Fatalf("challenge: %v", r.hdr)
		}
		(&dc{t: t, base: s.URL, user: admin, pass: "AAAA-BBBB-CCCC-DDDD"}).expect(http.StatusUnauthorized, "PROPFIND", "/dav/", "")
		_, easPw := eastest.EASPassword(t, web, "phone")
		(&dc{t: t, base: s.URL, user: admin, pass: easPw}).expect(http.StatusUnauthorized, "PROPFIND", "/dav/", "")
	})
}

// Repeated failures are throttled: 503 with Retry-After, as for every door.
func TestThrottled(t *testing.T) {
	s := apptest.Start(t, eastest.SQLite(t))
	bad := &dc{t: t, base: s.URL, user: admin, pass: "Wrong-password-1"}
	for i := 0; i < 10; i++ {
		r := bad.do("PROPFIND", "/dav/", "")
		if r.code == http.StatusServiceUnavailable {
			if ra, err := strconv.Atoi(r.hdr.Get("Retry-After")); err != nil || ra < 1 {
				t.Fatalf("Retry-After = %q", r.hdr.Get("Retry-After"))
			}
			return
		}
		if r.code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.code)
		}
	}
	t.Fatal("ten failures and no throttling")
}
