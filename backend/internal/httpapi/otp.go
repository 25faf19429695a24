package httpapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/pinsheet"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// otpEntries confirms a new OTP entry and checks PIN codes before they are printed (otp.Service).
type otpEntries interface {
	Confirm(ctx context.Context, a *store.Account, id uint64, code, clientIP string) (*store.Credential, error)
	CheckUnusedPINs(ctx context.Context, a *store.Account, id uint64, codes []string) (*store.Credential, bool, error)
}

// enrolmentUpgrader turns an enrolment session into a full one once its OTP entry works.
type enrolmentUpgrader interface {
	UpgradeEnrolment(ctx context.Context, p *account.Principal, clientIP string) (*session.Issued, error)
}

// otpHandler finishes setting up an OTP entry: the first code, and the PIN-code sheet.
type otpHandler struct {
	otp      otpEntries
	accounts enrolmentUpgrader
	cookies  cookies
	issuer   string // printed on the PIN sheet
}

func (h *otpHandler) routes(g routers) {
	g.web.POST("/credentials/:id/confirm", h.confirmOTP)
	g.web.POST("/credentials/:id/pin-sheet", h.pinSheet)
}

type confirmRequest struct {
	Code string `json:"code"`
}

// confirmOTP enables a pending OTP entry; in an enrolment session it also upgrades the session.
func (h *otpHandler) confirmOTP(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	var req confirmRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"code", req.Code}); err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	cred, err := h.otp.Confirm(c.Request.Context(), p.Account, id, req.Code, c.ClientIP())
	if errors.Is(err, otp.ErrInvalidCode) { // the user is logged in: a typo, not a failed login
		fail(c, newError(http.StatusBadRequest, "invalid_code", "That code is not valid. Enter the code your authenticator app shows now."))
		return
	} else if err != nil {
		fail(c, err)
		return
	}
	if p.Enrolment {
		iss, err := h.accounts.UpgradeEnrolment(c.Request.Context(), p, c.ClientIP())
		if err != nil {
			fail(c, err)
			return
		}
		h.cookies.setSession(c, iss)
	}
	c.JSON(http.StatusOK, gin.H{"credential": toCredential(cred, time.Now())})
}

type pinSheetRequest struct {
	PINCodes []string `json:"pinCodes"`
}

// pinSheet renders the PIN codes the client still holds from creation: the server keeps only
// hashes, so it prints only codes that are unused PINs of that entry.
func (h *otpHandler) pinSheet(c *gin.Context) {
	id, ok := credentialID(c)
	if !ok {
		return
	}
	var req pinSheetRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	paper := pinsheet.Paper(c.DefaultQuery("paper", string(pinsheet.A4)))
	if paper != pinsheet.A4 && paper != pinsheet.Letter {
		fail(c, newError(http.StatusBadRequest, "invalid_request", "paper is a4 or letter."))
		return
	}
	p := principal(c)
	cred, valid, err := h.otp.CheckUnusedPINs(c.Request.Context(), p.Account, id, req.PINCodes)
	if err != nil {
		fail(c, err)
		return
	}
	if !valid {
		fail(c, newError(http.StatusBadRequest, "invalid_pin_codes", "Only unused PIN codes of this OTP entry can be printed."))
		return
	}
	pdf, err := pinsheet.Render(pinsheet.Sheet{Email: p.Account.Email, Label: cred.Label, Issuer: h.issuer,
		Codes: req.PINCodes, Created: cred.CreatedAt, Paper: paper})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="tessera-pin-codes.pdf"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
