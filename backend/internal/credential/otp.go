package credential

import (
	"context"
	"errors"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// PendingLifetime: an OTP entry not confirmed within this is discarded; its expiresAt says when.
const PendingLifetime = time.Hour

// createOTP makes a pending OTP entry: a TOTP seed sealed at rest and pinCount PIN codes kept
// as hashes. It is enabled by a first valid code (otp.Service.Confirm).
func (s *Service) createOTP(ctx context.Context, a *store.Account, label string, pinCount int, clientIP string) (*store.Credential, *Secret, error) {
	key, err := otp.NewKey(s.issuer, a.Email)
	if err != nil {
		return nil, nil, err
	}
	if pinCount < otp.PINCountMin || pinCount > otp.PINCountMax {
		pinCount = otp.PINCount // a row written outside the validated paths
	}
	pins, hashes := s.newPINs(pinCount)
	discard := time.Now().UTC().Add(PendingLifetime).Truncate(time.Millisecond)
	c := &store.Credential{AccountID: a.ID, Kind: store.KindOTP, Label: label, LabelKey: LabelKey(label),
		Status: store.CredPending, Services: "web", Description: s.issuer + ": " + a.Email, ExpiresAt: &discard}
	seal := func(id uint64) (string, error) { return s.sealer.Seal(id, key.Seed) }
	if err := s.store.CreateOTPCredential(ctx, c, seal, hashes); errors.Is(err, store.ErrConflict) {
		return nil, nil, ErrLabelTaken
	} else if err != nil {
		return nil, nil, err
	}
	qr, err := qrDataURL(key.URL)
	if err != nil {
		return nil, nil, err
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialCreated,
		Outcome: audit.OutcomeSuccess, Reason: store.KindOTP + " " + label + " (pending)", ClientIP: clientIP})
	return c, &Secret{OTPAuthURL: key.URL, OTPSecret: key.Secret, QRCode: qr, PINCodes: pins}, nil
}

// newPINs generates n PIN codes and their stored hashes.
func (s *Service) newPINs(n int) (pins, hashes []string) {
	pins = otp.GeneratePINs(n)
	hashes = make([]string, len(pins))
	for i, p := range pins {
		hashes[i] = s.hasher.Hash(otp.NormalisePIN(p))
	}
	return pins, hashes
}

// RenewPINs replaces the unused PIN codes of one of the account's OTP entries with new ones,
// as many as a new entry gets; the old ones stop at once. The new codes are returned to be
// shown once, like those of a new entry (and printed through the same PIN sheet).
func (s *Service) RenewPINs(ctx context.Context, a *store.Account, id uint64, clientIP string) (*store.Credential, []string, error) {
	c, err := s.store.CredentialOf(ctx, a.ID, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.Kind != store.KindOTP {
		return nil, nil, ErrNotFound
	} else if err != nil {
		return nil, nil, err
	}
	if c.Status == store.CredPending {
		return nil, nil, invalid("Confirm the OTP entry with a code from your authenticator app first: its PIN codes are the ones shown at its creation.")
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	n := pinCodesPerEntry(a, g)
	if n < otp.PINCountMin || n > otp.PINCountMax {
		n = otp.PINCount
	}
	pins, hashes := s.newPINs(n)
	if err := s.store.ReplacePINs(ctx, c.ID, hashes); err != nil {
		return nil, nil, err
	}
	c.PINCodesLeft = len(pins)
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionCredentialUpdated,
		Outcome: audit.OutcomeSuccess, Reason: store.KindOTP + " " + c.Label + ": new PIN codes", ClientIP: clientIP})
	return c, pins, nil
}
