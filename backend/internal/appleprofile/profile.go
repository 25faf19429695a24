package appleprofile

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"howett.net/plist"
)

// Credential kinds a profile can be made for (store.KindEAS, store.KindAppPasscode).
const (
	KindEAS         = "eas"
	KindAppPasscode = "app_passcode"
)

// Door is one mail door as a mail app connects to it.
type Door struct {
	Protocol string // imap, pop3, smtp
	Host     string
	Port     int
	Security string // tls (implicit) or starttls
}

// Servers are this installation's addresses.
type Servers struct {
	PublicURL string // https://mail.example.com
	Doors     []Door
	DAVURL    string // "" when CalDAV/CardDAV are not served
}

// Request is what one profile is made of.
type Request struct {
	AccountID    uint64
	Email        string
	CredentialID uint64
	Kind         string
	Label        string
	Password     string
}

// ErrNothingToInstall: no door the credential opens is on.
var ErrNothingToInstall = errors.New("no payload for this credential")

// Base holds the fields every payload has (exported: the plist encoder flattens only exported embedded structs).
type Base struct {
	PayloadType         string
	PayloadVersion      int
	PayloadIdentifier   string
	PayloadUUID         string
	PayloadDisplayName  string
	PayloadOrganization string
}

type profile struct {
	Base
	PayloadDescription       string
	PayloadRemovalDisallowed bool
	PayloadContent           []any
}

type easPayload struct {
	Base
	Host         string
	SSL          bool
	EmailAddress string
	UserName     string
	Password     string
}

type mailPayload struct {
	Base
	EmailAccountDescription                string
	EmailAccountType                       string
	EmailAddress                           string
	IncomingMailServerAuthentication       string
	IncomingMailServerHostName             string
	IncomingMailServerPortNumber           int
	IncomingMailServerUseSSL               bool
	IncomingMailServerUsername             string
	IncomingPassword                       string
	OutgoingMailServerAuthentication       string
	OutgoingMailServerHostName             string
	OutgoingMailServerPortNumber           int
	OutgoingMailServerUseSSL               bool
	OutgoingMailServerUsername             string
	OutgoingPassword                       string
	OutgoingPasswordSameAsIncomingPassword bool
}

type calDAVPayload struct {
	Base
	CalDAVAccountDescription string
	CalDAVHostName           string
	CalDAVPort               int
	CalDAVPrincipalURL       string
	CalDAVUseSSL             bool
	CalDAVUsername           string
	CalDAVPassword           string
}

type cardDAVPayload struct {
	Base
	CardDAVAccountDescription string
	CardDAVHostName           string
	CardDAVPort               int
	CardDAVPrincipalURL       string
	CardDAVUseSSL             bool
	CardDAVUsername           string
	CardDAVPassword           string
}

