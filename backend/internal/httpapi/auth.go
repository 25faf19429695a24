package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
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
	a, iss, err := s.accounts.Login(c.Request.Context(), req.Username, req.Password, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	s.setSessionCookies(c, iss)
	c.JSON(http.StatusOK, gin.H{"account": toMe(a)})
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
