package store

import (
	"context"

	"gorm.io/gorm"
)

// DeviceRulesFor are the rules that apply to an account of the domain: the domain's first,
// then the global ones, each in its order.
func (s *Store) DeviceRulesFor(ctx context.Context, domainID uint64) ([]DeviceRule, error) {
	var out []DeviceRule
	err := s.db.WithContext(ctx).Where("domain_id = ? OR domain_id IS NULL", domainID).
		Order("CASE WHEN domain_id IS NULL THEN 1 ELSE 0 END, position, id").Find(&out).Error
	return out, err
}

// DeviceRules lists one level's rules in order: the global ones (domainID nil) or a domain's.
func (s *Store) DeviceRules(ctx context.Context, domainID *uint64) ([]DeviceRule, error) {
	var out []DeviceRule
	return out, s.db.WithContext(ctx).Scopes(ruleLevel(domainID)).Order("position, id").Find(&out).Error
}

func ruleLevel(domainID *uint64) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		if domainID == nil {
			return db.Where("domain_id IS NULL")
		}
		return db.Where("domain_id = ?", *domainID)
	}
}

// AddDeviceRule inserts a rule into its level's list at position (1-based); 0 or a position
// past the end appends it. The rules from that position on move one down.
func (s *Store) AddDeviceRule(ctx context.Context, r *DeviceRule, position int) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&DeviceRule{}).Scopes(ruleLevel(r.DomainID)).Count(&n).Error; err != nil {
			return err
		}
		if position <= 0 || position > int(n) {
			position = int(n) + 1
		}
		if err := tx.Model(&DeviceRule{}).Scopes(ruleLevel(r.DomainID)).Where("position >= ?", position).
			Update("position", gorm.Expr("position + 1")).Error; err != nil {
			return err
		}
		r.Position = position
		r.CreatedAt = now()
		return tx.Create(r).Error
	})
}

// DeviceRuleByID finds one rule; ErrNotFound when there is none.
func (s *Store) DeviceRuleByID(ctx context.Context, id uint64) (*DeviceRule, error) {
	var r DeviceRule
	return &r, translate(s.db.WithContext(ctx).Take(&r, id).Error)
}

// DeleteDeviceRule removes a rule; the ones after it move up.
func (s *Store) DeleteDeviceRule(ctx context.Context, r *DeviceRule) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Delete(&DeviceRule{}, r.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Model(&DeviceRule{}).Scopes(ruleLevel(r.DomainID)).Where("position > ?", r.Position).
			Update("position", gorm.Expr("position - 1")).Error
	})
}

// HeldDevice is a device waiting for an admin's decision, with its account's address.
type HeldDevice struct {
	Device
	Email    string
	DomainID uint64
}

// QuarantinedDevices lists the devices in quarantine, oldest first; domainIDs nil: every
// domain's, otherwise only those of accounts of these domains.
func (s *Store) QuarantinedDevices(ctx context.Context, domainIDs []uint64) ([]HeldDevice, error) {
	q := s.db.WithContext(ctx).Table("devices d").Select("d.*, a.email AS email, a.domain_id AS domain_id").
		Joins("JOIN accounts a ON a.id = d.account_id").Where("d.access = ?", "quarantined")
	if domainIDs != nil {
		if len(domainIDs) == 0 {
			return nil, nil
		}
		q = q.Where("a.domain_id IN ?", domainIDs)
	}
	var out []HeldDevice
	return out, q.Order("d.first_sync_at, d.id").Scan(&out).Error
}

// ClaimQuarantineNotice marks that the user of a quarantined device got the notice; true for
// the one request that marked it (concurrent requests of the device send it once).
func (s *Store) ClaimQuarantineNotice(ctx context.Context, id uint64) (bool, error) {
	res := s.db.WithContext(ctx).Model(&Device{}).Where("id = ? AND access_noticed = ?", id, false).Update("access_noticed", true)
	return res.RowsAffected == 1, res.Error
}
