package account

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Passkeys are the WebAuthn ceremonies of a login (package passkey).
type Passkeys interface {
	Methods(ctx context.Context, accountID uint64) ([]string, error)
	BeginFactor(ctx context.Context, a *store.Account) (*passkey.Options, error)
	FinishFactor(ctx context.Context, a *store.Account, ceremony string, response []byte, clientIP string) error
	BeginPasswordless(ctx context.Context) (*passkey.Options, error)
	FinishPasswordless(ctx context.Context, ceremony string, response []byte, clientIP string, allow func(*store.Account) error) (*store.Account, error)
}

// PasskeyPolicy says whether an account may sign in with a passkey alone (package policy).
type PasskeyPolicy interface {
	PasskeyLoginFor(ctx context.Context, a *store.Account) (bool, error)
}

// UsePasskeys adds passkeys to the login: as the second factor and as a passwordless sign-in.
func (s *Service) UsePasskeys(p Passkeys, pol PasskeyPolicy) { s.passkeys, s.passkeyPolicy = p, pol }

// SecondFactorMethods lists what the second step of a login can be answered with, the passkey
// first ("passkey", "otp").
func (s *Service) SecondFactorMethods(ctx context.Context, accountID uint64) ([]string, error) {
	if s.passkeys == nil {
		return []string{"otp"}, nil
	}
	return s.passkeys.Methods(ctx, accountID)
}

// BeginPasskeyFactor starts the passkey ceremony of a login's second step.
func (s *Service) BeginPasskeyFactor(ctx context.Context, challenge string) (*passkey.Options, error) {
	if s.passkeys == nil {
		return nil, passkey.ErrNoPasskey
	}
	a, _, err := s.challengeHolder(ctx, challenge)
	if err != nil {
		return nil, err
	}
	return s.passkeys.BeginFactor(ctx, a)
}

// PasskeyFactor finishes a login's second step with a passkey, as SecondFactor does with a
// code: throttled like it, and the challenge works once.
func (s *Service) PasskeyFactor(ctx context.Context, challenge, ceremony string, response []byte, cl Client) (*LoginResult, error) {
	if s.passkeys == nil {
		return nil, passkey.ErrNoPasskey
	}
	a, spend, err := s.challengeHolder(ctx, challenge)
	if err != nil {
		return nil, err
	}
	r := cl.request(a.Email)
	if err := s.authn.Throttled(ctx, r); err != nil {
		return nil, err
	}
	if err := s.passkeys.FinishFactor(ctx, a, ceremony, response, cl.IP); err != nil {
		s.authn.Fail(ctx, r)
		return nil, err
	}
	if err := spend(); err != nil {
		return nil, err
	}
	res, err := s.fullSession(ctx, a, cl, "password and passkey", true)
	if err == nil {
		res.DeviceCookie = s.authn.LoggedIn(ctx, a, r)
		res.Trust = s.rememberBrowser(ctx, a, cl)
	}
	return res, err
}

// BeginPasskeyLogin starts a passwordless sign-in.
func (s *Service) BeginPasskeyLogin(ctx context.Context) (*passkey.Options, error) {
	if s.passkeys == nil {
		return nil, passkey.ErrNotAllowed
	}
	return s.passkeys.BeginPasswordless(ctx)
}

// PasskeyLogin finishes a passwordless sign-in: a discoverable passkey with user verification
// is both factors, so the session counts as having passed a second factor. The account must be
// active and its policy must allow it.
func (s *Service) PasskeyLogin(ctx context.Context, ceremony string, response []byte, cl Client) (*LoginResult, error) {
	if s.passkeys == nil {
		return nil, passkey.ErrNotAllowed
	}
	allow := func(a *store.Account) error {
		if a.Status != store.StatusActive {
			return passkey.ErrRefused
		}
		if ok, err := s.passkeyPolicy.PasskeyLoginFor(ctx, a); err != nil {
			return err
		} else if !ok {
			return passkey.ErrNotAllowed
		}
		return nil
	}
	a, err := s.passkeys.FinishPasswordless(ctx, ceremony, response, cl.IP, allow)
	if err != nil {
		return nil, err
	}
	r := cl.request(a.Email)
	if err := s.authn.Throttled(ctx, r); err != nil {
		return nil, err
	}
	res, err := s.fullSession(ctx, a, cl, "passkey (passwordless)", true)
	if err == nil {
		res.DeviceCookie = s.authn.LoggedIn(ctx, a, r)
	}
	return res, err
}
