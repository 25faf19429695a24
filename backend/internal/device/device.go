// Package device is the registry of an account's EAS devices: their rows, the quota of new
// ones, their provisioning keys and remote wipe (provisioning.go: of the whole device or, at EAS
// 16.1, of the account's data only, with its scope and times; asked by an admin or by the user,
// acknowledged through the EAS server, audited), the operator's commands on them (remove,
// reset), and device access control (access.go, rules.go, notice.go): whether a device is
// allowed, quarantined or blocked — decided by the rules and the setting of the account's levels
// when it appears or describes itself anew, or by an admin — and whether its sync is suspended.
// The EAS server records contacts here; administration (API and CLI alike, through package
// admin) and the user's settings page read and change devices here. A new device that may sync
// tells its account's owner by mail, once (package notice, notices.go).
package device

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is the persistence of devices.
type Store interface {
	DeviceOf(ctx context.Context, accountID uint64, deviceID string) (*store.Device, error)
	DeviceWithState(ctx context.Context, accountID uint64, deviceID, collection string) (*store.Device, *store.SyncState, error)
	DevicesOf(ctx context.Context, accountID uint64) ([]store.Device, error)
	CreateDeviceWithin(ctx context.Context, d *store.Device, limit int) (*store.Device, error)
	UpdateDevice(ctx context.Context, id uint64, p store.DevicePatch) error
	DeleteDevice(ctx context.Context, id uint64) error
	DeleteSyncStates(ctx context.Context, deviceID uint64) (int64, error)
	// GlobalSettings holds the quota of devices per account.
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
}

// ErrNoDevice: the account has no device with that DeviceId.
var ErrNoDevice = fault.New(fault.NotFound, "not_found", "no such device", "No such resource.")

// Service records devices and carries out the commands on them.
type Service struct {
	store  Store
	notify mailbox.Notifier
	now    func() time.Time

	// Access control (access.go); nil until UseAccessControl.
	access  AccessStore
	audit   Auditor
	deliver Deliverer
	log     *slog.Logger
	notices Notifier // security notices; nil: none
}

// New returns the device registry; notify wakes an account's held Ping after a change of its
// devices, so the device notices it at once.
func New(st Store, n mailbox.Notifier) *Service {
	return &Service{store: st, notify: n, now: time.Now}
}

// List returns an account's devices.
func (s *Service) List(ctx context.Context, accountID uint64) ([]store.Device, error) {
	return s.store.DevicesOf(ctx, accountID)
}

func (s *Service) find(ctx context.Context, accountID uint64, deviceID string) (*store.Device, error) {
	dev, err := s.store.DeviceOf(ctx, accountID, deviceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoDevice
	}
	return dev, err
}

// Remove forgets a device and its SyncStates; its open Ping ends.
func (s *Service) Remove(ctx context.Context, accountID uint64, deviceID string) error {
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return err
	}
	if err := s.store.DeleteDevice(ctx, dev.ID); errors.Is(err, store.ErrNotFound) {
		return ErrNoDevice // removed meanwhile, by another request
	} else if err != nil {
		return err
	}
	s.notify.Publish(mailbox.Change{AccountID: accountID}) // wakes the device's Ping to notice
	return nil
}

// Reset drops a device's SyncStates: its next Sync gets Status 3 and FolderSync Status 9, and
// it resyncs from key 0.
func (s *Service) Reset(ctx context.Context, accountID uint64, deviceID string) (int64, error) {
	dev, err := s.find(ctx, accountID, deviceID)
	if err != nil {
		return 0, err
	}
	n, err := s.store.DeleteSyncStates(ctx, dev.ID)
	if err == nil {
		s.notify.Publish(mailbox.Change{AccountID: accountID})
	}
	return n, err
}

// ResetAccount resets every device of an account and returns how many there were.
func (s *Service) ResetAccount(ctx context.Context, accountID uint64) (int, error) {
	devs, err := s.store.DevicesOf(ctx, accountID)
	if err != nil {
		return 0, err
	}
	for _, dev := range devs {
		if _, err := s.store.DeleteSyncStates(ctx, dev.ID); err != nil {
			return 0, err
		}
	}
	if len(devs) > 0 {
		s.notify.Publish(mailbox.Change{AccountID: accountID})
	}
	return len(devs), nil
}

// Get finds one of an account's devices.
func (s *Service) Get(ctx context.Context, accountID uint64, deviceID string) (*store.Device, error) {
	return s.find(ctx, accountID, deviceID)
}
