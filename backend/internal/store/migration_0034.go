package store

import "gorm.io/gorm"

type m0034Account struct {
	RecoveryEmail string `gorm:"type:varchar(254);not null;default:''"`
}

func (m0034Account) TableName() string { return "accounts" }

// 0034: an account's recovery address, where security notices also go through the relay.
// Existing accounts get "" (none): nothing else changes.
func migrate0034(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0034Account{}, "RecoveryEmail")
}
