package account

import (
	"context"
	"errors"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Principal is an authenticated caller: the account and the token it came with. App is set
// for a mobile-app Bearer token, which may read but not manage credentials or the password.
type Principal struct {
	Account *store.Account
	Claims  *session.Claims
	App     bool
	// Enrolment: a restricted session that may only create and confirm an OTP entry.
	Enrolment bool
}

// PasswordChangeRequired: a full web session of an account whose password an administrator
// set with a change required; it may only change the password (or leave) until that is done.
// The flag is read from the account on every request, so the change frees the session at once.
// An enrolment session enrols first: the second factor comes before the new password.
func (p *Principal) PasswordChangeRequired() bool {
	return !p.App && !p.Enrolment && p.Account.MustChangePassword
}

// Authenticate turns a session token into a principal, refusing tokens that were logged out,
// superseded by a token-version bump (logout-all, password change) or whose account is not active.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	c, err := s.sessions.Parse(token)
	if err != nil {
		return nil, ErrUnauthenticated
	}
	a, err := s.holder(ctx, c, true, ErrUnauthenticated)
	if err != nil {
		return nil, err
	}
	revoked, err := s.store.IsTokenRevoked(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if revoked {
		return nil, ErrUnauthenticated
	}
	s.seen.touch(ctx, s.store, c.ID, s.now())
	return &Principal{Account: a, Claims: c, Enrolment: c.Scope == session.ScopeEnrol}, nil
}

// Logout ends this one session at once.
func (s *Service) Logout(ctx context.Context, p *Principal, clientIP string) error {
	if err := s.store.RevokeToken(ctx, p.Claims.ID, p.Claims.ExpiresAt.Time); err != nil {
		return err
	}
	s.audit.Record(ctx, audit.Event{Actor: p.Account.Email, Account: p.Account.Email, Action: audit.ActionLogout, Outcome: audit.OutcomeSuccess, ClientIP: clientIP})
	return nil
}

// LogoutAll ends every session of the account, this one included.
func (s *Service) LogoutAll(ctx context.Context, p *Principal, clientIP string) error {
	if err := s.store.BumpTokenVersion(ctx, p.Account.ID); err != nil {
		return err
	}
	s.audit.Record(ctx, audit.Event{Actor: p.Account.Email, Account: p.Account.Email, Action: audit.ActionLogoutAll, Outcome: audit.OutcomeSuccess, ClientIP: clientIP})
	return nil
}

// AppLogin exchanges the token a mobile app scanned from its QR code for an access token.
func (s *Service) AppLogin(ctx context.Context, username, token, clientIP string) (*session.Issued, error) {
	g, err := s.authn.Authenticate(ctx, authn.Request{Service: authn.MobileApp, Username: username, Secret: token, ClientIP: clientIP})
	if err != nil {
		return nil, err
	}
	return s.sessions.IssueApp(g.Account.ID, g.Credential.ID)
}

// AuthenticateApp turns a mobile-app access token into a principal. The credential is read on
// every request, so deleting or disabling it ends the app's access at once.
func (s *Service) AuthenticateApp(ctx context.Context, token string) (*Principal, error) {
	c, err := s.sessions.ParseApp(token)
	if err != nil {
		return nil, ErrUnauthenticated
	}
	a, err := s.holder(ctx, c, false, ErrUnauthenticated)
	if err != nil {
		return nil, err
	}
	cred, err := s.store.CredentialOf(ctx, a.ID, c.CredentialID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	} else if err != nil {
		return nil, err
	}
	if cred.Kind != store.KindMobileApp || cred.Status != store.CredEnabled || (cred.ExpiresAt != nil && !s.now().Before(*cred.ExpiresAt)) {
		return nil, ErrUnauthenticated
	}
	return &Principal{Account: a, Claims: c, App: true}, nil
}

// holder loads the active account a token was issued to; refused (a missing or inactive
// account, or with checkVersion a token older than the account's token version) gives refusal.
func (s *Service) holder(ctx context.Context, c *session.Claims, checkVersion bool, refusal error) (*store.Account, error) {
	id, _ := c.AccountID()
	a, err := s.store.AccountByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, refusal
	} else if err != nil {
		return nil, err
	}
	if a.Status != store.StatusActive || checkVersion && a.TokenVersion != c.TokenVersion {
		return nil, refusal
	}
	return a, nil
}

// issueSession mints a full web session lasting sessionLifetimeMinutes of the global settings,
// read now so a change applies to the next login (sessions already issued keep their expiry).
// Every full session gets its row in web_sessions.
func (s *Service) issueSession(ctx context.Context, accountID, tokenVersion uint64, secondFactor bool, cl Client) (*session.Issued, error) {
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return nil, err
	}
	iss, err := s.sessions.IssueTTL(accountID, tokenVersion, secondFactor, time.Duration(g.SessionLifetimeMinutes)*time.Minute)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateWebSession(ctx, &store.WebSession{AccountID: accountID, JTI: iss.Claims.ID, TokenVersion: tokenVersion,
		CreatedAt: s.now(), ExpiresAt: iss.ExpiresAt, IP: cl.IP, UserAgent: cl.UserAgent}); err != nil {
		return nil, err
	}
	return iss, nil
}
