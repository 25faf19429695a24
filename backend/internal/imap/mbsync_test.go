package imap_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Debian's mbsync (isync): a full two-way sync of every mailbox to a local Maildir and back,
// flags included.
func TestMbsync(t *testing.T) {
	bin := testenv.RequireTool(t, "mbsync", "isync")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")})
	ctx := context.Background()
	first := e.deliver("Alice <alice@example.org>", "Quarterly report", "numbers")
	second := e.deliver("Bob <bob@example.org>", "Lunch?", "pizza")
	tr := true
	if _, err := e.app.Mailbox.SetFlags(ctx, e.acct.ID, second.ID, nil, &tr); err != nil { // flagged on the phone
		t.Fatal(err)
	}
	dir := t.TempDir()
	maildir := filepath.Join(dir, "mail")
	if err := os.MkdirAll(maildir, 0o700); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(e.addr, ":")
	cfg := fmt.Sprintf(`IMAPAccount tessera
Host %s
Port %s
User %s
Pass %s
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account tessera

MaildirStore local
Path %s/
Inbox %s/INBOX
SubFolders Verbatim

Channel all
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
Sync All
`, host, port, userEmail, e.pass, maildir, maildir)
	cfgPath := filepath.Join(dir, "mbsyncrc")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		out, err := exec.Command(bin, "-c", cfgPath, "-a").CombinedOutput()
		t.Logf("mbsync: %s", out)
		if err != nil {
			t.Fatalf("mbsync: %v", err)
		}
	}
	run()
	cur := func(box string) []string {
		var names []string
		for _, sub := range []string{"cur", "new"} {
			es, _ := os.ReadDir(filepath.Join(maildir, box, sub))
			for _, x := range es {
				names = append(names, filepath.Join(maildir, box, sub, x.Name()))
			}
		}
		return names
	}
	inbox := cur("INBOX")
	if len(inbox) != 2 {
		t.Fatalf("local INBOX = %v", inbox)
	}
	for _, box := range []string{"Drafts", "Sent Items", "Deleted Items"} {
		if _, err := os.Stat(filepath.Join(maildir, box)); err != nil {
			t.Errorf("mailbox %s not synced: %v", box, err)
		}
	}
	flaggedSeen := false
	var firstFile string
	for _, f := range inbox {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "Lunch?") && strings.Contains(filepath.Base(f), ":2,F") {
			flaggedSeen = true
		}
		if strings.Contains(string(b), "Quarterly") {
			firstFile = f
		}
	}
	if !flaggedSeen {
		t.Fatalf("the phone's flag did not reach the Maildir: %v", inbox)
	}

	// Back: the first message is read locally, the second deleted, a draft written, a folder made.
	if err := os.Rename(firstFile, filepath.Join(maildir, "INBOX", "cur", strings.SplitN(filepath.Base(firstFile), ":", 2)[0]+":2,S")); err != nil {
		t.Fatal(err)
	}
	for _, f := range cur("INBOX") {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "Lunch?") {
			os.Remove(f)
		}
	}
	draft := "From: user@example.com\r\nTo: x@example.org\r\nSubject: local draft\r\n\r\nwritten offline\r\n"
	if err := os.WriteFile(filepath.Join(maildir, "Drafts", "new", "1700000000.1.local"), []byte(draft), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(maildir, "Projects", sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	run()
	got, err := e.app.Mailbox.Item(ctx, e.acct.ID, first.ID)
	if err != nil || !got.Read {
		t.Fatalf("first after sync back: read=%v, %v", got != nil && got.Read, err)
	}
	if _, err := e.app.Mailbox.Item(ctx, e.acct.ID, second.ID); err != mailbox.ErrNoItem {
		t.Fatalf("deleted locally, still live: %v", err)
	}
	drafts := e.folder(mailbox.TypeDrafts)
	idx, _ := e.app.Mailbox.Index(ctx, e.acct.ID, drafts.ID, 0)
	if len(idx) != 1 {
		t.Fatalf("drafts = %+v", idx)
	}
	e.find("Projects")
	// A third run changes nothing.
	run()
	if len(cur("INBOX")) != 1 {
		t.Fatalf("local INBOX after resync = %v", cur("INBOX"))
	}
}
