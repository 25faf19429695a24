package autodiscover_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

const (
	userEmail = "erin@example.com"
	userPw    = "Granite-Falcon-63"
	publicURL = "https://mail.example.com"
)

type env struct {
	*apptest.Server
	easPass string
}

// start runs Tessera with IMAPS, IMAP, submission (both) and POP3S doors and erin, who has an
// EAS password.
func start(t *testing.T, b storetest.Backend) *env {
	s := apptest.Start(t, b, apptest.Options{PublicURL: publicURL, Configure: func(c *config.Config) {
		c.IMAPListen, c.IMAPSListen = "127.0.0.1:1143", "127.0.0.1:1993"
		c.SubmissionListen, c.SubmissionsListen = "127.0.0.1:1587", "127.0.0.1:1465"
		c.POP3SListen = "127.0.0.1:1995"
	}})
	a, _, err := s.App.Accounts.Create(t.Context(), "test", account.CreateInput{Email: userEmail, Password: userPw, Role: store.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	_, sec, err := s.App.Credentials.Create(t.Context(), a, store.KindEAS, "phone", "")
	if err != nil {
		t.Fatal(err)
	}
	return &env{Server: s, easPass: sec.Password}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, method, path, user, pass, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// The schemas' required elements, read by local name and namespace.
type mobileDoc struct {
	XMLName  xml.Name
	Response struct {
		XMLName xml.Name
		Culture string
		User    struct{ EMailAddress string }
		Action  struct {
			Settings struct {
				Server []struct{ Type, Url, Name string }
			}
			Error *struct {
				Status  int
				Message string
			}
		}
		Error *struct{ ErrorCode int }
	}
}

type outlookDoc struct {
	XMLName  xml.Name
	Response struct {
		XMLName xml.Name
		User    struct{ EMailAddress string }
		Account struct {
			AccountType, Action string
			Protocol            []struct {
				Type, Server, LoginName, SSL, SPA, AuthRequired, Encryption string
				Port                                                        int
			}
		}
		Error *struct {
			ErrorCode int
			Message   string
		}
	}
}

func decodeXML(t *testing.T, r reply, v any) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/xml") {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
	if err := xml.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("not XML (%v): %s", err, r.body)
	}
}

func TestPOX(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		e := start(t, b)
		const ns = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
		// A phone: the EAS URL, with the EAS password, at either spelling of the path.
		for _, path := range []string{autodiscover.PathPOX, autodiscover.PathPOXCapital} {
			r := e.do(t, "POST", path, userEmail, e.easPass, poxBody(userEmail, autodiscover.SchemaMobile))
			var m mobileDoc
			decodeXML(t, r, &m)
			srv := m.Response.Action.Settings.Server
			if r.status != 200 || m.XMLName.Space != ns || m.Response.XMLName.Space != autodiscover.SchemaMobile ||
				m.Response.User.EMailAddress != userEmail || len(srv) != 1 || srv[0].Type != "MobileSync" ||
				srv[0].Url != publicURL+"/Microsoft-Server-ActiveSync" || srv[0].Name != srv[0].Url {
				t.Fatalf("%s: %d %+v\n%s", path, r.status, m, r.body)
			}
		}
		// Outlook: the mail doors, implicit TLS first; the address, any case, as the login.
		r := e.do(t, "POST", autodiscover.PathPOX, "Erin@Example.com", e.easPass, poxBody("ERIN@example.com", autodiscover.SchemaOutlook))
		var o outlookDoc
		decodeXML(t, r, &o)
		var got []string
		for _, p := range o.Response.Account.Protocol {
			if p.Server != "mail.example.com" || p.LoginName != userEmail || p.SSL != "on" || p.SPA != "off" || p.AuthRequired != "on" {
				t.Errorf("protocol %+v", p)
			}
			got = append(got, p.Type+" "+p.Encryption+" "+itoa(p.Port))
		}
		if want := "IMAP SSL 1993, IMAP TLS 1143, POP3 SSL 1995, SMTP SSL 1465, SMTP TLS 1587"; strings.Join(got, ", ") != want ||
			r.status != 200 || o.Response.XMLName.Space != autodiscover.SchemaOutlook || o.Response.Account.AccountType != "email" ||
			o.Response.Account.Action != "settings" || o.Response.User.EMailAddress != userEmail {
			t.Fatalf("outlook: %d %s\n%s", r.status, strings.Join(got, ", "), r.body)
		}

		// No enumeration: an unknown address, a wrong password and no credentials get the
		// same 401, challenge and body.
		var first *reply
		for _, c := range []struct{ user, pass string }{{"nobody@example.com", e.easPass}, {userEmail, "wrong"}, {"", ""}, {"nobody@nowhere.test", "x"}} {
			r := e.do(t, "POST", autodiscover.PathPOX, c.user, c.pass, poxBody(c.user, autodiscover.SchemaMobile))
			if r.status != 401 || r.header.Get("WWW-Authenticate") != `Basic realm="Tessera ActiveSync", charset="UTF-8"` {
				t.Fatalf("%s: %d %v", c.user, r.status, r.header)
			}
			if first == nil {
				first = &r
			} else if r.body != first.body {
				t.Fatalf("%s: body %q differs from %q", c.user, r.body, first.body)
			}
		}

		// Authenticated, another address (existing or not): the schema's "not found", alike.
		for _, other := range []string{"admin@example.com", "nobody@example.com"} {
			r := e.do(t, "POST", autodiscover.PathPOX, userEmail, e.easPass, poxBody(other, autodiscover.SchemaMobile))
			var m mobileDoc
			decodeXML(t, r, &m)
			if r.status != 200 || m.Response.Action.Error == nil || m.Response.Action.Error.Status != 2 || len(m.Response.Action.Settings.Server) != 0 ||
				strings.Contains(r.body, "Microsoft-Server-ActiveSync") {
				t.Fatalf("mobile, %s: %d %s", other, r.status, r.body)
			}
			r = e.do(t, "POST", autodiscover.PathPOX, userEmail, e.easPass, poxBody(other, autodiscover.SchemaOutlook))
			var o outlookDoc
			decodeXML(t, r, &o)
			if r.status != 200 || o.Response.Error == nil || o.Response.Error.ErrorCode != 500 || len(o.Response.Account.Protocol) != 0 {
				t.Fatalf("outlook, %s: %d %s", other, r.status, r.body)
			}
		}
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Bad input: 4xx with the schema's error, never 5xx.
func TestPOXBadInput(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		e := start(t, b)
		for name, c := range map[string]struct {
			body   string
			status int
			code   int
		}{
			"malformed":      {`<Autodiscover><Request>`, 400, 600},
			"empty":          {``, 400, 600},
			"not xml":        {`{"Email":"erin@example.com"}`, 400, 600},
			"no address":     {poxBody("", autodiscover.SchemaMobile), 400, 600},
			"unknown schema": {poxBody(userEmail, "http://example.com/other"), 400, 601},
			"not an address": {poxBody("erin", autodiscover.SchemaMobile), 400, 600},
			"display name":   {poxBody("Erin &lt;erin@example.com&gt;", autodiscover.SchemaMobile), 400, 600},
			"control bytes":  {poxBody("erin\x01@example.com", autodiscover.SchemaMobile), 400, 600},
			"two addresses":  {poxBody("erin@example.com, admin@example.com", autodiscover.SchemaMobile), 400, 600},
			"oversized":      {poxBody(userEmail, autodiscover.SchemaMobile) + strings.Repeat("<!-- x -->", autodiscover.MaxRequest/8), 413, 600},
		} {
			r := e.do(t, "POST", autodiscover.PathPOX, userEmail, e.easPass, c.body)
			var m mobileDoc
			decodeXML(t, r, &m)
			if r.status != c.status || m.Response.Error == nil || m.Response.Error.ErrorCode != c.code {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
		}
		for _, m := range []string{"GET", "PUT", "DELETE", "PROPFIND"} {
			if r := e.do(t, m, autodiscover.PathPOX, userEmail, e.easPass, ""); r.status != 405 {
				t.Errorf("%s: %d", m, r.status)
			}
		}
	})
}

type v2Body struct {
	Protocol, Url           string
	ErrorCode, ErrorMessage string
}

func TestV2(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		e := start(t, b)
		get := func(path string) (int, v2Body, string) {
			r := e.do(t, "GET", path, "", "", "")
			var v v2Body
			if err := json.Unmarshal([]byte(r.body), &v); err != nil || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: %d %v %s", path, r.status, err, r.body)
			}
			return r.status, v, r.body
		}
		// A user and a stranger, in the query and in the path: the same answer.
		var bodies []string
		for _, email := range []string{userEmail, "nobody@example.com", "someone@elsewhere.test"} {
			for _, path := range []string{
				autodiscover.PathJSON + "?Email=" + url.QueryEscape(email) + "&Protocol=ActiveSync",
				autodiscover.PathJSONv1 + url.PathEscape(email) + "?Protocol=activesync",
			} {
				st, v, raw := get(path)
				if st != 200 || v.Protocol != "ActiveSync" || v.Url != publicURL+"/Microsoft-Server-ActiveSync" {
					t.Fatalf("%s: %d %s", path, st, raw)
				}
				bodies = append(bodies, raw)
			}
		}
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Fatalf("answers differ: %q vs %q", b, bodies[0])
			}
		}
		if st, v, raw := get(autodiscover.PathJSONv1 + userEmail + "?Protocol=AutodiscoverV1"); st != 200 || v.Protocol != "AutodiscoverV1" || v.Url != publicURL+"/autodiscover/autodiscover.xml" {
			t.Fatalf("v1: %d %s", st, raw)
		}
		// Bad input: 400 in Exchange's shape.
		for path, code := range map[string]string{
			autodiscover.PathJSON + "?Email=erin@example.com&Protocol=Ews":                            "InvalidProtocol",
			autodiscover.PathJSON + "?Email=erin@example.com":                                         "InvalidProtocol",
			autodiscover.PathJSON + "?Protocol=ActiveSync":                                            "InvalidEmailAddress",
			autodiscover.PathJSON + "?Email=erin&Protocol=ActiveSync":                                 "InvalidEmailAddress",
			autodiscover.PathJSON + "?Email=%3Cerin%40x.y%3E&Protocol=ActiveSync":                     "InvalidEmailAddress",
			autodiscover.PathJSON + "?Email=Erin%20%3Ce%40x.y%3E&Protocol=ActiveSync":                 "InvalidEmailAddress",
			autodiscover.PathJSON + "?Email=%00%FF@x.y&Protocol=ActiveSync":                           "InvalidEmailAddress",
			autodiscover.PathJSON + "?Email=" + strings.Repeat("a", 300) + "@x.y&Protocol=ActiveSync": "InvalidEmailAddress",
			autodiscover.PathJSONv1 + "@&Protocol=ActiveSync":                                         "InvalidProtocol",
			autodiscover.PathJSONv1 + "a@?Protocol=ActiveSync":                                        "InvalidEmailAddress",
		} {
			if st, v, raw := get(path); st != 400 || v.ErrorCode != code || v.ErrorMessage == "" {
				t.Errorf("%s: %d %s", path, st, raw)
			}
		}
		for _, m := range []string{"POST", "PUT", "DELETE"} {
			if r := e.do(t, m, autodiscover.PathJSON+"?Email=erin@example.com&Protocol=ActiveSync", "", "", ""); r.status != 405 {
				t.Errorf("%s: %d %s", m, r.status, r.body)
			}
		}
	})
}
