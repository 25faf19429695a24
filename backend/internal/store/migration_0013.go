package store

import "gorm.io/gorm"

type m0013AdminDomain struct {
	ID        uint64 `gorm:"primaryKey"`
	AccountID uint64 `gorm:"not null;uniqueIndex:idx_admin_domains_pair,priority:1"`
	DomainID  uint64 `gorm:"not null;uniqueIndex:idx_admin_domains_pair,priority:2;index"`
}

func (m0013AdminDomain) TableName() string { return "admin_domains" }

// 0013: the domains a domain admin administers. No rows keep the old meaning (their own
// account's domain), so existing domain admins are unchanged by the upgrade.
func migrate0013(tx *gorm.DB) error {
	return createTables(tx, &m0013AdminDomain{})
}
