package main_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestMailboxListAndFolders(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.org")
		c.ok("account", "create", "fay@example.org")
		msg := func(subject, body string) string {
			return "From: Gil <gil@example.net>\r\nTo: fay@example.org\r\nSubject: " + subject + "\r\nDate: Mon, 1 Jun 2026 10:00:00 +0000\r\n\r\n" + body + "\r\n"
		}
		for _, m := range []string{msg("First", "secret body one"), msg("Second\r\n folded", "secret body two")} {
			if r := c.run(m, "mailbox", "deliver", "fay@example.org"); r.code != 0 {
				t.Fatalf("deliver: %d %s", r.code, r.err)
			}
		}
		var list []struct {
			ID      uint64   `json:"id"`
			Date    string   `json:"date"`
			From    string   `json:"from"`
			Subject string   `json:"subject"`
			Size    int64    `json:"size"`
			Flags   []string `json:"flags"`
		}
		out := c.ok("mailbox", "list", "fay@example.org", "--json")
		if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 2 {
			t.Fatalf("list --json: %v %q", err, out)
		}
		if list[0].Subject != "First" || !strings.Contains(list[0].From, "gil@example.net") || list[0].Size < 50 || len(list[0].Flags) != 0 || list[0].Date == "" {
			t.Fatalf("first message: %+v", list[0])
		}
		if strings.Contains(out, "secret body") {
			t.Fatal("list printed a body")
		}

		// A flag set elsewhere (EAS, IMAP) shows; a deleted message does not.
		st := storetest.Open(t, b)
		yes := true
		if _, err := st.UpdateItem(t.Context(), accountIDOf(t, st, "fay@example.org"), list[0].ID, store.ItemPatch{Read: &yes, Flagged: &yes}); err != nil {
			t.Fatal(err)
		}
		table := c.ok("mailbox", "list", "FAY@example.org", "--folder", "inbox")
		if !regexp.MustCompile(`(?m)^ID\s+DATE\s+FROM\s+SUBJECT\s+SIZE\s+FLAGS\n\d+\s+2026-06-01T10:00:00Z\s+"?Gil"? <gil@example.net>\s+First\s+\d+\s+seen,flagged\n\d+\s+.*Second folded\s+\d+\s*\n$`).MatchString(table) {
			t.Fatalf("table:\n%s", table)
		}
		if err := st.DeleteItem(t.Context(), accountIDOf(t, st, "fay@example.org"), list[1].ID); err != nil {
			t.Fatal(err)
		}
		if out := c.ok("mailbox", "list", "fay@example.org", "--json"); strings.Contains(out, "Second") {
			t.Fatalf("a deleted message is listed: %s", out)
		}
		if out := c.ok("mailbox", "list", "fay@example.org", "--folder", "Sent Items", "--json"); strings.TrimSpace(out) != "[]" {
			t.Fatalf("empty folder: %q", out)
		}

		var folders []struct {
			Path, Type, Class string
			Items             int64
			ChangeSeq         int64 `json:"changeSeq"`
		}
		if err := json.Unmarshal([]byte(c.ok("mailbox", "folders", "fay@example.org", "--json")), &folders); err != nil || len(folders) != 9 {
			t.Fatalf("folders: %v %+v", err, folders)
		}
		byPath := map[string]int{}
		for i, f := range folders {
			byPath[f.Path] = i
		}
		inbox, contacts := folders[byPath["Inbox"]], folders[byPath["Contacts"]]
		if inbox.Type != "inbox" || inbox.Class != "Email" || inbox.Items != 1 || inbox.ChangeSeq < 3 || contacts.Type != "contacts" || contacts.Class != "Contacts" || contacts.Items != 0 {
			t.Fatalf("inbox %+v, contacts %+v", inbox, contacts)
		}
		if table := c.ok("mailbox", "folders", "fay@example.org"); !regexp.MustCompile(`(?m)^\d+\s+Inbox\s+inbox\s+Email\s+1\s+\d+$`).MatchString(table) {
			t.Fatalf("folders table:\n%s", table)
		}

		c.fails(1, "account nobody@example.org does not exist", "mailbox", "list", "nobody@example.org")
		c.fails(1, "account nobody@example.org does not exist", "mailbox", "folders", "nobody@example.org")
		c.fails(1, `folder "Nope" does not exist`, "mailbox", "list", "fay@example.org", "--folder", "Nope")
		c.fails(2, "usage", "mailbox", "list")
		c.fails(2, "usage", "mailbox", "folders", "a@example.org", "b@example.org")
		c.fails(2, "unknown flag", "mailbox", "list", "fay@example.org", "--body")
	})
}

func accountIDOf(t *testing.T, st *store.Store, email string) uint64 {
	t.Helper()
	a, err := st.AccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
