package autodiscover_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
)

func zone(rs []autodiscover.Record) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Name + " " + r.Type + " " + r.Value + "\n")
	}
	return b.String()
}

// IMAPS, submission with STARTTLS and POP3S on; the others "0 0 0 ." as RFC 6186 asks.
func TestRecords(t *testing.T) {
	s := autodiscover.Settings{DAVURL: "https://mail.example.net/dav/", Doors: []autodiscover.Door{
		{Protocol: "imap", Host: "mail.example.net", Port: 993, Security: "tls"},
		{Protocol: "smtp", Host: "mail.example.net", Port: 587, Security: "starttls"},
		{Protocol: "pop3", Host: "mail.example.net", Port: 995, Security: "tls"},
	}}
	rs, err := autodiscover.Records("Example.COM", "https://mail.example.net", s)
	if err != nil {
		t.Fatal(err)
	}
	want := `autodiscover.example.com. CNAME mail.example.net.
autoconfig.example.com. CNAME mail.example.net.
_autodiscover._tcp.example.com. SRV 0 1 443 mail.example.net.
_imaps._tcp.example.com. SRV 0 1 993 mail.example.net.
_imap._tcp.example.com. SRV 0 0 0 .
_submissions._tcp.example.com. SRV 0 0 0 .
_submission._tcp.example.com. SRV 0 1 587 mail.example.net.
_pop3s._tcp.example.com. SRV 0 1 995 mail.example.net.
_pop3._tcp.example.com. SRV 0 0 0 .
_caldavs._tcp.example.com. SRV 0 1 443 mail.example.net.
_caldavs._tcp.example.com. TXT "path=/dav/"
_carddavs._tcp.example.com. SRV 0 1 443 mail.example.net.
_carddavs._tcp.example.com. TXT "path=/dav/"
`
	if got := zone(rs); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, r := range rs {
		if r.Purpose == "" {
			t.Errorf("%s has no purpose", r.Name)
		}
		if strings.HasPrefix(r.Name, "_imap._tcp") && !strings.Contains(r.Purpose, "not offered") {
			t.Errorf("not offered door: %+v", r)
		}
	}
}

// A public URL on a port, in clear, or on an address; no DAV, no doors.
func TestRecordsOddURLs(t *testing.T) {
	rs, err := autodiscover.Records("example.com", "http://example.com:8080/", autodiscover.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	got := zone(rs)
	for _, want := range []string{"autodiscover.example.com. CNAME example.com.\n", "_autodiscover._tcp.example.com. SRV 0 1 8080 example.com.\n",
		"_imaps._tcp.example.com. SRV 0 0 0 .\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "dav") {
		t.Errorf("DAV records without DAV:\n%s", got)
	}
	// The name that is the host itself needs no CNAME to itself.
	rs, _ = autodiscover.Records("example.com", "https://autoconfig.example.com", autodiscover.Settings{DAVURL: "http://x/dav/"})
	if got := zone(rs); strings.Contains(got, "autoconfig.example.com. CNAME") || !strings.Contains(got, "autodiscover.example.com. CNAME autoconfig.example.com.") {
		t.Errorf("self CNAME:\n%s", got)
	}
	rs, _ = autodiscover.Records("example.com", "https://192.0.2.7", autodiscover.Settings{Doors: []autodiscover.Door{{Protocol: "imap", Port: 993, Security: "tls"}}})
	if got := zone(rs); !strings.Contains(got, "autoconfig.example.com. A 192.0.2.7\n") || !strings.Contains(got, "_imaps._tcp.example.com. SRV 0 0 0 .\n") {
		t.Errorf("address:\n%s", got)
	}
	if _, err := autodiscover.Records("example.com", "not a url", autodiscover.Settings{}); err == nil {
		t.Error("a public URL without host gave records")
	}
}
