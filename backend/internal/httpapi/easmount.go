package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/eas"
)

// easMount hands Exchange ActiveSync to package eas: it speaks WBXML, not JSON, so it sits
// outside the JSON error middleware's reach; the mount only tells it the client address and
// counts each command.
type easMount struct {
	eas http.Handler
	// observe counts an EAS command by its HTTP status; nil counts nothing.
	observe func(command string, status int)
}

func (m *easMount) routes(r gin.IRouter) {
	r.Any(eas.Path, m.serve)
}

func (m *easMount) serve(c *gin.Context) {
	m.eas.ServeHTTP(c.Writer, c.Request.WithContext(eas.WithClientIP(c.Request.Context(), c.ClientIP())))
	if m.observe != nil {
		cmd := c.Query("Cmd")
		if cmd == "" {
			cmd = c.Request.Method // OPTIONS, or the base64 query form
		}
		m.observe(cmd, c.Writer.Status())
	}
}
