package appleprofile_test

import (
	"errors"
	"testing"

	"howett.net/plist"

	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
)

type parsed struct {
	PayloadType, PayloadIdentifier, PayloadUUID, PayloadOrganization string
	PayloadContent                                                   []map[string]any
}

func build(t *testing.T, r appleprofile.Request, s appleprofile.Servers) parsed {
	t.Helper()
	body, err := appleprofile.Build(r, s)
	if err != nil {
		t.Fatal(err)
	}
	var p parsed
	if _, err := plist.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPayloads(t *testing.T) {
	all := appleprofile.Servers{PublicURL: "https://mail.example.com", DAVURL: "https://mail.example.com/dav/",
		Doors: []appleprofile.Door{{"imap", "mail.example.com", 143, "starttls"}, {"imap", "mail.example.com", 993, "tls"},
			{"pop3", "mail.example.com", 995, "tls"}, {"smtp", "mail.example.com", 587, "starttls"}}}
	p := build(t, req(3, 9), all)
	if p.PayloadType != "Configuration" || p.PayloadIdentifier != "com.example.mail.tessera.account3.credential9" ||
		p.PayloadOrganization != "Tessera" || len(p.PayloadContent) != 3 {
		t.Fatalf("profile %+v", p)
	}
	m, cal, card := p.PayloadContent[0], p.PayloadContent[1], p.PayloadContent[2]
	if m["PayloadType"] != "com.apple.mail.managed" || m["EmailAccountType"] != "EmailTypeIMAP" ||
		m["IncomingMailServerPortNumber"] != uint64(993) || m["OutgoingMailServerPortNumber"] != uint64(587) ||
		m["IncomingMailServerUseSSL"] != true || m["IncomingPassword"] != "ABCD-EFGH-JKLM-NPQR" ||
		m["OutgoingPassword"] != "ABCD-EFGH-JKLM-NPQR" || m["IncomingMailServerUsername"] != "erin@example.com" {
		t.Fatalf("mail payload %v", m)
	}
	if cal["PayloadType"] != "com.apple.caldav.account" || cal["CalDAVPrincipalURL"] != "https://mail.example.com/dav/" ||
		cal["CalDAVPort"] != uint64(443) || cal["CalDAVUseSSL"] != true || cal["CalDAVPassword"] != "ABCD-EFGH-JKLM-NPQR" {
		t.Fatalf("caldav payload %v", cal)
	}
	if card["PayloadType"] != "com.apple.carddav.account" || card["CardDAVHostName"] != "mail.example.com" ||
		card["CardDAVUsername"] != "erin@example.com" {
		t.Fatalf("carddav payload %v", card)
	}
	// Identifiers stay, UUIDs change.
	q := build(t, req(3, 9), all)
	if q.PayloadIdentifier != p.PayloadIdentifier || q.PayloadContent[0]["PayloadIdentifier"] != m["PayloadIdentifier"] ||
		q.PayloadUUID == p.PayloadUUID || q.PayloadContent[0]["PayloadUUID"] == m["PayloadUUID"] {
		t.Fatal("identifiers must be stable and UUIDs fresh")
	}

	// Only the doors that are on: no DAV, no SMTP → no payload at all for a passcode.
	if _, err := appleprofile.Build(req(3, 9), appleprofile.Servers{PublicURL: "https://mail.example.com",
		Doors: all.Doors[:3]}); !errors.Is(err, appleprofile.ErrNothingToInstall) {
		t.Fatalf("no doors: %v", err)
	}
	// POP3 when IMAP is off.
	p = build(t, req(3, 9), appleprofile.Servers{PublicURL: "https://mail.example.com", Doors: all.Doors[2:]})
	if len(p.PayloadContent) != 1 || p.PayloadContent[0]["EmailAccountType"] != "EmailTypePOP" {
		t.Fatalf("pop3 %v", p.PayloadContent)
	}

	// EAS: one Exchange payload at the public URL.
	r := req(3, 10)
	r.Kind = appleprofile.KindEAS
	p = build(t, r, appleprofile.Servers{PublicURL: "https://mail.example.com"})
	e := p.PayloadContent[0]
	if len(p.PayloadContent) != 1 || e["PayloadType"] != "com.apple.eas.account" || e["Host"] != "mail.example.com" ||
		e["SSL"] != true || e["UserName"] != "erin@example.com" || e["EmailAddress"] != "erin@example.com" ||
		e["Password"] != "ABCD-EFGH-JKLM-NPQR" {
		t.Fatalf("eas payload %v", e)
	}
}
