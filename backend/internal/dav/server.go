package dav

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-webdav/caldav"
	"github.com/emersion/go-webdav/carddav"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

// Prefix is where DAV is mounted on the main listener.
const Prefix = "/dav"

// MaxBody bounds a request body (an iCalendar object, a vCard with its photo, a REPORT).
const MaxBody = 1 << 20

// Authenticator decides a Basic login (authn.Authenticator).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
}

// Deps are the services DAV is thin over.
type Deps struct {
	Auth    Authenticator
	Mailbox *mailbox.Service
	Log     *slog.Logger
}

// Server is the CalDAV and CardDAV handler for every account.
type Server struct {
	auth Authenticator
	mb   *mailbox.Service
	log  *slog.Logger
	cal  *caldav.Handler
	card *carddav.Handler
}

// New returns the handler; mount it at Prefix+"/" for every method.
func New(d Deps) *Server {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	s := &Server{auth: d.Auth, mb: d.Mailbox, log: log}
	s.cal = &caldav.Handler{Backend: &calBackend{s}, Prefix: Prefix}
	s.card = &carddav.Handler{Backend: &cardBackend{s}, Prefix: Prefix}
	return s
}

type clientIPKey struct{}

// WithClientIP tells the handler the client's address (as the router sees it, proxies
// considered), for throttling and the audit trail.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

const davHeader = "1, 3, access-control, calendar-access, addressbook"

// ServeHTTP authenticates, confines the request to the account's own paths and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("DAV", davHeader)
	if r.Method == http.MethodOptions { // capabilities only; clients probe before logging in
		w.Header().Set("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT, MKCOL, MKCALENDAR")
		w.WriteHeader(http.StatusOK)
		return
	}
	acct, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if r.ContentLength > MaxBody {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	p, ok := parsePath(r.URL.Path)
	if !ok || (p.email != "" && !strings.EqualFold(p.email, acct.email)) {
		http.NotFound(w, r) // another account's path: as if nothing were there
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), accountKey{}, acct))
	if r.Header.Get("Content-Type") == "" && r.Method != http.MethodPut { // go-webdav insists on it for XML bodies
		r.Header.Set("Content-Type", "application/xml")
	}
	switch p.kind {
	case kindRoot, kindPrincipal:
		s.servePrincipal(w, r, acct)
		return
	}
	switch {
	case r.Method == "MKCALENDAR" && p.kind == kindCollection && p.area == areaCalendars:
		s.mkcalendar(w, r, p)
	case r.Method == http.MethodDelete && p.kind == kindCollection:
		s.deleteCollection(w, r, p)
	case r.Method == http.MethodDelete && p.kind == kindObject:
		s.deleteObject(w, r, p)
	case r.Method == "REPORT":
		s.report(w, r, p)
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && p.kind == kindObject && p.area == areaAddressBooks:
		s.getCard(w, r, p)
	case r.Method == "PROPPATCH" && p.kind == kindCollection:
		s.proppatch(w, r, p)
	case r.Method == "PROPFIND" && p.kind != kindObject:
		s.propfindCollections(w, r, p)
	case r.Method == http.MethodPut && p.kind == kindObject:
		normalizeType(r, p.area)
		if !s.checkBody(w, r, p.area) {
			return
		}
		rw := &putWriter{ResponseWriter: w}
		s.pass(rw, r.WithContext(context.WithValue(r.Context(), replacedKey{}, &rw.replaced)), p)
	default:
		s.pass(w, r, p)
	}
}

// normalizeType gives go-webdav the media type it insists on: clients send none, or the old
// text/x-vcard and text/directory.
func normalizeType(r *http.Request, area string) {
	t, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case area == areaCalendars && (t == "" || t == "text/x-calendar" || t == "application/octet-stream"):
		r.Header.Set("Content-Type", "text/calendar")
	case area == areaAddressBooks && (t == "" || t == "text/x-vcard" || t == "text/directory" || t == "application/octet-stream"):
		r.Header.Set("Content-Type", "text/vcard")
	}
}

// pass hands the request to go-webdav's CalDAV or CardDAV handler.
func (s *Server) pass(w http.ResponseWriter, r *http.Request, p davPath) {
	if p.area == areaCalendars {
		s.cal.ServeHTTP(w, r)
	} else {
		s.card.ServeHTTP(w, r)
	}
}

type accountKey struct{}

// account is the authenticated account of a request.
type account struct {
	id    uint64
	email string
}

func accountOf(ctx context.Context) account {
	a, _ := ctx.Value(accountKey{}).(account)
	return a
}

// authenticate checks HTTP Basic through authn. A refusal is generic (401 with a challenge);
// throttling is 503 with Retry-After; a store outage 503.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (account, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		challenge(w)
		return account{}, false
	}
	svc := authn.CalDAV
	if strings.HasPrefix(r.URL.Path, Prefix+"/addressbooks/") {
		svc = authn.CardDAV
	}
	ip, _ := r.Context().Value(clientIPKey{}).(string)
	g, err := s.auth.Authenticate(r.Context(), authn.Request{Service: svc, Username: user, Secret: pass, ClientIP: ip})
	var th *authn.ThrottledError
	switch {
	case err == nil:
		return account{id: g.Account.ID, email: strings.ToLower(g.Account.Email)}, true
	case errors.As(err, &th):
		w.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter.Seconds()+0.999)))
		http.Error(w, "too many failed attempts", http.StatusServiceUnavailable)
	case errors.Is(err, authn.ErrInvalidCredentials):
		challenge(w)
	default:
		s.log.Error("dav: authenticate", "err", err)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
	}
	return account{}, false
}

func challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Tessera", charset="UTF-8"`)
	http.Error(w, "authentication required", http.StatusUnauthorized)
}

type replacedKey struct{}

// putWriter answers 204 instead of go-webdav's 201 when a PUT replaced an object (RFC 4918
// 9.7.1: 201 is for a new resource).
type putWriter struct {
	http.ResponseWriter
	replaced bool
}

func (w *putWriter) WriteHeader(code int) {
	if code == http.StatusCreated && w.replaced {
		code = http.StatusNoContent
	}
	w.ResponseWriter.WriteHeader(code)
}

// markReplaced tells the PUT's writer that an existing object was replaced.
func markReplaced(ctx context.Context) {
	if p, ok := ctx.Value(replacedKey{}).(*bool); ok {
		*p = true
	}
}

// checkBody parses a PUT body before go-webdav does, because its decoders panic on some
// malformed input: a bad body is 400 with the reason here, and the body is handed on intact.
func (s *Server) checkBody(w http.ResponseWriter, r *http.Request, area string) bool {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return false
	}
	if area == areaCalendars {
		_, err = parseICal(string(data))
	} else {
		_, err = parseVCard(string(data))
	}
	if err != nil {
		http.Error(w, "malformed body: "+err.Error(), http.StatusBadRequest)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return true
}
