package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// credentialStore is the user's own credentials (credential.Service).
type credentialStore interface {
	List(ctx context.Context, accountID uint64) ([]store.Credential, error)
	Create(ctx context.Context, a *store.Account, kind, label, clientIP string) (*store.Credential, *credential.Secret, error)
	CreatePasscode(ctx context.Context, a *store.Account, label string, sc credential.Scope, clientIP string) (*store.Credential, *credential.Secret, error)
	Delete(ctx context.Context, a *store.Account, id uint64, clientIP string) error
	RenewPINs(ctx context.Context, a *store.Account, id uint64, clientIP string) (*store.Credential, []string, error)
}

// credentialsHandler lists, makes and deletes the caller's credentials (EAS passwords,
// passcodes, mobile-app tokens, OTP entries).
type credentialsHandler struct {
	creds    credentialStore
	profiles *appleProfileIssuer
}

func (h *credentialsHandler) routes(g routers) {
	g.web.GET("/credentials", h.listCredentials)
	g.web.POST("/credentials", h.createCredential)
	g.web.DELETE("/credentials/:id", h.deleteCredential)
	g.web.POST("/credentials/:id/pin-codes", h.renewPINs)
}

// createCredentialRequest: services and expiresInDays scope an application passcode (absent:
// the default doors, no expiry); other kinds take neither.
type createCredentialRequest struct {
	Kind          string   `json:"kind"`
	Label         string   `json:"label"`
	Services      []string `json:"services"`
	ExpiresInDays *int     `json:"expiresInDays"`
	// AppleProfile asks for a one-time Apple configuration profile holding the new secret
	// (EAS passwords and application passcodes): it can only be made now.
	AppleProfile bool `json:"appleProfile"`
}

// credentialResponse never has a field for a secret or its hash.
type credentialResponse struct {
	ID          uint64     `json:"id"`
	Kind        string     `json:"kind"`
	Label       string     `json:"label"`
	Description string     `json:"description"`
	Status      string     `json:"status"`
	Services    []string   `json:"services"`
	CreatedAt   time.Time  `json:"createdAt"`
	LastUsedAt  *time.Time `json:"lastUsedAt"`
	// LastUsedAddress is the client address of the last use ("" before any).
	LastUsedAddress string     `json:"lastUsedAddress"`
	ExpiresAt       *time.Time `json:"expiresAt"`
	FailedAttempts  int        `json:"failedAttempts"`
	// PINCodesLeft: OTP entries only, their unused PIN codes.
	PINCodesLeft *int `json:"pinCodesLeft,omitempty"`
	// Authenticator: passkeys only, the model named by its AAGUID when known.
	Authenticator string `json:"authenticator,omitempty"`
}

type secretResponse struct {
	Password   string   `json:"password,omitempty"`
	Payload    string   `json:"payload,omitempty"`
	QRCode     string   `json:"qrCode,omitempty"`
	OTPAuthURL string   `json:"otpauthUrl,omitempty"`
	Secret     string   `json:"secret,omitempty"`
	PINCodes   []string `json:"pinCodes,omitempty"`
	// AppleProfile: present when asked for and the credential opens a door that is on.
	AppleProfile *appleProfileJSON `json:"appleProfile,omitempty"`
}

func toCredential(c *store.Credential, now time.Time) credentialResponse {
	status := c.Status
	if credential.Expired(c, now) {
		status = store.CredExpired
	}
	services := []string{}
	if c.Services != "" {
		services = strings.Split(c.Services, ",")
	}
	r := credentialResponse{ID: c.ID, Kind: c.Kind, Label: c.Label, Description: c.Description, Status: status, Services: services,
		CreatedAt: c.CreatedAt.UTC(), LastUsedAt: c.LastUsedAt, LastUsedAddress: c.LastUsedIP, ExpiresAt: c.ExpiresAt, FailedAttempts: c.FailedAttempts}
	if c.Kind == store.KindOTP {
		left := c.PINCodesLeft
		r.PINCodesLeft = &left
	}
	if c.Kind == store.KindPasskey {
		r.Authenticator = passkey.Model(c.AAGUID)
	}
	return r
}

func (h *credentialsHandler) listCredentials(c *gin.Context) {
	list, err := h.creds.List(c.Request.Context(), principal(c).Account.ID)
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

func (h *credentialsHandler) createCredential(c *gin.Context) {
	var req createCredentialRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"kind", req.Kind}); err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	if p.Enrolment && req.Kind != store.KindOTP {
		fail(c, newError(http.StatusForbidden, "enrolment_required", "Set up an OTP entry first: your account requires two-factor authentication."))
		return
	}
	var cred *store.Credential
	var secret *credential.Secret
	var err error
	switch {
	case req.Kind == store.KindAppPasscode:
		sc := credential.Scope{Services: req.Services}
		if req.ExpiresInDays != nil {
			sc.ExpiresInDays = *req.ExpiresInDays
		}
		cred, secret, err = h.creds.CreatePasscode(c.Request.Context(), p.Account, req.Label, sc, c.ClientIP())
	case req.Services != nil || req.ExpiresInDays != nil:
		err = newError(http.StatusBadRequest, "invalid_request", "Only an application passcode takes services and expiresInDays.")
	default:
		cred, secret, err = h.creds.Create(c.Request.Context(), p.Account, req.Kind, req.Label, c.ClientIP())
	}
	if err != nil {
		fail(c, err)
		return
	}
	resp := secretResponse{Password: secret.Password, Payload: secret.Payload, QRCode: secret.QRCode,
		OTPAuthURL: secret.OTPAuthURL, Secret: secret.OTPSecret, PINCodes: secret.PINCodes}
	if req.AppleProfile {
		resp.AppleProfile = h.profiles.issue(c, p.Account, cred, secret.Password)
	}
	c.JSON(http.StatusCreated, gin.H{"credential": toCredential(cred, time.Now()), "secret": resp})
}

func credentialID(c *gin.Context) (uint64, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errNotFound)
		return 0, false
	}
	return id, true
}

func (h *credentialsHandler) deleteCredential(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	if err := h.creds.Delete(c.Request.Context(), principal(c).Account, id, c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	h.profiles.forget(c, principal(c).Account.ID, id)
	c.Status(http.StatusNoContent)
}

// renewPINs replaces an OTP entry's unused PIN codes; the new ones are in this response only
// (the client prints them through pin-sheet, as after creating the entry).
func (h *credentialsHandler) renewPINs(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	cred, pins, err := h.creds.RenewPINs(c.Request.Context(), principal(c).Account, id, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"credential": toCredential(cred, time.Now()), "secret": secretResponse{PINCodes: pins}})
}
