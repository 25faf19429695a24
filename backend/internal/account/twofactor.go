package account

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/policy"
)

// Errors of the user's 2FA switch.
var (
	ErrPolicyLocked = fault.New(fault.Conflict, "policy_locked", "a policy decides 2FA for this account",
		"Two-factor authentication is decided by a policy for your account.")
	ErrNoOTP = fault.New(fault.Conflict, "no_otp", "create and confirm an OTP entry or a passkey before turning 2FA on",
		"Create and confirm an OTP entry, or add a passkey, before turning on two-factor authentication.")
)

// TwoFactorState is what the settings page shows about 2FA.
func (s *Service) TwoFactorState(ctx context.Context, p *Principal) (policy.Decision, error) {
	return s.policy.Decide(ctx, p.Account)
}

// SetTwoFactor is the user's own switch: refused when a level locks it, and turning it on needs
// an enabled OTP entry.
func (s *Service) SetTwoFactor(ctx context.Context, p *Principal, on bool, clientIP string) (policy.Decision, error) {
	d, err := s.policy.Decide(ctx, p.Account)
	if err != nil {
		return d, err
	}
	if d.LockedBy != policy.LevelNone {
		return d, ErrPolicyLocked
	}
	if on {
		has, err := s.otp.HasEnabled(ctx, p.Account.ID)
		if err != nil {
			return d, err
		}
		if !has {
			return d, ErrNoOTP
		}
	}
	if err := s.store.SetAccountTwoFactor(ctx, p.Account.ID, on); err != nil {
		return d, err
	}
	reason := "off"
	if on {
		reason = "on"
	} else if d.Enabled {
		s.notice(ctx, p.Account, notice.Notice{Event: notice.TwoFactorOff, Address: clientIP})
	}
	s.audit.Record(ctx, audit.Event{Actor: p.Account.Email, Account: p.Account.Email, Action: audit.ActionTwoFactorSet, Outcome: audit.OutcomeSuccess, Reason: reason, ClientIP: clientIP})
	return policy.Decision{Enabled: on}, nil
}
