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

	passwordRequest // password policy (migration 0010)
	// COS limits; null inherits the global setting.
	MaxCredentialsPerKind nullable[int] `json:"maxCredentialsPerKind"`
	PinCodesPerEntry      nullable[int] `json:"pinCodesPerEntry"`
}

func (r orgRequest) patch() admin.OrgPatch {
	return admin.OrgPatch{TwoFactor: r.TwoFactor, EASRequireDevicePassword: r.EASRequireDevicePassword, EASEnabled: r.EASEnabled,
		Password: r.passwordRequest.patch(), AccountPasswordForMail: r.AccountPasswordForMail,
		MaxCredentialsPerKind: r.MaxCredentialsPerKind.override(), PinCodesPerEntry: r.PinCodesPerEntry.override()}
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
	d, err := s.orgs.CreateDomain(c.Request.Context(), scope(c), req.Name, req.patch(), c.ClientIP())
	respond(c, http.StatusCreated, d, err)
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
	v, err := s.orgs.CreateCOS(c.Request.Context(), scope(c), req.Name, req.patch(), c.ClientIP())
	respond(c, http.StatusCreated, v, err)
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
