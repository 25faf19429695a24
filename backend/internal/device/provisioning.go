package device

import (
	"context"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// AccountOnlyWipeVersion is the first EAS version with AccountOnlyRemoteWipe (MS-ASPROV
// 2.2.2.1): an older device has no such element and could not honour it.
const AccountOnlyWipeVersion = "16.1"

// ErrAccountWipeUnsupported: an account-only wipe asked of a device below EAS 16.1.
var ErrAccountWipeUnsupported = fault.New(fault.Conflict, "account_wipe_unsupported",
	"account-only wipe needs a device speaking EAS 16.1 (wipe the whole device instead)", "This device does not support removing only this account's data (it needs "+
		"Exchange ActiveSync 16.1). Wipe the whole device instead, or remove the device.")

// ErrBadWipeScope: a scope other than device or account.
var ErrBadWipeScope = fault.Invalidf(`the wipe scope is "device" or "account"`)

// CanWipeAccountOnly reports whether the device last spoke a protocol version that has
// AccountOnlyRemoteWipe.
func CanWipeAccountOnly(d *store.Device) bool {
	v, _ := strconv.ParseFloat(d.ProtocolVersion, 64)
	return v >= 16.1
}

// RequestWipe asks the device to wipe itself — everything on it (scope device), or only this
// account's data (scope account, EAS 16.1 devices only); it is delivered at its next
// Provision, which its next command is sent to (the held Ping is woken to get there sooner).
// A new request replaces one not yet delivered and starts a new one after an acknowledged
// wipe (the device may have come back).
func (s *Service) RequestWipe(ctx context.Context, accountID uint64, deviceID, scope string) (*store.Device, error) {
	if scope != store.WipeScopeDevice && scope != store.WipeScopeAccount {
		return nil, ErrBadWipeScope
	}
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return nil, err
	}
	if scope == store.WipeScopeAccount && !CanWipeAccountOnly(dev) {
		return nil, ErrAccountWipeUnsupported
	}
	now := s.now().UTC().Truncate(time.Second)
	state, none := store.WipeRequested, (*time.Time)(nil)
	reqAt := &now
	if err := s.store.UpdateDevice(ctx, dev.ID, store.DevicePatch{WipeState: &state, WipeScope: &scope,
		WipeRequestedAt: &reqAt, WipeDoneAt: &none}); err != nil {
		return nil, err
	}
	dev.WipeState, dev.WipeScope, dev.WipeRequestedAt, dev.WipeDoneAt = state, scope, reqAt, nil
	s.notify.Publish(mailbox.Change{AccountID: accountID})
	return dev, nil
}

// WipeOwn is RequestWipe by the account's own user (their settings page), audited with the
// user as the actor.
func (s *Service) WipeOwn(ctx context.Context, a *store.Account, deviceID, scope, ip string) error {
	if _, err := s.RequestWipe(ctx, a.ID, deviceID, scope); err != nil {
		return err
	}
	if s.audit != nil {
		s.audit.Record(ctx, audit.Event{Actor: a.Email, Account: a.Email, Action: WipeAction(scope),
			Outcome: audit.OutcomeSuccess, ClientIP: ip, Reason: deviceID})
	}
	return nil
}

// WipeAction is the audit action of a wipe request of that scope.
func WipeAction(scope string) string {
	if scope == store.WipeScopeAccount {
		return audit.ActionDeviceAccountWipe
	}
	return audit.ActionDeviceWipe
}

// WipeDone records the device's acknowledgement of its pending wipe and audits it (email
// and ip: the account and the device's address, for the audit log).
func (s *Service) WipeDone(ctx context.Context, dev *store.Device, email, ip string) error {
	done := store.WipeDone
	now := s.now().UTC().Truncate(time.Second)
	at := &now
	if err := s.store.UpdateDevice(ctx, dev.ID, store.DevicePatch{WipeState: &done, WipeDoneAt: &at}); err != nil {
		return err
	}
	dev.WipeState, dev.WipeDoneAt = done, at
	if s.audit != nil {
		s.audit.Record(ctx, audit.Event{Actor: audit.ActorSystem, Account: email, Action: audit.ActionDeviceWipeDone,
			Outcome: audit.OutcomeSuccess, ClientIP: ip, Reason: dev.DeviceID + ": " + WipeScopeOf(dev) + " wipe acknowledged"})
	}
	return nil
}

// WipeScopeOf is the scope of a device's wipe; a wipe recorded without one is a whole-device
// wipe (the only kind there was).
func WipeScopeOf(d *store.Device) string {
	if d.WipeState == store.WipeNone {
		return ""
	}
	if d.WipeScope == "" {
		return store.WipeScopeDevice
	}
	return d.WipeScope
}

// OfferPolicy keeps the temporary policy key of the first step of Provision, which the
// acknowledgement must carry.
func (s *Service) OfferPolicy(ctx context.Context, id uint64, tempKey string) error {
	return s.store.UpdateDevice(ctx, id, store.DevicePatch{PendingKey: &tempKey})
}

// AcceptPolicy makes the device provisioned with its final key.
func (s *Service) AcceptPolicy(ctx context.Context, id uint64, finalKey string) error {
	none := ""
	return s.store.UpdateDevice(ctx, id, store.DevicePatch{PolicyKey: &finalKey, PendingKey: &none})
}

// Information is what a device says about itself (Settings DeviceInformation Set); "" is
// not said.
type Information struct {
	Model, FriendlyName, OS, UserAgent string
}

// SetInformation keeps what the device said, each value cut to its column; nothing said,
// nothing written. What it said may match a rule (the model and OS are known only now), so
// its access is reconsidered.
func (s *Service) SetInformation(ctx context.Context, dev *store.Device, info Information) error {
	var p store.DevicePatch
	for _, f := range []struct {
		v   string
		dst **string
	}{{info.Model, &p.Model}, {info.FriendlyName, &p.FriendlyName}, {info.OS, &p.OS}, {info.UserAgent, &p.UserAgent}} {
		if f.v != "" {
			v := clip(f.v, 191)
			*f.dst = &v
		}
	}
	if p.Empty() {
		return nil
	}
	if err := s.store.UpdateDevice(ctx, dev.ID, p); err != nil {
		return err
	}
	for _, f := range []struct {
		v   *string
		dst *string
	}{{p.Model, &dev.Model}, {p.FriendlyName, &dev.FriendlyName}, {p.OS, &dev.OS}, {p.UserAgent, &dev.UserAgent}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	return s.reconsider(ctx, dev.AccountID, dev)
}
