package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/reqid"
)

const (
	maxBody         = 1 << 20
	sessionCookie   = "tessera_session"
	csrfCookie      = "tessera_csrf"
	csrfHeader      = "X-CSRF-Token"
	principalKey    = "tessera.principal"
	contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
		"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

// shared is what every request passes through: the recovery, security headers, request log
// and metrics, the error middleware, and the health endpoints.
type shared struct {
	log     *slog.Logger
	db      Pinger
	observe func(route, method string, status int, d time.Duration)
	secure  bool // HTTPS: Strict-Transport-Security
}

func (s *shared) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// limitBody refuses bodies over 1 MiB before reading them when the length is declared, and
// caps the reader otherwise (decodeJSON turns the cap into 413).
func limitBody(c *gin.Context) {
	limit := int64(maxBody)
	if c.FullPath() == adminMessagesPath { // whole messages, attachments included
		limit = mailbox.MaxMessage
	}
	if c.Request.ContentLength > limit {
		fail(c, errTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// requestLog gives every request an id (X-Request-Id, kept from a trusted proxy's header or
// made here), logs it, and counts it in the metrics.
func (s *shared) requestLog(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-Id")
	if len(id) == 0 || len(id) > 64 {
		id = reqid.New()
	}
	c.Header("X-Request-Id", id)
	c.Request = c.Request.WithContext(reqid.With(c.Request.Context(), id))
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "other"
	}
	// Never the body or the query: they may carry secrets.
	s.log.DebugContext(c.Request.Context(), "http", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"ms", time.Since(start).Milliseconds(), "client_ip", c.ClientIP())
	if s.observe != nil {
		s.observe(route, c.Request.Method, c.Writer.Status(), time.Since(start))
	}
}

// recovery turns a panic into the generic 500 error and logs the detail.
func (s *shared) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", v)
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": errInternal})
		}
	}()
	c.Next()
}

func (s *shared) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

func (s *shared) readyz(c *gin.Context) {
	if err := s.db.Ping(c.Request.Context()); err != nil {
		s.log.Warn("readiness: database unreachable", "err", err)
		fail(c, newError(http.StatusServiceUnavailable, "unavailable", "The database is unreachable."))
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
