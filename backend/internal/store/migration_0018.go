package store

import (
	"time"

	"gorm.io/gorm"
)

type m0018IMAPSubscription struct {
	ID         uint64    `gorm:"primaryKey"`
	AccountID  uint64    `gorm:"not null;uniqueIndex:idx_imap_subscriptions_account_key,priority:1"`
	NameKey    string    `gorm:"type:varchar(64);not null;uniqueIndex:idx_imap_subscriptions_account_key,priority:2"`
	Name       string    `gorm:"type:varchar(1000);not null"`
	Subscribed bool      `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (m0018IMAPSubscription) TableName() string { return "imap_subscriptions" }

// 0018: IMAP subscriptions (SUBSCRIBE, UNSUBSCRIBE, LSUB), one row per name an account's
// clients subscribed or unsubscribed. NameKey is a hash of the exact name, so that names
// differing only in case stay apart on MySQL's case-insensitive collation too.
func migrate0018(tx *gorm.DB) error { return createTables(tx, &m0018IMAPSubscription{}) }
