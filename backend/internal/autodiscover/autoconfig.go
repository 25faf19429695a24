package autodiscover

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
)

// Thunderbird's autoconfig format (config-v1.1.xml): the mail doors as incoming and outgoing
// servers; CalDAV and CardDAV as the calendar and addressBook elements Thunderbird reads
// beside the emailProvider.
type clientConfig struct {
	XMLName  xml.Name      `xml:"clientConfig"`
	Version  string        `xml:"version,attr"`
	Provider emailProvider `xml:"emailProvider"`
	Address  []davConfig   `xml:"addressBook"`
	Calendar []davConfig   `xml:"calendar"`
}

type emailProvider struct {
	ID               string         `xml:"id,attr"`
	Domain           string         `xml:"domain"`
	DisplayName      string         `xml:"displayName"`
	DisplayShortName string         `xml:"displayShortName"`
	Incoming         []serverConfig `xml:"incomingServer"`
	Outgoing         []serverConfig `xml:"outgoingServer"`
}

type serverConfig struct {
	Type           string `xml:"type,attr"`
	Hostname       string `xml:"hostname"`
	Port           int    `xml:"port"`
	SocketType     string `xml:"socketType"`
	Username       string `xml:"username"`
	Authentication string `xml:"authentication"`
}

type davConfig struct {
	Type           string `xml:"type,attr"`
	Username       string `xml:"username"`
	Authentication string `xml:"authentication"`
	ServerURL      string `xml:"serverURL"`
}

// AutoconfigAnswer is the config-v1.1.xml for domain: every door of s (implicit TLS first,
// as the doors come), the user name being the address Thunderbird was given.
func AutoconfigAnswer(domain string, s Settings) []byte {
	p := emailProvider{ID: domain, Domain: domain, DisplayName: "Tessera (" + domain + ")", DisplayShortName: "Tessera"}
	for _, d := range s.Doors {
		sock := "STARTTLS"
		if d.Security == TLS {
			sock = "SSL"
		}
		sc := serverConfig{Type: d.Protocol, Hostname: d.Host, Port: d.Port, SocketType: sock,
			Username: "%EMAILADDRESS%", Authentication: "password-cleartext"}
		switch d.Protocol {
		case IMAP, POP3:
			p.Incoming = append(p.Incoming, sc)
		case SMTP:
			p.Outgoing = append(p.Outgoing, sc)
		}
	}
	c := clientConfig{Version: "1.1", Provider: p}
	if s.DAVURL != "" {
		c.Address = []davConfig{{Type: "carddav", Username: "%EMAILADDRESS%", Authentication: "http-basic", ServerURL: s.DAVURL}}
		c.Calendar = []davConfig{{Type: "caldav", Username: "%EMAILADDRESS%", Authentication: "http-basic", ServerURL: s.DAVURL}}
	}
	b, err := xml.MarshalIndent(c, "", "  ")
	if err != nil {
		panic(err) // fixed types only
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// autoconfig answers Thunderbird. Like v2 it needs no authentication and answers the same for
// every address: it names the installation's servers, nothing of an account.
func (h *Handler) autoconfig(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	domain := ""
	if email := queryFold(r, "emailaddress"); email != "" {
		if !ValidEmail(email) {
			http.Error(w, "emailaddress is not an email address", http.StatusBadRequest)
			return
		}
		domain = strings.ToLower(email[strings.LastIndexByte(email, '@')+1:])
	} else if u, err := url.Parse(h.d.PublicURL); err == nil {
		domain = u.Hostname()
	}
	s, err := h.d.Settings.MailSettings()
	if err != nil {
		h.unavailable(w, r, err)
		return
	}
	if len(s.Doors) == 0 {
		http.Error(w, "no mail door is configured", http.StatusNotFound)
		return
	}
	writeXML(w, http.StatusOK, AutoconfigAnswer(domain, s))
}
