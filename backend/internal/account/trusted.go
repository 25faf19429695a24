package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Trusted browsers ("remember this browser for N days"): after a second factor a browser may
// ask to be remembered; it then gets a long random token (a cookie the API sets) whose hash
// is stored. A later login from it with the right password skips the second factor, never the
// password, until the period ends, the token is forgotten (by the user or an administrator) or
// the account's password changes. N comes from the trustedBrowserDays setting (policy); 0 offers
// nothing and honours no remembered browser.

// TrustStore is what trusted browsers need from persistence (the admin service shares it).
type TrustStore interface {
	CreateTrustedBrowser(ctx context.Context, b *store.TrustedBrowser) error
	UseTrustedBrowser(ctx context.Context, accountID uint64, tokenHash, ip string, now time.Time) (*store.TrustedBrowser, error)
	TrustedBrowsersOf(ctx context.Context, accountID uint64, now time.Time) ([]store.TrustedBrowser, error)
	DeleteTrustedBrowser(ctx context.Context, accountID, id uint64) (*store.TrustedBrowser, error)
	DeleteTrustedBrowsersOf(ctx context.Context, accountID uint64) (int64, error)
}

// TrustClient is what a browser brings to a login about being remembered.
type TrustClient struct {
	// TrustedTokens are the tokens of the browser's trusted-browser cookies (any account's:
	// only a row of the account logging in matches).
	TrustedTokens []string
	// Remember: at the second factor, the user asked to remember this browser.
	Remember bool
}

// Trust is what a login says about remembering the browser.
type Trust struct {
	// RememberDays is offered with a second-factor challenge: how long the browser may be
	// remembered (0: no offer, no checkbox).
	RememberDays int
	// TrustedToken, set after a second factor with Remember, goes into the browser's cookie
	// until TrustedUntil.
	TrustedToken string
	TrustedUntil time.Time
}

// TrustedBrowser is a remembered browser as its owner (or an administrator) sees it.
type TrustedBrowser struct {
	ID         uint64
	Browser    string
	UserAgent  string
	IP         string // of the last use
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	Current    bool // the browser asking
}

// SetClock replaces the clock trusted browsers and sessions are judged by (tests move it past
// a period).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// TrustTokenHash is the stored form of a trusted-browser token.
func TrustTokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// rememberDays is the trustedBrowserDays setting that applies to a (loaded with domain and COS).
func (s *Service) rememberDays(ctx context.Context, a *store.Account) (int, error) {
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return 0, err
	}
	var d *store.Domain
	if a.Domain.ID != 0 {
		d = &a.Domain
	}
	return policy.TrustedBrowserDays(g, d, a.COS), nil
}

// trustedBrowser reports whether the browser logging in is a remembered one of a, and the
// days it may be remembered for (the offer made with a challenge otherwise).
func (s *Service) trustedBrowser(ctx context.Context, a *store.Account, cl Client) (days int, trusted bool, err error) {
	days, err = s.rememberDays(ctx, a)
	if err != nil || days == 0 {
		return days, false, err
	}
	for _, tok := range cl.TrustedTokens {
		b, err := s.store.UseTrustedBrowser(ctx, a.ID, TrustTokenHash(tok), cl.IP, s.now())
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return days, false, err
		}
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionTrustedBrowserUsed, Outcome: audit.OutcomeSuccess,
			Reason: fmt.Sprintf("browser %d (%s), second factor skipped", b.ID, Browser(b.UserAgent)), ClientIP: cl.IP})
		return days, true, nil
	}
	return days, false, nil
}

// rememberBrowser remembers the browser that just passed a second factor, if it asked and the
// setting allows. A failure costs the user the convenience, not the login: it is logged.
func (s *Service) rememberBrowser(ctx context.Context, a *store.Account, cl Client) Trust {
	if !cl.Remember {
		return Trust{}
	}
	days, err := s.rememberDays(ctx, a)
	if err != nil || days == 0 {
		return Trust{}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Trust{}
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	b := &store.TrustedBrowser{AccountID: a.ID, TokenHash: TrustTokenHash(tok), IP: cl.IP, UserAgent: cl.UserAgent,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	if err := s.store.CreateTrustedBrowser(ctx, b); err != nil {
		s.log.Warn("remember browser", "account", a.Email, "err", err)
		return Trust{}
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionTrustedBrowserAdded, Outcome: audit.OutcomeSuccess,
		Reason: fmt.Sprintf("browser %d (%s) for %d days", b.ID, Browser(b.UserAgent), days), ClientIP: cl.IP})
	return Trust{TrustedToken: tok, TrustedUntil: b.ExpiresAt}
}

// ListTrustedBrowsers lists an account's remembered browsers; currentTokens mark the caller's.
func ListTrustedBrowsers(ctx context.Context, st TrustStore, accountID uint64, currentTokens []string, now time.Time) ([]TrustedBrowser, error) {
	rows, err := st.TrustedBrowsersOf(ctx, accountID, now)
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, t := range currentTokens {
		mine[TrustTokenHash(t)] = true
	}
	out := make([]TrustedBrowser, 0, len(rows))
	for _, r := range rows {
		out = append(out, TrustedBrowser{ID: r.ID, Browser: Browser(r.UserAgent), UserAgent: r.UserAgent, IP: r.IP,
			CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt, Current: mine[r.TokenHash]})
	}
	return out, nil
}

// ForgetTrustedBrowser revokes one remembered browser of an account: its next login asks for
// the second factor again. Another account's browser is ErrNotFound.
func ForgetTrustedBrowser(ctx context.Context, st TrustStore, accountID, id uint64) (*store.TrustedBrowser, error) {
	b, err := st.DeleteTrustedBrowser(ctx, accountID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return b, err
}

// TrustedBrowsers lists the caller's remembered browsers; tokens are the caller's cookies.
func (s *Service) TrustedBrowsers(ctx context.Context, p *Principal, tokens []string) ([]TrustedBrowser, error) {
	return ListTrustedBrowsers(ctx, s.store, p.Account.ID, tokens, s.now())
}

// ForgetBrowser revokes one of the caller's remembered browsers.
func (s *Service) ForgetBrowser(ctx context.Context, p *Principal, id uint64, clientIP string) error {
	b, err := ForgetTrustedBrowser(ctx, s.store, p.Account.ID, id)
	if err != nil {
		return err
	}
	s.audit.Record(ctx, audit.Event{Actor: p.Account.Email, Account: p.Account.Email, Action: audit.ActionTrustedBrowserRevoked,
		Outcome: audit.OutcomeSuccess, Reason: fmt.Sprintf("browser %d (%s)", b.ID, Browser(b.UserAgent)), ClientIP: clientIP})
	return nil
}

// forgetBrowsers revokes every remembered browser of an account whose password changed.
func (s *Service) forgetBrowsers(ctx context.Context, a *store.Account, actor, clientIP string) error {
	n, err := s.store.DeleteTrustedBrowsersOf(ctx, a.ID)
	if err != nil || n == 0 {
		return err
	}
	s.audit.Record(ctx, audit.Event{Actor: actor, Account: a.Email, Action: audit.ActionTrustedBrowserRevoked, Outcome: audit.OutcomeSuccess,
		Reason: fmt.Sprintf("all %d: password changed", n), ClientIP: clientIP})
	return nil
}
