package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

type adminAccountResponse struct {
	meResponse
	LastLoginAt *time.Time `json:"lastLoginAt"`
	// Manageable: the caller may act on the account; another administrator's account is
	// read-only to a domain admin, and the SPA shows it without actions.
	Manageable bool `json:"manageable"`
}

func toAdminAccount(sc admin.Scope, a *store.Account) adminAccountResponse {
	return adminAccountResponse{meResponse: toMe(a), LastLoginAt: a.LastLoginAt, Manageable: sc.Manages(a)}
}

func (s *server) adminListAccounts(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	var domainID uint64
	if d := c.Query("domain"); d != "" {
		dom, err := s.domains.DomainByName(c.Request.Context(), strings.ToLower(d))
		if err != nil {
			c.JSON(http.StatusOK, gin.H{"items": []adminAccountResponse{}, "total": 0, "page": max(page, 1), "pageSize": admin.PageSize})
			return
		}
		domainID = dom.ID
	}
	p, err := s.admin.Accounts(c.Request.Context(), scope(c), c.Query("q"), domainID, max(page, 1))
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]adminAccountResponse, len(p.Items))
	for i := range p.Items {
		items[i] = toAdminAccount(scope(c), &p.Items[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": p.Total, "page": max(page, 1), "pageSize": admin.PageSize})
}

func (s *server) adminGetAccount(c *gin.Context) {
	a, err := s.admin.Account(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	s.respondAdminAccount(c, a)
}

// respondAdminAccount answers with one account, a domain admin's admin domains included.
func (s *server) respondAdminAccount(c *gin.Context, a *store.Account) {
	r := toAdminAccount(scope(c), a)
	var err error
	if r.AdminDomains, err = s.admin.AdminDomains(c.Request.Context(), scope(c), a); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

type accountPatchRequest struct {
	Role         *string   `json:"role"`
	COS          *string   `json:"cos"`
	Status       *string   `json:"status"`
	AdminDomains *[]string `json:"adminDomains"`
}

func (s *server) adminPatchAccount(c *gin.Context) {
	var req accountPatchRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	a, err := s.admin.PatchAccount(c.Request.Context(), scope(c), normEmail(c.Param("email")),
		admin.AccountPatch{Role: req.Role, COS: req.COS, Status: req.Status, AdminDomains: req.AdminDomains}, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	s.respondAdminAccount(c, a)
}

func (s *server) adminEndSessions(c *gin.Context) {
	if err := s.admin.EndSessions(c.Request.Context(), scope(c), normEmail(c.Param("email")), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *server) adminAudit(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	page = max(page, 1)
	f := store.AuditFilter{Account: normEmail(c.Query("account")), Actor: normEmail(c.Query("actor")), Action: c.Query("kind"),
		Offset: (page - 1) * 100, Limit: 100}
	for name, dst := range map[string]*time.Time{"from": &f.Since, "to": &f.Until} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				fail(c, newError(http.StatusBadRequest, "invalid_request", name+" is an RFC 3339 time, e.g. 2026-11-22T00:00:00Z"))
				return
			}
			*dst = t
		}
	}
	events, err := s.admin.Audit(c.Request.Context(), scope(c), f)
	if err != nil {
		fail(c, err)
		return
	}
	if c.Query("format") == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="tessera-audit.csv"`)
		c.Status(http.StatusOK)
		_ = admin.WriteAuditCSV(c.Writer, events)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": admin.AuditItems(events), "page": page})
}

// adminResetPassword sets the password given, or generates one and shows it once; with
// requireChange the user must choose a new one at the next login.
func (s *server) adminResetPassword(c *gin.Context) {
	var req struct {
		Password      string `json:"password"`
		RequireChange bool   `json:"requireChange"`
	}
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	generated, err := s.admin.ResetPassword(c.Request.Context(), scope(c), s.accounts, normEmail(c.Param("email")), req.Password, req.RequireChange)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if generated == "" {
		c.Status(http.StatusNoContent)
		return
	}
	c.JSON(http.StatusOK, gin.H{"password": generated})
}
