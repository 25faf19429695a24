package authn

import (
	"slices"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

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

// PasscodeServices are the doors an application passcode may be scoped to, in display order.
var PasscodeServices = []Service{IMAP, POP3, SMTP, CalDAV, CardDAV, EAS}

// DefaultPasscodeServices is the scope of a passcode created without one: every mail door of
// a desktop client (IMAP, POP3, SMTP submission, CalDAV/CardDAV). EAS, which rule 3 also lets
// a passcode open, is asked for explicitly: phones have EAS passwords of their own.
var DefaultPasscodeServices = []Service{IMAP, POP3, SMTP, CalDAV, CardDAV}

// InScope says whether a credential's services (comma-separated) include s.
func InScope(services string, s Service) bool {
	return slices.Contains(strings.Split(services, ","), string(s))
}

// JoinServices writes services in their stored form: comma-separated, in PasscodeServices
// order, without duplicates.
func JoinServices(ss []Service) string {
	var out []string
	for _, s := range PasscodeServices {
		if slices.Contains(ss, s) {
			out = append(out, string(s))
		}
	}
	return strings.Join(out, ",")
}
