package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Pinger reports whether the database answers (readiness).
type Pinger interface {
	Ping(ctx context.Context) error
}

// DomainFinder resolves a domain name (admin filters).
type DomainFinder interface {
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
}

// SettingsStore is the global settings row.
type SettingsStore = admin.SettingsStore

// Deps are the services the API calls. New hands each area only the ones it uses.
type Deps struct {
	// The user's own pages: login, profile, credentials, OTP entries.
	Accounts    *account.Service
	Credentials *credential.Service
	OTP         *otp.Service
	Passkeys    *passkey.Service // nil offers no passkeys
	Issuer      string           // printed on PIN sheets
	Devices     *device.Service
	// Administration.
	Admin        *admin.Service
	DeviceAccess *admin.DeviceAccess
	Orgs         *admin.Orgs
	Domains      DomainFinder
	Settings     SettingsStore
	Audit        admin.Auditor
	Mailbox      *mailbox.Service // admin delivery into an Inbox
	// Protocols mounted here: nginx mail auth and Exchange ActiveSync.
	Authn          *authn.Authenticator
	ProxyAuthAllow []string
	MailUpstreams  map[string]string
	EAS            http.Handler
	// ObserveEAS counts an EAS command by its HTTP status; nil counts nothing.
	ObserveEAS func(command string, status int)
	DAV        http.Handler // CalDAV and CardDAV under /dav/; nil mounts nothing
	// Shared by every request.
	DB  Pinger
	Log *slog.Logger
	// Observe counts a finished request (metrics); nil counts nothing.
	Observe        func(route, method string, status int, d time.Duration)
	SPA            fs.FS // the built SPA (index.html, assets/); nil serves a notice
	SecureCookies  bool
	TrustedProxies []string
	MailSettings   MailSettingsSource // the mail doors for GET /me/mail-settings; nil: none
	// AppleProfiles keeps one-time Apple configuration profiles; nil offers none.
	AppleProfiles *appleprofile.Service
	PublicURL     string // the EAS host in Apple profiles
	// Autodiscover answers Autodiscover and autoconfig (package autodiscover); nil mounts
	// nothing. DomainDNS lists a domain's DNS records for the admin; nil: not offered.
	Autodiscover http.Handler
	DomainDNS    DomainDNSSource
}

// routers are the tiers an area registers its routes on; each adds checks to the one before.
type routers struct {
	public gin.IRouter // /api/v1, no session
	authed gin.IRouter // any session, mobile-app token included; held to a password change when one is required
	web    gin.IRouter // web sessions, enrolment sessions included: what it takes to set up an OTP entry
	full   gin.IRouter // full web sessions only
	admin  gin.IRouter // /api/v1/admin: full web sessions of administrators
}

// New builds the HTTP handler: API, health endpoints, the EAS mount and the SPA. Each area
// gets only the services it calls; the middleware is shared.
func New(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	ck := cookies{secure: d.SecureCookies}
	base := &shared{log: d.Log, db: d.DB, observe: d.Observe, secure: d.SecureCookies}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Only configured proxies may speak for the client address; by default nobody.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.Use(base.recovery, base.securityHeaders, base.requestLog, base.errorMiddleware, limitBody)
	r.GET("/healthz", base.healthz)
	r.GET("/readyz", base.readyz)

	api := r.Group("/api/v1")
	authed := api.Group("", (&sessionGate{accounts: d.Accounts, cookies: ck}).requireSession, requirePasswordChanged)
	web := authed.Group("", requireWeb)
	full := web.Group("", requireFull)
	adm := full.Group("/admin", (&adminGate{admin: d.Admin, settings: d.Settings}).requireAdmin)
	g := routers{public: api, authed: authed, web: web, full: full, admin: adm}

	authH := &authHandler{accounts: d.Accounts, domains: d.Admin, cookies: ck}
	authH.routes(g)
	if d.Passkeys != nil {
		(&passkeysHandler{enrol: d.Passkeys, logins: d.Accounts, auth: authH}).routes(g)
	}
	(&meHandler{accounts: d.Accounts, domains: d.Admin, devices: d.Devices, cookies: ck}).routes(g)
	(&webSessionsHandler{accounts: d.Accounts, admin: d.Admin, cookies: ck}).routes(g)
	(&trustedBrowsersHandler{accounts: d.Accounts, admin: d.Admin}).routes(g)
	var profiles appleProfiles
	if d.AppleProfiles != nil {
		profiles = d.AppleProfiles
	}
	(&credentialsHandler{creds: d.Credentials, profiles: &appleProfileIssuer{profiles: profiles, mail: d.MailSettings,
		publicURL: d.PublicURL, log: orDefault(d.Log)}}).routes(g)
	(&appleProfileHandler{profiles: profiles}).routes(g)
	(&mailSettingsHandler{src: d.MailSettings}).routes(g)
	(&otpHandler{otp: d.OTP, accounts: d.Accounts, cookies: ck, issuer: d.Issuer}).routes(g)
	(&adminAccounts{admin: d.Admin, domains: d.Domains, passwords: d.Accounts, mailbox: d.Mailbox}).routes(g)
	(&adminCredentials{admin: d.Admin, maker: d.Credentials}).routes(g)
	(&adminDevices{admin: d.Admin}).routes(g)
	(&adminDeviceAccess{da: d.DeviceAccess}).routes(g)
	(&adminOrgs{orgs: d.Orgs}).routes(g)
	(&adminSettings{settings: d.Settings, audit: d.Audit}).routes(g)
	(&adminAudit{admin: d.Admin}).routes(g)
	if d.DomainDNS != nil {
		(&adminDNS{src: d.DomainDNS}).routes(g)
	}
	(&proxyAuth{authn: d.Authn, allow: parseNets(d.ProxyAuthAllow), upstreams: d.MailUpstreams, log: d.Log}).routes(g)

	// EAS speaks WBXML, not JSON: its own handler, outside the JSON error middleware's reach.
	if d.EAS != nil {
		(&easMount{eas: d.EAS, observe: d.ObserveEAS}).routes(r)
	}
	if d.DAV != nil { // CalDAV/CardDAV speak XML: outside the JSON API as EAS is
		(&davMount{dav: d.DAV}).routes(r)
	}

	if d.Autodiscover != nil { // XML and its own JSON: outside the JSON API as EAS is
		(&autodiscoverMount{h: d.Autodiscover}).routes(r)
	}

	spa := newSPA(d.SPA)
	r.NoRoute(spa.noRoute)
	r.NoMethod(func(c *gin.Context) { fail(c, errMethod) })
	return r, nil
}

func orDefault(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}
