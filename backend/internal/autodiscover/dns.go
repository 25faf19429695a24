package autodiscover

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Record is one DNS record a domain should publish for clients to find this installation.
type Record struct {
	Name    string `json:"name"`    // fully qualified, with the final dot
	Type    string `json:"type"`    // CNAME, A, AAAA, SRV, TXT
	Value   string `json:"value"`   // as in a zone file
	Purpose string `json:"purpose"` // what reads it
}

// srvDoor is an RFC 6186 service name and the door that serves it.
type srvDoor struct {
	service, protocol, security, purpose string
}

// rfc6186 lists the mail services in the order an admin reads them; implicit TLS first
// (RFC 8314).
var rfc6186 = []srvDoor{
	{"_imaps._tcp", IMAP, TLS, "IMAP over TLS (RFC 6186, RFC 8314)"},
	{"_imap._tcp", IMAP, STARTTLS, "IMAP with STARTTLS (RFC 6186)"},
	{"_submissions._tcp", SMTP, TLS, "mail submission over TLS (RFC 8314)"},
	{"_submission._tcp", SMTP, STARTTLS, "mail submission with STARTTLS (RFC 6186)"},
	{"_pop3s._tcp", POP3, TLS, "POP3 over TLS (RFC 6186, RFC 8314)"},
	{"_pop3._tcp", POP3, STARTTLS, "POP3 with STLS (RFC 6186)"},
}

// notOffered is RFC 2782's "no such service here", which RFC 6186 asks for doors not offered.
const notOffered = "0 0 0 ."

// Records computes the records domain should publish: the autodiscover and autoconfig names
// pointing at the public URL's host, the SRV records of the mail doors (not offered ones
// marked "."), CalDAV/CardDAV's (RFC 6764, with the TXT path) and Autodiscover's. publicURL
// is the installation's public URL; s its doors.
func Records(domain, publicURL string, s Settings) ([]Record, error) {
	domain = strings.TrimSuffix(strings.ToLower(domain), ".")
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("public URL %q has no host", publicURL)
	}
	host := strings.ToLower(u.Hostname())
	webPort := 443
	if u.Scheme == "http" {
		webPort = 80
	}
	if p := u.Port(); p != "" {
		webPort, _ = strconv.Atoi(p)
	}
	fq := func(name string) string { return name + "." }
	var out []Record
	// The names clients try first: autodiscover.<domain> (Outlook, phones) and
	// autoconfig.<domain> (Thunderbird).
	for _, n := range []struct{ label, purpose string }{
		{"autodiscover", "Exchange Autodiscover: phones and Outlook find the server"},
		{"autoconfig", "Thunderbird autoconfig"},
	} {
		name := n.label + "." + domain
		switch ip := net.ParseIP(host); {
		case ip != nil && ip.To4() != nil:
			out = append(out, Record{fq(name), "A", host, n.purpose})
		case ip != nil:
			out = append(out, Record{fq(name), "AAAA", host, n.purpose})
		case host != name:
			out = append(out, Record{fq(name), "CNAME", fq(host), n.purpose})
		}
	}
	target := fq(host)
	if net.ParseIP(host) != nil {
		target = "" // SRV needs a name; the admin must give the address one first
	}
	srv := func(port int) string {
		if target == "" {
			return notOffered
		}
		return fmt.Sprintf("0 1 %d %s", port, target)
	}
	out = append(out, Record{fq("_autodiscover._tcp." + domain), "SRV", srv(webPort), "Exchange Autodiscover by SRV"})
	for _, sd := range rfc6186 {
		v, offered := notOffered, false
		for _, d := range s.Doors {
			if d.Protocol == sd.protocol && d.Security == sd.security {
				v, offered = srv(d.Port), true
				break
			}
		}
		p := sd.purpose
		switch {
		case !offered:
			p += "; not offered here"
		case target == "":
			p += "; an SRV record needs a public URL with a host name"
		}
		out = append(out, Record{fq(sd.service + "." + domain), "SRV", v, p})
	}
	// RFC 6764: over TLS when the public URL is https, in clear otherwise.
	if s.DAVURL != "" {
		path := "/dav/"
		if du, err := url.Parse(s.DAVURL); err == nil && du.Path != "" {
			path = du.Path
		}
		sfx := "s"
		if u.Scheme == "http" {
			sfx = ""
		}
		for _, k := range []string{"caldav", "carddav"} {
			name := fq("_" + k + sfx + "._tcp." + domain)
			what := map[string]string{"caldav": "CalDAV (RFC 6764)", "carddav": "CardDAV (RFC 6764)"}[k]
			out = append(out, Record{name, "SRV", srv(webPort), what},
				Record{name, "TXT", `"path=` + path + `"`, what + ": where discovery starts"})
		}
	}
	return out, nil
}