// Build writes the profile as an XML property list.
func Build(r Request, s Servers) ([]byte, error) {
	u, err := url.Parse(s.PublicURL)
	if err != nil || u.Host == "" {
		return nil, errors.New("appleprofile: public URL without a host")
	}
	id := identifier(u.Hostname(), r.AccountID, r.CredentialID)
	mk := func(typ, suffix, name string) Base {
		return Base{PayloadType: typ, PayloadVersion: 1, PayloadIdentifier: id + "." + suffix,
			PayloadUUID: newUUID(), PayloadDisplayName: name, PayloadOrganization: "Tessera"}
	}
	desc := r.Email + " (" + r.Label + ")"
	var content []any
	switch r.Kind {
	case KindEAS:
		content = append(content, easPayload{Base: mk("com.apple.eas.account", "eas", "Exchange ActiveSync"),
			Host: u.Host, SSL: u.Scheme == "https", EmailAddress: r.Email, UserName: r.Email, Password: r.Password})
	case KindAppPasscode:
		if m, ok := mail(r, s.Doors, desc); ok {
			m.Base = mk("com.apple.mail.managed", "mail", "Mail")
			content = append(content, m)
		}
		if s.DAVURL != "" {
			d, err := url.Parse(s.DAVURL)
			if err != nil || d.Host == "" {
				return nil, errors.New("appleprofile: bad DAV URL")
			}
			port, tls := hostPort(d)
			content = append(content,
				calDAVPayload{Base: mk("com.apple.caldav.account", "caldav", "Calendars"), CalDAVAccountDescription: desc,
					CalDAVHostName: d.Hostname(), CalDAVPort: port, CalDAVPrincipalURL: s.DAVURL, CalDAVUseSSL: tls,
					CalDAVUsername: r.Email, CalDAVPassword: r.Password},
				cardDAVPayload{Base: mk("com.apple.carddav.account", "carddav", "Contacts"), CardDAVAccountDescription: desc,
					CardDAVHostName: d.Hostname(), CardDAVPort: port, CardDAVPrincipalURL: s.DAVURL, CardDAVUseSSL: tls,
					CardDAVUsername: r.Email, CardDAVPassword: r.Password})
		}
	}
	if len(content) == 0 {
		return nil, ErrNothingToInstall
	}
	p := profile{Base: mk("Configuration", "profile", "Tessera: "+desc),
		PayloadDescription: "Sets up " + r.Email + " with the credential \u201c" + r.Label + "\u201d.",
		PayloadContent:     content}
	p.PayloadIdentifier = id
	return plist.MarshalIndent(p, plist.XMLFormat, "\t")
}

// mail is the IMAP (else POP3) + SMTP payload; an implicit-TLS door is preferred to STARTTLS.
// Without an incoming or an outgoing door there is no mail account to set up.
func mail(r Request, doors []Door, desc string) (mailPayload, bool) {
	in, ok := pick(doors, "imap")
	typ := "EmailTypeIMAP"
	if !ok {
		in, ok = pick(doors, "pop3")
		typ = "EmailTypePOP"
	}
	out, ok2 := pick(doors, "smtp")
	if !ok || !ok2 {
		return mailPayload{}, false
	}
	return mailPayload{EmailAccountDescription: desc, EmailAccountType: typ, EmailAddress: r.Email,
		IncomingMailServerAuthentication: "EmailAuthPassword", IncomingMailServerHostName: in.Host,
		IncomingMailServerPortNumber: in.Port, IncomingMailServerUseSSL: true, IncomingMailServerUsername: r.Email,
		IncomingPassword: r.Password, OutgoingMailServerAuthentication: "EmailAuthPassword",
		OutgoingMailServerHostName: out.Host, OutgoingMailServerPortNumber: out.Port, OutgoingMailServerUseSSL: true,
		OutgoingMailServerUsername: r.Email, OutgoingPassword: r.Password, OutgoingPasswordSameAsIncomingPassword: true}, true
}

// pick chooses a protocol's door, implicit TLS first. Every door speaks TLS (STARTTLS or
// implicit), which is what Apple's UseSSL asks for.
func pick(doors []Door, protocol string) (Door, bool) {
	var found *Door
	for i := range doors {
		d := &doors[i]
		if d.Protocol == protocol && (found == nil || d.Security == "tls" && found.Security != "tls") {
			found = d
		}
	}
	if found == nil {
		return Door{}, false
	}
	return *found, true
}

func hostPort(u *url.URL) (int, bool) {
	tls := u.Scheme == "https"
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p, tls
	}
	if tls {
		return 443, true
	}
	return 80, false
}

// identifier is stable per installation, account and credential: the public host reversed
// (com.example.mail), then tessera.<account>.<credential>.
func identifier(host string, accountID, credentialID uint64) string {
	parts := strings.Split(strings.Trim(host, "[]"), ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	h := strings.ReplaceAll(strings.Join(parts, "."), ":", "-")
	return h + ".tessera.account" + strconv.FormatUint(accountID, 10) + ".credential" + strconv.FormatUint(credentialID, 10)
}

func newUUID() string { return strings.ToUpper(uuid.NewString()) }
