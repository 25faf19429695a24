package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/otp"
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

// Deps are the services the API calls.
type Deps struct {
	Accounts    *account.Service
	Credentials *credential.Service
	Mailbox     *mailbox.Service
	Devices     *device.Service
	Admin       *admin.Service
	Orgs        *admin.Orgs
	Domains     DomainFinder
	Settings    SettingsStore
	Audit       admin.Auditor
	// Observe counts a finished request (metrics); nil counts nothing.
	Observe func(route, method string, status int, d time.Duration)
	// ObserveEAS counts an EAS command by its HTTP status; nil counts nothing.
	ObserveEAS     func(command string, status int)
	OTP            *otp.Service
	Issuer         string
	Authn          *authn.Authenticator
	EAS            http.Handler
	ProxyAuthAllow []string
	MailUpstreams  map[string]string
	DB             Pinger
	Log            *slog.Logger
	SPA            fs.FS // the built SPA (index.html, assets/); nil serves a notice
	SecureCookies  bool
	TrustedProxies []string
	MailSettings   MailSettingsSource // the mail doors for GET /me/mail-settings; nil: none
}

type server struct {
	accounts   *account.Service
	creds      *credential.Service
	mailbox    *mailbox.Service
	devices    *device.Service
	admin      *admin.Service
	orgs       *admin.Orgs
	domains    DomainFinder
	settings   SettingsStore
	auditor    admin.Auditor
	observe    func(route, method string, status int, d time.Duration)
	otp        *otp.Service
	issuer     string
	authn      *authn.Authenticator
	proxyAllow []*net.IPNet
	upstreams  map[string]string
	db         Pinger
	log        *slog.Logger
	secure     bool
}

// New builds the HTTP handler: API, health endpoints and the SPA.
func New(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	s := &server{accounts: d.Accounts, creds: d.Credentials, mailbox: d.Mailbox, devices: d.Devices, admin: d.Admin, orgs: d.Orgs,
		domains: d.Domains, settings: d.Settings, auditor: d.Audit, observe: d.Observe, otp: d.OTP, issuer: d.Issuer, authn: d.Authn, db: d.DB,
		log: d.Log, secure: d.SecureCookies, proxyAllow: parseNets(d.ProxyAuthAllow), upstreams: d.MailUpstreams}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Only configured proxies may speak for the client address; by default nobody.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.Use(s.recovery, s.securityHeaders, s.requestLog, s.errorMiddleware, limitBody)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)

	api := r.Group("/api/v1")
	api.POST("/auth/login", s.login)
	api.POST("/auth/login/second-factor", s.secondFactor)
	api.POST("/auth/app-login", s.appLogin)
	api.GET("/proxy-auth/nginx", s.nginxAuth)
	authed := api.Group("", s.requireSession, requirePasswordChanged)
	authed.GET("/me", s.me)
	// Web sessions, enrolment sessions included: what it takes to set up an OTP entry.
	web := authed.Group("", requireWeb)
	web.POST("/auth/logout", s.logout)
	web.GET("/me/two-factor", s.getTwoFactor)
	web.GET("/me/mail-settings", mailSettings(d.MailSettings))
	web.GET("/credentials", s.listCredentials)
	web.POST("/credentials", s.createCredential)
	web.DELETE("/credentials/:id", s.deleteCredential)
	web.POST("/credentials/:id/confirm", s.confirmOTP)
	web.POST("/credentials/:id/pin-sheet", s.pinSheet)
	// Full web sessions only.
	full := web.Group("", requireFull)
	full.POST("/auth/logout-all", s.logoutAll)
	full.PUT("/me/password", s.changePassword)
	full.GET("/me/password-policy", s.passwordPolicy)
	full.PUT("/me/two-factor", s.putTwoFactor)
	full.GET("/me/devices", s.myDevices)
	adm := full.Group("/admin", s.requireAdmin)
	adm.POST("/accounts/:email/messages", s.deliverMessage)
	adm.GET("/accounts", s.adminListAccounts)
	adm.GET("/accounts/:email", s.adminGetAccount)
	adm.PATCH("/accounts/:email", s.adminPatchAccount)
	adm.POST("/accounts/:email/logout-all", s.adminEndSessions)
	adm.POST("/accounts/:email/password", s.adminResetPassword)
	adm.GET("/accounts/:email/credentials", s.adminListCredentials)
	adm.POST("/accounts/:email/credentials", s.adminCreateCredential)
	adm.PATCH("/credentials/:id", s.adminPatchCredential)
	adm.DELETE("/credentials/:id", s.adminDeleteCredential)
	adm.GET("/accounts/:email/devices", s.adminListDevices)
	adm.DELETE("/accounts/:email/devices/:deviceId", s.adminDeviceAction("remove"))
	adm.POST("/accounts/:email/devices/:deviceId/reset", s.adminDeviceAction("reset"))
	adm.POST("/accounts/:email/devices/:deviceId/wipe", s.adminDeviceAction("wipe"))
	adm.POST("/accounts/:email/devices-reset", s.adminDeviceAction("reset-all"))
	adm.GET("/domains", s.adminListDomains)
	adm.POST("/domains", s.adminCreateDomain)
	adm.GET("/domains/:name", s.adminGetDomain)
	adm.PATCH("/domains/:name", s.adminPatchDomain)
	adm.DELETE("/domains/:name", s.adminDeleteDomain)
	adm.GET("/cos", s.adminListCOS)
	adm.POST("/cos", s.adminCreateCOS)
	adm.GET("/cos/:name", s.adminGetCOS)
	adm.PATCH("/cos/:name", s.adminPatchCOS)
	adm.DELETE("/cos/:name", s.adminDeleteCOS)
	adm.GET("/audit", s.adminAudit)
	adm.GET("/settings", s.adminGetSettings)
	adm.PATCH("/settings", s.adminPatchSettings)

	// EAS speaks WBXML, not JSON: its own handler, outside the JSON error middleware's reach.
	if d.EAS != nil {
		r.Any(eas.Path, func(c *gin.Context) {
			d.EAS.ServeHTTP(c.Writer, c.Request.WithContext(eas.WithClientIP(c.Request.Context(), c.ClientIP())))
			if d.ObserveEAS != nil {
				cmd := c.Query("Cmd")
				if cmd == "" {
					cmd = c.Request.Method // OPTIONS, or the base64 query form
				}
				d.ObserveEAS(cmd, c.Writer.Status())
			}
		})
	}

	spa := newSPA(d.SPA)
	r.NoRoute(func(c *gin.Context) {
		if isAPIPath(c.Request.URL.Path) {
			fail(c, errNotFound)
			return
		}
		spa.serve(c)
	})
	r.NoMethod(func(c *gin.Context) { fail(c, errMethod) })
	return r, nil
}

// recovery turns a panic into the generic 500 error and logs the detail.
func (s *server) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", v)
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": errInternal})
		}
	}()
	c.Next()
}

func (s *server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (s *server) readyz(c *gin.Context) {
	if err := s.db.Ping(c.Request.Context()); err != nil {
		s.log.Warn("readiness: database unreachable", "err", err)
		fail(c, newError(http.StatusServiceUnavailable, "unavailable", "The database is unreachable."))
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
