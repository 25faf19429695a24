package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
)

// autodiscoverMount hands Autodiscover (POX XML and v2 JSON) and Thunderbird's autoconfig to
// package autodiscover, outside the JSON API's error middleware as EAS is: each speaks its own
// format. On the XML paths every method reaches the handler, which answers a wrong one; the v2
// JSON paths are GET only, in the OpenAPI spec, and other methods get the API's 405.
type autodiscoverMount struct {
	h http.Handler
}

func (m *autodiscoverMount) routes(r gin.IRouter) {
	for _, p := range []string{autodiscover.PathPOX, autodiscover.PathPOXCapital, autodiscover.PathAutoconfig, autodiscover.PathWellKnown} {
		r.Any(p, m.serve)
	}
	r.GET(autodiscover.PathJSON, m.serve)
	r.GET(autodiscover.PathJSONv1+":email", m.serve)
}

func (m *autodiscoverMount) serve(c *gin.Context) {
	m.h.ServeHTTP(c.Writer, c.Request.WithContext(autodiscover.WithClientIP(c.Request.Context(), c.ClientIP())))
}

// DomainDNSSource lists the DNS records a domain of the admin's scope should publish.
type DomainDNSSource interface {
	DomainDNS(ctx context.Context, sc admin.Scope, name string) ([]autodiscover.Record, error)
}

type domainDNSResponse struct {
	Domain  string                `json:"domain"`
	Records []autodiscover.Record `json:"records"`
}

// adminDNS answers GET /admin/domains/{name}/dns, under the same scope rules as the domain.
type adminDNS struct {
	src DomainDNSSource
}

func (h *adminDNS) routes(g routers) {
	g.admin.GET("/domains/:name/dns", h.get)
}

func (h *adminDNS) get(c *gin.Context) {
	name := domainParam(c)
	rs, err := h.src.DomainDNS(c.Request.Context(), scope(c), name)
	respond(c, http.StatusOK, domainDNSResponse{Domain: name, Records: rs}, err)
}
