package store

import "gorm.io/gorm"

type m0012Account struct {
	MustChangePassword bool `gorm:"not null;default:false"`
}

func (m0012Account) TableName() string { return "accounts" }

// 0012: an administrator's reset may make the user choose a new password at the next login;
// existing accounts have no change pending.
func migrate0012(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0012Account{}, "MustChangePassword")
}
