package credential

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is what the service needs from persistence.
type Store interface {
	CreateCredential(ctx context.Context, c *store.Credential) error
	CountCredentials(ctx context.Context, accountID uint64, kind string) (int64, error)
	ListCredentials(ctx context.Context, accountID uint64) ([]store.Credential, error)
	CredentialOf(ctx context.Context, accountID, id uint64) (*store.Credential, error)
	DeleteCredential(ctx context.Context, accountID, id uint64) error
	DeleteCredentialsOfKind(ctx context.Context, accountID uint64, kind string) ([]string, error)
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
	CreateOTPCredential(ctx context.Context, c *store.Credential, seal func(id uint64) (string, error), pinHashes []string) error
	ReplacePINs(ctx context.Context, credentialID uint64, pinHashes []string) error
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service creates, lists and deletes credentials.
type Service struct {
	store     Store
	hasher    *authn.Hasher
	sealer    *otp.Sealer
	audit     Auditor
	publicURL string
	issuer    string
	changed   func(accountID uint64)
	notices   Notifier // security notices; nil: none
}

// Deps gathers the collaborators.
type Deps struct {
	Store     Store
	Hasher    *authn.Hasher
	Sealer    *otp.Sealer
	Audit     Auditor
	PublicURL string // goes into mobile-app QR payloads
	Issuer    string // TOTP issuer shown in authenticator apps
	// Changed is told of every revocation, so that held Pings re-check their authentication.
	Changed func(accountID uint64) // may be nil
}

// New returns the service.
func New(d Deps) *Service {
	changed := d.Changed
	if changed == nil {
		changed = func(uint64) {}
	}
	return &Service{store: d.Store, hasher: d.Hasher, sealer: d.Sealer, audit: d.Audit, publicURL: d.PublicURL, issuer: d.Issuer,
		changed: changed}
}

// Secret is shown once, in the response that creates the credential, and never stored.
type Secret struct {
	Password string // eas, app_passcode: XXXX-XXXX-XXXX-XXXX
	Payload  string // mobile_app: the JSON the QR code encodes
	QRCode   string // mobile_app and otp: data:image/png;base64,...
	// otp
	OTPAuthURL string
	OTPSecret  string // base32
	PINCodes   []string
}

// AppPayload is what a mobile-app QR code encodes.
type AppPayload struct {
	V        int    `json:"v"`
	Server   string `json:"server"`
	Username string `json:"username"`
	Token    string `json:"token"`
}

// creatable are the kinds users create.
var creatable = map[string]bool{store.KindEAS: true, store.KindMobileApp: true, store.KindAppPasscode: true, store.KindOTP: true}

// MaxLabel is the longest label, in characters.
const MaxLabel = 64

// NormaliseLabel trims a label and checks it: 1–64 characters of any script, no control
// characters and no bidirectional controls. The label is shown beside the credential's secret
// and in the audit log; an embedded U+202E or isolate would make it display as something else
// ("Anna's phone" reading as another device), so such a label is refused rather than quietly
// changed: the user sees why, and what is stored is what was typed.
func NormaliseLabel(label string) (string, error) {
	l := norm.NFC.String(strings.TrimSpace(label))
	n := len([]rune(l))
	if n == 0 || n > MaxLabel {
		return "", invalid("A label has 1 to %d characters.", MaxLabel)
	}
	for _, r := range l {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return "", invalid("A label cannot contain control characters.")
		}
		if isBidiControl(r) {
			return "", invalid("A label cannot contain text-direction controls (U+%04X): they make it display as something else.", r)
		}
	}
	return l, nil
}

// isBidiControl: the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
// the marks (U+200E, U+200F, U+061C) of Unicode's bidirectional algorithm (UAX #9).
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// LabelKey is the key a label is unique by among an account's credentials of a kind: a hash of
// the label in lower case makes uniqueness case-insensitive and identical on SQLite and MySQL
// collations.
func LabelKey(label string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(label)))
	return hex.EncodeToString(sum[:])
}

// List returns an account's credentials.
func (s *Service) List(ctx context.Context, accountID uint64) ([]store.Credential, error) {
	return s.store.ListCredentials(ctx, accountID)
}

// Create makes a credential of a kind for an account and returns its secret, shown once. An
// application passcode gets the default scope (see CreatePasscode).
func (s *Service) Create(ctx context.Context, a *store.Account, kind, label, clientIP string) (*store.Credential, *Secret, error) {
	if kind == store.KindAppPasscode {
		return s.CreatePasscode(ctx, a, label, Scope{}, clientIP)
	}
	return s.create(ctx, a, kind, label, &store.Credential{Services: strings.Join(authn.ServicesOf(kind), ",")}, clientIP)
}

