package otp

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// LockAfter consecutive failed second factors lock an entry until an admin resets it.
const LockAfter = 10

// Errors the HTTP layer maps.
var (
	ErrInvalidCode = fault.New(fault.Unauthorized, "invalid_code", "invalid code",
		"That code is not valid. Try the current code or an unused PIN code.")
	ErrCodeUsed = fault.New(fault.Unauthorized, "code_already_used", "TOTP code already used",
		"This code was already used. Wait for the next one.")
	ErrNotFound   = fault.New(fault.NotFound, "not_found", "OTP entry not found", "No such resource.")
	ErrNotPending = fault.New(fault.Conflict, "not_pending", "OTP entry already confirmed", "This OTP entry is already confirmed.")
)

// Store is what the service needs from persistence.
type Store interface {
	CredentialOf(ctx context.Context, accountID, id uint64) (*store.Credential, error)
	OTPEntries(ctx context.Context, accountID uint64, statuses ...string) ([]store.Credential, error)
	CountOTP(ctx context.Context, accountID uint64, status string) (int64, error)
	CountSecondFactors(ctx context.Context, accountID uint64) (int64, error)
	AcceptTOTPStep(ctx context.Context, id uint64, step int64, enable bool) (bool, error)
	SpendPIN(ctx context.Context, accountID uint64, codeHash string) (uint64, bool, error)
	TouchCredential(ctx context.Context, id uint64, at time.Time) error
	CountUnusedPINs(ctx context.Context, credentialID uint64, hashes []string) (int64, error)
	RecordOTPFailure(ctx context.Context, accountID uint64, lockAt int) ([]string, error)
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service checks codes of an account's OTP entries.
type Service struct {
	store   Store
	sealer  *Sealer
	hash    func(string) string // keyed hash of a normalised PIN
	audit   Auditor
	log     *slog.Logger
	now     func() time.Time
	notices Notifier // security notices; nil: none
}

// New returns the service.
func New(st Store, sealer *Sealer, pinHash func(string) string, a Auditor, log *slog.Logger) *Service {
	return &Service{store: st, sealer: sealer, hash: pinHash, audit: a, log: log, now: time.Now}
}

// WithClock replaces the clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service { s.now = now; return s }

// HashPIN is the stored form of a PIN.
func (s *Service) HashPIN(pin string) string { return s.hash(NormalisePIN(pin)) }

// HasEnabled reports whether the account has a second factor it can log in with: an enabled
// OTP entry or a passkey (the 2FA policy is met by either).
func (s *Service) HasEnabled(ctx context.Context, accountID uint64) (bool, error) {
	n, err := s.store.CountSecondFactors(ctx, accountID)
	return n > 0, err
}

// Confirm enables a pending entry with a current code from the authenticator app, so nobody
// turns on 2FA with a mistyped secret.
func (s *Service) Confirm(ctx context.Context, a *store.Account, id uint64, code, clientIP string) (*store.Credential, error) {
	c, err := s.store.CredentialOf(ctx, a.ID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.Kind != store.KindOTP) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	if c.Status != store.CredPending {
		return nil, ErrNotPending
	}
	seed, err := s.sealer.Open(c.ID, c.SecretEnc)
	if err != nil {
		return nil, err
	}
	step, ok := MatchStep(seed, code, s.now())
	if !ok {
		return nil, ErrInvalidCode
	}
	if ok, err := s.store.AcceptTOTPStep(ctx, c.ID, step, true); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrInvalidCode
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionOTPConfirmed,
		Outcome: audit.OutcomeSuccess, Reason: c.Label, ClientIP: clientIP})
	s.notice(ctx, a, notice.Notice{Event: notice.CredentialCreated, Kind: store.KindOTP, Label: c.Label, Address: clientIP})
	return s.store.CredentialOf(ctx, a.ID, id)
}

