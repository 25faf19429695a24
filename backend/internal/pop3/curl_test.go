package pop3_test

import (
	"os/exec"
	"strconv"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// curl lists (LIST) and retrieves (RETR) over STLS (pop3:// with --ssl-reqd) and implicit TLS
// (pop3s://), checking the test certificate; a wrong secret is "login denied" (exit 67).
func TestCurl(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		bin := testenv.RequireTool(t, "curl", "curl")
		e := newEnv(t, st, pop3.Options{})
		raw := msg("curl", "body line\r\n.dot\r\n")
		e.deliver(t, msg("other", "x\r\n"), raw)
		ca := e.certFile(t)
		run := func(url, secret string, extra ...string) (string, int) {
			args := append([]string{"-sS", "--max-time", "20", "--cacert", ca, "-u", userEmail + ":" + secret, url}, extra...)
			out, err := exec.Command(bin, args...).CombinedOutput()
			if ee, ok := err.(*exec.ExitError); ok {
				return string(out), ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			return string(out), 0
		}
		for _, base := range []string{"pop3://" + e.addr, "pop3s://" + e.tlsAddr} {
			out, code := run(base+"/", e.passcode, "--ssl-reqd")
			want := "1 " + strconv.Itoa(len(msg("other", "x\r\n"))) + "\r\n2 " + strconv.Itoa(len(raw)) + "\r\n"
			if code != 0 || out != want {
				t.Errorf("curl LIST %s: exit %d, %q, want %q", base, code, out, want)
			}
			out, code = run(base+"/2", e.passcode, "--ssl-reqd")
			if code != 0 || out != raw {
				t.Errorf("curl RETR %s: exit %d, %q, want %q", base, code, out, raw)
			}
			if out, code := run(base+"/", e.easPass, "--ssl-reqd"); code != 67 {
				t.Errorf("curl with the EAS password %s: exit %d (%s), want 67", base, code, out)
			}
		}
		// Without TLS the login is refused, not sent in the clear.
		if out, code := run("pop3://"+e.addr+"/", e.passcode); code == 0 {
			t.Errorf("curl without TLS logged in: %q", out)
		}
		if live := e.live(t); len(live) != 2 {
			t.Errorf("curl changed the Inbox: %v", live)
		}
	})
}
