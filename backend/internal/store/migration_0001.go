package store

import (
	"time"

	"gorm.io/gorm"
)

type m0001Domain struct {
	ID        uint64    `gorm:"primaryKey"`
	Name      string    `gorm:"type:varchar(191);not null;uniqueIndex"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0001Domain) TableName() string { return "domains" }

type m0001COS struct {
	ID        uint64    `gorm:"primaryKey"`
	Name      string    `gorm:"type:varchar(64);not null;uniqueIndex"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0001COS) TableName() string { return "cos" }

type m0001Account struct {
	ID                uint64  `gorm:"primaryKey"`
	Email             string  `gorm:"type:varchar(191);not null;uniqueIndex"`
	DomainID          uint64  `gorm:"not null;index"`
	COSID             *uint64 `gorm:"column:cos_id;index"`
	PasswordHash      string  `gorm:"type:varchar(255);not null"`
	Role              string  `gorm:"type:varchar(16);not null"`
	Status            string  `gorm:"type:varchar(16);not null"`
	TwoFactorEnabled  bool    `gorm:"not null"`
	TokenVersion      uint64  `gorm:"not null"`
	PasswordChangedAt *time.Time
	LastLoginAt       *time.Time
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null"`
}

func (m0001Account) TableName() string { return "accounts" }

type m0001GlobalSettings struct {
	ID              uint64    `gorm:"primaryKey"`
	PwMinLength     int       `gorm:"not null"`
	PwRequireLower  bool      `gorm:"not null"`
	PwRequireUpper  bool      `gorm:"not null"`
	PwRequireDigit  bool      `gorm:"not null"`
	PwRequireSymbol bool      `gorm:"not null"`
	UpdatedAt       time.Time `gorm:"not null"`
}

func (m0001GlobalSettings) TableName() string { return "global_settings" }

func migrate0001(tx *gorm.DB) error {
	if err := createTables(tx, &m0001Domain{}, &m0001COS{}, &m0001Account{}, &m0001GlobalSettings{}); err != nil {
		return err
	}
	// The seed's default policy: at least 8 characters with lower, upper, digit and symbol.
	return tx.Create(&m0001GlobalSettings{
		ID: 1, PwMinLength: 8, PwRequireLower: true, PwRequireUpper: true,
		PwRequireDigit: true, PwRequireSymbol: true, UpdatedAt: now(),
	}).Error
}
