package eas

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
)

// Path is where phones find the server.
const Path = "/Microsoft-Server-ActiveSync"

// Protocol versions this server speaks (MS-ASHTTP 2.2.1.1.2.6).
const ProtocolVersions = "12.1,14.0,14.1,16.1"

// ProtocolCommands are the commands announced in OPTIONS; they are built in the EAS issues.
const ProtocolCommands = "Sync,SendMail,SmartForward,SmartReply,GetAttachment,FolderSync,FolderCreate," +
	"FolderDelete,FolderUpdate,MoveItems,GetItemEstimate,MeetingResponse,Search,Settings,Ping," +
	"ItemOperations,Provision,ResolveRecipients,ValidateCert"

// realm of the Basic challenge.
const realm = `Basic realm="Tessera ActiveSync", charset="UTF-8"`

// Authenticator is the one authenticator (package authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
}

// Handler serves the EAS endpoint.
type Handler struct {
	auth Authenticator
	log  *slog.Logger
}

// New returns the handler.
func New(auth Authenticator, log *slog.Logger) *Handler {
	return &Handler{auth: auth, log: log}
}

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

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("MS-Server-ActiveSync", "16.1")
	if r.Method != http.MethodOptions && r.Method != http.MethodPost {
		w.Header().Set("Allow", "OPTIONS,POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	user, pass, ok := basicAuth(r)
	if !ok {
		h.challenge(w)
		return
	}
	g, err := h.auth.Authenticate(r.Context(), authn.Request{Service: authn.EAS, Username: user, Secret: pass, ClientIP: clientIP(r)})
	var throttled *authn.ThrottledError
	switch {
	case errors.As(err, &throttled):
		// Phones retry 401s at once; 503 with Retry-After makes them back off (MS-ASHTTP 3.1.5.2).
		w.Header().Set("Retry-After", strconv.Itoa(int(max(time.Second, throttled.RetryAfter)/time.Second)))
		http.Error(w, "too many failed attempts", http.StatusServiceUnavailable)
		return
	case errors.Is(err, authn.ErrInvalidCredentials):
		h.challenge(w)
		return
	case err != nil:
		h.log.Error("eas authentication", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	_ = g
	if r.Method == http.MethodOptions {
		w.Header().Set("Allow", "OPTIONS,POST")
		w.Header().Set("MS-ASProtocolVersions", ProtocolVersions)
		w.Header().Set("MS-ASProtocolCommands", ProtocolCommands)
		w.Header().Set("Public", "OPTIONS,POST")
		w.WriteHeader(http.StatusOK)
		return
	}
	// Commands arrive with the EAS core work; until then say so in the protocol's terms.
	http.Error(w, "command not implemented", http.StatusNotImplemented)
}

func (h *Handler) challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", realm)
	http.Error(w, "authentication required", http.StatusUnauthorized)
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
