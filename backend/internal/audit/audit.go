package audit

import (
	"context"
	"log/slog"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/text"
)

// Actions recorded. Names are stable: admins filter on them.
const (
	ActionLogin          = "login"
	ActionLoginFailed    = "login_failed"
	ActionLoginThrottled = "login_throttled"
	ActionLogout         = "logout"
	ActionLogoutAll      = "logout_all"
	ActionSessionEnded   = "session_ended"
	// Trusted browsers: remembered after a second factor, used to skip it, revoked.
	ActionTrustedBrowserAdded   = "trusted_browser_added"
	ActionTrustedBrowserUsed    = "trusted_browser_used"
	ActionTrustedBrowserRevoked = "trusted_browser_revoked"
	ActionPasswordChanged       = "password_changed"
	ActionPasswordChangeFailed  = "password_change_failed"
	ActionPasswordSet           = "password_set"
	ActionAccountCreated        = "account_created"
	ActionDomainCreated         = "domain_created"
	ActionCOSCreated            = "cos_created"
	ActionDomainUpdated         = "domain_updated"
	ActionDomainDeleted         = "domain_deleted"
	ActionCOSUpdated            = "cos_updated"
	ActionCOSDeleted            = "cos_deleted"
	ActionCredentialCreated     = "credential_created"
	ActionCredentialDeleted     = "credential_deleted"
	ActionCredentialRevoked     = "credential_revoked"
	// ActionCredentialUsed is written at most once a minute per credential, with lastUsedAt.
	ActionCredentialUsed    = "credential_used"
	ActionOTPConfirmed      = "otp_confirmed"
	ActionOTPLocked         = "otp_locked"
	ActionSecondFactor      = "second_factor"
	ActionTwoFactorSet      = "two_factor_set"
	ActionPolicySet         = "policy_set"
	ActionAccountUpdated    = "account_updated"
	ActionCredentialUpdated = "credential_updated"
	ActionDeviceWipe        = "device_wipe_requested"
	// ActionDeviceAccountWipe: a wipe of only this account's data on the device (EAS 16.1).
	ActionDeviceAccountWipe = "device_account_wipe_requested"
	// ActionDeviceWipeDone: the device acknowledged a wipe (the reason names its scope).
	ActionDeviceWipeDone = "device_wipe_acknowledged"
	// Device access control: an admin's decision, or the rules' and the setting's at a
	// device's contact (actor system); suspension; the rules themselves.
	ActionDeviceAllowed     = "device_allowed"
	ActionDeviceBlocked     = "device_blocked"
	ActionDeviceQuarantined = "device_quarantined"
	ActionDeviceSuspended   = "device_suspended"
	ActionDeviceResumed     = "device_resumed"
	ActionDeviceRuleAdded   = "device_rule_added"
	ActionDeviceRuleRemoved = "device_rule_removed"
	// ActionDeviceSyncLoop: the EAS server broke a device's sync loop by skipping an item.
	ActionDeviceSyncLoop = "device_sync_loop"
	// ActionSecurityNotice: the account's owner was mailed a security notice (package notice).
	ActionSecurityNotice = "security_notice"
	// ActionPasskeyUsed: a passkey signed a login (second factor or passwordless).
	ActionPasskeyUsed = "passkey_used"
	// ActionPasskeyRefused: a passkey's assertion was refused though its signature was checked
	// (its sign counter went back: a cloned authenticator or a replay).
	ActionPasskeyRefused = "passkey_refused"

	OutcomeSuccess = "success"
	OutcomeFailure = "failure"

	// ActorSystem is the actor of what the server or the CLI does by itself.
	ActorSystem = "system"
	// ActorCLI is the actor of operator commands.
	ActorCLI = "cli"
)

// Event is one audit record. Reason is detailed and never shown to the client that failed.
type Event struct {
	Actor, Account, Action, Outcome, Reason, ClientIP string
}

// Sink stores events.
type Sink interface {
	AddAudit(ctx context.Context, e *store.AuditEvent) error
}

// Recorder writes events to the database and to the server log.
type Recorder struct {
	sink Sink
	log  *slog.Logger
	// Count, when set, counts each event by kind and outcome (metrics).
	Count func(action, outcome string)
}

// New returns a recorder.
func New(sink Sink, log *slog.Logger) *Recorder { return &Recorder{sink: sink, log: log} }

// Record never fails the caller's request: a lost audit row is logged loudly instead.
func (r *Recorder) Record(ctx context.Context, e Event) {
	level := slog.LevelInfo
	if e.Outcome == OutcomeFailure {
		level = slog.LevelWarn
	}
	if r.Count != nil {
		r.Count(e.Action, e.Outcome)
	}
	r.log.Log(ctx, level, "audit", "action", e.Action, "outcome", e.Outcome, "actor", e.Actor,
		"account", e.Account, "client_ip", e.ClientIP, "reason", e.Reason)
	// Every text is cut to its column (by characters: utf8mb4 varchars count them): a 300-character
	// username in a failed login must still leave its row on MySQL, which refuses longer values.
	row := &store.AuditEvent{Actor: text.CutRunes(e.Actor, 191), Account: text.CutRunes(e.Account, 191), Action: e.Action,
		Outcome: e.Outcome, Reason: text.CutRunes(e.Reason, 191), ClientIP: text.CutRunes(e.ClientIP, 64)}
	// The request may be cancelled (client gone) while the row still matters.
	if err := r.sink.AddAudit(context.WithoutCancel(ctx), row); err != nil {
		r.log.Error("audit write failed", "action", e.Action, "account", e.Account, "err", err)
	}
}
