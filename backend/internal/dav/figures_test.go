package dav_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// The figures of docs/performance.md (DAV section): sync-collection on a 10,000-event
// calendar with one change, PROPFIND depth 1 of a 10,000-contact address book, and PUTs of
// client-named contacts into it. Off by
// default (it fills two folders); TESSERA_DAV_FIGURES=1 to run.
func TestLargeCollectionFigures(t *testing.T) {
	if os.Getenv("TESSERA_DAV_FIGURES") == "" {
		t.Skip("set TESSERA_DAV_FIGURES=1 to measure")
	}
	const n = 10000
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		c := &dc{t: t, base: s.URL, user: admin, pass: passcode(t, eastest.AdminClient(t, s), "app_passcode")}
		ctx := t.Context()
		acct, _ := s.App.Accounts.Get(ctx, admin)
		cal, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, 8)
		ab, _ := s.App.Mailbox.FolderByType(ctx, acct.ID, 9)
		began := time.Now()
		for i := 0; i < n; i++ {
			start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
			ev := fmt.Sprintf(`{"subject":"Event %d","start":%q,"end":%q,"busyStatus":2,"uid":"ev-%d@test"}`,
				i, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339), i)
			if _, err := s.App.Mailbox.AddPIM(ctx, acct.ID, cal.ID, "Calendar", fmt.Sprintf("Event %d", i), ev); err != nil {
				t.Fatal(err)
			}
			ct := fmt.Sprintf(`{"fileAs":"Person %d","firstName":"Person","lastName":"%d","email1":"p%d@example.org","mobilePhone":"+49 170 %07d"}`, i, i, i, i)
			if _, err := s.App.Mailbox.AddPIM(ctx, acct.ID, ab.ID, "Contacts", fmt.Sprintf("Person %d", i), ct); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("filled %d events and %d contacts in %v", n, n, time.Since(began))
		calColl := "/dav/calendars/admin@example.com/" + itoa(cal.ID) + "/"
		abColl := "/dav/addressbooks/admin@example.com/" + itoa(ab.ID) + "/"

		tok := syncToken(t, c.expect(http.StatusMultiStatus, "REPORT", calColl, syncReport("")).body)
		c.expect(http.StatusCreated, "PUT", calColl+"weekly.ics", weekly, "Content-Type", "text/calendar")
		for i := 0; i < 3; i++ {
			began = time.Now()
			r := c.expect(http.StatusMultiStatus, "REPORT", calColl, syncReport(tok))
			t.Logf("sync-collection, 1 change in %d events: %v, %d bytes", n, time.Since(began), len(r.body))
		}
		began = time.Now()
		r := c.expect(http.StatusMultiStatus, "REPORT", calColl, syncReport(""))
		t.Logf("sync-collection, initial (all %d events, etags): %v, %d bytes", n+1, time.Since(began), len(r.body))
		for i := 0; i < 3; i++ {
			began = time.Now()
			r = c.expect(http.StatusMultiStatus, "PROPFIND", abColl, propfind("<d:getetag/>"), "Depth", "1")
			t.Logf("PROPFIND depth 1 getetag, %d contacts: %v, %d bytes", n, time.Since(began), len(r.body))
		}
		for i := 0; i < 3; i++ {
			began = time.Now()
			name := fmt.Sprintf("new-%d.vcf", i)
			c.expect(http.StatusCreated, "PUT", abColl+name, strings.Replace(contactVCF, "carla-1@test", name, 1), "Content-Type", "text/vcard")
			t.Logf("PUT of a new contact into %d: %v", n, time.Since(began))
		}
		began = time.Now()
		c.expect(http.StatusNoContent, "PUT", abColl+"new-0.vcf", contactVCF, "Content-Type", "text/vcard")
		t.Logf("PUT replacing a client-named contact among %d: %v", n, time.Since(began))
	})
}
