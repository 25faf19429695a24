package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
)

// A browser that completed a login keeps one device cookie per account (package authn signs
// it): its later attempts are throttled on a counter of their own. It outlives logout, which
// ends a session, not the browser's standing; it holds no secret and nothing but the API reads it.
const (
	deviceCookiePrefix = "tessera_device_"
	deviceCookieAge    = 365 * 24 * time.Hour
	deviceCookiePath   = "/api/v1/"
)

// client is who a login, second factor or password change comes from.
func client(c *gin.Context) account.Client {
	cl := account.Client{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
	for _, ck := range c.Request.Cookies() {
		if strings.HasPrefix(ck.Name, deviceCookiePrefix) && len(cl.DeviceCookies) < 20 {
			cl.DeviceCookies = append(cl.DeviceCookies, ck.Value)
		}
	}
	cl.TrustedTokens = trustedTokens(c)
	return cl
}

func (k cookies) setDevice(c *gin.Context, accountID uint64, value string) {
	if value == "" {
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: deviceCookiePrefix + strconv.FormatUint(accountID, 10), Value: value,
		Path: deviceCookiePath, MaxAge: int(deviceCookieAge / time.Second), HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode})
}
