// Package apptest starts a real Tessera (store, services, router) for tests and checks every
// response it sees against api-spec/openapi.yaml.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// AdminPassword is the bootstrap admin's password in every test server.
const AdminPassword = "Bootstrap-Test-Pass-9!"

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// SpecPath is the path of the OpenAPI document in the repository.
func SpecPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "api-spec", "openapi.yaml")
}

// Spec loads and validates the OpenAPI document once.
func Spec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile(SpecPath())
		if specErr == nil {
			specErr = specDoc.Validate(context.Background())
		}
		if specErr == nil {
			specRouter, specErr = gorillamux.NewRouter(specDoc)
		}
	})
	if specErr != nil {
		t.Fatalf("api-spec/openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// Server is a running test instance.
type Server struct {
	*httptest.Server
	App *app.App
	t   testing.TB
}

// Options tweak the configuration of a test server.
type Options struct {
	PublicURL      string
	ProxyAuthAllow []string
	MailUpstreams  map[string]string
	SMTPRelay      string
	// AdminTwoFactor keeps adminRequireTwoFactor on (the default of a real install). Off by
	// default here, so that admin tests need not enrol an OTP entry for every administrator.
	AdminTwoFactor bool
	// SecurityNotices keeps the security notices by mail on (the default of a real install). Off
	// by default here, so that tests counting the messages of an Inbox do not meet them.
	SecurityNotices bool
	// NoAuthCache checks every request's credential against the database (TESSERA_AUTH_CACHE_TTL=0).
	NoAuthCache bool
	// TrustedProxies: addresses whose X-Forwarded-For is believed (tests acting from many addresses).
	TrustedProxies []string
	// RedisURL shares the brute-force counters (and the bus) through Redis.
	RedisURL string
	// SMIMERoots is a PEM file of CAs ValidateCert trusts (TESSERA_EAS_SMIME_ROOTS).
	SMIMERoots string
	// Configure changes anything else of the configuration (e.g. the mail doors).
	Configure func(*config.Config)
}

// Start runs a Tessera on backend b with a bootstrap admin admin@example.com.
func Start(t testing.TB, b storetest.Backend, opts ...Options) *Server {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DBDriver, cfg.DBDSN = b.Driver, b.DSN
	cfg.SecretKey = "test-secret-key-0123456789abcdef-0123456789"
	cfg.BootstrapAdminPassword = AdminPassword
	for _, o := range opts {
		if o.PublicURL != "" {
			cfg.PublicURL = o.PublicURL
		}
		if o.ProxyAuthAllow != nil {
			cfg.ProxyAuthAllow = o.ProxyAuthAllow
		}
		if o.SMTPRelay != "" {
			cfg.SMTPRelay = o.SMTPRelay
		}
		if o.NoAuthCache {
			cfg.AuthCacheTTL = 0
		}
		if o.TrustedProxies != nil {
			cfg.TrustedProxies = o.TrustedProxies
		}
		if o.RedisURL != "" {
			cfg.RedisURL = o.RedisURL
		}
		if o.SMIMERoots != "" {
			cfg.EASSMIMERoots = o.SMIMERoots
		}
		for proto, addr := range o.MailUpstreams {
			cfg.MailUpstreams[proto] = addr
		}
		if o.Configure != nil {
			o.Configure(&cfg)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := a.Bootstrap(context.Background()); err != nil {
		t.Fatal(err)
	}
	adminTwoFactor, notices := false, false
	for _, o := range opts {
		adminTwoFactor = adminTwoFactor || o.AdminTwoFactor
		notices = notices || o.SecurityNotices
	}
	if !notices {
		g, err := a.Store.GlobalSettings(context.Background())
		if err == nil {
			g.SecurityNoticesOff, _ = notice.ParseEnabled("none")
			err = a.Store.SaveGlobalSettings(context.Background(), g)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !adminTwoFactor {
		g, err := a.Store.GlobalSettings(context.Background())
		if err == nil {
			g.AdminRequireTwoFactor = false
			err = a.Store.SaveGlobalSettings(context.Background(), g)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	a.EAS.UseHTTPServer(srv.Config) // held Pings park as with tessera serve
	srv.Start()
	t.Cleanup(func() { a.EAS.Shutdown(); srv.Close(); a.Close() })
	return &Server{Server: srv, App: a, t: t}
}

// Client is a browser-like client: a cookie jar, and the CSRF header echoed from the cookie.
type Client struct {
	s    *Server
	http *http.Client
	// NoCSRF leaves the X-CSRF-Token header out.
	NoCSRF bool
	// Header is added to every request.
	Header http.Header
}

// Client returns a client with an empty cookie jar.
func (s *Server) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{s: s, http: &http.Client{Jar: jar}, Header: http.Header{}}
}

// Response is a checked response with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response %d is not JSON: %v: %s", r.StatusCode, err, r.Body)
	}
}

// ErrorCode returns error.code of an error body ("" when none).
func (r *Response) ErrorCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Do sends a request with a JSON body (a string is sent as is) and validates the response
// against the spec.
func (c *Client) Do(method, path string, body any) *Response {
	c.s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.s.URL+path, rd)
	if err != nil {
		c.s.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if !c.NoCSRF {
		if v := c.Cookie("tessera_csrf"); v != "" {
			req.Header.Set("X-CSRF-Token", v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := &Response{Response: resp, Body: raw}
	c.s.Validate(req, r)
	return r
}

// Cookie returns the value of a cookie in the jar for the server ("" when none).
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.s.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie puts a cookie in the jar (to replay a stolen or old token).
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.s.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Login logs in and fails the test unless it succeeds.
func (c *Client) Login(user, pw string) *Response {
	c.s.t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pw})
	if r.StatusCode != http.StatusOK {
		c.s.t.Fatalf("login %s: %d %s", user, r.StatusCode, r.Body)
	}
	return r
}

// Validate checks a response against the spec: documented route, status and body schema.
// Routes outside the spec (the SPA) are skipped.
func (s *Server) Validate(req *http.Request, r *Response) {
	s.t.Helper()
	doc, router := Spec(s.t)
	_ = doc
	specReq := req.Clone(context.Background())
	specReq.URL.Scheme, specReq.URL.Host = "", ""
	route, params, err := router.FindRoute(specReq)
	if err != nil {
		return // not an API route (SPA, unknown path): nothing to validate against
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: specReq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  r.StatusCode,
		Header:  r.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		s.t.Errorf("%s %s → %d does not match the spec: %v\nbody: %s", req.Method, req.URL.Path, r.StatusCode, err, r.Body)
	}
}
