package store

import (
	"time"

	"gorm.io/gorm"
)

type m0015KnownClient struct {
	ID         uint64    `gorm:"primaryKey"`
	AccountID  uint64    `gorm:"not null;uniqueIndex:idx_known_clients_key,priority:1"`
	Kind       string    `gorm:"type:varchar(16);not null;uniqueIndex:idx_known_clients_key,priority:2"`
	Client     string    `gorm:"type:varchar(64);not null;uniqueIndex:idx_known_clients_key,priority:3"`
	LastSeenAt time.Time `gorm:"not null"`
}

func (m0015KnownClient) TableName() string { return "known_clients" }

// 0015: the EAS devices and client addresses that opened an account with its password; their
// password attempts are throttled on a counter of their own (package authn).
func migrate0015(tx *gorm.DB) error { return createTables(tx, &m0015KnownClient{}) }
