package passkey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// CeremonyTTL is how long a challenge may be answered.
const CeremonyTTL = 5 * time.Minute

// Purposes of a ceremony: one may only finish what it began.
const (
	purposeEnrol    = "enrol"
	purposeFactor   = "second_factor"
	purposeDirectIn = "passwordless"
)

// Errors the API maps.
var (
	ErrCeremony = fault.New(fault.Unauthorized, "passkey_expired", "passkey ceremony unknown, used or expired",
		"This passkey request has expired. Try again.")
	ErrRefused = fault.New(fault.Unauthorized, "passkey_refused", "passkey assertion refused",
		"This passkey was not accepted.")
	ErrNoPasskey = fault.New(fault.Conflict, "no_passkey", "the account has no passkey", "This account has no passkey.")
	ErrDuplicate = fault.New(fault.Conflict, "duplicate_passkey", "this authenticator is already registered",
		"This passkey is already registered.")
	ErrUnavailable = fault.New(fault.Conflict, "passkeys_unavailable", "passkeys need a host name in TESSERA_PUBLIC_URL",
		"Passkeys are not available on this server: it must be reached by a host name, not an IP address.")
	ErrNotAllowed = fault.New(fault.Forbidden, "passkey_login_disabled", "passwordless sign-in is turned off for this account",
		"Signing in with a passkey alone is turned off for your account. Use your password.")
)

// Store is what the service needs from persistence.
type Store interface {
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	CreatePasskey(ctx context.Context, c *store.Credential, k *store.PasskeyKey) error
	CountCredentials(ctx context.Context, accountID uint64, kind string) (int64, error)
	CountOTP(ctx context.Context, accountID uint64, status string) (int64, error)
	PasskeyKeys(ctx context.Context, accountID uint64) ([]store.PasskeyKey, error)
	PasskeyKeyByHash(ctx context.Context, keyIDHash string) (*store.PasskeyKey, error)
	RecordPasskeyUse(ctx context.Context, k *store.PasskeyKey, u store.PasskeyUse) (bool, error)
	SavePasskeyCeremony(ctx context.Context, c *store.PasskeyCeremony) error
	TakePasskeyCeremony(ctx context.Context, id, purpose string, accountID uint64, at time.Time) (*store.PasskeyCeremony, error)
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service runs the WebAuthn ceremonies of one relying party: the public URL's host.
type Service struct {
	wa    *webauthn.WebAuthn
	store Store
	audit Auditor
	now   func() time.Time
}

// New returns the service for the public URL (its host is the relying-party id, its
// scheme://host[:port] the one origin accepted).
func New(publicURL, displayName string, st Store, a Auditor) (*Service, error) {
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("passkeys: public URL %q has no host", publicURL)
	}
	if protocol.ValidateRPID(u.Hostname()) != nil {
		// Browsers take no IP address as a relying-party id: passkeys are off, the rest works.
		return &Service{store: st, audit: a, now: time.Now}, nil
	}
	t := webauthn.TimeoutConfig{Enforce: true, Timeout: CeremonyTTL, TimeoutUVD: CeremonyTTL}
	wa, err := webauthn.New(&webauthn.Config{
		RPID: u.Hostname(), RPDisplayName: displayName, RPOrigins: []string{u.Scheme + "://" + u.Host},
		Timeouts: webauthn.TimeoutsConfig{Login: t, Registration: t},
	})
	if err != nil {
		return nil, fmt.Errorf("passkeys: %w", err)
	}
	return &Service{wa: wa, store: st, audit: a, now: time.Now}, nil
}

// Available says whether passkeys work here: not when the public URL's host is an IP address,
// which browsers refuse as a relying-party id.
func (s *Service) Available() bool { return s.wa != nil }

// WithClock replaces the clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service { s.now = now; return s }

// Has reports whether the account has an enabled passkey.
func (s *Service) Has(ctx context.Context, accountID uint64) (bool, error) {
	keys, err := s.store.PasskeyKeys(ctx, accountID)
	return len(keys) > 0, err
}

