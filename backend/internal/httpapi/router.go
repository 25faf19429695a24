package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
)

// Pinger reports whether the database answers (readiness).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the services the API calls.
type Deps struct {
	Accounts       *account.Service
	DB             Pinger
	Log            *slog.Logger
	SPA            fs.FS // the built SPA (index.html, assets/); nil serves a notice
	SecureCookies  bool
	TrustedProxies []string
}

type server struct {
	accounts *account.Service
	db       Pinger
	log      *slog.Logger
	secure   bool
}

// New builds the HTTP handler: API, health endpoints and the SPA.
func New(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	s := &server{accounts: d.Accounts, db: d.DB, log: d.Log, secure: d.SecureCookies}
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
	authed := api.Group("", s.requireSession)
	authed.POST("/auth/logout", s.logout)
	authed.POST("/auth/logout-all", s.logoutAll)
	authed.GET("/me", s.me)
	authed.PUT("/me/password", s.changePassword)
	authed.GET("/me/password-policy", s.passwordPolicy)

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
