package imap_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Python's imaplib over STARTTLS (login refused before it: no loopback allowance here), then
// ID and CONDSTORE commands sent raw: ENABLE, SELECT (CONDSTORE), FETCH MODSEQ, CHANGEDSINCE
// after a change made through the mailbox service (as EAS does) and a delivery, STATUS
// HIGHESTMODSEQ, a stale STORE UNCHANGEDSINCE refused with MODIFIED, SEARCH MODSEQ.
func TestPythonImaplibCondstore(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")}, envOpts{noPlaintext: true})
	first := e.deliver("Alice <alice@example.org>", "Quarterly report", "numbers")
	e.deliver("Bob <bob@example.org>", "Lunch?", "pizza")
	srv := e.app.NewIMAPServer(selfSigned(t))
	t.Cleanup(func() { srv.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	host, port, _ := strings.Cut(ln.Addr().String(), ":")
	cmd := exec.Command(py, "testdata/condstore_client.py", host, port, userEmail, e.pass)
	stdin, _ := cmd.StdinPipe()
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
		if k == "changed_wait" {
			tr := true
			if _, err := e.app.Mailbox.SetFlags(context.Background(), e.acct.ID, first.ID, nil, &tr); err != nil {
				t.Error(err)
			}
			e.deliver("Carol <carol@example.org>", "third", "z")
			io.WriteString(stdin, "go\n")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("imaplib: %v\n%s", err, stderr.String())
	}
	for k, parts := range map[string][]string{
		"caps_plain":  {"STARTTLS", "LOGINDISABLED", "CONDSTORE", "ID"},
		"login_plain": {"PRIVACYREQUIRED"},
		"caps_tls":    {"AUTH=PLAIN", "CONDSTORE"},
		"login":       {"ok"},
		"id":          {`"name" "Tessera"`},
		"enabled":     {"CONDSTORE"},
		"select":      {"OK"},
		"fetch_all":   {"1 (MODSEQ (", "2 (MODSEQ ("},
		"changed":     {"1 (MODSEQ (", `\Flagged`, "3 (MODSEQ ("},
		"status":      {"MESSAGES 3", "HIGHESTMODSEQ"},
		"store_stale": {"OK"},
		"modified":    {"1"},
		"search":      {"1 3 (MODSEQ"},
		"logout":      {"ok"},
	} {
		for _, p := range parts {
			if !strings.Contains(got[k], p) {
				t.Errorf("%s = %q, lacks %q", k, got[k], p)
			}
		}
	}
	if strings.Contains(got["changed"], "2 (MODSEQ") || strings.Contains(got["caps_tls"], "STARTTLS") {
		t.Errorf("changed = %q, caps_tls = %q", got["changed"], got["caps_tls"])
	}
}
