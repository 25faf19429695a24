package session

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Audiences: a web-session token and a mobile-app token can never stand in for each other.
const (
	Audience          = "tessera-web"
	AppAudience       = "tessera-app"
	ChallengeAudience = "tessera-2fa"
)

// ScopeEnrol marks a restricted web session: policy requires 2FA and the account has no OTP
// entry yet, so it may only create and confirm one.
const ScopeEnrol = "enrol"

// ChallengeTTL is how long a password-checked login waits for its second factor.
const ChallengeTTL = 5 * time.Minute

// ErrInvalid covers every reason a token is refused; the reason is for logs only.
var ErrInvalid = errors.New("invalid session token")

// Claims are what a session token says about its holder.
type Claims struct {
	jwt.RegisteredClaims
	TokenVersion uint64 `json:"tv"`
	CSRF         string `json:"csrf,omitempty"`
	// CredentialID: the mobile-app credential an app token was exchanged for.
	CredentialID uint64 `json:"cid,omitempty"`
	Scope        string `json:"scp,omitempty"`
	// SecondFactor: the login that started this session passed a TOTP or PIN code (or enrolled
	// one); adminRequireTwoFactor asks for it.
	SecondFactor bool `json:"mfa,omitempty"`
}

// AccountID is the subject as a number.
func (c *Claims) AccountID() (uint64, error) { return strconv.ParseUint(c.Subject, 10, 64) }

// Issued is a freshly minted token with its CSRF value.
type Issued struct {
	Token     string
	CSRF      string
	ExpiresAt time.Time
	Claims    *Claims
}

// Manager mints and verifies tokens with a key derived from the server secret.
type Manager struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// New derives the signing key from the server secret, so the raw secret is never the HMAC key of
// two different mechanisms.
func New(secret []byte, ttl time.Duration) *Manager {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("tessera/session-jwt/v1"))
	return &Manager{key: mac.Sum(nil), ttl: ttl, now: time.Now}
}

// WithClock replaces the clock (tests).
func (m *Manager) WithClock(now func() time.Time) *Manager { m.now = now; return m }

// TTL is the lifetime of a new token.
func (m *Manager) TTL() time.Duration { return m.ttl }

// AppTTL is the lifetime of a mobile-app access token; the app exchanges its QR token again
// after that. The credential is checked on every request, so deleting it ends access at once.
const AppTTL = 30 * 24 * time.Hour

// Issue mints a web-session token for an account at its current token version; secondFactor
// says the login passed one.
func (m *Manager) Issue(accountID, tokenVersion uint64, secondFactor bool) (*Issued, error) {
	return m.IssueTTL(accountID, tokenVersion, secondFactor, m.ttl)
}

// IssueTTL is Issue with a lifetime of its own (the global setting sessionLifetimeMinutes);
// ttl <= 0 uses the configured one.
func (m *Manager) IssueTTL(accountID, tokenVersion uint64, secondFactor bool, ttl time.Duration) (*Issued, error) {
	if ttl <= 0 {
		ttl = m.ttl
	}
	csrf, err := random(24)
	if err != nil {
		return nil, err
	}
	return m.issue(Audience, ttl, &Claims{TokenVersion: tokenVersion, CSRF: csrf, SecondFactor: secondFactor}, accountID)
}

// IssueEnrolment mints a restricted web session that can only enrol an OTP entry.
func (m *Manager) IssueEnrolment(accountID, tokenVersion uint64) (*Issued, error) {
	csrf, err := random(24)
	if err != nil {
		return nil, err
	}
	return m.issue(Audience, ChallengeTTL*6, &Claims{TokenVersion: tokenVersion, CSRF: csrf, Scope: ScopeEnrol}, accountID)
}

// IssueChallenge mints the token that ties a second-factor step to the login whose password
// was checked; it is spent (revoked) once used.
func (m *Manager) IssueChallenge(accountID, tokenVersion uint64) (*Issued, error) {
	return m.issue(ChallengeAudience, ChallengeTTL, &Claims{TokenVersion: tokenVersion}, accountID)
}

// ParseChallenge verifies a second-factor challenge.
func (m *Manager) ParseChallenge(token string) (*Claims, error) {
	return m.parse(token, ChallengeAudience)
}

// IssueApp mints a mobile-app access token bound to the credential it was exchanged for.
func (m *Manager) IssueApp(accountID, credentialID uint64) (*Issued, error) {
	return m.issue(AppAudience, AppTTL, &Claims{CredentialID: credentialID}, accountID)
}

func (m *Manager) issue(aud string, ttl time.Duration, c *Claims, accountID uint64) (*Issued, error) {
	jti, err := random(16)
	if err != nil {
		return nil, err
	}
	now := m.now().UTC().Truncate(time.Second)
	exp := now.Add(ttl)
	c.RegisteredClaims = jwt.RegisteredClaims{
		ID:        jti,
		Subject:   strconv.FormatUint(accountID, 10),
		Audience:  jwt.ClaimStrings{aud},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(m.key)
	if err != nil {
		return nil, err
	}
	return &Issued{Token: tok, CSRF: c.CSRF, ExpiresAt: exp, Claims: c}, nil
}

// Parse verifies a web-session token: signature (HS256 only), audience, expiry, issued-at.
func (m *Manager) Parse(token string) (*Claims, error) {
	c, err := m.parse(token, Audience)
	if err != nil {
		return nil, err
	}
	if c.CSRF == "" {
		return nil, fmt.Errorf("%w: missing claims", ErrInvalid)
	}
	return c, nil
}

// ParseApp verifies a mobile-app access token.
func (m *Manager) ParseApp(token string) (*Claims, error) {
	c, err := m.parse(token, AppAudience)
	if err != nil {
		return nil, err
	}
	if c.CredentialID == 0 {
		return nil, fmt.Errorf("%w: missing claims", ErrInvalid)
	}
	return c, nil
}

func (m *Manager) parse(token, aud string) (*Claims, error) {
	c := &Claims{}
	_, err := jwt.ParseWithClaims(token, c, func(*jwt.Token) (any, error) { return m.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(aud),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(m.now),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if c.ID == "" || c.IssuedAt == nil {
		return nil, fmt.Errorf("%w: missing claims", ErrInvalid)
	}
	if _, err := c.AccountID(); err != nil {
		return nil, fmt.Errorf("%w: bad subject", ErrInvalid)
	}
	return c, nil
}

func random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