// Verify checks a second factor: a TOTP code of any enabled entry (a time step accepted once is
// never accepted again), or one unused PIN. A failure counts on every enabled entry; at
// LockAfter consecutive failures an entry locks. The entry that matched records the use.
//
// A replayed TOTP is ErrCodeUsed rather than ErrInvalidCode: the caller only asks after the
// password was right, so telling the user to wait for the next code gives nothing away, and it
// still counts as a failure.
func (s *Service) Verify(ctx context.Context, a *store.Account, code, clientIP string) error {
	v, err := s.check(ctx, a, code)
	if err != nil {
		return err
	}
	if v.entry != 0 {
		if err := s.store.TouchCredential(ctx, v.entry, s.now()); err != nil {
			return err
		}
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionSecondFactor,
			Outcome: audit.OutcomeSuccess, Reason: v.how, ClientIP: clientIP})
		s.pinsLeft(ctx, a, v, clientIP)
		return nil
	}
	locked, err := s.store.RecordOTPFailure(ctx, a.ID, LockAfter)
	if err != nil {
		return err
	}
	s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: audit.ActionSecondFactor,
		Outcome: audit.OutcomeFailure, Reason: v.how, ClientIP: clientIP})
	for _, l := range locked {
		s.audit.Record(ctx, audit.Event{Actor: audit.ActorSystem, Account: a.Email, Action: audit.ActionOTPLocked,
			Outcome: audit.OutcomeSuccess, Reason: l + ": " + "10 consecutive failed codes", ClientIP: clientIP})
		s.notice(ctx, a, notice.Notice{Event: notice.OTPLocked, Kind: store.KindOTP, Label: l, Address: clientIP})
	}
	if v.replay {
		return ErrCodeUsed
	}
	return ErrInvalidCode
}

// verdict is what check found: the entry whose code matched (0: none), whether the code was a
// replayed TOTP, and how it was judged (for the audit log).
type verdict struct {
	entry  uint64
	replay bool
	pin    bool // the code was a PIN
	how    string
}

func (s *Service) check(ctx context.Context, a *store.Account, code string) (verdict, error) {
	if LooksLikePIN(code) {
		id, ok, err := s.store.SpendPIN(ctx, a.ID, s.HashPIN(code))
		if ok && err == nil {
			return verdict{entry: id, pin: true, how: "PIN code"}, nil
		}
		return verdict{how: "unknown or used PIN code"}, err
	}
	entries, err := s.store.OTPEntries(ctx, a.ID, store.CredEnabled)
	if err != nil {
		return verdict{}, err
	}
	now := s.now()
	for _, e := range entries {
		seed, err := s.sealer.Open(e.ID, e.SecretEnc)
		if err != nil {
			s.log.Error("OTP seed cannot be opened", "credential", e.ID, "err", err)
			continue
		}
		step, ok := MatchStep(seed, code, now)
		if !ok {
			continue
		}
		fresh, err := s.store.AcceptTOTPStep(ctx, e.ID, step, false)
		if err != nil {
			return verdict{}, err
		}
		if fresh {
			return verdict{entry: e.ID, how: "TOTP of " + e.Label}, nil
		}
		return verdict{replay: true, how: "replayed TOTP of " + e.Label}, nil
	}
	return verdict{how: "wrong code"}, nil
}

// CheckUnusedPINs reports whether every code is an unused PIN of the entry (for printing them).
func (s *Service) CheckUnusedPINs(ctx context.Context, a *store.Account, id uint64, codes []string) (*store.Credential, bool, error) {
	c, err := s.store.CredentialOf(ctx, a.ID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.Kind != store.KindOTP) {
		return nil, false, ErrNotFound
	} else if err != nil {
		return nil, false, err
	}
	if len(codes) == 0 || len(codes) > PINCountMax {
		return c, false, nil
	}
	hashes := make([]string, len(codes))
	seen := map[string]bool{}
	for i, code := range codes {
		hashes[i] = s.HashPIN(code)
		if seen[hashes[i]] {
			return c, false, nil
		}
		seen[hashes[i]] = true
	}
	n, err := s.store.CountUnusedPINs(ctx, c.ID, hashes)
	return c, err == nil && n == int64(len(codes)), err
}
