package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// orgRequest creates or changes a domain or COS; nil fields stay as they are.
type orgRequest struct {
	Name                     string  `json:"name"`
	TwoFactor                *string `json:"twoFactor"`
	EASRequireDevicePassword *bool   `json:"easRequireDevicePassword"`
	EASEnabled               *bool   `json:"easEnabled"`
}

func (r orgRequest) patch() admin.OrgPatch {
	return admin.OrgPatch{TwoFactor: r.TwoFactor, EASRequireDevicePassword: r.EASRequireDevicePassword, EASEnabled: r.EASEnabled}
}

func (r orgRequest) hasChanges() bool {
	return r.TwoFactor != nil || r.EASRequireDevicePassword != nil || r.EASEnabled != nil
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

func (s *server) adminListDomains(c *gin.Context) {
	ds, err := s.orgs.Domains(c.Request.Context(), scope(c))
	respond(c, http.StatusOK, gin.H{"items": ds}, err)
}

func (s *server) adminGetDomain(c *gin.Context) {
	d, err := s.orgs.Domain(c.Request.Context(), scope(c), domainParam(c))
	respond(c, http.StatusOK, d, err)
}

// adminCreateDomain adds a domain, with its policy when the body names one (global admins).
func (s *server) adminCreateDomain(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	sc := scope(c)
	if !sc.Global {
		fail(c, admin.ErrForbidden)
		return
	}
	if err := req.patch().Validate(true); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	d, err := s.accounts.CreateDomain(ctx, sc.Actor, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	view, err := s.orgs.Domain(ctx, sc, d.Name)
	if req.hasChanges() && err == nil {
		view, err = s.orgs.PatchDomain(ctx, sc, d.Name, req.patch(), c.ClientIP())
	}
	respond(c, http.StatusCreated, view, err)
}

func (s *server) adminPatchDomain(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	d, err := s.orgs.PatchDomain(c.Request.Context(), scope(c), domainParam(c), req.patch(), c.ClientIP())
	respond(c, http.StatusOK, d, err)
}

func (s *server) adminDeleteDomain(c *gin.Context) {
	if err := s.orgs.DeleteDomain(c.Request.Context(), scope(c), domainParam(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *server) adminListCOS(c *gin.Context) {
	cs, err := s.orgs.ListCOS(c.Request.Context())
	respond(c, http.StatusOK, gin.H{"items": cs}, err)
}

func (s *server) adminGetCOS(c *gin.Context) {
	v, err := s.orgs.COS(c.Request.Context(), c.Param("name"))
	respond(c, http.StatusOK, v, err)
}

// adminCreateCOS adds a class of service, with its policy when the body names one (global admins).
func (s *server) adminCreateCOS(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	sc := scope(c)
	if !sc.Global {
		fail(c, admin.ErrForbidden)
		return
	}
	if err := req.patch().Validate(false); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	created, err := s.accounts.CreateCOS(ctx, sc.Actor, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	view, err := s.orgs.COS(ctx, created.Name)
	if req.hasChanges() && err == nil {
		view, err = s.orgs.PatchCOS(ctx, sc, created.Name, req.patch(), c.ClientIP())
	}
	respond(c, http.StatusCreated, view, err)
}

func (s *server) adminPatchCOS(c *gin.Context) {
	var req orgRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := s.orgs.PatchCOS(c.Request.Context(), scope(c), c.Param("name"), req.patch(), c.ClientIP())
	respond(c, http.StatusOK, v, err)
}

func (s *server) adminDeleteCOS(c *gin.Context) {
	if err := s.orgs.DeleteCOS(c.Request.Context(), scope(c), c.Param("name"), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
