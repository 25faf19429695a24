package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// A remembered browser keeps one trusted-browser cookie per account: a long random token
// whose hash the store keeps (account.Trust). Only the API reads it: the login to skip the
// second factor, the list to mark "this browser". It outlives logout like the device cookie.
const trustedCookiePrefix = "tessera_trusted_"

// trustedTokens are the trusted-browser cookies a request carries (of any account: only the
// account logging in can match one).
func trustedTokens(c *gin.Context) []string {
	var out []string
	for _, ck := range c.Request.Cookies() {
		if strings.HasPrefix(ck.Name, trustedCookiePrefix) && ck.Value != "" && len(out) < 20 {
			out = append(out, ck.Value)
		}
	}
	return out
}

func (k cookies) setTrusted(c *gin.Context, accountID uint64, t account.Trust) {
	if t.TrustedToken == "" {
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: trustedCookiePrefix + strconv.FormatUint(accountID, 10), Value: t.TrustedToken,
		Path: deviceCookiePath, MaxAge: int(time.Until(t.TrustedUntil).Seconds()), HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode})
}

// trustLister is what the user's list of remembered browsers takes of account.Service.
type trustLister interface {
	TrustedBrowsers(ctx context.Context, p *account.Principal, tokens []string) ([]account.TrustedBrowser, error)
	ForgetBrowser(ctx context.Context, p *account.Principal, id uint64, clientIP string) error
}

// trustAdmin is the same for an administrator (admin.Service).
type trustAdmin interface {
	TrustedBrowsers(ctx context.Context, sc admin.Scope, email string) ([]account.TrustedBrowser, error)
	ForgetTrustedBrowser(ctx context.Context, sc admin.Scope, email string, id uint64, ip string) error
}

// trustedBrowsersHandler lists and revokes remembered browsers: the user's own, and an
// administrator's view of an account they manage.
type trustedBrowsersHandler struct {
	accounts trustLister
	admin    trustAdmin
}

func (h *trustedBrowsersHandler) routes(g routers) {
	g.full.GET("/me/trusted-browsers", h.mine)
	g.full.DELETE("/me/trusted-browsers/:id", h.forgetMine)
	g.admin.GET("/accounts/:email/trusted-browsers", h.ofAccount)
	g.admin.DELETE("/accounts/:email/trusted-browsers/:id", h.forgetOfAccount)
}

type trustedBrowserResponse struct {
	ID         uint64    `json:"id"`
	Browser    string    `json:"browser"`
	UserAgent  string    `json:"userAgent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"createdAt"`
	LastUsedAt time.Time `json:"lastUsedAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	Current    bool      `json:"current"`
}

func toTrustedBrowsers(bs []account.TrustedBrowser) gin.H {
	out := make([]trustedBrowserResponse, len(bs))
	for i, b := range bs {
		out[i] = trustedBrowserResponse{ID: b.ID, Browser: b.Browser, UserAgent: b.UserAgent, IP: b.IP,
			CreatedAt: b.CreatedAt, LastUsedAt: b.LastUsedAt, ExpiresAt: b.ExpiresAt, Current: b.Current}
	}
	return gin.H{"items": out}
}

func (h *trustedBrowsersHandler) mine(c *gin.Context) {
	bs, err := h.accounts.TrustedBrowsers(c.Request.Context(), principal(c), trustedTokens(c))
	respond(c, http.StatusOK, toTrustedBrowsers(bs), err)
}

func (h *trustedBrowsersHandler) forgetMine(c *gin.Context) {
	id, ok := sessionID(c)
	if !ok {
		return
	}
	if err := h.accounts.ForgetBrowser(c.Request.Context(), principal(c), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *trustedBrowsersHandler) ofAccount(c *gin.Context) {
	bs, err := h.admin.TrustedBrowsers(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	respond(c, http.StatusOK, toTrustedBrowsers(bs), err)
}

func (h *trustedBrowsersHandler) forgetOfAccount(c *gin.Context) {
	id, ok := sessionID(c)
	if !ok {
		return
	}
	if err := h.admin.ForgetTrustedBrowser(c.Request.Context(), scope(c), normEmail(c.Param("email")), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
