package store

import "gorm.io/gorm"

type m0006GlobalSettings struct {
	EASRequireDevicePassword bool `gorm:"not null;default:false"`
	EASMinDevicePasswordLen  int  `gorm:"not null;default:4"`
	EASMaxInactivitySeconds  int  `gorm:"not null;default:900"`
}

func (m0006GlobalSettings) TableName() string { return "global_settings" }

type m0006Domain struct {
	EASRequireDevicePassword bool `gorm:"not null;default:false"`
}

func (m0006Domain) TableName() string { return "domains" }

type m0006Account struct {
	Oof string `gorm:"type:text"`
}

func (m0006Account) TableName() string { return "accounts" }

// 0006: the EAS device policy (global, and a domain may require a device password) and the
// account's Out-of-Office setting (EAS Settings Oof).
func migrate0006(tx *gorm.DB) error {
	for _, col := range []string{"EASRequireDevicePassword", "EASMinDevicePasswordLen", "EASMaxInactivitySeconds"} {
		if err := tx.Migrator().AddColumn(&m0006GlobalSettings{}, col); err != nil {
			return err
		}
	}
	if err := tx.Migrator().AddColumn(&m0006Domain{}, "EASRequireDevicePassword"); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&m0006Account{}, "Oof")
}
