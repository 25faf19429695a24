package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// auditReader reads the audit log within a scope (admin.Service).
type auditReader interface {
	Audit(ctx context.Context, sc admin.Scope, f store.AuditFilter) ([]store.AuditEvent, error)
}

// adminAudit is the audit log, as JSON pages or CSV.
type adminAudit struct {
	admin auditReader
}

func (h *adminAudit) routes(g routers) {
	g.admin.GET("/audit", h.adminAudit)
}

func (h *adminAudit) adminAudit(c *gin.Context) {
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
	events, err := h.admin.Audit(c.Request.Context(), scope(c), f)
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