// user is an account as go-webauthn sees it. Its handle is the account id (8 bytes): it
// names no address, and a discoverable credential leads back to its account by it.
type user struct {
	a    *store.Account
	keys []store.PasskeyKey
}

func handle(accountID uint64) []byte { return binary.BigEndian.AppendUint64(nil, accountID) }

func (u *user) WebAuthnID() []byte          { return handle(u.a.ID) }
func (u *user) WebAuthnName() string        { return u.a.Email }
func (u *user) WebAuthnDisplayName() string { return u.a.Email }
func (u *user) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, 0, len(u.keys))
	for _, k := range u.keys {
		out = append(out, credentialOf(k))
	}
	return out
}

func (s *Service) userOf(ctx context.Context, a *store.Account) (*user, error) {
	keys, err := s.store.PasskeyKeys(ctx, a.ID)
	return &user{a: a, keys: keys}, err
}

func credentialOf(k store.PasskeyKey) webauthn.Credential {
	id, _ := base64.RawURLEncoding.DecodeString(k.KeyID)
	pub, _ := base64.RawURLEncoding.DecodeString(k.PublicKey)
	var aaguid []byte
	if g, err := uuid.Parse(k.AAGUID); err == nil {
		aaguid = g[:]
	}
	var tr []protocol.AuthenticatorTransport
	for _, t := range strings.Split(k.Transports, ",") {
		if t != "" {
			tr = append(tr, protocol.AuthenticatorTransport(t))
		}
	}
	return webauthn.Credential{ID: id, PublicKey: pub, AttestationFormat: k.AttestationFmt, Transport: tr,
		Flags:         webauthn.CredentialFlags{UserPresent: true, UserVerified: k.UserVerified, BackupEligible: k.BackupEligible, BackupState: k.BackupState},
		Authenticator: webauthn.Authenticator{AAGUID: aaguid, SignCount: k.SignCount}}
}

// keyIDHash is the indexed form of a raw credential id.
func keyIDHash(id []byte) string {
	sum := sha256.Sum256(id)
	return hex.EncodeToString(sum[:])
}

// begin stores a ceremony's session data under a new random id.
func (s *Service) begin(ctx context.Context, accountID uint64, purpose string, sd *webauthn.SessionData) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	raw, err := json.Marshal(sd)
	if err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	return id, s.store.SavePasskeyCeremony(ctx, &store.PasskeyCeremony{ID: id, AccountID: accountID, Purpose: purpose,
		Session: string(raw), ExpiresAt: s.now().Add(CeremonyTTL)})
}

// take gets a ceremony's session data once; unknown, used, expired or another account's is
// ErrCeremony.
func (s *Service) take(ctx context.Context, id, purpose string, accountID uint64) (*webauthn.SessionData, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrCeremony
	}
	c, err := s.store.TakePasskeyCeremony(ctx, id, purpose, accountID, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrCeremony
	} else if err != nil {
		return nil, err
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal([]byte(c.Session), &sd); err != nil {
		return nil, ErrCeremony
	}
	return &sd, nil
}

// Options are a ceremony's id and the options for navigator.credentials (JSON, as the
// browser's PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON
// read them: the publicKey member).
type Options struct {
	Ceremony  string
	PublicKey json.RawMessage
}

func options(id string, v any) (*Options, error) {
	raw, err := json.Marshal(v)
	return &Options{Ceremony: id, PublicKey: raw}, err
}

// Methods lists the second factors the account can answer a login with, the passkey first:
// "passkey" and "otp" (a TOTP code or a PIN code).
func (s *Service) Methods(ctx context.Context, accountID uint64) ([]string, error) {
	var out []string
	if has, err := s.Has(ctx, accountID); err != nil {
		return nil, err
	} else if has && s.Available() {
		out = append(out, "passkey")
	}
	n, err := s.store.CountOTP(ctx, accountID, store.CredEnabled)
	if n > 0 {
		out = append(out, "otp")
	}
	return out, err
}