// create makes a credential from c, which brings its services and expiry.
func (s *Service) create(ctx context.Context, a *store.Account, kind, label string, c *store.Credential, clientIP string) (*store.Credential, *Secret, error) {
	if !creatable[kind] {
		return nil, nil, invalid("Unknown credential kind %q (eas, mobile_app, app_passcode or otp).", kind)
	}
	label, err := NormaliseLabel(label)
	if err != nil {
		return nil, nil, err
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	n, err := s.store.CountCredentials(ctx, a.ID, kind)
	if err != nil {
		return nil, nil, err
	}
	if limit := maxPerKind(a, g); limit > 0 && n >= int64(limit) {
		return nil, nil, fmt.Errorf("%w (at most %d)", ErrLimitReached, limit)
	}
	if kind == store.KindOTP {
		return s.createOTP(ctx, a, label, pinCodesPerEntry(a, g), clientIP)
	}
	secret, stored, err := s.newSecret(a, kind)
	if err != nil {
		return nil, nil, err
	}
	c.AccountID, c.Kind, c.Label, c.LabelKey = a.ID, kind, label, LabelKey(label)
	c.SecretHash, c.Status = s.hasher.HashSecret(kind, stored), store.CredEnabled
	if err := s.store.CreateCredential(ctx, c); errors.Is(err, store.ErrConflict) {
		return nil, nil, ErrLabelTaken
	} else if err != nil {
		return nil, nil, err
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialCreated,
		Outcome: audit.OutcomeSuccess, Reason: kind + " " + label, ClientIP: clientIP})
	s.notice(ctx, a, notice.Notice{Event: notice.CredentialCreated, Kind: kind, Label: label, Address: clientIP})
	return c, secret, nil
}

// newSecret generates the secret of a kind; stored is the string whose hash is kept.
func (s *Service) newSecret(a *store.Account, kind string) (*Secret, string, error) {
	if kind != store.KindMobileApp {
		p := authn.GeneratePassword()
		return &Secret{Password: authn.GroupPassword(p)}, p, nil
	}
	tok := authn.GenerateToken()
	payload, err := json.Marshal(AppPayload{V: 1, Server: s.publicURL, Username: a.Email, Token: tok})
	if err != nil {
		return nil, "", err
	}
	qr, err := qrDataURL(string(payload))
	if err != nil {
		return nil, "", err
	}
	return &Secret{Payload: string(payload), QRCode: qr}, tok, nil
}

func qrDataURL(text string) (string, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 320)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}

// Delete removes one of the account's credentials; another account's id is ErrNotFound.
func (s *Service) Delete(ctx context.Context, a *store.Account, id uint64, clientIP string) error {
	c, err := s.store.CredentialOf(ctx, a.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.store.DeleteCredential(ctx, a.ID, id); errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	s.changed(a.ID)
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialDeleted,
		Outcome: audit.OutcomeSuccess, Reason: c.Kind + " " + c.Label, ClientIP: clientIP})
	if c.Status != store.CredPending { // an OTP entry never confirmed was never announced either
		s.notice(ctx, a, notice.Notice{Event: notice.CredentialDeleted, Kind: c.Kind, Label: c.Label, Address: clientIP})
	}
	return nil
}

// PasswordChanged revokes the account's application passcodes when the setting says so (the
// default). EAS passwords survive: that is their point (seed 001).
func (s *Service) PasswordChanged(ctx context.Context, a *store.Account, actor, clientIP string) error {
	defer s.changed(a.ID) // a Ping opened with the old account password ends
	g, err := s.store.GlobalSettings(ctx)
	if err != nil || !g.RevokePasscodesOnPasswordChange {
		return err
	}
	labels, err := s.store.DeleteCredentialsOfKind(ctx, a.ID, store.KindAppPasscode)
	for _, l := range labels {
		s.audit.Record(ctx, audit.Event{Actor: actor, Account: a.Email, Action: audit.ActionCredentialRevoked,
			Outcome: audit.OutcomeSuccess, Reason: "app_passcode " + l + ": password changed", ClientIP: clientIP})
	}
	return err
}

// Expired reports the status to show: an enabled credential past its expiry shows as expired.
func Expired(c *store.Credential, now time.Time) bool {
	return c.Status == store.CredEnabled && c.ExpiresAt != nil && !now.Before(*c.ExpiresAt)
}
