package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

type dnsBody struct {
	Domain  string
	Records []struct{ Name, Type, Value, Purpose string }
}

// GET /admin/domains/{name}/dns under the domain's scope rules: a global admin any domain, a
// domain admin theirs (another is 404), a user none (403); the answer is in the spec.
func TestAdminDomainDNS(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		w := newTwoDomainWorld(t, b)
		r := w.global.Do("GET", "/api/v1/admin/domains/Third.NET/dns", nil)
		var got dnsBody
		r.JSON(t, &got)
		if r.StatusCode != 200 || got.Domain != "third.net" || len(got.Records) < 9 {
			t.Fatalf("%d %s", r.StatusCode, r.Body)
		}
		var names []string
		for _, rec := range got.Records {
			names = append(names, rec.Type+" "+rec.Name)
		}
		all := strings.Join(names, ", ")
		// The test server's public URL is http on a loopback address: A records, DAV in clear.
		for _, want := range []string{"A autodiscover.third.net.", "A autoconfig.third.net.", "SRV _imaps._tcp.third.net.",
			"SRV _submissions._tcp.third.net.", "SRV _pop3s._tcp.third.net.", "SRV _autodiscover._tcp.third.net.",
			"SRV _caldav._tcp.third.net.", "TXT _carddav._tcp.third.net."} {
			if !strings.Contains(all, want) {
				t.Errorf("missing %s in %s", want, all)
			}
		}
		w.check(t, "GET", [3]string{"/api/v1/admin/domains/example.com/dns", "/api/v1/admin/domains/other.org/dns", "/api/v1/admin/domains/third.net/dns"}, nil, 200)
		if r := w.bob.Do("GET", "/api/v1/admin/domains/example.com/dns", nil); r.StatusCode != 403 {
			t.Errorf("user: %d", r.StatusCode)
		}
		if r := w.global.Do("GET", "/api/v1/admin/domains/nowhere.test/dns", nil); r.StatusCode != 404 || r.ErrorCode() != "not_found" {
			t.Errorf("unknown domain: %d %s", r.StatusCode, r.Body)
		}
		if r := w.s.Client().Do("GET", "/api/v1/admin/domains/example.com/dns", nil); r.StatusCode != 401 {
			t.Errorf("no session: %d", r.StatusCode)
		}
	})
}

// Autodiscover v2 answers as the spec says (the client checks every answer against it).
func TestAutodiscoverV2Spec(t *testing.T) {
	s := apptest.Start(t, sqlite(t), apptest.Options{PublicURL: "https://mail.example.com"})
	c := s.Client()
	if r := c.Do("GET", "/autodiscover/autodiscover.json?Email=x@example.com&Protocol=ActiveSync", nil); r.StatusCode != 200 ||
		!strings.Contains(string(r.Body), `"Url":"https://mail.example.com/Microsoft-Server-ActiveSync"`) {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("GET", "/autodiscover/autodiscover.json/v1.0/x@example.com?Protocol=AutodiscoverV1", nil); r.StatusCode != 200 {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	for _, p := range []string{"/autodiscover/autodiscover.json?Email=x@example.com&Protocol=Mapi", "/autodiscover/autodiscover.json/v1.0/nobody?Protocol=ActiveSync"} {
		if r := c.Do("GET", p, nil); r.StatusCode != 400 {
			t.Fatalf("%s: %d %s", p, r.StatusCode, r.Body)
		}
	}
}
