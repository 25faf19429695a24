package device

import (
	"context"
	"log/slog"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// What decided a device's access (store.Device.AccessBy).
const (
	ByDefault = "default" // the setting of the account's COS, domain or the global level
	ByRule    = "rule"
	ByAdmin   = "admin" // an explicit decision: rules and settings never change it
)

// AccessStore is what access control reads beyond the devices.
type AccessStore interface {
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	DeviceRulesFor(ctx context.Context, domainID uint64) ([]store.DeviceRule, error)
	ClaimQuarantineNotice(ctx context.Context, id uint64) (bool, error)
}

// Auditor records the decisions the rules and settings take at a device's contact.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Deliverer puts a message into an account's Inbox (the mailbox's local delivery).
type Deliverer interface {
	Deliver(ctx context.Context, accountID uint64, raw []byte) (*store.Item, error)
}

// UseAccessControl gives the registry what device access control needs: the quarantine
// notice goes out through deliver, automatic decisions are audited. Without it every device
// is allowed (as before access control) and no notice is sent.
func (s *Service) UseAccessControl(st AccessStore, a Auditor, deliver Deliverer, log *slog.Logger) {
	s.access, s.audit, s.deliver, s.log = st, a, deliver, log
}

// AccessOf is a device's access state; "" (a device known before access control) is allowed.
func AccessOf(d *store.Device) policy.DeviceAccess {
	if d.Access == "" {
		return policy.DeviceAllowed
	}
	return policy.DeviceAccess(d.Access)
}

// decide is the access the rules and the setting give a device of the account: the first
// matching rule, else — for a new device, or one a rule had decided and no rule matches any
// more — the setting of the account's levels. ok is false when nothing should change: an
// admin's decision, or a device the setting decided (or that predates access control) and
// that no rule matches (a changed setting is for new devices only).
func (s *Service) decide(ctx context.Context, accountID uint64, d *store.Device, isNew bool) (access policy.DeviceAccess, by string, ok bool, err error) {
	if s.access == nil || d.AccessBy == ByAdmin {
		return "", "", false, nil
	}
	a, err := s.access.AccountByID(ctx, accountID)
	if err != nil {
		return "", "", false, err
	}
	rules, err := s.access.DeviceRulesFor(ctx, a.DomainID)
	if err != nil {
		return "", "", false, err
	}
	if r := FirstMatch(rules, d); r != nil {
		return policy.DeviceAccess(r.Action), ByRule, true, nil
	}
	if !isNew && d.AccessBy != ByRule {
		return "", "", false, nil
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return "", "", false, err
	}
	return policy.NewDeviceAccess(g, &a.Domain, a.COS), ByDefault, true, nil
}

// reconsider applies decide to a known device whose description changed, writing and
// auditing a change of its access.
func (s *Service) reconsider(ctx context.Context, accountID uint64, d *store.Device) error {
	access, by, ok, err := s.decide(ctx, accountID, d, false)
	if err != nil || !ok || (string(access) == d.Access && by == d.AccessBy) {
		return err
	}
	v := string(access)
	if err := s.store.UpdateDevice(ctx, d.ID, store.DevicePatch{Access: &v, AccessBy: &by}); err != nil {
		return err
	}
	d.Access, d.AccessBy = v, by
	s.recordAccess(ctx, accountID, d, audit.ActorSystem, "")
	return nil
}

// recordAccess audits a device's access state; the reason names the device and what decided.
func (s *Service) recordAccess(ctx context.Context, accountID uint64, d *store.Device, actor, ip string) {
	if s.audit == nil {
		return
	}
	email := ""
	if s.access != nil {
		if a, err := s.access.AccountByID(ctx, accountID); err == nil {
			email = a.Email
		}
	}
	action := map[policy.DeviceAccess]string{policy.DeviceAllowed: audit.ActionDeviceAllowed,
		policy.DeviceBlocked: audit.ActionDeviceBlocked, policy.DeviceQuarantined: audit.ActionDeviceQuarantined}[AccessOf(d)]
	s.audit.Record(ctx, audit.Event{Actor: actor, Account: email, Action: action, Outcome: audit.OutcomeSuccess,
		Reason: d.DeviceID + " (" + d.DeviceType + ") by " + d.AccessBy, ClientIP: ip})
}

// Decide is an admin's explicit decision on a device (allowed or blocked); it wins over
// rules and settings from now on. A decision that changes the device wakes its Ping.
func (s *Service) Decide(ctx context.Context, accountID uint64, deviceID string, access policy.DeviceAccess) (*store.Device, error) {
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return nil, err
	}
	v, by := string(access), ByAdmin
	if err := s.store.UpdateDevice(ctx, dev.ID, store.DevicePatch{Access: &v, AccessBy: &by}); err != nil {
		return nil, err
	}
	dev.Access, dev.AccessBy = v, by
	s.notify.Publish(mailbox.Change{AccountID: accountID})
	return dev, nil
}

// Suspend pauses (on) or resumes (off) a device's sync; its SyncStates stay as they are.
func (s *Service) Suspend(ctx context.Context, accountID uint64, deviceID string, on bool) (*store.Device, error) {
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return nil, err
	}
	if err := s.store.UpdateDevice(ctx, dev.ID, store.DevicePatch{Suspended: &on}); err != nil {
		return nil, err
	}
	dev.Suspended = on
	s.notify.Publish(mailbox.Change{AccountID: accountID}) // a held Ping ends and meets the suspension
	return dev, nil
}
