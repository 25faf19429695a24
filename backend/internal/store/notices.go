package store

import (
	"context"
	"time"
)

// ClaimNewDeviceNotice marks that the "new device" security notice of a device goes out; only
// the first of concurrent callers gets true.
func (s *Store) ClaimNewDeviceNotice(ctx context.Context, id uint64) (bool, error) {
	res := s.db.WithContext(ctx).Model(&Device{}).Where("id = ? AND new_device_noticed = ?", id, false).Update("new_device_noticed", true)
	return res.RowsAffected == 1, translate(res.Error)
}

// BrowsersSeen lists the browsers an account signed in with since a time: the address and
// User-Agent of its web sessions, newest first, at most limit of them (ended and expired ones
// too, until housekeeping drops them).
func (s *Store) BrowsersSeen(ctx context.Context, accountID uint64, since time.Time, limit int) ([]WebSession, error) {
	var out []WebSession
	err := s.db.WithContext(ctx).Select("ip", "user_agent", "created_at").
		Where("account_id = ? AND created_at >= ?", accountID, since.UTC()).
		Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
