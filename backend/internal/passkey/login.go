package passkey

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// BeginFactor starts a passkey as the second factor of a login whose password was right: the
// account's passkeys are the allowed ones.
func (s *Service) BeginFactor(ctx context.Context, a *store.Account) (*Options, error) {
	if !s.Available() {
		return nil, ErrUnavailable
	}
	u, err := s.userOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(u.keys) == 0 {
		return nil, ErrNoPasskey
	}
	assertion, sd, err := s.wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, err
	}
	id, err := s.begin(ctx, a.ID, purposeFactor, sd)
	if err != nil {
		return nil, err
	}
	return options(id, assertion.Response)
}

// FinishFactor checks the assertion that answers BeginFactor for the same account.
func (s *Service) FinishFactor(ctx context.Context, a *store.Account, ceremony string, response []byte, clientIP string) error {
	sd, err := s.take(ctx, ceremony, purposeFactor, a.ID)
	if err != nil {
		return err
	}
	parsed, err := parseAssertion(response)
	if err != nil {
		return err
	}
	u, err := s.userOf(ctx, a)
	if err != nil {
		return err
	}
	cred, err := s.wa.ValidateLogin(u, *sd, parsed)
	return s.used(ctx, u, cred, err, "second factor", clientIP)
}

// BeginPasswordless starts a sign-in with a discoverable passkey and no password: any
// account's, with user verification required (the passkey is both factors).
func (s *Service) BeginPasswordless(ctx context.Context) (*Options, error) {
	if !s.Available() {
		return nil, ErrUnavailable
	}
	assertion, sd, err := s.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, err
	}
	id, err := s.begin(ctx, 0, purposeDirectIn, sd)
	if err != nil {
		return nil, err
	}
	return options(id, assertion.Response)
}

// FinishPasswordless checks the assertion that answers BeginPasswordless and returns the
// account whose passkey signed it. The key is found by its credential id and must belong to
// the account its user handle names; allow may refuse that account (its status, its policy)
// before anything is checked or recorded, and its error is returned as it is.
func (s *Service) FinishPasswordless(ctx context.Context, ceremony string, response []byte, clientIP string, allow func(*store.Account) error) (*store.Account, error) {
	sd, err := s.take(ctx, ceremony, purposeDirectIn, 0)
	if err != nil {
		return nil, err
	}
	parsed, err := parseAssertion(response)
	if err != nil {
		return nil, err
	}
	var u *user
	var refused error
	lookup := func(rawID, userHandle []byte) (webauthn.User, error) {
		k, err := s.store.PasskeyKeyByHash(ctx, keyIDHash(rawID))
		if err != nil {
			return nil, err
		}
		if len(userHandle) != 8 || binary.BigEndian.Uint64(userHandle) != k.AccountID {
			return nil, errors.New("user handle names another account")
		}
		a, err := s.store.AccountByID(ctx, k.AccountID)
		if err != nil {
			return nil, err
		}
		if refused = allow(a); refused != nil {
			return nil, refused
		}
		if u, err = s.userOf(ctx, a); err != nil {
			return nil, err
		}
		return u, nil
	}
	_, cred, err := s.wa.ValidatePasskeyLogin(lookup, *sd, parsed)
	if refused != nil {
		return nil, refused
	}
	if u == nil {
		s.audit.Record(ctx, audit.Event{Actor: audit.ActorSystem, Action: audit.ActionPasskeyRefused, Outcome: audit.OutcomeFailure,
			Reason: "passwordless: " + detail(err), ClientIP: clientIP})
		return nil, ErrRefused
	}
	if err := s.used(ctx, u, cred, err, "passwordless sign-in", clientIP); err != nil {
		return nil, err
	}
	return u.a, nil
}

func parseAssertion(response []byte) (*protocol.ParsedCredentialAssertionData, error) {
	p, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, fault.Invalidf("not a WebAuthn assertion")
	}
	return p, nil
}

// used finishes a checked assertion: a refusal is audited; a sign counter that did not move
// forward (a cloned authenticator, or an old assertion) is refused; otherwise the new counter
// and flags are stored, conditionally on the counter still being the one checked, so that
// two requests with one assertion cannot both pass.
func (s *Service) used(ctx context.Context, u *user, cred *webauthn.Credential, verr error, how, clientIP string) error {
	refuse := func(why string) error {
		s.audit.Record(ctx, audit.Event{Actor: u.a.Email, Account: u.a.Email, Action: audit.ActionPasskeyRefused,
			Outcome: audit.OutcomeFailure, Reason: how + ": " + why, ClientIP: clientIP})
		return ErrRefused
	}
	if verr != nil {
		return refuse(detail(verr))
	}
	var key *store.PasskeyKey
	for i := range u.keys {
		if kid := credentialOf(u.keys[i]).ID; bytes.Equal(kid, cred.ID) {
			key = &u.keys[i]
		}
	}
	if key == nil {
		return refuse("unknown credential")
	}
	if cred.Authenticator.CloneWarning {
		return refuse(key.KeyIDHash[:12] + " sign counter did not increase: possibly a cloned authenticator")
	}
	ok, err := s.store.RecordPasskeyUse(ctx, key, store.PasskeyUse{OldCount: key.SignCount, NewCount: cred.Authenticator.SignCount,
		BackupState: cred.Flags.BackupState, UserVerified: cred.Flags.UserVerified || key.UserVerified, At: s.now(), Address: clientIP})
	if err != nil {
		return err
	}
	if !ok {
		return refuse("the key was used by another request meanwhile")
	}
	s.audit.Record(ctx, audit.Event{Actor: u.a.Email, Account: u.a.Email, Action: audit.ActionPasskeyUsed,
		Outcome: audit.OutcomeSuccess, Reason: how, ClientIP: clientIP})
	return nil
}
