package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/dav"
)

// davMethods are the methods CalDAV and CardDAV clients send; gin's Any knows only HTTP's.
var davMethods = []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions,
	"PROPFIND", "PROPPATCH", "REPORT", "MKCOL", "MKCALENDAR", "COPY", "MOVE"}

// davMount hands CalDAV/CardDAV to package dav (XML, not the JSON API) under /dav/, with the
// RFC 6764 redirects from /.well-known/caldav and /.well-known/carddav.
type davMount struct {
	dav http.Handler
}

func (m *davMount) routes(r gin.IRouter) {
	for _, method := range davMethods {
		r.Handle(method, dav.Prefix+"/*path", m.serve)
		r.Handle(method, "/.well-known/caldav", wellKnown)
		r.Handle(method, "/.well-known/carddav", wellKnown)
	}
}

func (m *davMount) serve(c *gin.Context) {
	m.dav.ServeHTTP(c.Writer, c.Request.WithContext(dav.WithClientIP(c.Request.Context(), c.ClientIP())))
}

// wellKnown sends a client to the DAV root, where PROPFIND finds its principal.
func wellKnown(c *gin.Context) {
	c.Redirect(http.StatusMovedPermanently, dav.Prefix+"/")
}
