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
	pins := otp.GeneratePINs(pinCount)
	hashes := make([]string, len(pins))
	for i, p := range pins {
		hashes[i] = s.hasher.Hash(otp.NormalisePIN(p))
	}
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
