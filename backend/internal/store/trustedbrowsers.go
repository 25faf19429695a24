package store

import (
	"context"
	"time"
)

// TrustedBrowser is a browser that passed a second factor and asked to be remembered: its
// logins skip the second factor (never the password) until ExpiresAt. Only a hash of the
// cookie's token is kept.
type TrustedBrowser struct {
	ID         uint64    `gorm:"primaryKey;autoIncrement"`
	AccountID  uint64    `gorm:"not null;index"`
	TokenHash  string    `gorm:"type:varchar(64);not null;uniqueIndex"`
	IP         string    `gorm:"column:ip;type:varchar(64);not null;default:''"`
	UserAgent  string    `gorm:"type:varchar(512);not null;default:''"`
	CreatedAt  time.Time `gorm:"not null"`
	LastUsedAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

// CreateTrustedBrowser records a remembered browser.
func (s *Store) CreateTrustedBrowser(ctx context.Context, b *TrustedBrowser) error {
	b.CreatedAt = b.CreatedAt.UTC().Truncate(time.Millisecond)
	b.LastUsedAt = b.CreatedAt
	b.ExpiresAt = b.ExpiresAt.UTC().Truncate(time.Millisecond)
	if len(b.UserAgent) > 512 {
		b.UserAgent = b.UserAgent[:512]
	}
	return translate(s.db.WithContext(ctx).Create(b).Error)
}

// UseTrustedBrowser finds the live row of an account with this token hash and moves its
// last-used time and address; ErrNotFound for an unknown, expired or other account's token.
func (s *Store) UseTrustedBrowser(ctx context.Context, accountID uint64, tokenHash, ip string, now time.Time) (*TrustedBrowser, error) {
	var b TrustedBrowser
	if err := s.db.WithContext(ctx).Where("account_id = ? AND token_hash = ? AND expires_at > ?", accountID, tokenHash, now.UTC()).
		Take(&b).Error; err != nil {
		return nil, translate(err)
	}
	t := now.UTC().Truncate(time.Millisecond)
	if err := s.db.WithContext(ctx).Model(&TrustedBrowser{}).Where("id = ?", b.ID).
		Updates(map[string]any{"last_used_at": t, "ip": ip}).Error; err != nil {
		return nil, err
	}
	b.LastUsedAt, b.IP = t, ip
	return &b, nil
}

// TrustedBrowsersOf lists an account's live trusted browsers, most recently used first.
func (s *Store) TrustedBrowsersOf(ctx context.Context, accountID uint64, now time.Time) ([]TrustedBrowser, error) {
	var out []TrustedBrowser
	err := s.db.WithContext(ctx).Where("account_id = ? AND expires_at > ?", accountID, now.UTC()).
		Order("last_used_at DESC, id DESC").Find(&out).Error
	return out, translate(err)
}

// DeleteTrustedBrowser forgets one browser of an account; ErrNotFound for another account's.
func (s *Store) DeleteTrustedBrowser(ctx context.Context, accountID, id uint64) (*TrustedBrowser, error) {
	var b TrustedBrowser
	if err := s.db.WithContext(ctx).Where("id = ? AND account_id = ?", id, accountID).Take(&b).Error; err != nil {
		return nil, translate(err)
	}
	res := s.db.WithContext(ctx).Where("id = ? AND account_id = ?", id, accountID).Delete(&TrustedBrowser{})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 { // forgotten meanwhile
		return nil, ErrNotFound
	}
	return &b, nil
}

// DeleteTrustedBrowsersOf forgets every browser of an account (a password change); it returns
// how many there were.
func (s *Store) DeleteTrustedBrowsersOf(ctx context.Context, accountID uint64) (int64, error) {
	res := s.db.WithContext(ctx).Where("account_id = ?", accountID).Delete(&TrustedBrowser{})
	return res.RowsAffected, res.Error
}

// PruneTrustedBrowsers drops rows whose period ended.
func (s *Store) PruneTrustedBrowsers(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&TrustedBrowser{})
	return res.RowsAffected, res.Error
}
