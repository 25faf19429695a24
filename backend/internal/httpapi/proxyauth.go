package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/authn"
)

// mailAuthenticator is the one authenticator (authn.Authenticator).
type mailAuthenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
}

// proxyAuth is nginx's mail auth_http endpoint: which callers may ask, and where a granted
// login goes for each protocol.
type proxyAuth struct {
	authn     mailAuthenticator
	allow     []*net.IPNet
	upstreams map[string]string // protocol → IP:port
	log       *slog.Logger
}

func (h *proxyAuth) routes(g routers) {
	g.public.GET("/proxy-auth/nginx", h.nginxAuth)
}

// nginxAuth answers nginx's mail auth_http protocol: the verdict is in headers, always with 200.
// The mail proxy is the only caller; it tells the client address in Client-IP.
func (h *proxyAuth) nginxAuth(c *gin.Context) {
	if !h.proxyAllowed(c.Request) {
		h.log.Warn("proxy auth from a caller not in TESSERA_PROXY_AUTH_ALLOW", "remote", c.Request.RemoteAddr)
		fail(c, newError(http.StatusForbidden, "forbidden", "This endpoint is only for the configured mail proxies."))
		return
	}
	proto := strings.ToLower(c.GetHeader("Auth-Protocol"))
	upstream, known := h.upstreams[proto]
	deny := func(wait time.Duration) {
		c.Header("Auth-Status", "Invalid login or password")
		c.Header("Auth-Wait", strconv.Itoa(int(max(wait, 3*time.Second)/time.Second)))
		if proto == "smtp" {
			c.Header("Auth-Error-Code", "535 5.7.8")
		}
		c.Status(http.StatusOK)
	}
	if !known {
		h.log.Warn("proxy auth for an unconfigured protocol", "protocol", proto)
		deny(0)
		return
	}
	// nginx escapes the login and password (%XX); '+' stays literal, so path unescaping.
	user, pass := unescape(c.GetHeader("Auth-User")), unescape(c.GetHeader("Auth-Pass"))
	clientIP := c.GetHeader("Client-IP")
	if net.ParseIP(clientIP) == nil {
		clientIP = c.ClientIP()
	}
	_, err := h.authn.Authenticate(c.Request.Context(), authn.Request{Service: authn.Service(proto), Username: user, Secret: pass, ClientIP: clientIP})
	var throttled *authn.ThrottledError
	switch {
	case errors.As(err, &throttled):
		deny(throttled.RetryAfter)
		return
	case errors.Is(err, authn.ErrInvalidCredentials):
		deny(0)
		return
	case err != nil:
		h.log.Error("proxy auth", "err", err)
		c.Header("Auth-Status", "Temporary server problem, try again later")
		c.Header("Auth-Wait", "5")
		c.Status(http.StatusOK)
		return
	}
	host, port, _ := net.SplitHostPort(upstream)
	c.Header("Auth-Status", "OK")
	c.Header("Auth-Server", host)
	c.Header("Auth-Port", port)
	c.Status(http.StatusOK)
}

func (h *proxyAuth) proxyAllowed(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range h.allow {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func unescape(v string) string {
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// parseNets turns addresses and CIDRs into networks (validated by config already).
func parseNets(list []string) []*net.IPNet {
	var out []*net.IPNet
	for _, p := range list {
		if !strings.Contains(p, "/") {
			if strings.Contains(p, ":") {
				p += "/128"
			} else {
				p += "/32"
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			out = append(out, n)
		}
	}
	return out
}
