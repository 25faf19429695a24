package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ErrAdministered: a domain is still one of a domain admin's admin domains (it is a kind of
// ErrInUse, so callers that only know ErrInUse still refuse the delete).
var ErrAdministered = fmt.Errorf("%w: administered by a domain admin", ErrInUse)

// AdminDomainsOf lists the domains assigned to a domain admin, by name; none means the
// admin's own domain (the caller decides that).
func (s *Store) AdminDomainsOf(ctx context.Context, accountID uint64) ([]Domain, error) {
	var out []Domain
	err := s.db.WithContext(ctx).Model(&Domain{}).
		Joins("JOIN admin_domains ON admin_domains.domain_id = domains.id").
		Where("admin_domains.account_id = ?", accountID).Order("domains.name").Find(&out).Error
	return out, err
}

// UpdateAccountWithAdminDomains writes account fields like UpdateAccount and replaces the
// account's admin domains with domainIDs (empty: none), in one transaction.
func (s *Store) UpdateAccountWithAdminDomains(ctx context.Context, id uint64, p AccountPatch, endSessions bool, domainIDs []uint64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := updateAccount(tx, id, p, endSessions); err != nil {
			return err
		}
		return replaceAdminDomains(tx, id, domainIDs)
	})
}

func replaceAdminDomains(tx *gorm.DB, accountID uint64, domainIDs []uint64) error {
	if err := tx.Where("account_id = ?", accountID).Delete(&AdminDomain{}).Error; err != nil {
		return err
	}
	seen := map[uint64]bool{}
	rows := []AdminDomain{}
	for _, d := range domainIDs {
		if !seen[d] {
			seen[d] = true
			rows = append(rows, AdminDomain{AccountID: accountID, DomainID: d})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return translate(tx.Create(&rows).Error)
}
