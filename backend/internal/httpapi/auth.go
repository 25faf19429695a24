package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/session"
)

// authAccounts is what logging in and out takes of the accounts service.
type authAccounts interface {
	Login(ctx context.Context, username, pw string, cl account.Client) (*account.LoginResult, error)
	SecondFactor(ctx context.Context, challenge, code string, cl account.Client) (*account.LoginResult, error)
	SecondFactorMethods(ctx context.Context, accountID uint64) ([]string, error)
	AppLogin(ctx context.Context, username, token, clientIP string) (*session.Issued, error)
	Logout(ctx context.Context, p *account.Principal, clientIP string) error
	LogoutAll(ctx context.Context, p *account.Principal, clientIP string) error
}

// authHandler logs in (password, second factor, the mobile app's token) and out.
type authHandler struct {
	accounts authAccounts
	domains  adminDomainsOf // the answer to a login is the account as its owner sees it
	cookies  cookies
}

func (h *authHandler) routes(g routers) {
	g.public.POST("/auth/login", h.login)
	g.public.POST("/auth/login/second-factor", h.secondFactor)
	g.public.POST("/auth/app-login", h.appLogin)
	g.web.POST("/auth/logout", h.logout)
	g.full.POST("/auth/logout-all", h.logoutAll)
}

func (h *authHandler) login(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"username", req.Username}, [2]string{"password", req.Password}); err != nil {
		fail(c, err)
		return
	}
	res, err := h.accounts.Login(c.Request.Context(), req.Username, req.Password, client(c))
	if err != nil {
		fail(c, err)
		return
	}
	h.loginResponse(c, res)
}

func (h *authHandler) loginResponse(c *gin.Context, res *account.LoginResult) {
	if res.Challenge != "" {
		// No session yet, and nothing about the account until the second factor is in: only
		// which second factors it can answer with (the passkey first).
		methods, err := h.accounts.SecondFactorMethods(c.Request.Context(), res.Account.ID)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"twoFactorRequired": true, "challenge": res.Challenge, "methods": methods, "rememberDays": res.RememberDays})
		return
	}
	me, ok := meOf(c, h.domains, res.Account)
	if !ok {
		return
	}
	h.cookies.setSession(c, res.Session)
	h.cookies.setDevice(c, res.Account.ID, res.DeviceCookie)
	h.cookies.setTrusted(c, res.Account.ID, res.Trust)
	if res.EnrolmentRequired {
		c.JSON(http.StatusOK, gin.H{"twoFactorRequired": true, "enrolmentRequired": true, "account": me})
	} else {
		c.JSON(http.StatusOK, gin.H{"account": me})
	}
}

type secondFactorRequest struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
	Remember  bool   `json:"remember"` // remember this browser (trustedbrowsers.go)
}

func (h *authHandler) secondFactor(c *gin.Context) {
	var req secondFactorRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"challenge", req.Challenge}, [2]string{"code", req.Code}); err != nil {
		fail(c, err)
		return
	}
	cl := client(c)
	cl.Remember = req.Remember
	res, err := h.accounts.SecondFactor(c.Request.Context(), req.Challenge, req.Code, cl)
	if err != nil {
		fail(c, err)
		return
	}
	h.loginResponse(c, res)
}

func (h *authHandler) logout(c *gin.Context) {
	if err := h.accounts.Logout(c.Request.Context(), principal(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	h.cookies.clear(c)
	c.Status(http.StatusNoContent)
}

func (h *authHandler) logoutAll(c *gin.Context) {
	if err := h.accounts.LogoutAll(c.Request.Context(), principal(c), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	h.cookies.clear(c)
	c.Status(http.StatusNoContent)
}

type appLoginRequest struct {
	Username string `json:"username"`
	Token    string `json:"token"`
}

// appLogin is what the vendor mobile app calls with the QR payload's username and token.
func (h *authHandler) appLogin(c *gin.Context) {
	var req appLoginRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := required([2]string{"username", req.Username}, [2]string{"token", req.Token}); err != nil {
		fail(c, err)
		return
	}
	iss, err := h.accounts.AppLogin(c.Request.Context(), req.Username, req.Token, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"accessToken": iss.Token, "expiresAt": iss.ExpiresAt})
}
