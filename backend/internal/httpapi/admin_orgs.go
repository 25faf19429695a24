package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// orgAdmin is what the admin's domain and COS pages take of admin.Orgs.
type orgAdmin interface {
	Domains(ctx context.Context, sc admin.Scope) ([]admin.Domain, error)
	Domain(ctx context.Context, sc admin.Scope, name string) (admin.Domain, error)
	CreateDomain(ctx context.Context, sc admin.Scope, name string, p admin.OrgPatch, ip string) (admin.Domain, error)
	PatchDomain(ctx context.Context, sc admin.Scope, name string, p admin.OrgPatch, ip string) (admin.Domain, error)
	DeleteDomain(ctx context.Context, sc admin.Scope, name, ip string) error
	ListCOS(ctx context.Context) ([]admin.COS, error)
	COS(ctx context.Context, name string) (admin.COS, error)
	CreateCOS(ctx context.Context, sc admin.Scope, name string, p admin.OrgPatch, ip string) (admin.COS, error)
	PatchCOS(ctx context.Context, sc admin.Scope, name string, p admin.OrgPatch, ip string) (admin.COS, error)
	DeleteCOS(ctx context.Context, sc admin.Scope, name, ip string) error
}

// adminOrgs is domains and classes of service, with their policies.
type adminOrgs struct {
	orgs orgAdmin
}

func (h *adminOrgs) routes(g routers) {
	g.admin.GET("/domains", h.adminListDomains)
	g.admin.POST("/domains", h.adminCreateDomain)
	g.admin.GET("/domains/:name", h.adminGetDomain)
	g.admin.PATCH("/domains/:name", h.adminPatchDomain)
	g.admin.DELETE("/domains/:name", h.adminDeleteDomain)
	g.admin.GET("/cos", h.adminListCOS)
	g.admin.POST("/cos", h.adminCreateCOS)
	g.admin.GET("/cos/:name", h.adminGetCOS)
	g.admin.PATCH("/cos/:name", h.adminPatchCOS)
	g.admin.DELETE("/cos/:name", h.adminDeleteCOS)
}

// orgRequest creates or changes a domain or COS; nil fields stay as they are.
type orgRequest struct {
	Name                     string  `json:"name"`
	TwoFactor                *string `json:"twoFactor"`
	EASRequireDevicePassword *bool   `json:"easRequireDevicePassword"`
	EASEnabled               *bool   `json:"easEnabled"`

	passwordRequest // password policy (migration 0010)
	// COS limits; null inherits the global setting.
	MaxCredentialsPerKind nullable[int]  `json:"maxCredentialsPerKind"`
	PinCodesPerEntry      nullable[int]  `json:"pinCodesPerEntry"`
	DeviceAccess          *string        `json:"deviceAccess"`
	TrustedBrowserDays    nullable[int]  `json:"trustedBrowserDays"`
	PasskeyLogin          nullable[bool] `json:"passkeyLogin"`
}

func (r orgRequest) patch() admin.OrgPatch {
	return admin.OrgPatch{TwoFactor: r.TwoFactor, EASRequireDevicePassword: r.EASRequireDevicePassword, EASEnabled: r.EASEnabled,
		Password: r.passwordRequest.patch(), AccountPasswordForMail: r.AccountPasswordForMail,
		MaxCredentialsPerKind: r.MaxCredentialsPerKind.override(), PinCodesPerEntry: r.PinCodesPerEntry.override(),
		DeviceAccess: r.DeviceAccess, TrustedBrowserDays: r.TrustedBrowserDays.override(), PasskeyLogin: r.PasskeyLogin.override()}
}

func domainParam(c *gin.Context) string { return strings.ToLower(strings.TrimSpace(c.Param("name"))) }

// respond writes v, or the error.
func respond[T any](c *gin.Context, status int, v T, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, v)
}

func (h *adminOrgs) adminListDomains(c *gin.Context) {
	ds, err := h.orgs.Domains(c.Request.Context(), scope(c))
	respond(c, http.StatusOK, gin.H{"items": ds}, err)
}

func (h *adminOrgs) adminGetDomain(c *gin.Context) {
	d, err := h.orgs.Domain(c.Request.Context(), scope(c), domainParam(c))
	respond(c, http.StatusOK, d, err)
}

// adminCreateDomain adds a domain, with its policy when the body names one (global admins).
func (h *adminOrgs) adminCreateDomain(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	d, err := h.orgs.CreateDomain(c.Request.Context(), scope(c), req.Name, req.patch(), c.ClientIP())
	respond(c, http.StatusCreated, d, err)
}

func (h *adminOrgs) adminPatchDomain(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	d, err := h.orgs.PatchDomain(c.Request.Context(), scope(c), domainParam(c), req.patch(), c.ClientIP())
	respond(c, http.StatusOK, d, err)
}

func (h *adminOrgs) adminDeleteDomain(c *gin.Context) {
	if err := h.orgs.DeleteDomain(c.Request.Context(), scope(c), domainParam(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *adminOrgs) adminListCOS(c *gin.Context) {
	cs, err := h.orgs.ListCOS(c.Request.Context())
	respond(c, http.StatusOK, gin.H{"items": cs}, err)
}

func (h *adminOrgs) adminGetCOS(c *gin.Context) {
	v, err := h.orgs.COS(c.Request.Context(), c.Param("name"))
	respond(c, http.StatusOK, v, err)
}

// adminCreateCOS adds a class of service, with its policy when the body names one (global admins).
func (h *adminOrgs) adminCreateCOS(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := h.orgs.CreateCOS(c.Request.Context(), scope(c), req.Name, req.patch(), c.ClientIP())
	respond(c, http.StatusCreated, v, err)
}

func (h *adminOrgs) adminPatchCOS(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := h.orgs.PatchCOS(c.Request.Context(), scope(c), c.Param("name"), req.patch(), c.ClientIP())
	respond(c, http.StatusOK, v, err)
}

func (h *adminOrgs) adminDeleteCOS(c *gin.Context) {
	if err := h.orgs.DeleteCOS(c.Request.Context(), scope(c), c.Param("name"), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
