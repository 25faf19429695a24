package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// deviceAccessAdmin is what the device access endpoints take of admin.DeviceAccess.
type deviceAccessAdmin interface {
	DecideDevice(ctx context.Context, sc admin.Scope, email, deviceID string, access policy.DeviceAccess, ip string) (*store.Device, error)
	SuspendDevice(ctx context.Context, sc admin.Scope, email, deviceID string, on bool, ip string) (*store.Device, error)
	Quarantined(ctx context.Context, sc admin.Scope) ([]store.HeldDevice, error)
	DeviceRules(ctx context.Context, sc admin.Scope, domain string) ([]store.DeviceRule, error)
	AddDeviceRule(ctx context.Context, sc admin.Scope, domain, field, pattern, action string, position int, ip string) (*store.DeviceRule, error)
	RemoveDeviceRule(ctx context.Context, sc admin.Scope, id uint64, ip string) error
}

// adminDeviceAccess: approve, block, suspend and resume devices; the quarantine; the rules.
type adminDeviceAccess struct {
	da deviceAccessAdmin
}

func (h *adminDeviceAccess) routes(g routers) {
	g.admin.POST("/accounts/:email/devices/:deviceId/allow", h.decide("allow"))
	g.admin.POST("/accounts/:email/devices/:deviceId/block", h.decide("block"))
	g.admin.POST("/accounts/:email/devices/:deviceId/suspend", h.decide("suspend"))
	g.admin.POST("/accounts/:email/devices/:deviceId/resume", h.decide("resume"))
	g.admin.GET("/devices/quarantine", h.quarantine)
	g.admin.GET("/device-rules", h.listRules)
	g.admin.POST("/device-rules", h.addRule)
	g.admin.DELETE("/device-rules/:id", h.removeRule)
}

func (h *adminDeviceAccess) decide(decision string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, sc, email, id, ip := c.Request.Context(), scope(c), normEmail(c.Param("email")), c.Param("deviceId"), c.ClientIP()
		var dev *store.Device
		var err error
		switch decision {
		case "allow":
			dev, err = h.da.DecideDevice(ctx, sc, email, id, policy.DeviceAllowed, ip)
		case "block":
			dev, err = h.da.DecideDevice(ctx, sc, email, id, policy.DeviceBlocked, ip)
		case "suspend", "resume":
			dev, err = h.da.SuspendDevice(ctx, sc, email, id, decision == "suspend", ip)
		}
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toDevices([]store.Device{*dev})[0])
	}
}

type heldDeviceResponse struct {
	Account string         `json:"account"`
	Device  deviceResponse `json:"device"`
}

func (h *adminDeviceAccess) quarantine(c *gin.Context) {
	held, err := h.da.Quarantined(c.Request.Context(), scope(c))
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]heldDeviceResponse, len(held))
	for i, d := range held {
		items[i] = heldDeviceResponse{Account: d.Email, Device: toDevices([]store.Device{d.Device})[0]}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type deviceRuleResponse struct {
	ID       uint64 `json:"id"`
	Domain   string `json:"domain"`
	Position int    `json:"position"`
	Field    string `json:"field"`
	Pattern  string `json:"pattern"`
	Action   string `json:"action"`
}

func toRule(r store.DeviceRule, domain string) deviceRuleResponse {
	return deviceRuleResponse{ID: r.ID, Domain: domain, Position: r.Position, Field: r.Field, Pattern: r.Pattern, Action: r.Action}
}

func (h *adminDeviceAccess) listRules(c *gin.Context) {
	domain := normEmail(c.Query("domain"))
	rules, err := h.da.DeviceRules(c.Request.Context(), scope(c), domain)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]deviceRuleResponse, len(rules))
	for i, r := range rules {
		items[i] = toRule(r, domain)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type deviceRuleRequest struct {
	Domain   string `json:"domain"`
	Position int    `json:"position"`
	Field    string `json:"field"`
	Pattern  string `json:"pattern"`
	Action   string `json:"action"`
}

func (h *adminDeviceAccess) addRule(c *gin.Context) {
	var req deviceRuleRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	domain := normEmail(req.Domain)
	r, err := h.da.AddDeviceRule(c.Request.Context(), scope(c), domain, req.Field, req.Pattern, req.Action, req.Position, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toRule(*r, domain))
}

func (h *adminDeviceAccess) removeRule(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, fault.Invalidf("rule id %q is not a number", c.Param("id")))
		return
	}
	if err := h.da.RemoveDeviceRule(c.Request.Context(), scope(c), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
