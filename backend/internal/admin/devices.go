package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Devices lists an account's EAS devices.
func (s *Service) Devices(ctx context.Context, sc Scope, email string) ([]store.Device, error) {
	a, err := s.Account(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	return s.devices.List(ctx, a.ID)
}

// noDevice: a device the account does not have is not found, like an account outside the
// scope (404); it still wraps device.ErrNoDevice, so the CLI can say which of the two it was.
func noDevice(err error) error {
	if errors.Is(err, device.ErrNoDevice) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// RequestWipe asks the device to wipe itself at its next Provision (package device): scope
// "device" everything on it, "account" only this account's data (EAS 16.1 devices only).
func (s *Service) RequestWipe(ctx context.Context, sc Scope, email, deviceID, scope, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	if _, err := s.devices.RequestWipe(ctx, a.ID, deviceID, scope); err != nil {
		return noDevice(err)
	}
	s.record(ctx, sc, a.Email, device.WipeAction(scope), deviceID, ip)
	return nil
}

// Audit lists audit events; a domain admin sees only events of their domains' accounts.
func (s *Service) Audit(ctx context.Context, sc Scope, f store.AuditFilter) ([]store.AuditEvent, error) {
	if !sc.Global {
		f.AccountDomains = sc.DomainNames()
	}
	return s.store.ListAudit(ctx, f)
}

// RemoveDevice forgets a device and its SyncStates (its open Ping ends).
func (s *Service) RemoveDevice(ctx context.Context, sc Scope, email, deviceID, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	if err := s.devices.Remove(ctx, a.ID, deviceID); err != nil {
		return noDevice(err)
	}
	s.record(ctx, sc, a.Email, "device_removed", deviceID, ip)
	return nil
}

// ResetDevice drops a device's SyncStates and returns how many there were.
func (s *Service) ResetDevice(ctx context.Context, sc Scope, email, deviceID, ip string) (int64, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return 0, err
	}
	n, err := s.devices.Reset(ctx, a.ID, deviceID)
	if err != nil {
		return 0, noDevice(err)
	}
	s.record(ctx, sc, a.Email, "device_reset", deviceID, ip)
	return n, nil
}

// ResetDevices resets every device of an account and returns how many there were; the audit
// event is a device_reset without a device.
func (s *Service) ResetDevices(ctx context.Context, sc Scope, email, ip string) (int, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return 0, err
	}
	n, err := s.devices.ResetAccount(ctx, a.ID)
	if err != nil {
		return 0, err
	}
	s.record(ctx, sc, a.Email, "device_reset", "", ip)
	return n, nil
}
