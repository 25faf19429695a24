package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func sqlite(t *testing.T) storetest.Backend {
	return storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	for _, p := range []string{"/healthz", "/api/v1/me", "/api/v1/nope", "/", "/settings/password", "/assets/missing.js"} {
		r := c.Do("GET", p, nil)
		h := r.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers = %v", p, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS on plain http", p)
		}
	}
}

func TestBadBodies(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	for name, body := range map[string]string{
		"empty":        "",
		"not json":     "username=a&password=b",
		"truncated":    `{"username":"a"`,
		"array":        `[1,2]`,
		"string":       `"hello"`,
		"wrong type":   `{"username":1,"password":true}`,
		"two objects":  `{"username":"a","password":"b"}{}`,
		"missing pw":   `{"username":"admin@example.com"}`,
		"null":         `null`,
		"deep nesting": strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
	} {
		r := c.Do("POST", "/api/v1/auth/login", body)
		if r.StatusCode != 400 || r.ErrorCode() != "invalid_request" {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
		}
	}
}

func TestBodyOver1MiB(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	big := `{"username":"admin@example.com","password":"` + strings.Repeat("a", 1<<20) + `"}`
	r := s.Client().Do("POST", "/api/v1/auth/login", big)
	if r.StatusCode != 413 || r.ErrorCode() != "request_too_large" {
		t.Fatalf("declared length: %d %s", r.StatusCode, r.Body)
	}
	// Chunked, so no Content-Length: the reader cap must catch it.
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/login", struct{ *bytes.Reader }{bytes.NewReader([]byte(big))})
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("chunked body: %d", resp.StatusCode)
	}
}

func TestHealth(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	if r := c.Do("GET", "/healthz", nil); r.StatusCode != 200 {
		t.Fatalf("healthz %d", r.StatusCode)
	}
	if r := c.Do("GET", "/readyz", nil); r.StatusCode != 200 {
		t.Fatalf("readyz %d", r.StatusCode)
	}
	s.App.Store.Close()
	if r := c.Do("GET", "/readyz", nil); r.StatusCode != 503 || r.ErrorCode() != "unavailable" {
		t.Fatalf("readyz with the database gone: %d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("GET", "/healthz", nil); r.StatusCode != 200 {
		t.Fatalf("healthz is about the process only: %d", r.StatusCode)
	}
}

func TestUnknownAPIRouteIsJSON404AndSPAFallback(t *testing.T) {
	s := apptest.Start(t, sqlite(t))
	c := s.Client()
	if r := c.Do("GET", "/api/v1/does-not-exist", nil); r.StatusCode != 404 || r.ErrorCode() != "not_found" {
		t.Fatalf("unknown API route: %d %s", r.StatusCode, r.Body)
	}
	if r := c.Do("DELETE", "/api/v1/me", nil); r.StatusCode != 405 && r.StatusCode != 401 {
		t.Fatalf("wrong method: %d %s", r.StatusCode, r.Body)
	}
	for _, route := range []string{"/settings/password", "/admin/accounts/bob@example.com"} {
		r := c.Do("GET", route, nil)
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("SPA route %s: %d %s", route, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
	for _, missing := range []string{"/assets/gone.js", "/no-such-icon.ico", "/no-such-file.txt"} {
		if r := c.Do("GET", missing, nil); r.StatusCode != 404 {
			t.Fatalf("missing file %s: %d", missing, r.StatusCode)
		}
	}
}
