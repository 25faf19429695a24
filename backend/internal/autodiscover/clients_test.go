package autodiscover_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

func sqlite(t *testing.T) storetest.Backend {
	return storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")}
}

// Thunderbird's autoconfig, read by python3's xml.etree at both places Thunderbird looks:
// every configured door with its socket type, the address as user name, CalDAV and CardDAV.
func TestAutoconfigPython(t *testing.T) {
	py := testenv.RequireTool(t, "python3", "python3")
	e := start(t, sqlite(t))
	want := `status: 200
content_type: text/xml; charset=utf-8
root: clientConfig 1.1
provider: example.org example.org Tessera
incomingServer: imap mail.example.com 1993 SSL %EMAILADDRESS% password-cleartext
incomingServer: imap mail.example.com 1143 STARTTLS %EMAILADDRESS% password-cleartext
incomingServer: pop3 mail.example.com 1995 SSL %EMAILADDRESS% password-cleartext
outgoingServer: smtp mail.example.com 1465 SSL %EMAILADDRESS% password-cleartext
outgoingServer: smtp mail.example.com 1587 STARTTLS %EMAILADDRESS% password-cleartext
addressBook: carddav https://mail.example.com/dav/ %EMAILADDRESS% http-basic
calendar: caldav https://mail.example.com/dav/ %EMAILADDRESS% http-basic
`
	// A stranger's address gets the same file as erin's: it names servers, not accounts.
	for _, path := range []string{autodiscover.PathWellKnown + "?emailaddress=erin%40Example.org", autodiscover.PathAutoconfig + "?emailaddress=nobody%40example.org"} {
		out, err := exec.Command(py, "testdata/autoconfig.py", e.URL+path).CombinedOutput()
		if err != nil || string(out) != want {
			t.Fatalf("%s: %v\n%s\nwant\n%s", path, err, out, want)
		}
	}
	for path, status := range map[string]int{
		autodiscover.PathAutoconfig:                               200, // the public URL's host as the domain
		autodiscover.PathAutoconfig + "?emailaddress=erin":        400,
		autodiscover.PathAutoconfig + "?emailaddress=%3Ca@b.c%3E": 400,
	} {
		if r := e.do(t, "GET", path, "", "", ""); r.status != status {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	if r := e.do(t, "POST", autodiscover.PathAutoconfig, "", "", "x"); r.status != 405 {
		t.Errorf("POST: %d", r.status)
	}
}

// curl, as a client nobody here wrote, through both Autodiscover forms.
func TestCurl(t *testing.T) {
	curl := testenv.RequireTool(t, "curl", "curl")
	e := start(t, sqlite(t))
	run := func(args ...string) string {
		out, err := exec.Command(curl, append([]string{"-sS", "-w", "\n%{http_code}"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	out := run("-u", userEmail+":"+e.easPass, "-H", "Content-Type: text/xml", "--data-binary", poxBody(userEmail, autodiscover.SchemaMobile), e.URL+autodiscover.PathPOXCapital)
	if !strings.HasSuffix(out, "\n200") || !strings.Contains(out, "<Type>MobileSync</Type>") || !strings.Contains(out, "<Url>https://mail.example.com/Microsoft-Server-ActiveSync</Url>") {
		t.Fatalf("POX: %s", out)
	}
	out = run("-i", "--data-binary", poxBody(userEmail, autodiscover.SchemaMobile), e.URL+autodiscover.PathPOX)
	if !strings.HasSuffix(out, "\n401") || !strings.Contains(strings.ToLower(out), `www-authenticate: basic realm="tessera activesync"`) {
		t.Fatalf("POX without credentials: %s", out)
	}
	out = run(e.URL + autodiscover.PathJSONv1 + "someone@example.org?Protocol=ActiveSync")
	if want := `{"Protocol":"ActiveSync","Url":"https://mail.example.com/Microsoft-Server-ActiveSync"}` + "\n\n200"; out != want {
		t.Fatalf("v2: %q", out)
	}
	out = run(e.URL + autodiscover.PathJSON + "?Email=someone@example.org&Protocol=Rest")
	if !strings.HasSuffix(out, "\n400") || !strings.Contains(out, `"ErrorCode":"InvalidProtocol"`) {
		t.Fatalf("v2 Rest: %s", out)
	}
}
