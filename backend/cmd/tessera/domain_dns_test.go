package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// `tessera domain dns`: zone file lines for the configured doors, JSON alike; a name that is
// not a domain is a usage error (2), an unknown domain a failure (1).
func TestDomainDNSCommand(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.env = append(c.env, "TESSERA_PUBLIC_URL=https://mail.example.net", "TESSERA_IMAPS_LISTEN=127.0.0.1:993",
			"TESSERA_SUBMISSION_LISTEN=127.0.0.1:587", "TESSERA_IMAP_LISTEN=", "TESSERA_POP3_LISTEN=", "TESSERA_POP3S_LISTEN=", "TESSERA_SUBMISSIONS_LISTEN=")
		c.ok("migrate")
		c.ok("domain", "create", "example.org")
		out := c.ok("domain", "dns", "Example.ORG")
		for _, want := range []string{
			"autodiscover.example.org.", "CNAME  mail.example.net.",
			"_imaps._tcp.example.org.", "SRV    0 1 993 mail.example.net.",
			"_submission._tcp.example.org.", "0 1 587 mail.example.net.",
			"_pop3s._tcp.example.org.", "_caldavs._tcp.example.org.", `"path=/dav/"`,
		} {
			if !strings.Contains(out, want) {
				t.Fatalf("missing %q in\n%s", want, out)
			}
		}
		if !strings.Contains(lineOf(out, "_imap._tcp.example.org."), "0 0 0 .") || !strings.Contains(lineOf(out, "_pop3s._tcp"), "0 0 0 .") {
			t.Fatalf("doors that are off must be \"0 0 0 .\":\n%s", out)
		}
		var js struct {
			Domain  string
			Records []struct{ Name, Type, Value, Purpose string }
		}
		if err := json.Unmarshal([]byte(c.ok("domain", "dns", "example.org", "--json")), &js); err != nil || js.Domain != "example.org" || len(js.Records) < 10 {
			t.Fatalf("--json: %v %+v", err, js)
		}
		c.fails(2, "not a domain name", "domain", "dns", "not a domain")
		c.fails(2, "usage", "domain", "dns")
		c.fails(1, "does not exist", "domain", "dns", "nowhere.org")
	})
}

func lineOf(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
