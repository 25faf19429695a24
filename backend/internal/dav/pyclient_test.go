package dav_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// debianPython is the system Python with Debian's python3-caldav (not a pyenv one).
func debianPython(t *testing.T, module, pkg string) string {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import "+module).Run(); err != nil {
		testenv.Missing(t, pkg, "apt-get install "+pkg)
	}
	return py
}

// Debian's python3-caldav, a client nobody here wrote, against a running server.
func TestPythonCalDAVClient(t *testing.T) {
	py := debianPython(t, "caldav", "python3-caldav")
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		pass := passcode(t, eastest.AdminClient(t, s), "app_passcode")
		out, err := exec.Command(py, "testdata/caldav_client.py", s.URL, admin, pass).CombinedOutput()
		t.Logf("python3-caldav:\n%s", out)
		if err != nil {
			t.Fatalf("client failed: %v", err)
		}
		got := map[string]string{}
		for _, line := range strings.Split(string(out), "\n") {
			if k, v, ok := strings.Cut(line, ": "); ok {
				got[k] = v
			}
		}
		for k, want := range map[string]string{
			"principal":                   s.URL + "/dav/principals/admin@example.com/",
			"calendars":                   "Calendar,Tasks",
			"sync-changed":                "2",
			"search-nov24":                "Standup",
			"search-mar1":                 "Lunch",
			"rrule":                       "FREQ=WEEKLY;COUNT=6;BYDAY=TU",
			"exdate":                      "20261110T090000Z",
			"moved":                       "Standup (moved) 2026-11-18T13:00:00+00:00",
			"extra":                       "kept",
			"modified":                    "Standup (renamed)",
			"todos":                       "File the report",
			"todos-open-after-complete":   "0",
			"new-calendar-events":         "1",
			"calendars-after-make":        "Calendar,Projects,Tasks",
			"calendars-after-delete":      "Calendar,Tasks",
			"uuid-segment-is-name":        "False",
			"uuid-calendar-events":        "1",
			"uuid-calendar-name":          "Work",
			"uuid-calendar-href-kept":     "True",
			"calendars-after-uuid-delete": "Calendar,Tasks",
		} {
			if got[k] != want {
				t.Errorf("%s = %q, want %q", k, got[k], want)
			}
		}
		if left := got["events-left"]; strings.Count(left, ",") != 0 || !strings.HasSuffix(left, ".ics") {
			t.Errorf("events left: %q", left)
		}
		// The store has the task as EAS sees it.
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		tasks, _ := s.App.Mailbox.FolderByType(t.Context(), acct.ID, 7)
		items, _ := s.App.Mailbox.Changes(t.Context(), tasks.ID, 0, 10)
		if len(items) != 1 || !strings.Contains(items[0].Props, `"subject":"File the report"`) || !strings.Contains(items[0].Props, `"importance":2`) ||
			!strings.Contains(items[0].Props, `"complete":true`) {
			t.Errorf("stored task: %+v", items)
		}
	})
}
