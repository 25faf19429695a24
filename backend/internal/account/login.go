package account

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/fault"
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
	// DeviceCookie is the browser's device cookie, set whenever a login completes (Session
	// is not nil): its next logins are throttled on a counter of their own.
	DeviceCookie string
	Trust        // remembering the browser (trusted.go)
}

// Client is the browser a login or a password change comes from: its address and the device
// cookies it sent (authn.Request.DeviceCookies).
type Client struct {
	IP            string
	DeviceCookies []string
	UserAgent     string // shown in the list of web sessions
	TrustClient          // trusted-browser cookies, "remember this browser" (trusted.go)
}

func (c Client) request(username string) authn.Request {
	return authn.Request{Service: authn.Web, Username: username, ClientIP: c.IP, DeviceCookies: c.DeviceCookies}
}

// ErrChallenge: the second-factor challenge expired, was used, or belongs to no login.
var ErrChallenge = fault.New(fault.Unauthorized, "challenge_expired", "the login has expired; enter your password again",
	"This login has expired. Enter your password again.")

// Login checks a username and the account password for the web through the one authenticator.
// Every failure is authn.ErrInvalidCredentials (or an authn.ThrottledError).
func (s *Service) Login(ctx context.Context, username, pw string, cl Client) (*LoginResult, error) {
	r := cl.request(username)
	r.Secret = pw
	g, err := s.authn.Authenticate(ctx, r)
	if err != nil {
		return nil, err
	}
	res, err := s.afterPassword(ctx, g, cl)
	if err == nil && res.Session != nil {
		res.DeviceCookie = s.authn.LoggedIn(ctx, res.Account, cl.request(res.Account.Email))
	}
	return res, err
}

// afterPassword is the login once the password was right: a session, or what is still due.
func (s *Service) afterPassword(ctx context.Context, g *authn.Grant, cl Client) (*LoginResult, error) {
	clientIP := cl.IP
	a, err := s.store.AccountByID(ctx, g.Account.ID) // with domain and COS, for the response
	if err != nil {
		return nil, err
	}
	d, err := s.policy.Decide(ctx, a)
	if err != nil {
		return nil, err
	}
	if !d.Enabled {
		return s.fullSession(ctx, a, cl, "password", false)
	}
	has, err := s.otp.HasEnabled(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if has {
		days, trusted, err := s.trustedBrowser(ctx, a, cl)
		if err != nil {
			return nil, err
		} else if trusted { // a remembered browser: the second factor was passed there before
			return s.fullSession(ctx, a, cl, "password and trusted browser", true)
		}
		ch, err := s.sessions.IssueChallenge(a.ID, a.TokenVersion)
		if err != nil {
			return nil, err
		}
		return &LoginResult{Account: a, Challenge: ch.Token, TwoFactorRequired: true, Trust: Trust{RememberDays: days}}, nil
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
func (s *Service) SecondFactor(ctx context.Context, challenge, code string, cl Client) (*LoginResult, error) {
	a, spend, err := s.challengeHolder(ctx, challenge)
	if err != nil {
		return nil, err
	}
	r := cl.request(a.Email)
	if err := s.authn.Throttled(ctx, r); err != nil {
		return nil, err
	}
	if err := s.otp.Verify(ctx, a, code, cl.IP); err != nil {
		s.authn.Fail(ctx, r)
		return nil, err
	}
	if err := spend(); err != nil {
		return nil, err
	}
	res, err := s.fullSession(ctx, a, cl, "password and second factor", true)
	if err == nil {
		res.DeviceCookie = s.authn.LoggedIn(ctx, a, r)
		res.Trust = s.rememberBrowser(ctx, a, cl)
	}
	return res, err
}

// challengeHolder is the account of a live second-factor challenge (a login whose password
// was right), or ErrChallenge; spend uses the challenge up once its factor is checked (a code
// here, a passkey in passkeylogin.go).
func (s *Service) challengeHolder(ctx context.Context, challenge string) (*store.Account, func() error, error) {
	c, err := s.sessions.ParseChallenge(challenge)
	if err != nil {
		return nil, nil, ErrChallenge
	}
	if revoked, err := s.store.IsTokenRevoked(ctx, c.ID); err != nil {
		return nil, nil, err
	} else if revoked {
		return nil, nil, ErrChallenge
	}
	a, err := s.holder(ctx, c, true, ErrChallenge)
	if err != nil {
		return nil, nil, err
	}
	spend := func() error { return s.store.RevokeToken(ctx, c.ID, c.ExpiresAt.Time) }
	return a, spend, nil
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
	r, err := s.fullSession(ctx, p.Account, Client{IP: clientIP, UserAgent: s.userAgentOf(ctx, p)}, "OTP enrolled", true)
	if err != nil {
		return nil, err
	}
	return r.Session, nil
}

func (s *Service) fullSession(ctx context.Context, a *store.Account, cl Client, how string, secondFactor bool) (*LoginResult, error) {
	clientIP := cl.IP
	s.noticeNewBrowser(ctx, a, cl)
	iss, err := s.issueSession(ctx, a.ID, a.TokenVersion, secondFactor, cl)
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
