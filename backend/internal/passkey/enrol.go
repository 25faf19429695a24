package passkey

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// BeginEnrol starts registering a passkey for the account: a discoverable credential with
// user verification, so that it can also sign in without the password. The account's own
// passkeys are excluded (one authenticator, one passkey).
func (s *Service) BeginEnrol(ctx context.Context, a *store.Account) (*Options, error) {
	if !s.Available() {
		return nil, ErrUnavailable
	}
	if err := s.roomFor(ctx, a); err != nil {
		return nil, err
	}
	u, err := s.userOf(ctx, a)
	if err != nil {
		return nil, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range u.WebAuthnCredentials() {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := s.wa.BeginRegistration(u,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationRequired}),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
		webauthn.WithExclusions(exclude))
	if err != nil {
		return nil, err
	}
	id, err := s.begin(ctx, a.ID, purposeEnrol, sd)
	if err != nil {
		return nil, err
	}
	return options(id, creation.Response)
}

// roomFor applies the per-kind credential limit of the global settings.
func (s *Service) roomFor(ctx context.Context, a *store.Account) error {
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return err
	}
	n, err := s.store.CountCredentials(ctx, a.ID, store.KindPasskey)
	if err != nil {
		return err
	}
	if g.MaxCredentialsPerKind > 0 && n >= int64(g.MaxCredentialsPerKind) {
		return fault.New(fault.Conflict, "limit_reached", "passkey limit reached", "You have reached the maximum number of passkeys.")
	}
	return nil
}

// FinishEnrol checks the browser's answer to BeginEnrol and stores the passkey under label:
// its credential id, public key, sign counter, backup flags and AAGUID, nothing secret.
func (s *Service) FinishEnrol(ctx context.Context, a *store.Account, ceremony, label string, response []byte, clientIP string) (*store.Credential, error) {
	label, err := credential.NormaliseLabel(label)
	if err != nil {
		return nil, err
	}
	sd, err := s.take(ctx, ceremony, purposeEnrol, a.ID)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, fault.Invalidf("not a WebAuthn registration response")
	}
	u, err := s.userOf(ctx, a)
	if err != nil {
		return nil, err
	}
	cred, err := s.wa.CreateCredential(u, *sd, parsed)
	if err != nil {
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialCreated,
			Outcome: audit.OutcomeFailure, Reason: "passkey " + label + ": " + detail(err), ClientIP: clientIP})
		return nil, ErrRefused
	}
	var tr []string
	for _, t := range cred.Transport {
		tr = append(tr, string(t))
	}
	aaguid := ""
	if g, err := uuid.FromBytes(cred.Authenticator.AAGUID); err == nil && g != uuid.Nil {
		aaguid = g.String()
	}
	now := s.now().UTC()
	c := &store.Credential{AccountID: a.ID, Kind: store.KindPasskey, Label: label, LabelKey: credential.LabelKey(label),
		Status: store.CredEnabled, Description: Model(aaguid), CreatedAt: now, UpdatedAt: now}
	k := &store.PasskeyKey{KeyIDHash: keyIDHash(cred.ID), KeyID: base64.RawURLEncoding.EncodeToString(cred.ID),
		PublicKey: base64.RawURLEncoding.EncodeToString(cred.PublicKey), AAGUID: aaguid, SignCount: cred.Authenticator.SignCount,
		BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState, UserVerified: cred.Flags.UserVerified,
		Transports: strings.Join(tr, ","), AttestationFmt: cred.AttestationFormat, CreatedAt: now}
	if err := s.store.CreatePasskey(ctx, c, k); errors.Is(err, store.ErrConflict) {
		// Either the key is registered already, or the label is another passkey's.
		if _, err := s.store.PasskeyKeyByHash(ctx, k.KeyIDHash); err == nil {
			return nil, ErrDuplicate
		}
		return nil, credential.ErrLabelTaken
	} else if err != nil {
		return nil, err
	}
	c.AAGUID = aaguid
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialCreated,
		Outcome: audit.OutcomeSuccess, Reason: "passkey " + label, ClientIP: clientIP})
	return c, nil
}

// detail is what the library says about a refusal, for the audit log only.
func detail(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Details != "" {
		return pe.Details
	}
	return err.Error()
}
