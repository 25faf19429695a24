package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/session"
)

func (s *server) setSessionCookies(c *gin.Context, iss *session.Issued) {
	maxAge := int(time.Until(iss.ExpiresAt).Seconds())
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: iss.Token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	// Readable by the SPA so it can echo it in X-CSRF-Token; useless to another origin.
	http.SetCookie(c.Writer, &http.Cookie{Name: csrfCookie, Value: iss.CSRF, Path: "/", MaxAge: maxAge,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
}

func (s *server) clearCookies(c *gin.Context) {
	for _, name := range []string{sessionCookie, csrfCookie} {
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: name == sessionCookie, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	}
}
