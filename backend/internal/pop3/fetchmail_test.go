package pop3_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// fetchmail runs Debian's fetchmail once against the plain door, delivering every message it
// fetches to out through an MDA. tls: STLS required with the test certificate checked;
// otherwise plaintext (the loopback setting). It returns fetchmail's exit code (0: mail
// fetched, 1: no mail) and its output.
func fetchmail(t *testing.T, e *env, dir string, tls, keep bool, out string) (int, string) {
	t.Helper()
	bin := testenv.RequireTool(t, "fetchmail", "fetchmail")
	host, port, _ := strings.Cut(e.addr, ":")
	rc := "set no bouncemail\n" +
		"poll " + host + " port " + port + " proto POP3 auth password timeout 30 uidl\n" +
		`  user "` + userEmail + `" there with password "` + e.passcode + `" is "tester" here` + "\n"
	if tls {
		rc += `  sslproto "tls1.2+" sslcertck sslcertfile "` + e.certFile(t) + `" sslcommonname "localhost"` + "\n"
	} else {
		rc += `  sslproto ""` + "\n"
	}
	if keep {
		rc += "  keep\n"
	} else {
		rc += "  no keep fetchall\n"
	}
	rc += `  mda "cat >> ` + out + `"` + "\n"
	rcPath := filepath.Join(dir, "fetchmailrc")
	if err := os.WriteFile(rcPath, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-f", rcPath, "--idfile", filepath.Join(dir, "fetchids"), "--pidfile", filepath.Join(dir, "pid"), "-v", "--nodetach")
	cmd.Env = append(os.Environ(), "HOME="+dir, "FETCHMAILHOME="+dir)
	b, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("fetchmail: %v", err)
	}
	return code, string(b)
}

func subjects(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if s, ok := strings.CutPrefix(strings.TrimRight(l, "\r"), "Subject: "); ok {
			out = append(out, s)
		}
	}
	return out
}

// With STLS and keep, fetchmail fetches each message once (it remembers the UIDLs) and leaves
// them; without keep it fetches the rest and deletes everything. The same in plaintext on
// loopback with the setting.
func TestFetchmail(t *testing.T) {
	for _, tls := range []bool{true, false} {
		name := "stls"
		if !tls {
			name = "plaintext-loopback"
		}
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				e := newEnv(t, st, pop3.Options{PlaintextLoopback: !tls})
				dir := t.TempDir()
				out := filepath.Join(dir, "mbox")
				ids := e.deliver(t, msg("m one", "1\r\n"), msg("m two", "2\r\n"))
				if code, log := fetchmail(t, e, dir, tls, true, out); code != 0 {
					t.Fatalf("fetchmail keep: exit %d\n%s", code, log)
				}
				if got := subjects(t, out); strings.Join(got, ",") != "m one,m two" {
					t.Errorf("fetched %q", got)
				}
				if live := e.live(t); len(live) != 2 {
					t.Errorf("keep deleted: live %v", live)
				}
				e.deliver(t, msg("m three", "3\r\n"))
				if code, log := fetchmail(t, e, dir, tls, true, out); code != 0 {
					t.Fatalf("fetchmail keep again: exit %d\n%s", code, log)
				}
				if got := subjects(t, out); strings.Join(got, ",") != "m one,m two,m three" {
					t.Errorf("second keep run: fetched %q, want only the new one added", got)
				}
				os.Remove(out)
				code, log := fetchmail(t, e, dir, tls, false, out)
				if code != 0 {
					t.Fatalf("fetchmail no keep: exit %d\n%s", code, log)
				} else if tls && !strings.Contains(log, "STLS") {
					t.Errorf("fetchmail did not use STLS:\n%s", log)
				}
				if got := subjects(t, out); len(got) != 3 {
					t.Errorf("no keep fetched %q, want all 3", got)
				}
				if live := e.live(t); len(live) != 0 {
					t.Errorf("no keep left %v", live)
				}
				if ts := e.tombstones(t); !ts[ids[0]] || !ts[ids[1]] {
					t.Errorf("tombstones %v", ts)
				}
				if code, log := fetchmail(t, e, dir, tls, false, out); code != 1 {
					t.Errorf("fetchmail on an empty Inbox: exit %d, want 1 (no mail)\n%s", code, log)
				}
			})
		})
	}
}
