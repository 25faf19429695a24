package eas_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A held Ping's wake reads the device's states and the folder tree at once (ping.go check): its
// answer still names only the watched folders that changed, a folder the account does not have
// still ends the Ping with Status 7, and a folder the device never synced never wakes it.
func TestPingWakeNamesTheChangedFolder(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p := eastest.NewPhone(t, s, "14.1", "dev1")
		if _, err := p.Provision(); err != nil {
			t.Fatal(err)
		}
		fs := must(p.FolderSync("0")).Body
		inbox, sent, deleted := eastest.FolderOfType(fs, "2"), eastest.FolderOfType(fs, "5"), eastest.FolderOfType(fs, "4")
		inboxKey := eastest.InitialKey(t, p, inbox)
		eastest.InitialKey(t, p, sent)
		acct, err := s.App.Accounts.Get(t.Context(), admin)
		if err != nil {
			t.Fatal(err)
		}
		ping := func(folders ...string) <-chan *easclient.Response {
			out := make(chan *easclient.Response, 1)
			go func() { r, _ := p.Do("Ping", eastest.PingBody("300", folders...)); out <- r }()
			return out
		}
		answer := func(what string, ch <-chan *easclient.Response, status string, folders ...string) {
			t.Helper()
			select {
			case r := <-ch:
				var got []string
				if f := r.Body.Child("Folders"); f != nil {
					for _, n := range f.All("Folder") {
						got = append(got, n.Text)
					}
				}
				if r.Body.TextOf("Status") != status || len(got) != len(folders) || (len(got) == 1 && got[0] != folders[0]) {
					t.Fatalf("%s: %s, want Status %s with %v", what, r.Body, status, folders)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: no answer", what)
			}
		}
		folderID := func(f string) uint64 { n, _ := strconv.ParseUint(f, 10, 64); return n }

		held := ping(inbox, sent)
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
		if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(1)); err != nil {
			t.Fatal(err)
		}
		answer("a delivery to the Inbox", held, "2", inbox)
		must(p.SyncOne(inbox, inboxKey)) // the phone takes the new mail

		held = ping(inbox, sent)
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
		if _, err := s.App.Mailbox.Store(t.Context(), acct.ID, folderID(sent), eastest.Mail(2), true); err != nil {
			t.Fatal(err)
		}
		answer("a message stored in Sent Items", held, "2", sent)
		// Sent Items was not synced since: the next Ping answers at once, naming it alone.
		answer("a Ping with a change pending", ping(inbox, sent), "2", sent)

		answer("a folder the account does not have", ping(inbox, "999999"), "7")

		// Deleted Items was never synced by the device: a message there wakes nothing.
		held = ping(deleted)
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
		if _, err := s.App.Mailbox.Store(t.Context(), acct.ID, folderID(deleted), eastest.Mail(3), true); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-held:
			t.Fatalf("a Ping on a folder never synced woke: %s", r.Body)
		case <-time.After(500 * time.Millisecond):
		}
		newer := ping(deleted)
		answer("the older Ping, superseded", held, "1")
		eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() == 1 })
		s.App.EAS.Shutdown()
		answer("the newer Ping at shutdown", newer, "1")
	})
}
