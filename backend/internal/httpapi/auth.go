package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
)

func (s *server) login(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"username", req.Username}, [2]string{"password", req.Password}); err != nil {
		fail(c, err)
		return
	}
	res, err := s.accounts.Login(c.Request.Context(), req.Username, req.Password, s.client(c))
	if err != nil {
		fail(c, err)
		return
	}
	s.loginResponse(c, res)
}

func (s *server) loginResponse(c *gin.Context, res *account.LoginResult) {
	if res.Challenge != "" {
		// No session yet, and nothing about the account until the second factor is in.
		c.JSON(http.StatusOK, gin.H{"twoFactorRequired": true, "challenge": res.Challenge})
		return
	}
	me, ok := s.meOf(c, res.Account)
	if !ok {
		return
	}
	s.setSessionCookies(c, res.Session)
	s.setDeviceCookie(c, res.Account.ID, res.DeviceCookie)
	if res.EnrolmentRequired {
		c.JSON(http.StatusOK, gin.H{"twoFactorRequired": true, "enrolmentRequired": true, "account": me})
	} else {
		c.JSON(http.StatusOK, gin.H{"account": me})
	}
}

type secondFactorRequest struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

func (s *server) secondFactor(c *gin.Context) {
	var req secondFactorRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"challenge", req.Challenge}, [2]string{"code", req.Code}); err != nil {
		fail(c, err)
		return
	}
	res, err := s.accounts.SecondFactor(c.Request.Context(), req.Challenge, req.Code, s.client(c))
	if err != nil {
		fail(c, err)
		return
	}
	s.loginResponse(c, res)
}

func (s *server) logout(c *gin.Context) {
	if err := s.accounts.Logout(c.Request.Context(), principal(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	s.clearCookies(c)
	c.Status(http.StatusNoContent)
}

func (s *server) logoutAll(c *gin.Context) {
	if err := s.accounts.LogoutAll(c.Request.Context(), principal(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	s.clearCookies(c)
	c.Status(http.StatusNoContent)
}

type appLoginRequest struct {
	Username string `json:"username"`
	Token    string `json:"token"`
}

// appLogin is what the vendor mobile app calls with the QR payload's username and token.
func (s *server) appLogin(c *gin.Context) {
	var req appLoginRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"username", req.Username}, [2]string{"token", req.Token}); err != nil {
		fail(c, err)
		return
	}
	iss, err := s.accounts.AppLogin(c.Request.Context(), req.Username, req.Token, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"accessToken": iss.Token, "expiresAt": iss.ExpiresAt})
}
