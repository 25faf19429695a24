package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
)

// sessionAuthenticator turns a session cookie or a mobile-app token into a principal.
type sessionAuthenticator interface {
	Authenticate(ctx context.Context, token string) (*account.Principal, error)
	AuthenticateApp(ctx context.Context, token string) (*account.Principal, error)
}

// sessionGate lets a request with a session through, and clears the cookies of an ended one.
type sessionGate struct {
	accounts sessionAuthenticator
	cookies  cookies
}

// requireSession authenticates a mobile-app Bearer token or the session cookie and, for
// state-changing methods with the cookie, the CSRF header, which must equal both the
// tessera_csrf cookie and the value bound into the token. A Bearer token is not sent by the
// browser on its own, so it needs no CSRF header.
func (g *sessionGate) requireSession(c *gin.Context) {
	if h := c.GetHeader("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		p, err := g.accounts.AuthenticateApp(c.Request.Context(), strings.TrimSpace(h[7:]))
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
	p, err := g.accounts.Authenticate(c.Request.Context(), tok)
	if err != nil {
		if errors.Is(err, account.ErrUnauthenticated) {
			g.cookies.clear(c)
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
