package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
)

func (s *server) adminListCredentials(c *gin.Context) {
	_, list, err := s.admin.Credentials(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	now := time.Now()
	items := make([]credentialResponse, len(list))
	for i := range list {
		items[i] = toCredential(&list[i], now)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// adminCreateCredential makes an EAS password or an application passcode for a user; the
// secret is shown once, to the admin.
func (s *server) adminCreateCredential(c *gin.Context) {
	var req createCredentialRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	cred, secret, err := s.admin.CreateCredential(c.Request.Context(), scope(c), s.creds, normEmail(c.Param("email")), req.Kind, req.Label, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"credential": toCredential(cred, time.Now()), "secret": secretResponse{Password: secret.Password}})
}

// credentialPatchRequest: expiresAt present and null clears the expiry.
type credentialPatchRequest struct {
	Label               *string         `json:"label"`
	Status              *string         `json:"status"`
	ExpiresAt           json.RawMessage `json:"expiresAt"`
	ResetFailedAttempts bool            `json:"resetFailedAttempts"`
}

func (s *server) adminPatchCredential(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	var req credentialPatchRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	p := admin.CredentialPatch{Label: req.Label, Status: req.Status, ResetFailedAttempts: req.ResetFailedAttempts}
	switch string(req.ExpiresAt) {
	case "":
	case "null":
		p.ClearExpiry = true
	default:
		var t time.Time
		if err := json.Unmarshal(req.ExpiresAt, &t); err != nil {
			fail(c, newError(http.StatusBadRequest, "invalid_request", "expiresAt is an RFC 3339 time or null."))
			return
		}
		p.ExpiresAt = &t
	}
	cred, err := s.admin.PatchCredential(c.Request.Context(), scope(c), id, p, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toCredential(cred, time.Now()))
}

func (s *server) adminDeleteCredential(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	if err := s.admin.DeleteCredential(c.Request.Context(), scope(c), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *server) adminListDevices(c *gin.Context) {
	devs, err := s.admin.Devices(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": toDevices(devs)})
}

func (s *server) adminDeviceAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, sc, email, dev := c.Request.Context(), scope(c), normEmail(c.Param("email")), c.Param("deviceId")
		var err error
		switch action {
		case "remove":
			err = s.admin.RemoveDevice(ctx, sc, email, dev, c.ClientIP())
		case "reset":
			_, err = s.admin.ResetDevice(ctx, sc, email, dev, c.ClientIP())
		case "reset-all":
			_, err = s.admin.ResetDevices(ctx, sc, email, c.ClientIP())
		case "wipe":
			err = s.admin.RequestWipe(ctx, sc, email, dev, c.ClientIP())
		}
		if err != nil {
			fail(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
