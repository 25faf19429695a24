package authn

import "github.com/tessera-mail/tessera/backend/internal/store"

// Service is a door a secret may open.
type Service string

// The services of PRODUCT.md rule 3.
const (
	Web       Service = "web"
	EAS       Service = "eas"
	MobileApp Service = "mobile_app"
	IMAP      Service = "imap"
	POP3      Service = "pop3"
	SMTP      Service = "smtp"
	CalDAV    Service = "caldav"
	CardDAV   Service = "carddav"
)

// door says which secrets open one service.
type door struct {
	kinds []string // credential kinds accepted
	// password: the account password is accepted; onlyWithout2FA: only while 2FA is off.
	password, onlyWithout2FA bool
	// temporary: the account password is accepted even while a change an administrator
	// required is pending (only where the user can make that change).
	temporary bool
}

// matrix is PRODUCT.md rule 3, the single source of truth for who gets in where.
var matrix = map[Service]door{
	Web:       {password: true, temporary: true},
	EAS:       {kinds: []string{store.KindEAS, store.KindAppPasscode}, password: true, onlyWithout2FA: true},
	MobileApp: {kinds: []string{store.KindMobileApp}},
	IMAP:      {kinds: []string{store.KindAppPasscode}, password: true, onlyWithout2FA: true},
	POP3:      {kinds: []string{store.KindAppPasscode}, password: true, onlyWithout2FA: true},
	SMTP:      {kinds: []string{store.KindAppPasscode}, password: true, onlyWithout2FA: true},
	CalDAV:    {kinds: []string{store.KindAppPasscode}, password: true, onlyWithout2FA: true},
	CardDAV:   {kinds: []string{store.KindAppPasscode}, password: true, onlyWithout2FA: true},
}

// ServicesOf lists the services a credential kind is valid for (shown to users).
func ServicesOf(kind string) []string {
	var out []string
	for _, s := range []Service{Web, EAS, MobileApp, IMAP, POP3, SMTP, CalDAV, CardDAV} {
		for _, k := range matrix[s].kinds {
			if k == kind {
				out = append(out, string(s))
			}
		}
	}
	return out
}

// Known reports whether s is a service of the matrix.
func Known(s Service) bool { _, ok := matrix[s]; return ok }
