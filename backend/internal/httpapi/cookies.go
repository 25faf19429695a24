package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/session"
)

// cookies writes the API's cookies; secure marks them Secure (an https public URL).
type cookies struct {
	secure bool
}

func (k cookies) setSession(c *gin.Context, iss *session.Issued) {
	maxAge := int(time.Until(iss.ExpiresAt).Seconds())
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: iss.Token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode})
	// Readable by the SPA so it can echo it in X-CSRF-Token; useless to another origin.
	http.SetCookie(c.Writer, &http.Cookie{Name: csrfCookie, Value: iss.CSRF, Path: "/", MaxAge: maxAge,
		Secure: k.secure, SameSite: http.SameSiteStrictMode})
}

func (k cookies) clear(c *gin.Context) {
	for _, name := range []string{sessionCookie, csrfCookie} {
		http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: name == sessionCookie, Secure: k.secure, SameSite: http.SameSiteStrictMode})
	}
}
