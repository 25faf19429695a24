package dav_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

const vdirConfig = `[general]
status_path = "%[1]s/status/"

[pair cal]
a = "cal_local"
b = "cal_remote"
collections = ["from b"]

[storage cal_local]
type = "filesystem"
path = "%[1]s/calendars/"
fileext = ".ics"

[storage cal_remote]
type = "caldav"
url = "%[2]s/"
username = "%[3]s"
password = "%[4]s"

[pair ab]
a = "ab_local"
b = "ab_remote"
collections = ["from b"]

[storage ab_local]
type = "filesystem"
path = "%[1]s/contacts/"
fileext = ".vcf"

[storage ab_remote]
type = "carddav"
url = "%[2]s/"
username = "%[3]s"
password = "%[4]s"
`

// Debian's vdirsyncer: two-way sync of the calendar and the address book with local folders.
func TestVdirsyncerTwoWay(t *testing.T) {
	bin := testenv.RequireTool(t, "vdirsyncer", "vdirsyncer")
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		pass := passcode(t, eastest.AdminClient(t, s), "app_passcode")
		c := &dc{t: t, base: s.URL, user: admin, pass: pass}
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		calF, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 8)
		abF, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 9)
		calColl := "/dav/calendars/admin@example.com/" + itoa(calF.ID) + "/"
		abColl := "/dav/addressbooks/admin@example.com/" + itoa(abF.ID) + "/"
		c.expect(http.StatusCreated, "PUT", calColl+"weekly.ics", weekly, "Content-Type", "text/calendar")
		c.expect(http.StatusCreated, "PUT", abColl+"carla.vcf", contactVCF, "Content-Type", "text/vcard")

		dir := t.TempDir()
		cfg := filepath.Join(dir, "config")
		if err := os.WriteFile(cfg, []byte(fmt.Sprintf(vdirConfig, dir, s.URL, admin, pass)), 0o600); err != nil {
			t.Fatal(err)
		}
		run := func(args ...string) string {
			t.Helper()
			cmd := exec.Command(bin, append([]string{"-c", cfg}, args...)...)
			cmd.Stdin = strings.NewReader(strings.Repeat("y\n", 20))
			cmd.Env = append(os.Environ(), "HOME="+dir)
			out, err := cmd.CombinedOutput()
			t.Logf("vdirsyncer %s:\n%s", strings.Join(args, " "), out)
			if err != nil {
				t.Fatalf("vdirsyncer %v: %v", args, err)
			}
			return string(out)
		}
		run("discover")
		run("sync")
		localCal := filepath.Join(dir, "calendars", itoa(calF.ID))
		localAB := filepath.Join(dir, "contacts", itoa(abF.ID))
		// vdirsyncer names its files itself (a UUID when the UID is no safe file name).
		fileWith := func(dir, uid string) string {
			t.Helper()
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if b, _ := os.ReadFile(filepath.Join(dir, e.Name())); strings.Contains(string(b), "UID:"+uid) {
					return filepath.Join(dir, e.Name())
				}
			}
			t.Fatalf("no file with UID %s in %s", uid, dir)
			return ""
		}
		read := func(p string) string {
			t.Helper()
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		if ev := read(fileWith(localCal, "weekly-1@test")); !strings.Contains(ev, "SUMMARY:Jour fixe") || !strings.Contains(ev, "RECURRENCE-ID") {
			t.Fatalf("local event: %s", ev)
		}
		if v := read(fileWith(localAB, "carla-1@test")); !strings.Contains(v, "Carla") {
			t.Fatalf("local contact: %s", v)
		}

		// Local changes go up: a new event, a changed contact.
		newEv := strings.NewReplacer("weekly-1@test", "local-1@test", "SUMMARY:Jour fixe\r\n", "SUMMARY:Made locally\r\n").Replace(weekly)
		if err := os.WriteFile(filepath.Join(localCal, "local-1.ics"), []byte(newEv), 0o600); err != nil {
			t.Fatal(err)
		}
		vcf := strings.Replace(read(fileWith(localAB, "carla-1@test")), "TITLE:Buyer", "TITLE:Head Buyer", 1)
		if err := os.WriteFile(fileWith(localAB, "carla-1@test"), []byte(vcf), 0o600); err != nil {
			t.Fatal(err)
		}
		run("sync")
		stored := func(folder uint64) string {
			items, _ := s.App.Mailbox.Changes(t.Context(), folder, 0, 100)
			var all []string
			for _, it := range items {
				if !it.Deleted {
					all = append(all, it.Props)
				}
			}
			return strings.Join(all, "\n")
		}
		if st := stored(calF.ID); !strings.Contains(st, `"subject":"Made locally"`) {
			t.Fatalf("the local event is not in the store: %s", st)
		}
		if st := stored(abF.ID); !strings.Contains(st, `"jobTitle":"Head Buyer"`) {
			t.Fatalf("the local contact change is not in the store: %s", st)
		}

		// A server change comes down; a local delete goes up.
		changed := strings.Replace(weekly, "LOCATION:Raum Elbe", "LOCATION:Raum Spree", 1)
		c.expect(http.StatusNoContent, "PUT", calColl+"weekly.ics", changed, "Content-Type", "text/calendar")
		if err := os.Remove(filepath.Join(localCal, "local-1.ics")); err != nil {
			t.Fatal(err)
		}
		run("sync")
		if ev := read(fileWith(localCal, "weekly-1@test")); !strings.Contains(ev, "LOCATION:Raum Spree") {
			t.Fatalf("the server change did not come down: %s", ev)
		}
		if st := stored(calF.ID); strings.Contains(st, "Made locally") {
			t.Fatalf("the local delete did not go up: %s", st)
		}
	})
}
