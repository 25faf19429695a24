package admin

import (
	"context"
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Devices lists an account's EAS devices.
func (s *Service) Devices(ctx context.Context, sc Scope, email string) ([]store.Device, error) {
	a, err := s.Account(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	return s.store.DevicesOf(ctx, a.ID)
}

// RequestWipe asks the device to wipe itself; it is delivered at its next Provision, which
// its next command is sent to (the held Ping is woken to get there sooner).
func (s *Service) RequestWipe(ctx context.Context, sc Scope, email, deviceID, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	d, err := s.store.DeviceOf(ctx, a.ID, deviceID)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.store.UpdateDevice(ctx, d.ID, map[string]any{"wipe_state": store.WipeRequested}); err != nil {
		return err
	}
	s.notify.Publish(mailbox.Change{AccountID: a.ID})
	s.record(ctx, sc, a.Email, audit.ActionDeviceWipe, deviceID, ip)
	return nil
}

// Audit lists audit events; a domain admin sees only events of their domains' accounts.
func (s *Service) Audit(ctx context.Context, sc Scope, f store.AuditFilter) ([]store.AuditEvent, error) {
	if !sc.Global {
		f.AccountDomains = sc.DomainNames()
	}
	return s.store.ListAudit(ctx, f)
}

// DeviceOps are the device commands (package eas), shared with `tessera mobile`.
type DeviceOps interface {
	Remove(ctx context.Context, accountID uint64, deviceID string) error
	Reset(ctx context.Context, accountID uint64, deviceID string) (int64, error)
	ResetAccount(ctx context.Context, accountID uint64) (int, error)
}

// RemoveDevice forgets a device and its SyncStates (its open Ping ends).
func (s *Service) RemoveDevice(ctx context.Context, sc Scope, ops DeviceOps, email, deviceID, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	if err := ops.Remove(ctx, a.ID, deviceID); err != nil {
		return ErrNotFound
	}
	s.record(ctx, sc, a.Email, "device_removed", deviceID, ip)
	return nil
}

// ResetDevice drops a device's SyncStates (all devices when deviceID is "").
func (s *Service) ResetDevice(ctx context.Context, sc Scope, ops DeviceOps, email, deviceID, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	if deviceID == "" {
		_, err = ops.ResetAccount(ctx, a.ID)
	} else if _, err = ops.Reset(ctx, a.ID, deviceID); err != nil {
		return ErrNotFound
	}
	if err == nil {
		s.record(ctx, sc, a.Email, "device_reset", deviceID, ip)
	}
	return err
}
