package imap_test

import (
	"context"
	"strings"
	"testing"
)

// A large folder's index is kept between SELECTs (foldercache.go) and brought up to date
// from the folder's changes: a SELECT served from it must answer exactly what a server that
// reads the whole folder answers, after changes made through other doors and sessions.
func TestSelectOfKeptFolder(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.fillFast(2500) // 2,500 messages: over the size from which a folder's index is kept
		inbox := e.inbox()
		first := e.login()
		first.ok("SELECT INBOX")
		kept, ok := e.srv.KeptSeen(inbox.ID)
		if !ok {
			t.Fatal("the Inbox of 2,500 messages is not kept after SELECT")
		}
		first.ok("LOGOUT")

		// Changes the kept index has not seen: a phone reads one message and deletes another, a
		// delivery, another session's keyword and \Deleted with EXPUNGE.
		idx, err := e.app.Mailbox.Index(ctx, e.acct.ID, inbox.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		read := true
		if _, err := e.app.Mailbox.SetFlags(ctx, e.acct.ID, idx[10].ID, &read, nil); err != nil {
			t.Fatal(err)
		}
		if err := e.app.Mailbox.Delete(ctx, e.acct.ID, idx[20].ID); err != nil {
			t.Fatal(err)
		}
		e.deliver("late@example.org", "after the SELECT", "new")
		other := e.login()
		other.ok("SELECT INBOX")
		other.ok("UID STORE %d +FLAGS ($Label1)", idx[30].UID)
		other.ok("UID STORE %d +FLAGS (\\Deleted)", idx[40].UID)
		other.ok("EXPUNGE")
		other.ok("LOGOUT")

		warm := e.login()
		gotSelect := warm.ok("SELECT INBOX")
		if seen, _ := e.srv.KeptSeen(inbox.ID); seen <= kept {
			t.Fatalf("the kept index did not take the changes in (seen %d, was %d)", seen, kept)
		}
		gotFetch := warm.ok("UID FETCH 1:* (FLAGS)")

		// The truth: a second server on the same database, which keeps nothing yet.
		cold := e.fresh().login()
		wantSelect := cold.ok("SELECT INBOX")
		wantFetch := cold.ok("UID FETCH 1:* (FLAGS)")
		if strings.Join(gotSelect, "\n") != strings.Join(wantSelect, "\n") {
			t.Errorf("SELECT from the kept index:\n%s\nwant\n%s", strings.Join(gotSelect, "\n"), strings.Join(wantSelect, "\n"))
		}
		if len(gotFetch) != 2499 || strings.Join(gotFetch, "\n") != strings.Join(wantFetch, "\n") {
			t.Errorf("FETCH after SELECT from the kept index: %d lines, want 2,499 (one delivered, two deleted) and the cold server's %d", len(gotFetch), len(wantFetch))
			for i := range min(len(gotFetch), len(wantFetch)) {
				if gotFetch[i] != wantFetch[i] {
					t.Fatalf("first difference: %q, want %q", gotFetch[i], wantFetch[i])
				}
			}
		}
		mustHave(t, gotFetch, "$Label1")
		mustHave(t, gotSelect, "* 2499 EXISTS")
		mustHave(t, gotFetch, "\\Seen")
	})
}
