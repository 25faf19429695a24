package autodiscover

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
)

// Paths the handler answers (the router mounts each on it).
const (
	PathPOX        = "/autodiscover/autodiscover.xml"
	PathPOXCapital = "/Autodiscover/Autodiscover.xml"
	PathJSON       = "/autodiscover/autodiscover.json"
	PathJSONv1     = PathJSON + "/v1.0/" // + the address
	PathAutoconfig = "/mail/config-v1.1.xml"
	PathWellKnown  = "/.well-known/autoconfig/mail/config-v1.1.xml"
)

// realm is EAS's: a phone asked for the same password twice would be confused.
const realm = `Basic realm="Tessera ActiveSync", charset="UTF-8"`

// Authenticator is the one authenticator (package authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
}

// Deps are the handler's collaborators.
type Deps struct {
	Auth      Authenticator
	Settings  Source
	PublicURL string // https://mail.example.com, no trailing slash
	EASURL    string // PublicURL + the EAS path
	Log       *slog.Logger
}

// Handler answers Autodiscover (POX and v2) and Thunderbird autoconfig.
type Handler struct {
	d Deps
}

// New returns the handler.
func New(d Deps) *Handler {
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	return &Handler{d: d}
}

type clientIPKey struct{}

// WithClientIP tells the handler the client's address (for throttling and the audit trail).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ServeHTTP dispatches on the path; the router sends only the paths above.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == PathPOX || p == PathPOXCapital:
		h.pox(w, r)
	case p == PathJSON || strings.HasPrefix(p, PathJSONv1):
		h.v2(w, r)
	case p == PathAutoconfig || p == PathWellKnown:
		h.autoconfig(w, r)
	default:
		http.NotFound(w, r)
	}
}

// pox answers POST autodiscover.xml: authentication first (the same 401 for an unknown
// address as for a wrong password), then the body, then the authenticated account's own
// settings; another address gets the schema's "not found", whether it exists or not.
func (h *Handler) pox(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	g, ok := h.authenticate(w, r)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequest))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeXML(w, http.StatusRequestEntityTooLarge, ErrorAnswer("", 600))
		return
	case err != nil:
		return // the client hung up
	}
	req, err := ParseRequest(body)
	if err != nil {
		writeXML(w, http.StatusBadRequest, ErrorAnswer(schemaOf(body), 600))
		return
	}
	if !ValidEmail(req.Email) { // not an address at all: the request is wrong, not the account
		writeXML(w, http.StatusBadRequest, ErrorAnswer(req.Schema, 600))
		return
	}
	mine := strings.EqualFold(req.Email, g.Account.Email)
	switch req.Schema {
	case SchemaMobile:
		if !mine {
			writeXML(w, http.StatusOK, NotFoundAnswer(req.Schema, req.Email))
			return
		}
		writeXML(w, http.StatusOK, MobileAnswer(g.Account.Email, h.d.EASURL))
	case SchemaOutlook:
		if !mine {
			writeXML(w, http.StatusOK, NotFoundAnswer(req.Schema, req.Email))
			return
		}
		s, err := h.d.Settings.MailSettings()
		if err != nil {
			h.unavailable(w, r, err)
			return
		}
		writeXML(w, http.StatusOK, OutlookAnswer(g.Account.Email, s))
	default:
		writeXML(w, http.StatusBadRequest, ErrorAnswer("", 601))
	}
}

// schemaOf finds which schema a malformed request wanted, to answer its error in it.
func schemaOf(body []byte) string {
	if strings.Contains(string(body), SchemaMobile) {
		return SchemaMobile
	}
	return ""
}

// authenticate checks HTTP Basic as EAS does, for the EAS service: phones send their EAS
// password, Outlook an application passcode; both open EAS.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (*authn.Grant, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		challenge(w)
		return nil, false
	}
	ip, _ := r.Context().Value(clientIPKey{}).(string)
	g, err := h.d.Auth.Authenticate(r.Context(), authn.Request{Service: authn.EAS, Username: user, Secret: pass, ClientIP: ip})
	var throttled *authn.ThrottledError
	switch {
	case err == nil:
		return g, true
	case errors.As(err, &throttled):
		w.Header().Set("Retry-After", strconv.Itoa(int(max(time.Second, throttled.RetryAfter)/time.Second)))
		http.Error(w, "too many failed attempts", http.StatusServiceUnavailable)
	case errors.Is(err, authn.ErrInvalidCredentials):
		challenge(w)
	default:
		h.unavailable(w, r, err)
	}
	return nil, false
}

func (h *Handler) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	if h.d.Log != nil {
		h.d.Log.ErrorContext(r.Context(), "autodiscover", "err", err)
	}
	w.Header().Set("Retry-After", "30")
	http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
}

func challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", realm)
	http.Error(w, "authentication required", http.StatusUnauthorized)
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}
