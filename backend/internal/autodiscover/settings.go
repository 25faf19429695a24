package autodiscover

// Settings is what a client needs to reach the installation's doors, for every account
// alike. The app computes it from its configuration (app.MailSettings); the SPA's mail
// settings page shows the same (package httpapi names these types MailSettings, MailDoor
// and MailCertificate).
type Settings struct {
	Doors       []Door
	Certificate *Certificate // nil when no door is on, or when it was not asked for
	// DAVURL is where calendar and contacts apps find the account's calendars, task lists and
	// address books (CalDAV/CardDAV discovery starts there); "" when DAV is not served.
	DAVURL string
}

// Door is one mail door as a mail app asks for it.
type Door struct {
	Protocol string // imap, pop3, smtp
	Host     string
	Port     int
	Security string // starttls, tls
}

// Door protocols and securities.
const (
	IMAP     = "imap"
	POP3     = "pop3"
	SMTP     = "smtp"
	TLS      = "tls"
	STARTTLS = "starttls"
)

// Certificate is the doors' TLS certificate; a self-signed one must be compared by its
// fingerprint, as no authority vouches for it.
type Certificate struct {
	SelfSigned bool
	SHA256     string
}

// Source gives the installation's settings.
type Source interface {
	MailSettings() (Settings, error)
}
