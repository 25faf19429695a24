package account

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// PolicyFor is the password policy that applies to an account: the global policy with the
// overrides of its domain and COS (policy.PasswordPolicy has the rule). An account being created
// carries its Domain and COS.
func (s *Service) PolicyFor(ctx context.Context, a *store.Account) (password.Policy, error) {
	return s.policy.PasswordFor(ctx, a)
}

// generate makes a password the account's policy accepts (a long minimum length included).
func (s *Service) generate(ctx context.Context, a *store.Account) (string, error) {
	p, err := s.PolicyFor(ctx, a)
	if err != nil {
		return "", err
	}
	return password.GenerateFor(p), nil
}

func (s *Service) checkNewPassword(ctx context.Context, a *store.Account, pw string) error {
	p, err := s.PolicyFor(ctx, a)
	if err != nil {
		return err
	}
	v := p.Check(pw, a.Email)
	if a.PasswordHash != "" {
		if same, _ := password.Verify(pw, a.PasswordHash); same {
			v = append(v, password.Violation{Rule: password.RuleNotCurrent, Message: "The new password must differ from the current one."})
		}
	}
	if len(v) > 0 {
		return &WeakPasswordError{Violations: v}
	}
	return nil
}

// ChangePassword is the user's own change: the current password is required (a wrong one counts
// as a failed login attempt), the policy applies, and every other session ends. The caller's
// session is re-issued at the new token version so it stays logged in.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string, cl Client) (*session.Issued, error) {
	a := p.Account
	clientIP := cl.IP
	r := cl.request(a.Email)
	if err := s.authn.Throttled(ctx, r); err != nil {
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionPasswordChangeFailed, Outcome: audit.OutcomeFailure, Reason: "throttled", ClientIP: clientIP})
		return nil, err
	}
	ok, err := password.Verify(current, a.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		s.authn.Fail(ctx, r)
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionPasswordChangeFailed, Outcome: audit.OutcomeFailure, Reason: "wrong current password", ClientIP: clientIP})
		return nil, authn.ErrInvalidCredentials
	}
	if err := s.checkNewPassword(ctx, a, next); err != nil {
		var weak *WeakPasswordError
		if errors.As(err, &weak) {
			s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionPasswordChangeFailed, Outcome: audit.OutcomeFailure, Reason: "weak password: " + weak.Violations[0].Rule, ClientIP: clientIP})
		}
		return nil, err
	}
	hash, err := password.Hash(next)
	if err != nil {
		return nil, err
	}
	// The user's own password: a change an administrator required is done.
	tv, err := s.store.SetPassword(ctx, a.ID, hash, true, false)
	if err != nil {
		return nil, err
	}
	ua := s.userAgentOf(ctx, p) // the new session is the same browser's
	// The old token dies with the version bump anyway; revoking it too keeps the record exact.
	_ = s.store.RevokeToken(ctx, p.Claims.ID, p.Claims.ExpiresAt.Time)
	reason := "other sessions ended"
	if a.MustChangePassword {
		reason = "the change an administrator required; " + reason
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionPasswordChanged, Outcome: audit.OutcomeSuccess, Reason: reason, ClientIP: clientIP})
	s.notice(ctx, a, notice.Notice{Event: notice.PasswordChanged, Address: clientIP})
	if err := s.passwordChanged(ctx, a, a.Email, clientIP); err != nil {
		return nil, err
	}
	return s.issueSession(ctx, a.ID, tv, p.Claims.SecondFactor, Client{IP: clientIP, UserAgent: ua})
}

func (s *Service) passwordChanged(ctx context.Context, a *store.Account, actor, clientIP string) error {
	if err := s.forgetBrowsers(ctx, a, actor, clientIP); err != nil {
		return err
	}
	if s.onChange == nil {
		return nil
	}
	return s.onChange.PasswordChanged(ctx, a, actor, clientIP)
}
