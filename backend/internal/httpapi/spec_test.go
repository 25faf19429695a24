package httpapi_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
)

var ginParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// The router and api-spec/openapi.yaml name exactly the same routes.
func TestRoutesMatchSpec(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	h, err := s.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	engine, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T, want *gin.Engine", h)
	}
	router := map[string]bool{}
	for _, r := range engine.Routes() {
		if r.Path == "/Microsoft-Server-ActiveSync" { // EAS is WBXML over MS-ASHTTP, not the JSON API
			continue
		}
		if strings.HasPrefix(r.Path, "/dav/") || strings.HasPrefix(r.Path, "/.well-known/") { // CalDAV/CardDAV: XML, not the JSON API
			continue
		}
		if strings.HasSuffix(r.Path, ".xml") { // Autodiscover POX and Thunderbird autoconfig: XML, not the JSON API
			continue
		}
		router[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	doc, _ := apptest.Spec(t)
	spec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			spec[strings.ToUpper(method)+" "+path] = true
		}
	}
	var missing, extra []string
	for r := range router {
		if !spec[r] {
			missing = append(missing, r)
		}
	}
	for r := range spec {
		if !router[r] {
			extra = append(extra, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from api-spec/openapi.yaml: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("spec names routes the router lacks: %v", extra)
	}
	if len(router) < 8 {
		t.Fatalf("suspiciously few routes: %v", router)
	}
}
