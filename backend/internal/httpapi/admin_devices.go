package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// deviceAdmin is what the admin's device actions take of admin.Service.
type deviceAdmin interface {
	Devices(ctx context.Context, sc admin.Scope, email string) ([]store.Device, error)
	RemoveDevice(ctx context.Context, sc admin.Scope, email, deviceID, ip string) error
	ResetDevice(ctx context.Context, sc admin.Scope, email, deviceID, ip string) (int64, error)
	ResetDevices(ctx context.Context, sc admin.Scope, email, ip string) (int, error)
	RequestWipe(ctx context.Context, sc admin.Scope, email, deviceID, scope, ip string) error
}

// adminDevices lists a managed account's EAS devices and removes, resets or wipes them.
type adminDevices struct {
	admin deviceAdmin
}

func (h *adminDevices) routes(g routers) {
	g.admin.GET("/accounts/:email/devices", h.adminListDevices)
	g.admin.DELETE("/accounts/:email/devices/:deviceId", h.adminDeviceAction("remove"))
	g.admin.POST("/accounts/:email/devices/:deviceId/reset", h.adminDeviceAction("reset"))
	g.admin.POST("/accounts/:email/devices/:deviceId/wipe", h.adminWipe)
	g.admin.POST("/accounts/:email/devices-reset", h.adminDeviceAction("reset-all"))
}

func (h *adminDevices) adminListDevices(c *gin.Context) {
	devs, err := h.admin.Devices(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": toDevices(devs)})
}

func (h *adminDevices) adminDeviceAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, sc, email, dev := c.Request.Context(), scope(c), normEmail(c.Param("email")), c.Param("deviceId")
		var err error
		switch action {
		case "remove":
			err = h.admin.RemoveDevice(ctx, sc, email, dev, c.ClientIP())
		case "reset":
			_, err = h.admin.ResetDevice(ctx, sc, email, dev, c.ClientIP())
		case "reset-all":
			_, err = h.admin.ResetDevices(ctx, sc, email, c.ClientIP())
		}
		if err != nil {
			fail(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

// adminWipe requests a remote wipe: of the whole device, or only of this account's data.
func (h *adminDevices) adminWipe(c *gin.Context) {
	what, ok := wipeScope(c)
	if !ok {
		return
	}
	if err := h.admin.RequestWipe(c.Request.Context(), scope(c), normEmail(c.Param("email")), c.Param("deviceId"), what, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type wipeRequest struct {
	// Scope is "device" (everything on it) or "account" (only this account's data, EAS 16.1).
	Scope string `json:"scope"`
}

// wipeScope reads the optional body of a wipe request; none (or no scope) is a whole-device
// wipe, the only kind there was before account-only wipe. On false the error is answered.
func wipeScope(c *gin.Context) (string, bool) {
	var req wipeRequest
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			fail(c, err)
			return "", false
		}
	}
	if req.Scope == "" {
		req.Scope = store.WipeScopeDevice
	}
	return req.Scope, true
}
