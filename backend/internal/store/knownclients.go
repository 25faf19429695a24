package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Kinds of known clients.
const (
	KnownDevice  = "device"  // an EAS DeviceId
	KnownAddress = "address" // a client address
)

// KnownClient is a device or an address that opened an account with the account password at
// LastSeenAt (package authn gives its password attempts a throttle counter of their own).
type KnownClient struct {
	ID         uint64    `gorm:"primaryKey"`
	AccountID  uint64    `gorm:"not null"`
	Kind       string    `gorm:"type:varchar(16);not null"`
	Client     string    `gorm:"type:varchar(64);not null"`
	LastSeenAt time.Time `gorm:"not null"`
}

// KnownClients returns what is known of an account's device (deviceID, "" for none) and
// address, seen since since: at most one row of each kind, in one indexed statement.
func (s *Store) KnownClients(ctx context.Context, accountID uint64, deviceID, address string, since time.Time) ([]KnownClient, error) {
	var out []KnownClient
	err := s.db.WithContext(ctx).
		Where("account_id = ? AND last_seen_at >= ? AND ((kind = ? AND client = ?) OR (kind = ? AND client = ?))",
			accountID, since.UTC(), KnownDevice, deviceID, KnownAddress, address).
		Find(&out).Error
	return out, err
}

// RememberClient records that a client opened an account with its password at at, and keeps
// the account's keep most recently seen clients only (a phone on a mobile network shows many
// addresses).
func (s *Store) RememberClient(ctx context.Context, accountID uint64, kind, client string, at time.Time, keep int) error {
	db := s.db.WithContext(ctx)
	k := &KnownClient{AccountID: accountID, Kind: kind, Client: client, LastSeenAt: at.UTC().Truncate(time.Millisecond)}
	if err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "account_id"}, {Name: "kind"}, {Name: "client"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_seen_at"}),
	}).Create(k).Error; err != nil {
		return err
	}
	var stale []uint64
	if err := db.Model(&KnownClient{}).Where("account_id = ?", accountID).
		Order("last_seen_at DESC, id DESC").Offset(keep).Limit(1000).Pluck("id", &stale).Error; err != nil {
		return err
	}
	if len(stale) == 0 {
		return nil
	}
	return db.Where("id IN ?", stale).Delete(&KnownClient{}).Error
}
