package store

import (
	"time"

	"gorm.io/gorm"
)

type m0004Credential struct {
	Description string `gorm:"type:varchar(191);not null;default:''"`
	SecretEnc   string `gorm:"type:varchar(191);not null;default:''"`
	LastStep    int64  `gorm:"not null;default:0"`
}

func (m0004Credential) TableName() string { return "credentials" }

type m0004PinCode struct {
	ID           uint64 `gorm:"primaryKey"`
	CredentialID uint64 `gorm:"not null;uniqueIndex:idx_pin_codes_code,priority:1"`
	CodeHash     string `gorm:"type:varchar(64);not null;uniqueIndex:idx_pin_codes_code,priority:2"`
	UsedAt       *time.Time
	CreatedAt    time.Time `gorm:"not null"`
}

func (m0004PinCode) TableName() string { return "pin_codes" }

type m0004TwoFactor struct {
	TwoFactor string `gorm:"type:varchar(16);not null;default:''"`
}

// 0004: OTP entries (an encrypted TOTP seed, the last accepted time step, a description),
// single-use PIN codes, and the 2FA setting on the global, domain and COS levels.
func migrate0004(tx *gorm.DB) error {
	for _, col := range []string{"Description", "SecretEnc", "LastStep"} {
		if err := tx.Migrator().AddColumn(&m0004Credential{}, col); err != nil {
			return err
		}
	}
	if err := createTables(tx, &m0004PinCode{}); err != nil {
		return err
	}
	for _, table := range []string{"global_settings", "domains", "cos"} {
		if err := tx.Table(table).Migrator().AddColumn(&m0004TwoFactor{}, "TwoFactor"); err != nil {
			return err
		}
	}
	return nil
}
