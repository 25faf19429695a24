package submission_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/submission"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// run runs a client nobody here wrote and returns its output and exit code.
func run(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out), 0
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "message.eml")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// smtplibScript sends with Python's smtplib: STARTTLS (or SMTP_SSL) and login, then
// send_message, which takes the envelope from To/Cc/Bcc and leaves the Bcc header out.
const smtplibScript = `
import smtplib, ssl, sys
from email.message import EmailMessage
port, implicit, user, secret, subject = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
msg = EmailMessage()
msg["From"] = "Alice <alice@example.com>"
msg["To"] = "bob@example.com"
msg["Bcc"] = "carol@example.com"
msg["Subject"] = subject
msg.set_content("sent by smtplib, marker-5c1e")
try:
    if implicit:
        s = smtplib.SMTP_SSL("127.0.0.1", port, context=ctx, timeout=20)
    else:
        s = smtplib.SMTP("127.0.0.1", port, timeout=20)
        s.starttls(context=ctx)
    s.login(user, secret)
    s.send_message(msg)
    s.quit()
    print("SENT")
except smtplib.SMTPAuthenticationError as e:
    print("AUTHFAIL", e.smtp_code, e.smtp_error.decode())
    sys.exit(3)
`

func TestPythonSmtplib(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		for i, port := range []int{e.port, e.tlsPort} {
			implicit := strconv.Itoa(i)
			subject := "smtplib " + implicit
			out, code := run(t, py, "-c", smtplibScript, strconv.Itoa(port), implicit, "alice@example.com", e.passcode["alice@example.com"], subject)
			if code != 0 || !strings.Contains(out, "SENT") {
				t.Fatalf("smtplib (implicit TLS %s): exit %d\n%s", implicit, code, out)
			}
			for _, who := range []string{"bob@example.com", "carol@example.com"} {
				got := e.inbox(t, who)
				if len(got) != i+1 || got[i].Subject != subject || !strings.Contains(string(got[i].MIME), "marker-5c1e") {
					t.Fatalf("%s inbox after %q: %d items", who, subject, len(got))
				}
			}
		}
		// An EAS password does not open submission.
		out, code := run(t, py, "-c", smtplibScript, strconv.Itoa(e.port), "0", "alice@example.com", e.easPass, "refused")
		if code != 3 || !strings.Contains(out, "AUTHFAIL 535") {
			t.Fatalf("smtplib with the EAS password: exit %d\n%s", code, out)
		}
	})
}

func TestSwaks(t *testing.T) {
	bin := testenv.RequireTool(t, "swaks", "swaks")
	if exec.Command("perl", "-MNet::SSLeay", "-e", "1").Run() != nil { // swaks' TLS
		testenv.Missing(t, "Net::SSLeay (swaks --tls)", "apt-get install libnet-ssleay-perl")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		swaks := func(subject, mech, secret string, implicit bool) (string, int) {
			file := writeFile(t, message(subject, "swaks-marker", "To: bob@example.com"))
			args := []string{"--server", "127.0.0.1", "--from", "alice@example.com", "--to", "bob@example.com",
				"--auth", mech, "--auth-user", "alice@example.com", "--auth-password", secret, "--data", "@" + file, "--timeout", "20"}
			if implicit {
				args = append(args, "--port", strconv.Itoa(e.tlsPort), "--tlsc")
			} else {
				args = append(args, "--port", strconv.Itoa(e.port), "--tls")
			}
			return run(t, bin, args...)
		}
		for i, c := range []struct {
			mech     string
			implicit bool
		}{{"PLAIN", false}, {"LOGIN", false}, {"PLAIN", true}} {
			subject := "swaks " + c.mech + " " + strconv.FormatBool(c.implicit)
			out, code := swaks(subject, c.mech, e.passcode["alice@example.com"], c.implicit)
			if code != 0 || !strings.Contains(out, "235 2.0.0") {
				t.Fatalf("%s: exit %d\n%s", subject, code, out)
			}
			if got := e.inbox(t, "bob@example.com"); len(got) != i+1 || got[i].Subject != subject {
				t.Fatalf("bob's inbox after %q: %d items", subject, len(got))
			}
		}
		// Without TLS swaks is refused AUTH (it is not even offered).
		file := writeFile(t, message("plain", "x", "To: bob@example.com"))
		out, code := run(t, bin, "--server", "127.0.0.1", "--port", strconv.Itoa(e.port), "--from", "alice@example.com",
			"--to", "bob@example.com", "--auth", "PLAIN", "--auth-user", "alice@example.com",
			"--auth-password", e.passcode["alice@example.com"], "--data", "@"+file, "--timeout", "20")
		if code == 0 || strings.Contains(out, "235 ") {
			t.Fatalf("swaks without TLS: exit %d\n%s", code, out)
		}
		// A deleted passcode is refused.
		if err := e.creds.Delete(t.Context(), e.accounts["alice@example.com"], e.passcodeID, ""); err != nil {
			t.Fatal(err)
		}
		out, code = swaks("deleted", "PLAIN", e.passcode["alice@example.com"], false)
		if code == 0 || !strings.Contains(out, "535 5.7.8") {
			t.Fatalf("swaks with a deleted passcode: exit %d\n%s", code, out)
		}
		if got := e.inbox(t, "bob@example.com"); len(got) != 3 {
			t.Fatalf("bob's inbox = %d items, want the 3 sent with a valid login", len(got))
		}
	})
}

func TestCurl(t *testing.T) {
	bin := testenv.RequireTool(t, "curl", "curl")
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, submission.Options{}, "")
		curl := func(url, secret, subject string) (string, int) {
			file := writeFile(t, message(subject, "curl-marker", "To: bob@example.com"))
			return run(t, bin, "-sS", "--ssl-reqd", "--insecure", url, "--mail-from", "alice@example.com",
				"--mail-rcpt", "bob@example.com", "-u", "alice@example.com:"+secret, "-T", file, "--max-time", "20")
		}
		for i, url := range []string{"smtp://127.0.0.1:" + strconv.Itoa(e.port), "smtps://127.0.0.1:" + strconv.Itoa(e.tlsPort)} {
			out, code := curl(url, e.passcode["alice@example.com"], "curl "+url)
			if code != 0 {
				t.Fatalf("curl %s: exit %d\n%s", url, code, out)
			}
			if got := e.inbox(t, "bob@example.com"); len(got) != i+1 || got[i].Subject != "curl "+url {
				t.Fatalf("bob's inbox after curl %s: %d items", url, len(got))
			}
		}
		// curl exits 67 (login denied) for the EAS password and for someone else's address.
		if out, code := curl("smtp://127.0.0.1:"+strconv.Itoa(e.port), e.easPass, "eas"); code != 67 {
			t.Fatalf("curl with the EAS password: exit %d, want 67\n%s", code, out)
		}
		file := writeFile(t, message("spoof", "x", "To: bob@example.com"))
		out, code := run(t, bin, "-sS", "--ssl-reqd", "--insecure", "smtp://127.0.0.1:"+strconv.Itoa(e.port), "--mail-from", "bob@example.com",
			"--mail-rcpt", "bob@example.com", "-u", "alice@example.com:"+e.passcode["alice@example.com"], "-T", file, "--max-time", "20")
		if code == 0 || !strings.Contains(out, "553") {
			t.Fatalf("curl with bob's address as the sender: exit %d\n%s", code, out)
		}
		if got := e.inbox(t, "bob@example.com"); len(got) != 2 {
			t.Fatalf("bob's inbox = %d items, want 2", len(got))
		}
	})
}
