package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

// adminSettings reads and changes the global settings (global admins only).
type adminSettings struct {
	settings admin.SettingsStore
	audit    admin.Auditor
}

func (h *adminSettings) routes(g routers) {
	g.admin.GET("/settings", h.adminGetSettings)
	g.admin.PATCH("/settings", h.adminPatchSettings)
}

func (h *adminSettings) adminGetSettings(c *gin.Context) {
	if !scope(c).Global {
		fail(c, admin.ErrForbidden)
		return
	}
	v, err := admin.Settings(c.Request.Context(), h.settings)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// adminPatchSettings takes {"key": value, ...}; values may be JSON strings, numbers or booleans.
func (h *adminSettings) adminPatchSettings(c *gin.Context) {
	var raw map[string]json.RawMessage
	if err := decodeJSON(c, &raw); err != nil {
		fail(c, err)
		return
	}
	values := map[string]string{}
	for k, v := range raw {
		var str string
		if json.Unmarshal(v, &str) != nil {
			str = string(v) // a number or a boolean, as written
		}
		values[k] = str
	}
	if err := admin.SetSettings(c.Request.Context(), h.settings, h.audit, scope(c), values, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	h.adminGetSettings(c)
}
