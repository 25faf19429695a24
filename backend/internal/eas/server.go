package eas

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/imip"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Path is where phones find the server.
const Path = "/Microsoft-Server-ActiveSync"

// ProtocolVersions this server speaks (MS-ASHTTP 2.2.1.1.2.6).
const ProtocolVersions = "12.1,14.0,14.1,16.0,16.1"

// ProtocolCommands are the commands announced in OPTIONS.
const ProtocolCommands = "Sync,SendMail,SmartForward,SmartReply,GetAttachment,FolderSync,FolderCreate," +
	"FolderDelete,FolderUpdate,MoveItems,GetItemEstimate,MeetingResponse,Search,Settings,Ping," +
	"ItemOperations,Provision,ResolveRecipients,ValidateCert,Find"

// protocolCommands is what OPTIONS announces to a client that names its version: Find is a
// 16.x command, so one below 16.0 is not told of it.
func protocolCommands(r *http.Request) string {
	if v := r.Header.Get("MS-ASProtocolVersion"); v != "" && !(&Request{ProtocolVersion: v}).AtLeast("16.0") {
		return strings.TrimSuffix(ProtocolCommands, ",Find")
	}
	return ProtocolCommands
}

const (
	realm       = `Basic realm="Tessera ActiveSync", charset="UTF-8"`
	contentType = "application/vnd.ms-sync.wbxml"
	// maxBody caps a request body; SendMail with attachments is the largest (EAS complete).
	maxBody = 16 << 20
)

// Authenticator is the one authenticator (package authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
	StillValid(ctx context.Context, s authn.Service, g *authn.Grant) (bool, error)
}

// AccountStore is what commands read and write of accounts and settings.
type AccountStore interface {
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
	SetOof(ctx context.Context, id uint64, oof string) error
	EASEnabledFor(ctx context.Context, cosID *uint64) (bool, error)
}

// Options are the server's EAS limits. They come whole from config.Default() and the
// environment (package config holds the defaults; New refuses a zero limit rather than guess).
type Options struct {
	// HeartbeatMin and HeartbeatMax bound a Ping's or Sync's heartbeat when the global
	// settings do not (they are seeded from these once); 0 < min <= max.
	HeartbeatMin, HeartbeatMax time.Duration
	// MaxPings held at once; past it a new Ping gets 503 with Retry-After. At least 1.
	MaxPings int
	// MaxFolders one Ping may watch; more get Status 6 with this limit. At least 1.
	MaxFolders int
	// CertRoots are the roots ValidateCert trusts (LoadCertRoots); nil: the system's.
	CertRoots *x509.CertPool
}

func (o Options) check() error {
	switch {
	case o.HeartbeatMin <= 0 || o.HeartbeatMax < o.HeartbeatMin:
		return fmt.Errorf("eas: heartbeat bounds %s..%s: want 0 < min <= max", o.HeartbeatMin, o.HeartbeatMax)
	case o.MaxPings < 1:
		return fmt.Errorf("eas: MaxPings %d: want at least 1", o.MaxPings)
	case o.MaxFolders < 1:
		return fmt.Errorf("eas: MaxFolders %d: want at least 1", o.MaxFolders)
	}
	return nil
}

// Server is the EAS endpoint.
type Server struct {
	auth     Authenticator
	mailbox  *mailbox.Service
	devices  *device.Service
	accounts AccountStore
	states   states
	sender   *mailbox.Sender
	search2  SearchStore
	sched    *imip.Service
	pings    *pingRegistry
	loops    *loopDetector
	// home serves a parked Ping's connection again once it is answered (UseHTTPServer); nil:
	// Pings are held inside their handler.
	home atomic.Pointer[http.Server]
	opts Options
	log  *slog.Logger
	now  func() time.Time
}

// Deps gathers the collaborators.
type Deps struct {
	Auth     Authenticator
	Mailbox  *mailbox.Service
	Devices  *device.Service
	Accounts AccountStore
	States   StateStore
	Sender   *mailbox.Sender
	Search   SearchStore
	// Scheduling answers invitations (MeetingResponse) and sends the replies.
	Scheduling *imip.Service
	Options    Options
	Log        *slog.Logger
}

// New returns the EAS server; it refuses incomplete Options.
func New(d Deps) (*Server, error) {
	if err := d.Options.check(); err != nil {
		return nil, err
	}
	return &Server{auth: d.Auth, mailbox: d.Mailbox, devices: d.Devices, accounts: d.Accounts, states: states{store: d.States}, sender: d.Sender, search2: d.Search, sched: d.Scheduling,
		pings: newPingRegistry(d.Options.MaxPings), loops: newLoopDetector(), opts: d.Options, log: d.Log, now: time.Now}, nil
}

