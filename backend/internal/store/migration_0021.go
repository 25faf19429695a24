package store

import (
	"time"

	"gorm.io/gorm"
)

// m0021AppleProfile is the one-time Apple configuration profile as 0021 created it.
type m0021AppleProfile struct {
	ID           string    `gorm:"type:varchar(64);primaryKey"`
	AccountID    uint64    `gorm:"not null;index"`
	CredentialID uint64    `gorm:"not null"`
	Sealed       []byte    `gorm:"not null"`
	ExpiresAt    time.Time `gorm:"not null;index"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m0021AppleProfile) TableName() string { return "apple_profiles" }

// 0021: one-time Apple configuration profiles. A profile holds a new credential's secret, so
// it is kept only sealed (see package appleprofile), under the hash of its download token,
// for minutes, and deleted on its first download.
func migrate0021(tx *gorm.DB) error {
	return createTables(tx, &m0021AppleProfile{})
}
