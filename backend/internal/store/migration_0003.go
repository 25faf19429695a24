package store

import (
	"time"

	"gorm.io/gorm"
)

type m0003Credential struct {
	ID             uint64 `gorm:"primaryKey"`
	AccountID      uint64 `gorm:"not null;uniqueIndex:idx_credentials_label,priority:1;index:idx_credentials_secret,priority:1"`
	Kind           string `gorm:"type:varchar(16);not null;uniqueIndex:idx_credentials_label,priority:2"`
	Label          string `gorm:"type:varchar(191);not null"`
	LabelKey       string `gorm:"type:varchar(64);not null;uniqueIndex:idx_credentials_label,priority:3"`
	SecretHash     string `gorm:"type:varchar(64);not null;index:idx_credentials_secret,priority:2"`
	Status         string `gorm:"type:varchar(16);not null"`
	Services       string `gorm:"type:varchar(191);not null"`
	FailedAttempts int    `gorm:"not null"`
	ExpiresAt      *time.Time
	LastUsedAt     *time.Time
	CreatedAt      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (m0003Credential) TableName() string { return "credentials" }

type m0003GlobalSettings struct {
	RevokePasscodesOnPasswordChange bool `gorm:"not null;default:true"`
	MaxCredentialsPerKind           int  `gorm:"not null;default:25"`
}

func (m0003GlobalSettings) TableName() string { return "global_settings" }

// 0003: credentials (EAS passwords, mobile-app tokens, application passcodes; OTP later) and
// the two settings that govern them.
func migrate0003(tx *gorm.DB) error {
	if err := createTables(tx, &m0003Credential{}); err != nil {
		return err
	}
	for _, col := range []string{"RevokePasscodesOnPasswordChange", "MaxCredentialsPerKind"} {
		if err := tx.Migrator().AddColumn(&m0003GlobalSettings{}, col); err != nil {
			return err
		}
	}
	return nil
}
