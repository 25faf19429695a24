package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// meAccounts is what the user's own settings take of the accounts service.
type meAccounts interface {
	ChangePassword(ctx context.Context, p *account.Principal, current, next string, cl account.Client) (*session.Issued, error)
	PolicyFor(ctx context.Context, a *store.Account) (password.Policy, error)
	TwoFactorState(ctx context.Context, p *account.Principal) (policy.Decision, error)
	SetTwoFactor(ctx context.Context, p *account.Principal, on bool, clientIP string) (policy.Decision, error)
	SetRecoveryEmail(ctx context.Context, p *account.Principal, addr, clientIP string) (*store.Account, error)
}

// adminDomainsOf tells which domains an account administers (admin.Service).
type adminDomainsOf interface {
	DomainsAdministeredBy(ctx context.Context, a *store.Account) ([]string, error)
}

// deviceLister lists an account's EAS devices and lets the user wipe one (device.Service).
type deviceLister interface {
	List(ctx context.Context, accountID uint64) ([]store.Device, error)
	WipeOwn(ctx context.Context, a *store.Account, deviceID, scope, ip string) error
}

// meHandler is the user's own account: profile, password, two-factor switch, devices.
type meHandler struct {
	accounts meAccounts
	domains  adminDomainsOf
	devices  deviceLister
	cookies  cookies
}

func (h *meHandler) routes(g routers) {
	g.authed.GET("/me", h.me)
	g.web.GET("/me/two-factor", h.getTwoFactor)
	g.full.PUT("/me/password", h.changePassword)
	g.full.GET("/me/password-policy", h.passwordPolicy)
	g.full.PUT("/me/two-factor", h.putTwoFactor)
	g.full.PUT("/me/recovery-email", h.putRecoveryEmail)
	g.full.GET("/me/devices", h.myDevices)
	g.full.POST("/me/devices/:deviceId/wipe", h.wipeMyDevice)
}

func (h *meHandler) me(c *gin.Context) {
	if m, ok := meOf(c, h.domains, principal(c).Account); ok {
		c.JSON(http.StatusOK, m)
	}
}

// meOf is the account as its owner sees it: a domain admin learns which domains they administer.
func meOf(c *gin.Context, domains adminDomainsOf, a *store.Account) (meResponse, bool) {
	m := toMe(a)
	var err error
	if m.AdminDomains, err = domains.DomainsAdministeredBy(c.Request.Context(), a); err != nil {
		fail(c, err)
		return m, false
	}
	return m, true
}

func (h *meHandler) changePassword(c *gin.Context) {
	var req changePasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"currentPassword", req.CurrentPassword}, [2]string{"newPassword", req.NewPassword}); err != nil {
		fail(c, err)
		return
	}
	iss, err := h.accounts.ChangePassword(c.Request.Context(), principal(c), req.CurrentPassword, req.NewPassword, client(c))
	if err != nil {
		fail(c, err)
		return
	}
	h.cookies.setSession(c, iss)
	c.Status(http.StatusNoContent)
}

func (h *meHandler) passwordPolicy(c *gin.Context) {
	p, err := h.accounts.PolicyFor(c.Request.Context(), principal(c).Account)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, passwordPolicyResponse{MinLength: p.MinLength, MaxLength: password.MaxLength,
		RequireLowercase: p.RequireLower, RequireUppercase: p.RequireUpper, RequireDigit: p.RequireDigit,
		RequireSymbol: p.RequireSymbol})
}

// wipeMyDevice is the user's own remote wipe of one of their devices (a lost phone): the
// whole device, or only this account's data on it.
func (h *meHandler) wipeMyDevice(c *gin.Context) {
	what, ok := wipeScope(c)
	if !ok {
		return
	}
	if err := h.devices.WipeOwn(c.Request.Context(), principal(c).Account, c.Param("deviceId"), what, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// myDevices lists the caller's own EAS devices.
func (h *meHandler) myDevices(c *gin.Context) {
	devs, err := h.devices.List(c.Request.Context(), principal(c).Account.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": toDevices(devs)})
}

type twoFactorResponse struct {
	Enabled  bool    `json:"enabled"`
	LockedBy *string `json:"lockedBy"`
}

type twoFactorRequest struct {
	Enabled *bool `json:"enabled"`
}

func (h *meHandler) getTwoFactor(c *gin.Context) {
	d, err := h.accounts.TwoFactorState(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTwoFactor(d.Enabled, string(d.LockedBy)))
}

func (h *meHandler) putTwoFactor(c *gin.Context) {
	var req twoFactorRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Enabled == nil {
		fail(c, newError(http.StatusBadRequest, "invalid_request", `Field "enabled" is required.`))
		return
	}
	d, err := h.accounts.SetTwoFactor(c.Request.Context(), principal(c), *req.Enabled, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTwoFactor(d.Enabled, string(d.LockedBy)))
}

func toTwoFactor(enabled bool, lockedBy string) twoFactorResponse {
	r := twoFactorResponse{Enabled: enabled}
	if lockedBy != "" {
		r.LockedBy = &lockedBy
	}
	return r
}

type recoveryEmailRequest struct {
	RecoveryEmail *string `json:"recoveryEmail"`
}

// putRecoveryEmail sets or clears ("") the caller's recovery address; the answer is the
// account as GET /me shows it.
func (h *meHandler) putRecoveryEmail(c *gin.Context) {
	var req recoveryEmailRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.RecoveryEmail == nil {
		fail(c, newError(http.StatusBadRequest, "invalid_request", `Field "recoveryEmail" is required.`))
		return
	}
	a, err := h.accounts.SetRecoveryEmail(c.Request.Context(), principal(c), *req.RecoveryEmail, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	if m, ok := meOf(c, h.domains, a); ok {
		c.JSON(http.StatusOK, m)
	}
}
