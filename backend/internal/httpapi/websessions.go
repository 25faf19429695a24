package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/fault"
)

// sessionLister is what "where I am signed in" takes of account.Service.
type sessionLister interface {
	Sessions(ctx context.Context, p *account.Principal) ([]account.WebSession, error)
	EndSession(ctx context.Context, p *account.Principal, id uint64, clientIP string) (bool, error)
}

// sessionAdmin is the same for an administrator (admin.Service).
type sessionAdmin interface {
	WebSessions(ctx context.Context, sc admin.Scope, email string) ([]account.WebSession, error)
	EndWebSession(ctx context.Context, sc admin.Scope, email string, id uint64, ip string) error
}

// webSessionsHandler lists and ends web sessions: the user's own, and an administrator's view
// of an account they manage.
type webSessionsHandler struct {
	accounts sessionLister
	admin    sessionAdmin
	cookies  cookies
}

func (h *webSessionsHandler) routes(g routers) {
	g.full.GET("/me/sessions", h.mine)
	g.full.DELETE("/me/sessions/:id", h.endMine)
	g.admin.GET("/accounts/:email/sessions", h.ofAccount)
	g.admin.DELETE("/accounts/:email/sessions/:id", h.endOfAccount)
}

type webSessionResponse struct {
	ID         uint64    `json:"id"`
	Browser    string    `json:"browser"`
	UserAgent  string    `json:"userAgent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	Current    bool      `json:"current"`
}

func toWebSessions(ws []account.WebSession) gin.H {
	out := make([]webSessionResponse, len(ws))
	for i, w := range ws {
		out[i] = webSessionResponse{ID: w.ID, Browser: w.Browser, UserAgent: w.UserAgent, IP: w.IP,
			CreatedAt: w.CreatedAt, LastSeenAt: w.LastSeenAt, Current: w.Current}
	}
	return gin.H{"items": out}
}

func sessionID(c *gin.Context) (uint64, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		fail(c, fault.Invalidf("session id %q is not a positive number", c.Param("id")))
		return 0, false
	}
	return id, true
}

func (h *webSessionsHandler) mine(c *gin.Context) {
	ws, err := h.accounts.Sessions(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toWebSessions(ws))
}

// endMine ends one of the user's sessions; ending the current one is logging out.
func (h *webSessionsHandler) endMine(c *gin.Context) {
	id, ok := sessionID(c)
	if !ok {
		return
	}
	current, err := h.accounts.EndSession(c.Request.Context(), principal(c), id, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	if current {
		h.cookies.clear(c)
	}
	c.Status(http.StatusNoContent)
}

func (h *webSessionsHandler) ofAccount(c *gin.Context) {
	ws, err := h.admin.WebSessions(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toWebSessions(ws))
}

func (h *webSessionsHandler) endOfAccount(c *gin.Context) {
	id, ok := sessionID(c)
	if !ok {
		return
	}
	if err := h.admin.EndWebSession(c.Request.Context(), scope(c), normEmail(c.Param("email")), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
