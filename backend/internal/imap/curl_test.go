package imap_test

import (
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// curl's IMAP client: LIST, a message by UID, a SEARCH.
func TestCurl(t *testing.T) {
	bin := testenv.RequireTool(t, "curl", "curl")
	e := start(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")})
	it := e.deliver("Alice <alice@example.org>", "Hello from curl", "curl body text")
	base := fmt.Sprintf("imap://%s", e.addr)
	curl := func(args ...string) string {
		t.Helper()
		args = append([]string{"-sS", "--max-time", "10", "--user", userEmail + ":" + e.pass}, args...)
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v: %s", args, err, out)
		}
		return string(out)
	}
	if out := curl(base + "/"); !strings.Contains(out, "INBOX") || !strings.Contains(out, "Sent Items") {
		t.Fatalf("LIST: %s", out)
	}
	if out := curl(fmt.Sprintf("%s/INBOX;UID=%d", base, it.UID)); !strings.Contains(out, "Subject: Hello from curl") || !strings.Contains(out, "curl body text") {
		t.Fatalf("fetch: %s", out)
	}
	if out := curl(base + "/INBOX?" + url.PathEscape("SUBJECT curl")); !strings.Contains(out, "SEARCH 1") {
		t.Fatalf("search: %s", out)
	}
	// A wrong passcode is refused.
	out, err := exec.Command(bin, "-sS", "--max-time", "10", "--user", userEmail+":wrong", base+"/").CombinedOutput()
	if err == nil {
		t.Fatalf("wrong passcode accepted: %s", out)
	}
}
