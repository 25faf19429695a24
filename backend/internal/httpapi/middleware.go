package httpapi

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
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

func (s *server) securityHeaders(c *gin.Context) {
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
func (s *server) requestLog(c *gin.Context) {
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

// requireSession authenticates a mobile-app Bearer token or the session cookie and, for
// state-changing methods with the cookie, the CSRF header, which must equal both the
// tessera_csrf cookie and the value bound into the token. A Bearer token is not sent by the
// browser on its own, so it needs no CSRF header.
func (s *server) requireSession(c *gin.Context) {
	if h := c.GetHeader("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		p, err := s.accounts.AuthenticateApp(c.Request.Context(), strings.TrimSpace(h[7:]))
		if err != nil {
			fail(c, err)
			return
		}
		c.Set(principalKey, p)
		c.Next()
		return
	}
	tok, err := c.Cookie(sessionCookie)
	if err != nil || tok == "" {
		fail(c, errUnauthenticated)
		return
	}
	p, err := s.accounts.Authenticate(c.Request.Context(), tok)
	if err != nil {
		if errors.Is(err, account.ErrUnauthenticated) {
			s.clearCookies(c)
		}
		fail(c, err)
		return
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		hdr := c.GetHeader(csrfHeader)
		ck, _ := c.Cookie(csrfCookie)
		if hdr == "" || !equal(hdr, ck) || !equal(hdr, p.Claims.CSRF) {
			fail(c, errCSRF)
			return
		}
	}
	c.Set(principalKey, p)
	c.Next()
}

// requireWeb keeps mobile-app tokens away from what only the user at the settings page may do.
func requireWeb(c *gin.Context) {
	if principal(c).App {
		fail(c, newError(http.StatusForbidden, "forbidden", "This needs a web session, not a mobile-app token."))
		return
	}
	c.Next()
}

// requireFull keeps a restricted enrolment session to enrolling an OTP entry.
func requireFull(c *gin.Context) {
	if principal(c).Enrolment {
		fail(c, newError(http.StatusForbidden, "enrolment_required", "Set up an OTP entry first: your account requires two-factor authentication."))
		return
	}
	c.Next()
}

// passwordChangeRoutes are what a session that must change its password may still use: who is
// logged in, what the change-password page shows and submits, and logging out.
var passwordChangeRoutes = map[string]bool{
	http.MethodGet + " /api/v1/me":                 true,
	http.MethodGet + " /api/v1/me/password-policy": true,
	http.MethodPut + " /api/v1/me/password":        true,
	http.MethodPost + " /api/v1/auth/logout":       true,
}

var errPasswordChangeRequired = newError(http.StatusForbidden, "password_change_required",
	"Choose a new password first: an administrator reset yours.")

// requirePasswordChanged is the one place that holds a session to changing its password after
// an administrator's reset required it (see account.Principal.PasswordChangeRequired).
func requirePasswordChanged(c *gin.Context) {
	if principal(c).PasswordChangeRequired() && !passwordChangeRoutes[c.Request.Method+" "+c.FullPath()] {
		fail(c, errPasswordChangeRequired)
		return
	}
	c.Next()
}

func principal(c *gin.Context) *account.Principal {
	return c.MustGet(principalKey).(*account.Principal)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
