package lmtp_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// needSwaks finds Debian's swaks. Without it the test is skipped, except under CI, where that
// is a failure: the test would otherwise pass there without having run.
func needSwaks(t *testing.T) string {
	t.Helper()
	return testenv.RequireTool(t, "swaks", "swaks")
}

// swaks talks to the server as the MTA would and returns swaks' transcript and exit code.
func swaks(t *testing.T, bin string, e *env, to, data string) (string, int) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "message.eml")
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--protocol", "LMTP", "--server", "127.0.0.1", "--port", e.portString(),
		"--to", to, "--from", "x@example.org", "--data", "@"+file, "--timeout", "20")
	out, err := cmd.CombinedOutput()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("swaks transcript:\n%s", out)
		}
	})
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("swaks: %v\n%s", err, out)
	}
	return string(out), 0
}

// replied reports whether the transcript has a server line with this code and text, e.g.
// "250 2.0.0 <a@example.com>". swaks marks server lines with "<-" (or "<**" for errors).
func replied(out, line string) bool {
	return regexp.MustCompile(`(?m)^ *<(-|\*\*) +` + regexp.QuoteMeta(line)).MatchString(out)
}

func TestSwaksDeliversToEachRecipient(t *testing.T) {
	bin := needSwaks(t)
	e := newEnv(t, lmtp.Options{Domain: "mx.test"}, nil)
	changes, stop := e.notifier.Subscribe(e.ids["a@example.com"])
	defer stop()

	out, code := swaks(t, bin, e, "a@example.com,b@example.com", message("Hello over LMTP", "body-marker-7f3a"))
	if code != 0 {
		t.Fatalf("swaks exit code %d", code)
	}
	for _, want := range []string{"220 mx.test LMTP", "250 2.0.0 <a@example.com>", "250 2.0.0 <b@example.com>"} {
		if !replied(out, want) {
			t.Errorf("no %q reply in the transcript", want)
		}
	}
	for _, who := range []string{"a@example.com", "b@example.com"} {
		items := e.inbox(t, who)
		if len(items) != 1 || items[0].Subject != "Hello over LMTP" || !strings.Contains(string(items[0].MIME), "body-marker-7f3a") {
			t.Fatalf("%s inbox = %+v", who, items)
		}
	}
	select {
	case c := <-changes:
		if c.FolderID != e.inboxID(t, "a@example.com") {
			t.Fatalf("woke with %+v, not a's Inbox", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("delivery woke no subscriber of a@example.com")
	}
	e.close(t) // every log line is written once Close returns
	logged := e.log.String()
	item := e.inbox(t, "a@example.com")[0]
	if !regexp.MustCompile(`msg="lmtp: delivered" recipient=a@example.com size=\d+ item=` + itoa(item.ID)).MatchString(logged) {
		t.Errorf("delivery of item %d not logged:\n%s", item.ID, logged)
	}
	if strings.Contains(logged, "body-marker-7f3a") {
		t.Errorf("the body reached the log:\n%s", logged)
	}
}

func TestSwaksUnknownRecipientDoesNotStopTheOthers(t *testing.T) {
	bin := needSwaks(t)
	e := newEnv(t, lmtp.Options{}, nil)
	out, code := swaks(t, bin, e, "nobody@example.com,locked@example.com,a@example.com,closed@example.com",
		message("Partly deliverable", "hello"))
	if code != 0 {
		t.Fatalf("swaks exit code %d, want 0: one recipient was accepted", code)
	}
	for _, want := range []string{"550 5.1.1", "250 2.0.0 <a@example.com>"} {
		if !replied(out, want) {
			t.Errorf("no %q reply in the transcript", want)
		}
	}
	if n := strings.Count(out, "550 5.1.1 No such user here"); n != 3 {
		t.Errorf("%d recipients got 550 5.1.1, want 3 (unknown, locked, closed)", n)
	}
	if items := e.inbox(t, "a@example.com"); len(items) != 1 || items[0].Subject != "Partly deliverable" {
		t.Fatalf("a's inbox = %+v", items)
	}
	for _, who := range []string{"locked@example.com", "closed@example.com"} {
		if items := e.inbox(t, who); len(items) != 0 {
			t.Errorf("%s (not active) got %d items", who, len(items))
		}
	}
}

func TestSwaksOversizeIsRefusedForEveryRecipient(t *testing.T) {
	bin := needSwaks(t)
	e := newEnv(t, lmtp.Options{MaxSize: 1024}, nil)
	out, code := swaks(t, bin, e, "a@example.com,b@example.com", message("Too big", strings.Repeat("x", 70)+strings.Repeat("\r\n"+strings.Repeat("x", 70), 30)))
	if code != 26 { // swaks: "server did not accept mail following data"
		t.Fatalf("swaks exit code %d, want 26", code)
	}
	for _, want := range []string{"552 5.3.4 <a@example.com>", "552 5.3.4 <b@example.com>"} {
		if !replied(out, want) {
			t.Errorf("no %q reply in the transcript", want)
		}
	}
	for _, who := range []string{"a@example.com", "b@example.com"} {
		if items := e.inbox(t, who); len(items) != 0 {
			t.Errorf("%s got %d items of an oversize message", who, len(items))
		}
	}
}
