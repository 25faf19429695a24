package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/pinsheet"
)

type confirmRequest struct {
	Code string `json:"code"`
}

// confirmOTP enables a pending OTP entry; in an enrolment session it also upgrades the session.
func (s *server) confirmOTP(c *gin.Context) {
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
	cred, err := s.otp.Confirm(c.Request.Context(), p.Account, id, req.Code, c.ClientIP())
	if errors.Is(err, otp.ErrInvalidCode) { // the user is logged in: a typo, not a failed login
		fail(c, newError(http.StatusBadRequest, "invalid_code", "That code is not valid. Enter the code your authenticator app shows now."))
		return
	} else if err != nil {
		fail(c, err)
		return
	}
	if p.Enrolment {
		iss, err := s.accounts.UpgradeEnrolment(c.Request.Context(), p, c.ClientIP())
		if err != nil {
			fail(c, err)
			return
		}
		s.setSessionCookies(c, iss)
	}
	c.JSON(http.StatusOK, gin.H{"credential": toCredential(cred, time.Now())})
}

type pinSheetRequest struct {
	PINCodes []string `json:"pinCodes"`
}

// pinSheet renders the PIN codes the client still holds from creation: the server keeps only
// hashes, so it prints only codes that are unused PINs of that entry.
func (s *server) pinSheet(c *gin.Context) {
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
	cred, valid, err := s.otp.CheckUnusedPINs(c.Request.Context(), p.Account, id, req.PINCodes)
	if err != nil {
		fail(c, err)
		return
	}
	if !valid {
		fail(c, newError(http.StatusBadRequest, "invalid_pin_codes", "Only unused PIN codes of this OTP entry can be printed."))
		return
	}
	pdf, err := pinsheet.Render(pinsheet.Sheet{Email: p.Account.Email, Label: cred.Label, Issuer: s.issuer,
		Codes: req.PINCodes, Created: cred.CreatedAt, Paper: paper})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="tessera-pin-codes.pdf"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
}

type twoFactorResponse struct {
	Enabled  bool    `json:"enabled"`
	LockedBy *string `json:"lockedBy"`
}

type twoFactorRequest struct {
	Enabled *bool `json:"enabled"`
}

func (s *server) getTwoFactor(c *gin.Context) {
	d, err := s.accounts.TwoFactorState(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTwoFactor(d.Enabled, string(d.LockedBy)))
}

func (s *server) putTwoFactor(c *gin.Context) {
	var req twoFactorRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Enabled == nil {
		fail(c, newError(http.StatusBadRequest, "invalid_request", `Field "enabled" is required.`))
		return
	}
	d, err := s.accounts.SetTwoFactor(c.Request.Context(), principal(c), *req.Enabled, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toTwoFactor(d.Enabled, string(d.LockedBy)))
}

func toTwoFactor(enabled bool, lockedBy string) twoFactorResponse {
	r := twoFactorResponse{Enabled: enabled}
	if lockedBy != "" {
		r.LockedBy = &lockedBy
	}
	return r
}
