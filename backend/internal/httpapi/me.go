package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func (s *server) me(c *gin.Context) {
	if m, ok := s.meOf(c, principal(c).Account); ok {
		c.JSON(http.StatusOK, m)
	}
}

// meOf is the account as its owner sees it: a domain admin learns which domains they administer.
func (s *server) meOf(c *gin.Context, a *store.Account) (meResponse, bool) {
	m := toMe(a)
	var err error
	if m.AdminDomains, err = s.admin.DomainsAdministeredBy(c.Request.Context(), a); err != nil {
		fail(c, err)
		return m, false
	}
	return m, true
}

func (s *server) changePassword(c *gin.Context) {
	var req changePasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"currentPassword", req.CurrentPassword}, [2]string{"newPassword", req.NewPassword}); err != nil {
		fail(c, err)
		return
	}
	iss, err := s.accounts.ChangePassword(c.Request.Context(), principal(c), req.CurrentPassword, req.NewPassword, s.client(c))
	if err != nil {
		fail(c, err)
		return
	}
	s.setSessionCookies(c, iss)
	c.Status(http.StatusNoContent)
}

func (s *server) passwordPolicy(c *gin.Context) {
	p, err := s.accounts.PolicyFor(c.Request.Context(), principal(c).Account)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, passwordPolicyResponse{MinLength: p.MinLength, MaxLength: password.MaxLength,
		RequireLowercase: p.RequireLower, RequireUppercase: p.RequireUpper, RequireDigit: p.RequireDigit,
		RequireSymbol: p.RequireSymbol})
}
