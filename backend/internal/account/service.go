package account

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is what the service needs from persistence.
type Store interface {
	CreateAccount(ctx context.Context, a *store.Account, adminDomainIDs ...uint64) error
	AccountByEmail(ctx context.Context, email string) (*store.Account, error)
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	ListAccounts(ctx context.Context, domain string) ([]store.Account, error)
	CountByRole(ctx context.Context, role string) (int64, error)
	SetPassword(ctx context.Context, id uint64, hash string, endSessions, mustChange bool) (uint64, error)
	RehashPassword(ctx context.Context, id uint64, oldHash, newHash string) error
	BumpTokenVersion(ctx context.Context, id uint64) error
	TouchLogin(ctx context.Context, id uint64, at time.Time) error
	CreateDomain(ctx context.Context, name string) (*store.Domain, error)
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
	CreateCOS(ctx context.Context, name string) (*store.COS, error)
	COSByName(ctx context.Context, name string) (*store.COS, error)
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
	CredentialOf(ctx context.Context, accountID, id uint64) (*store.Credential, error)
	RevokeToken(ctx context.Context, jti string, expiresAt time.Time) error
	SetAccountTwoFactor(ctx context.Context, id uint64, on bool) error
	UpdateAccount(ctx context.Context, id uint64, p store.AccountPatch, endSessions bool) error
	IsTokenRevoked(ctx context.Context, jti string) (bool, error)
	CreateWebSession(ctx context.Context, w *store.WebSession) error
	WebSessionsOf(ctx context.Context, accountID, tokenVersion uint64, now time.Time) ([]store.WebSession, error)
	EndWebSession(ctx context.Context, accountID, id uint64, at time.Time) (*store.WebSession, error)
	TouchWebSession(ctx context.Context, jti string, at time.Time) error
	WebSessionByJTI(ctx context.Context, jti string) (*store.WebSession, error)
	TrustStore
}

// Authenticator is the one authenticator (package authn).
type Authenticator interface {
	Authenticate(ctx context.Context, r authn.Request) (*authn.Grant, error)
	Throttled(ctx context.Context, r authn.Request) error
	Fail(ctx context.Context, r authn.Request)
	LoggedIn(ctx context.Context, a *store.Account, r authn.Request) (deviceCookie string)
}

// Policy resolves an account's effective 2FA state and password policy (package policy).
type Policy interface {
	Decide(ctx context.Context, a *store.Account) (policy.Decision, error)
	PasswordFor(ctx context.Context, a *store.Account) (password.Policy, error)
}

// SecondFactor checks codes of OTP entries (package otp).
type SecondFactor interface {
	HasEnabled(ctx context.Context, accountID uint64) (bool, error)
	Verify(ctx context.Context, a *store.Account, code, clientIP string) error
}

// PasswordChangeHook runs after an account's password changed (credentials revoke passcodes).
type PasswordChangeHook interface {
	PasswordChanged(ctx context.Context, a *store.Account, actor, clientIP string) error
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service is the account rules.
type Service struct {
	store    Store
	sessions *session.Manager
	authn    Authenticator
	policy   Policy
	otp      SecondFactor
	onChange PasswordChangeHook
	audit    Auditor
	log      *slog.Logger
	now      func() time.Time
	seen     *lastSeen
	notices  Notifier // security notices; nil: none
	// passkeys and passkeyPolicy: set by UsePasskeys (passkeylogin.go); nil offers none.
	passkeys      Passkeys
	passkeyPolicy PasskeyPolicy
}

// Deps gathers the collaborators.
type Deps struct {
	Store            Store
	Sessions         *session.Manager
	Authn            Authenticator
	Policy           Policy
	OTP              SecondFactor
	OnPasswordChange PasswordChangeHook // may be nil
	Audit            Auditor
	Log              *slog.Logger
}

// New returns the service.
func New(d Deps) *Service {
	return &Service{store: d.Store, sessions: d.Sessions, authn: d.Authn, policy: d.Policy, otp: d.OTP, onChange: d.OnPasswordChange,
		audit: d.Audit, log: d.Log, now: time.Now, seen: newLastSeen()}
}

// NormalizeEmail trims and lower-cases an address and checks its shape; the domain part is returned.
func NormalizeEmail(s string) (email, domain string, err error) {
	email = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 || len(email) > 191 {
		return "", "", invalid("not an email address: %q", s)
	}
	local := email[:at]
	if len(local) > 64 || strings.ContainsAny(local, " \t\r\n\"(),:;<>[\\]@") {
		return "", "", invalid("not an email address: %q", s)
	}
	return email, email[at+1:], nil
}
