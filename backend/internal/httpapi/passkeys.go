package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// passkeyEnroller registers the caller's passkeys (passkey.Service).
type passkeyEnroller interface {
	BeginEnrol(ctx context.Context, a *store.Account) (*passkey.Options, error)
	FinishEnrol(ctx context.Context, a *store.Account, ceremony, label string, response []byte, clientIP string) (*store.Credential, error)
}

// passkeyLogins are the passkey steps of a login (account.Service).
type passkeyLogins interface {
	BeginPasskeyFactor(ctx context.Context, challenge string) (*passkey.Options, error)
	PasskeyFactor(ctx context.Context, challenge, ceremony string, response []byte, cl account.Client) (*account.LoginResult, error)
	BeginPasskeyLogin(ctx context.Context) (*passkey.Options, error)
	PasskeyLogin(ctx context.Context, ceremony string, response []byte, cl account.Client) (*account.LoginResult, error)
	UpgradeEnrolment(ctx context.Context, p *account.Principal, clientIP string) (*session.Issued, error)
}

// passkeysHandler enrols passkeys and runs the passkey steps of a login. Listing and deleting a
// passkey are those of any credential (/credentials).
type passkeysHandler struct {
	enrol  passkeyEnroller
	logins passkeyLogins
	auth   *authHandler // the answer to a finished login is the password login's
}

func (h *passkeysHandler) routes(g routers) {
	g.web.POST("/passkeys/register/begin", h.beginEnrol)
	g.web.POST("/passkeys/register/finish", h.finishEnrol)
	g.public.POST("/auth/login/passkey/begin", h.beginFactor)
	g.public.POST("/auth/login/passkey/finish", h.finishFactor)
	g.public.POST("/auth/passkey/begin", h.beginPasswordless)
	g.public.POST("/auth/passkey/finish", h.finishPasswordless)
}

// passkeyRequest carries what a step needs: the login's challenge (second factor), the
// ceremony begun, the browser's PublicKeyCredential as JSON, and a label (enrolment).
type passkeyRequest struct {
	Challenge  string          `json:"challenge"`
	Ceremony   string          `json:"ceremony"`
	Label      string          `json:"label"`
	Remember   bool            `json:"remember"` // second factor: remember this browser (trustedbrowsers.go)
	Credential json.RawMessage `json:"credential"`
}

func optionsJSON(o *passkey.Options) gin.H {
	return gin.H{"ceremony": o.Ceremony, "publicKey": o.PublicKey}
}

func (h *passkeysHandler) beginEnrol(c *gin.Context) {
	o, err := h.enrol.BeginEnrol(c.Request.Context(), principal(c).Account)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, optionsJSON(o))
}

// finishEnrol stores the passkey; in an enrolment session (2FA required, nothing enrolled
// yet) it also upgrades the session, as confirming an OTP entry does.
func (h *passkeysHandler) finishEnrol(c *gin.Context) {
	var req passkeyRequest
	if !decodePasskey(c, &req) {
		return
	}
	if err := required([2]string{"ceremony", req.Ceremony}, [2]string{"label", req.Label}); err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	cred, err := h.enrol.FinishEnrol(c.Request.Context(), p.Account, req.Ceremony, req.Label, req.Credential, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	if p.Enrolment {
		iss, err := h.logins.UpgradeEnrolment(c.Request.Context(), p, c.ClientIP())
		if err != nil {
			fail(c, err)
			return
		}
		h.auth.cookies.setSession(c, iss)
	}
	c.JSON(http.StatusCreated, gin.H{"credential": toCredential(cred, time.Now())})
}

// decodePasskey reads the body and checks that a credential is there.
func decodePasskey(c *gin.Context, req *passkeyRequest) bool {
	if err := decodeJSON(c, req); err != nil {
		fail(c, err)
		return false
	}
	if len(req.Credential) == 0 || string(req.Credential) == "null" {
		fail(c, newError(http.StatusBadRequest, "invalid_request", `Field "credential" is required.`))
		return false
	}
	return true
}

func (h *passkeysHandler) beginFactor(c *gin.Context) {
	var req passkeyRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"challenge", req.Challenge}); err != nil {
		fail(c, err)
		return
	}
	o, err := h.logins.BeginPasskeyFactor(c.Request.Context(), req.Challenge)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, optionsJSON(o))
}

func (h *passkeysHandler) finishFactor(c *gin.Context) {
	var req passkeyRequest
	if !decodePasskey(c, &req) {
		return
	}
	if err := required([2]string{"challenge", req.Challenge}, [2]string{"ceremony", req.Ceremony}); err != nil {
		fail(c, err)
		return
	}
	cl := client(c)
	cl.Remember = req.Remember
	res, err := h.logins.PasskeyFactor(c.Request.Context(), req.Challenge, req.Ceremony, req.Credential, cl)
	if err != nil {
		fail(c, err)
		return
	}
	h.auth.loginResponse(c, res)
}

func (h *passkeysHandler) beginPasswordless(c *gin.Context) {
	o, err := h.logins.BeginPasskeyLogin(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, optionsJSON(o))
}

func (h *passkeysHandler) finishPasswordless(c *gin.Context) {
	var req passkeyRequest
	if !decodePasskey(c, &req) {
		return
	}
	if err := required([2]string{"ceremony", req.Ceremony}); err != nil {
		fail(c, err)
		return
	}
	res, err := h.logins.PasskeyLogin(c.Request.Context(), req.Ceremony, req.Credential, client(c))
	if err != nil {
		fail(c, err)
		return
	}
	h.auth.loginResponse(c, res)
}
