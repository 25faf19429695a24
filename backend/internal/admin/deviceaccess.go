package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// DeviceAccessStore is what device access control reads and writes beyond accounts.
type DeviceAccessStore interface {
	QuarantinedDevices(ctx context.Context, domainIDs []uint64) ([]store.HeldDevice, error)
	DeviceRules(ctx context.Context, domainID *uint64) ([]store.DeviceRule, error)
	AddDeviceRule(ctx context.Context, r *store.DeviceRule, position int) error
	DeviceRuleByID(ctx context.Context, id uint64) (*store.DeviceRule, error)
	DeleteDeviceRule(ctx context.Context, r *store.DeviceRule) error
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
}

// DeviceAccess administers which devices may sync; it shares the account rules of Service.
type DeviceAccess struct {
	*Service
	st DeviceAccessStore
}

// NewDeviceAccess returns device access control over the administration service s.
func NewDeviceAccess(s *Service, st DeviceAccessStore) *DeviceAccess {
	return &DeviceAccess{Service: s, st: st}
}

// DecideDevice is an admin's explicit decision: allowed (approve) or blocked. It wins over
// rules and settings; the device's Ping wakes to meet it.
func (d *DeviceAccess) DecideDevice(ctx context.Context, sc Scope, email, deviceID string, access policy.DeviceAccess, ip string) (*store.Device, error) {
	if access != policy.DeviceAllowed && access != policy.DeviceBlocked {
		return nil, fmt.Errorf("admin: decision %q", access) // a caller's bug, not input
	}
	a, err := d.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	dev, err := d.devices.Decide(ctx, a.ID, deviceID, access)
	if err != nil {
		return nil, noDevice(err)
	}
	action := audit.ActionDeviceAllowed
	if access == policy.DeviceBlocked {
		action = audit.ActionDeviceBlocked
	}
	d.record(ctx, sc, a.Email, action, deviceID+" by admin", ip)
	return dev, nil
}

// SuspendDevice pauses (on) or resumes a device's sync; its SyncStates stay.
func (d *DeviceAccess) SuspendDevice(ctx context.Context, sc Scope, email, deviceID string, on bool, ip string) (*store.Device, error) {
	a, err := d.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	dev, err := d.devices.Suspend(ctx, a.ID, deviceID, on)
	if err != nil {
		return nil, noDevice(err)
	}
	action := audit.ActionDeviceSuspended
	if !on {
		action = audit.ActionDeviceResumed
	}
	d.record(ctx, sc, a.Email, action, deviceID, ip)
	return dev, nil
}

// Quarantined lists the devices waiting for a decision, of the accounts the scope covers.
func (d *DeviceAccess) Quarantined(ctx context.Context, sc Scope) ([]store.HeldDevice, error) {
	return d.st.QuarantinedDevices(ctx, sc.DomainIDs())
}

// ruleLevel is the domain a rule list belongs to ("" global: nil); reading is for every
// admin of the domain (the global rules apply to theirs too), changing global rules for
// global admins only.
func (d *DeviceAccess) ruleLevel(ctx context.Context, sc Scope, domain string, write bool) (*uint64, error) {
	if domain == "" {
		if write && !sc.Global {
			return nil, ErrForbidden
		}
		return nil, nil
	}
	dom, err := d.st.DomainByName(ctx, domain)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sc.CoversDomain(dom.ID)) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	return &dom.ID, nil
}

// DeviceRules lists a level's rules in order (domain "": the global ones).
func (d *DeviceAccess) DeviceRules(ctx context.Context, sc Scope, domain string) ([]store.DeviceRule, error) {
	level, err := d.ruleLevel(ctx, sc, domain, false)
	if err != nil {
		return nil, err
	}
	return d.st.DeviceRules(ctx, level)
}

// AddDeviceRule adds a rule to a level at position (1-based; 0: last).
func (d *DeviceAccess) AddDeviceRule(ctx context.Context, sc Scope, domain, field, pattern, action string, position int, ip string) (*store.DeviceRule, error) {
	field, pattern, access, err := device.CheckRule(field, pattern, action)
	if err != nil {
		return nil, err
	}
	level, err := d.ruleLevel(ctx, sc, domain, true)
	if err != nil {
		return nil, err
	}
	r := &store.DeviceRule{DomainID: level, Field: field, Pattern: pattern, Action: string(access)}
	if err := d.st.AddDeviceRule(ctx, r, position); err != nil {
		return nil, err
	}
	d.record(ctx, sc, "", audit.ActionDeviceRuleAdded, ruleText(domain, r), ip)
	return r, nil
}

// RemoveDeviceRule removes a rule by id; a rule of a level the scope may not change is not
// found for a domain admin of another domain, forbidden for a global rule.
func (d *DeviceAccess) RemoveDeviceRule(ctx context.Context, sc Scope, id uint64, ip string) error {
	r, err := d.st.DeviceRuleByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	domain := ""
	if r.DomainID != nil {
		if !sc.CoversDomain(*r.DomainID) {
			return ErrNotFound
		}
		domain = fmt.Sprint("domain #", *r.DomainID)
	} else if !sc.Global {
		return ErrForbidden
	}
	if err := d.st.DeleteDeviceRule(ctx, r); errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	d.record(ctx, sc, "", audit.ActionDeviceRuleRemoved, ruleText(domain, r), ip)
	return nil
}

func ruleText(domain string, r *store.DeviceRule) string {
	level := "global"
	if domain != "" {
		level = domain
	}
	return fmt.Sprintf("%s #%d: %s %q -> %s (position %d)", level, r.ID, r.Field, r.Pattern, r.Action, r.Position)
}