// Shutdown ends held Pings so the HTTP server can drain; it waits (a few seconds at most) until
// the parked ones have written their answers.
func (s *Server) Shutdown() { s.pings.end(5 * time.Second) }

// UseHTTPServer lets held Pings park their connections (pingpark.go) and hands each one back to
// srv, which must be the server whose handler leads here, once its answer is written.
func (s *Server) UseHTTPServer(srv *http.Server) { s.home.Store(srv) }

// SetClock replaces the server's clock, for tests of what time moves (a filter window that
// passes items). Call it before the server answers requests.
func (s *Server) SetClock(now func() time.Time) { s.now = now }

// HeldPings is how many Pings are waiting now.
func (s *Server) HeldPings() int64 { return s.pings.Held() }

type clientIPKey struct{}

// WithClientIP tells the handler the client address as the HTTP layer resolved it (it knows
// which proxies to trust); without it the peer address is used.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

func clientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok && ip != "" {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// call is one authenticated command request.
type call struct {
	req     *Request
	account *store.Account
	grant   *authn.Grant // what let the request in, re-checked by held requests
	device  *store.Device
	// hierarchy is the device's folder-hierarchy SyncState as read with the device (FolderSync
	// only; nil when the device has none or for other commands).
	hierarchy *store.SyncState
	body      *wbxml.Node // nil for an empty body
	raw       []byte      // 12.1 SendMail/SmartReply/SmartForward: the MIME message itself
	w         http.ResponseWriter
	r         *http.Request
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("MS-Server-ActiveSync", "16.1")
	if r.Method != http.MethodOptions && r.Method != http.MethodPost {
		w.Header().Set("Allow", "OPTIONS,POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	grant, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if on, err := s.accounts.EASEnabledFor(r.Context(), grant.Account.COSID); err != nil {
		s.log.Error("eas: class of service", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	} else if !on {
		// Authenticated, but this account's class of service has no ActiveSync (MS-ASHTTP 403).
		http.Error(w, "Exchange ActiveSync is not enabled for this account", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "OPTIONS,POST")
		w.Header().Set("Public", "OPTIONS,POST")
		w.Header().Set("MS-ASProtocolVersions", ProtocolVersions)
		w.Header().Set("MS-ASProtocolCommands", protocolCommands(r))
		w.WriteHeader(http.StatusOK)
		return
	}
	req, err := ParseRequest(r)
	if err != nil {
		s.log.Info("eas: bad request", "err", err, "account", grant.Account.Email)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	handler, known := s.commands()[req.Cmd]
	if !known {
		http.Error(w, "command not implemented: "+req.Cmd, http.StatusNotImplemented)
		return
	}
	if req.Cmd == "Find" && !req.AtLeast("16.0") { // MS-ASCMD 2.2.1.2: not part of 12.1–14.1
		http.Error(w, "Find needs protocol version 16.0 or later", http.StatusBadRequest)
		return
	}
	var dev *store.Device
	var hierarchy *store.SyncState
	if req.Cmd == "FolderSync" { // its hierarchy state comes with the device, in one statement
		dev, hierarchy, err = s.devices.TouchWithState(r.Context(), grant.Account.ID, req.contact(), HierarchyCollection)
	} else {
		dev, err = s.devices.Touch(r.Context(), grant.Account.ID, req.contact())
	}
	if errors.Is(err, device.ErrQuota) {
		s.log.Info("eas: device quota exceeded", "account", grant.Account.Email, "device", req.DeviceID)
		s.refuseNewDevice(w, req)
		return
	} else if err != nil {
		s.fail(w, req, "device", err)
		return
	}
	c := &call{req: req, account: grant.Account, grant: grant, device: dev, hierarchy: hierarchy, w: w, r: r}
	// Blocked or suspended (access.go); a pending wipe still reaches the device — it is sent
	// to Provision and gets nothing else — so a lost phone can be blocked and wiped alike.
	if c.device.WipeState != store.WipeRequested && s.refused(c) {
		return
	}
	if req.Cmd != "Provision" && !s.provisioned(c) {
		s.needProvisioning(c)
		return
	}
	if r.ContentLength > maxBody {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	raw, err := readBody(w, r)
	if err != nil {
		s.bodyFailed(w, req, err)
		return
	}
	if len(raw) > 0 && strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "message/rfc822") {
		c.raw = raw // 12.1 sends mail as raw MIME, not WBXML
	} else if len(raw) > 0 { // Sync and Ping may come empty (MS-ASCMD): the last request's content applies
		if c.body, err = wbxml.Unmarshal(raw); err != nil {
			s.log.Info("eas: undecodable body", "cmd", req.Cmd, "device", req.DeviceID, "err", err)
			http.Error(w, "malformed WBXML", http.StatusBadRequest)
			return
		}
	}
	if device.AccessOf(dev) == policy.DeviceQuarantined { // only the notice (quarantine.go)
		handler = s.quarantined(req.Cmd, handler)
	}
	resp, err := handler(r.Context(), c)
	if errors.Is(err, errHandled) {
		return
	} else if err != nil {
		s.fail(w, req, req.Cmd, err)
		return
	}
	s.send(w, r, resp)
}

// revoked re-checks a held request's authentication after an account-wide change and, when
// it no longer holds, answers 401 as a fresh request would get. A database error keeps the
// request held: it is re-checked at the next change, and the next request checks in full.
func (s *Server) revoked(ctx context.Context, c *call) bool {
	ok, err := s.auth.StillValid(ctx, authn.EAS, c.grant)
	if err != nil {
		s.log.WarnContext(ctx, "eas: re-checking a held request's authentication", "err", err)
		return false
	}
	if ok {
		return false
	}
	s.log.InfoContext(ctx, "eas: held request ended: its authentication was revoked",
		"account", c.account.Email, "device", c.req.DeviceID, "cmd", c.req.Cmd)
	c.w.Header().Set("WWW-Authenticate", realm)
	http.Error(c.w, "authentication required", http.StatusUnauthorized)
	return true
}

// authenticate checks HTTP Basic credentials through the one authenticator.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*authn.Grant, bool) {
	user, pass, ok := basicAuth(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", realm)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return nil, false
	}
	g, err := s.auth.Authenticate(r.Context(), authn.Request{Service: authn.EAS, Username: user, Secret: pass, ClientIP: clientIP(r), DeviceID: deviceIDOf(r)})
	var throttled *authn.ThrottledError
	switch {
	case errors.As(err, &throttled):
		// Phones retry a 401 at once and may prompt; 503 with Retry-After makes them back off.
		w.Header().Set("Retry-After", strconv.Itoa(int(max(time.Second, throttled.RetryAfter)/time.Second)))
		http.Error(w, "too many failed attempts", http.StatusServiceUnavailable)
		return nil, false
	case errors.Is(err, authn.ErrInvalidCredentials):
		w.Header().Set("WWW-Authenticate", realm)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return nil, false
	case err != nil:
		// The database or Redis is away: a phone backs off on 503 and comes back.
		s.log.ErrorContext(r.Context(), "eas authentication", "err", err)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, false
	}
	return g, true
}

// write writes a short WBXML answer (a status), never compressed.
func (s *Server) write(w http.ResponseWriter, resp *wbxml.Node) { s.send(w, nil, resp) }

func (s *Server) fail(w http.ResponseWriter, req *Request, what string, err error) {
	if errors.Is(err, context.Canceled) {
		return // the phone hung up
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	s.log.Error("eas: command failed", "cmd", what, "device", req.DeviceID, "err", err)
	w.Header().Set("Retry-After", "30")
	http.Error(w, "temporary server error", http.StatusServiceUnavailable)
}

// basicAuth reads HTTP Basic credentials; usernames may be UTF-8 (RFC 7617 charset).
func basicAuth(r *http.Request) (user, pass string, ok bool) {
	h := r.Header.Get("Authorization")
	const prefix = "Basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		return "", "", false
	}
	user, pass, ok = strings.Cut(string(raw), ":")
	return user, pass, ok && user != ""
}

// commandFunc answers one command; a nil node means an empty 200 response.
type commandFunc func(ctx context.Context, c *call) (*wbxml.Node, error)

func (s *Server) commands() map[string]commandFunc {
	return map[string]commandFunc{
		"Provision":         s.provision,
		"FolderSync":        s.folderSync,
		"Sync":              s.sync,
		"GetItemEstimate":   s.getItemEstimate,
		"Ping":              s.ping,
		"ItemOperations":    s.itemOperations,
		"MoveItems":         s.moveItems,
		"Settings":          s.settings,
		"SendMail":          s.sendMail,
		"FolderCreate":      s.folderCreate,
		"Search":            s.search,
		"ResolveRecipients": s.resolveRecipients,
		"GetAttachment":     s.getAttachment,
		"MeetingResponse":   s.meetingResponse,
		"FolderUpdate":      s.folderUpdate,
		"FolderDelete":      s.folderDelete,
		"SmartReply":        s.smartReply,
		"SmartForward":      s.smartForward,
		"ValidateCert":      s.validateCert,
		"Find":              s.find,
	}
}
