package store

import "gorm.io/gorm"

type m0009GlobalSettings struct {
	AdminRequireTwoFactor bool `gorm:"not null;default:true"`
}

func (m0009GlobalSettings) TableName() string { return "global_settings" }

// 0009: administrators need a second factor for the Administration area unless turned off; the
// default (on) applies to the existing row too.
func migrate0009(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&m0009GlobalSettings{}, "AdminRequireTwoFactor")
}
