package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

const adminMessagesPath = "/api/v1/admin/accounts/:email/messages"

const scopeKey = "tessera.adminScope"

// scope is the caller's admin scope, loaded once by requireAdmin (which let only admins through).
func scope(c *gin.Context) admin.Scope {
	return c.MustGet(scopeKey).(admin.Scope)
}

// scoper finds an account's admin scope (admin.Service).
type scoper interface {
	ScopeOf(ctx context.Context, a *store.Account) (admin.Scope, error)
}

// adminGate is the door to /api/v1/admin: the caller's scope, and the second factor the
// settings may require behind an administrator's session.
type adminGate struct {
	admin    scoper
	settings admin.SettingsStore
}

// requireAdmin lets global and domain admins through, with a second factor behind their session
// unless adminRequireTwoFactor is off; what a domain admin may touch is checked per request,
// and out of scope looks like not found.
func (g *adminGate) requireAdmin(c *gin.Context) {
	p := principal(c)
	sc, err := g.admin.ScopeOf(c.Request.Context(), p.Account)
	if err != nil {
		fail(c, err)
		return
	}
	if err := admin.CheckSessionFactor(c.Request.Context(), g.settings, p.Claims.SecondFactor); err != nil {
		fail(c, err)
		return
	}
	c.Set(scopeKey, sc)
	c.Next()
}
