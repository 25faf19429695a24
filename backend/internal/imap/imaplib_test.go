package imap_test

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Python's imaplib, a client nobody here wrote, through a desktop client's session: login with
// an application passcode, list, select, fetch, store, search, append, copy, move, expunge, idle.
func TestPythonImaplib(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")})
	e.deliver("Alice <alice@example.org>", "Quarterly report", "numbers")
	e.deliver("Bob <bob@example.org>", "Lunch?", "pizza")
	host, port, _ := strings.Cut(e.addr, ":")
	cmd := exec.Command(py, "testdata/imaplib_client.py", host, port, userEmail, e.pass)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ": ")
		got[k] = v
		t.Log(sc.Text())
		if k == "idle_start" {
			e.waitIdle(1)
			e.deliver("carol@example.org", "during idle", "z")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("imaplib: %v\n%s", err, stderr.String())
	}
	for k, want := range map[string]string{
		"login": "ok", "exists": "2", "search_seen": "1", "search_from": "2", "search_or": "1 2",
		"search_text": "1", "search_body": "2", "search_subject_not_body": "", "search_utf8": "1",
		"archive": "2", "exists_after": "0", "idle_update": "* 1 EXISTS", "idle_done": "OK IDLE completed", "logout": "ok",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for k, parts := range map[string][]string{
		"list":   {`"/" INBOX`, `\Sent`, `\Drafts`, `\Trash`},
		"fetch1": {"FLAGS ()", "Quarterly report", "RFC822.SIZE"},
		"body1":  {"Subject: Quarterly report", "numbers"},
		"append": {"OK", "APPENDUID"},
		"copy":   {"OK", "COPYUID"},
		"move":   {"OK"},
	} {
		for _, p := range parts {
			if !strings.Contains(got[k], p) {
				t.Errorf("%s = %q, lacks %q", k, got[k], p)
			}
		}
	}
	// The flags imaplib set are what the phone sees.
	arch, _ := e.find("Archive")
	idx, err := e.app.Mailbox.Index(context.Background(), e.acct.ID, arch.ID, 0)
	if err != nil || len(idx) != 2 || !idx[0].Read || !idx[0].Flagged {
		t.Fatalf("Archive = %+v, %v", idx, err)
	}
}
