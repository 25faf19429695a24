package account

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// LoginResult is the outcome of a password step: a full session, a second-factor challenge,
// or a restricted session that can only enrol an OTP entry.
type LoginResult struct {
	Account           *store.Account
	Session           *session.Issued // full or enrolment session; nil with a challenge
	Challenge         string
	TwoFactorRequired bool
	EnrolmentRequired bool
}

// ErrChallenge: the second-factor challenge expired, was used, or belongs to no login.
var ErrChallenge = errors.New("the login has expired; enter your password again")

// Login checks a username and the account password for the web through the one authenticator.
// Every failure is authn.ErrInvalidCredentials (or an authn.ThrottledError).
func (s *Service) Login(ctx context.Context, username, pw, clientIP string) (*LoginResult, error) {
	g, err := s.authn.Authenticate(ctx, authn.Request{Service: authn.Web, Username: username, Secret: pw, ClientIP: clientIP})
	if err != nil {
		return nil, err
	}
	a, err := s.store.AccountByID(ctx, g.Account.ID) // with domain and COS, for the response
	if err != nil {
		return nil, err
	}
	d, err := s.policy.Decide(ctx, a)
	if err != nil {
		return nil, err
	}
	if !d.Enabled {
		return s.fullSession(ctx, a, clientIP, "password", false)
	}
	has, err := s.otp.HasEnabled(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if has {
		ch, err := s.sessions.IssueChallenge(a.ID, a.TokenVersion)
		if err != nil {
			return nil, err
		}
		return &LoginResult{Account: a, Challenge: ch.Token, TwoFactorRequired: true}, nil
	}
	// 2FA is on but there is nothing to check it with: enrol one before anything else.
	iss, err := s.sessions.IssueEnrolment(a.ID, a.TokenVersion)
	if err != nil {
		return nil, err
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionLogin, Outcome: audit.OutcomeSuccess,
		Reason: "password; OTP enrolment required", ClientIP: clientIP})
	return &LoginResult{Account: a, Session: iss, TwoFactorRequired: true, EnrolmentRequired: true}, nil
}

// SecondFactor finishes a login with a TOTP or PIN code. The challenge works once, for 5
// minutes, for the login that produced it.
func (s *Service) SecondFactor(ctx context.Context, challenge, code, clientIP string) (*LoginResult, error) {
	c, err := s.sessions.ParseChallenge(challenge)
	if err != nil {
		return nil, ErrChallenge
	}
	if revoked, err := s.store.IsTokenRevoked(ctx, c.ID); err != nil {
		return nil, err
	} else if revoked {
		return nil, ErrChallenge
	}
	a, err := s.holder(ctx, c, true, ErrChallenge)
	if err != nil {
		return nil, err
	}
	if err := s.authn.Throttled(ctx, a.Email, clientIP); err != nil {
		return nil, err
	}
	if err := s.otp.Verify(ctx, a, code, clientIP); err != nil {
		s.authn.Fail(ctx, a.Email, clientIP)
		return nil, err
	}
	if err := s.store.RevokeToken(ctx, c.ID, c.ExpiresAt.Time); err != nil {
		return nil, err
	}
	return s.fullSession(ctx, a, clientIP, "password and second factor", true)
}

// UpgradeEnrolment turns a restricted enrolment session into a full one once an OTP entry is
// enabled.
func (s *Service) UpgradeEnrolment(ctx context.Context, p *Principal, clientIP string) (*session.Issued, error) {
	has, err := s.otp.HasEnabled(ctx, p.Account.ID)
	if err != nil || !has {
		return nil, err
	}
	if err := s.store.RevokeToken(ctx, p.Claims.ID, p.Claims.ExpiresAt.Time); err != nil {
		return nil, err
	}
	r, err := s.fullSession(ctx, p.Account, clientIP, "OTP enrolled", true)
	if err != nil {
		return nil, err
	}
	return r.Session, nil
}

func (s *Service) fullSession(ctx context.Context, a *store.Account, clientIP, how string, secondFactor bool) (*LoginResult, error) {
	iss, err := s.issueSession(ctx, a.ID, a.TokenVersion, secondFactor)
	if err != nil {
		return nil, err
	}
	_ = s.store.TouchLogin(ctx, a.ID, s.now())
	if a.MustChangePassword {
		how += "; password change required"
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionLogin, Outcome: audit.OutcomeSuccess, Reason: how, ClientIP: clientIP})
	return &LoginResult{Account: a, Session: iss}, nil
}
