package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// credentialAdmin is what the admin's credential actions take of admin.Service.
type credentialAdmin interface {
	Credentials(ctx context.Context, sc admin.Scope, email string) (*store.Account, []store.Credential, error)
	CreateCredential(ctx context.Context, sc admin.Scope, maker admin.CredentialMaker, email, kind, label, ip string) (*store.Credential, *credential.Secret, error)
	PatchCredential(ctx context.Context, sc admin.Scope, id uint64, p admin.CredentialPatch, ip string) (*store.Credential, error)
	DeleteCredential(ctx context.Context, sc admin.Scope, id uint64, ip string) error
}

// adminCredentials lists, makes, changes and deletes a managed account's credentials.
type adminCredentials struct {
	admin credentialAdmin
	maker admin.CredentialMaker // credential.Service
}

func (h *adminCredentials) routes(g routers) {
	g.admin.GET("/accounts/:email/credentials", h.adminListCredentials)
	g.admin.POST("/accounts/:email/credentials", h.adminCreateCredential)
	g.admin.PATCH("/credentials/:id", h.adminPatchCredential)
	g.admin.DELETE("/credentials/:id", h.adminDeleteCredential)
}

func (h *adminCredentials) adminListCredentials(c *gin.Context) {
	_, list, err := h.admin.Credentials(c.Request.Context(), scope(c), normEmail(c.Param("email")))
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
func (h *adminCredentials) adminCreateCredential(c *gin.Context) {
	var req createCredentialRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	cred, secret, err := h.admin.CreateCredential(c.Request.Context(), scope(c), h.maker, normEmail(c.Param("email")), req.Kind, req.Label, c.ClientIP())
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
	// Services narrows an application passcode's doors.
	Services []string `json:"services"`
}

func (h *adminCredentials) adminPatchCredential(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	var req credentialPatchRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	p := admin.CredentialPatch{Label: req.Label, Status: req.Status, ResetFailedAttempts: req.ResetFailedAttempts, Services: req.Services}
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
	cred, err := h.admin.PatchCredential(c.Request.Context(), scope(c), id, p, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toCredential(cred, time.Now()))
}

func (h *adminCredentials) adminDeleteCredential(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	if err := h.admin.DeleteCredential(c.Request.Context(), scope(c), id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
