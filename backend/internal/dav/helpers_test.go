package dav_test

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
)

const admin = eastest.Admin

// passcode makes an application passcode for the client's account through the API.
func passcode(t testing.TB, c *apptest.Client, kind string) string {
	t.Helper()
	r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": kind, "label": "DAV " + kind})
	var out struct {
		Secret struct{ Password string }
	}
	if r.StatusCode == http.StatusCreated {
		r.JSON(t, &out)
	}
	if out.Secret.Password == "" {
		t.Fatalf("%s: %d %s", kind, r.StatusCode, r.Body)
	}
	return out.Secret.Password
}

// dc is a bare DAV client: Basic auth, no redirects followed.
type dc struct {
	t          testing.TB
	base       string
	user, pass string
}

type reply struct {
	code int
	body string
	hdr  http.Header
}

func (c *dc) do(method, path, body string, hdr ...string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pass)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, string(b), resp.Header}
}

func (c *dc) expect(want int, method, path, body string, hdr ...string) reply {
	c.t.Helper()
	r := c.do(method, path, body, hdr...)
	if r.code != want {
		c.t.Fatalf("%s %s: %d, want %d\n%s", method, path, r.code, want, r.body)
	}
	return r
}

func propfind(props string) string {
	return `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"><d:prop>` + props + `</d:prop></d:propfind>`
}

// hrefsIn lists the <href> values of a multistatus.
func hrefsIn(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<(?:d:)?href(?: xmlns="DAV:")?>([^<]*)</(?:d:)?href>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func syncToken(t testing.TB, body string) string {
	t.Helper()
	m := regexp.MustCompile(`<d:sync-token>([^<]*)</d:sync-token>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no sync-token in %s", body)
	}
	return m[1]
}

func syncReport(token string) string {
	return `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>` + token +
		`</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
