package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IMAPSubscription is an IMAP client's SUBSCRIBE (Subscribed) or UNSUBSCRIBE of a mailbox
// name of its account; a name with no row has never been either.
type IMAPSubscription struct {
	ID         uint64 `gorm:"primaryKey"`
	AccountID  uint64 `gorm:"not null"`
	NameKey    string `gorm:"type:varchar(64);not null"`
	Name       string `gorm:"type:varchar(1000);not null"`
	Subscribed bool   `gorm:"not null"`
	UpdatedAt  time.Time
}

func (IMAPSubscription) TableName() string { return "imap_subscriptions" }

// MaxSubscriptionName and MaxSubscriptions bound what one account keeps.
const (
	MaxSubscriptionName = 1000
	MaxSubscriptions    = 1000
)

func subscriptionKey(name string) string {
	h := sha256.Sum256([]byte(name))
	return hex.EncodeToString(h[:])
}

// IMAPSubscriptions lists the account's subscription rows.
func (s *Store) IMAPSubscriptions(ctx context.Context, accountID uint64) ([]IMAPSubscription, error) {
	var out []IMAPSubscription
	return out, s.db.WithContext(ctx).Where("account_id = ?", accountID).Order("id").Find(&out).Error
}

// SetIMAPSubscription records a SUBSCRIBE or UNSUBSCRIBE of name (ErrLimit past
// MaxSubscriptions names, or for a name longer than MaxSubscriptionName).
func (s *Store) SetIMAPSubscription(ctx context.Context, accountID uint64, name string, subscribed bool) error {
	if len(name) > MaxSubscriptionName {
		return ErrLimit
	}
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		key := subscriptionKey(name)
		res := tx.Model(&IMAPSubscription{}).Where("account_id = ? AND name_key = ?", accountID, key).
			Updates(map[string]any{"subscribed": subscribed, "updated_at": now()})
		if res.Error != nil || res.RowsAffected > 0 {
			return res.Error
		}
		var n int64
		if err := tx.Model(&IMAPSubscription{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxSubscriptions {
			return ErrLimit
		}
		row := IMAPSubscription{AccountID: accountID, NameKey: key, Name: name, Subscribed: subscribed, UpdatedAt: now()}
		// Two sessions subscribing the same new name at once: the second updates.
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "account_id"}, {Name: "name_key"}},
			DoUpdates: clause.Assignments(map[string]any{"subscribed": subscribed, "updated_at": now()})}).Create(&row).Error
	}))
}
