package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// appleProfiles keeps one-time Apple configuration profiles (appleprofile.Service).
type appleProfiles interface {
	Issue(ctx context.Context, r appleprofile.Request, s appleprofile.Servers) (*appleprofile.Issued, error)
	Take(ctx context.Context, token string, accountID uint64) ([]byte, error)
	ForgetCredential(ctx context.Context, accountID, credentialID uint64) error
}

// appleProfileJSON is the one-time profile offered beside a new credential's secret.
type appleProfileJSON struct {
	Token     string `json:"token"`
	URL       string `json:"url"`
	QRCode    string `json:"qrCode"`
	ExpiresAt string `json:"expiresAt"`
}

// appleProfileIssuer makes the profile of a credential just created (credentialsHandler).
type appleProfileIssuer struct {
	profiles  appleProfiles // nil: profiles are not offered
	mail      MailSettingsSource
	publicURL string
	log       *slog.Logger
}

// issue returns the profile for a new EAS password or application passcode, or nil when none
// can be made. The credential exists already and its secret must reach the user whatever
// happens here, so a failure is logged, never returned.
func (h *appleProfileIssuer) issue(c *gin.Context, a *store.Account, cred *store.Credential, password string) *appleProfileJSON {
	if h.profiles == nil || password == "" || (cred.Kind != store.KindEAS && cred.Kind != store.KindAppPasscode) {
		return nil
	}
	servers := appleprofile.Servers{PublicURL: h.publicURL}
	if h.mail != nil && cred.Kind == store.KindAppPasscode {
		ms, err := h.mail.MailSettings()
		if err != nil {
			h.log.Warn("apple profile: mail settings", "err", err)
			return nil
		}
		servers.DAVURL = ms.DAVURL
		for _, d := range ms.Doors {
			servers.Doors = append(servers.Doors, appleprofile.Door{Protocol: d.Protocol, Host: d.Host, Port: d.Port, Security: d.Security})
		}
	}
	iss, err := h.profiles.Issue(c.Request.Context(), appleprofile.Request{AccountID: a.ID, Email: a.Email,
		CredentialID: cred.ID, Kind: cred.Kind, Label: cred.Label, Password: password}, servers)
	if errors.Is(err, appleprofile.ErrNothingToInstall) {
		return nil
	} else if err != nil {
		h.log.Warn("apple profile: issue", "err", err)
		return nil
	}
	return &appleProfileJSON{Token: iss.Token, URL: iss.URL, QRCode: iss.QRCode, ExpiresAt: iss.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// forget drops a deleted credential's waiting profiles.
func (h *appleProfileIssuer) forget(c *gin.Context, accountID, credentialID uint64) {
	if h.profiles == nil {
		return
	}
	if err := h.profiles.ForgetCredential(c.Request.Context(), accountID, credentialID); err != nil {
		h.log.Warn("apple profile: forget", "err", err)
	}
}

// appleProfileHandler hands out a waiting profile once: to the settings page with its
// session (only the owner's), or to a device holding the one-time URL (the token alone).
type appleProfileHandler struct {
	profiles appleProfiles
}

func (h *appleProfileHandler) routes(g routers) {
	if h.profiles == nil {
		return
	}
	g.public.GET("/apple-profiles/:token", h.byToken)
	g.web.GET("/me/apple-profiles/:token", h.mine)
}

func (h *appleProfileHandler) byToken(c *gin.Context) { h.send(c, 0) }

func (h *appleProfileHandler) mine(c *gin.Context) { h.send(c, principal(c).Account.ID) }

func (h *appleProfileHandler) send(c *gin.Context, accountID uint64) {
	body, err := h.profiles.Take(c.Request.Context(), c.Param("token"), accountID)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="tessera.mobileconfig"`)
	c.Data(http.StatusOK, "application/x-apple-aspen-config", body)
}
