package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// WebSession is one browser login: listed under "where I am signed in" until it expires, is
// ended, or a token-version bump (logout everywhere, password change) supersedes it.
type WebSession struct {
	ID           uint64     `gorm:"primaryKey;autoIncrement"`
	AccountID    uint64     `gorm:"not null;index"`
	JTI          string     `gorm:"column:jti;type:varchar(64);not null;uniqueIndex"`
	TokenVersion uint64     `gorm:"not null;default:0"`
	CreatedAt    time.Time  `gorm:"not null"`
	LastSeenAt   time.Time  `gorm:"not null"`
	ExpiresAt    time.Time  `gorm:"not null;index"`
	IP           string     `gorm:"column:ip;type:varchar(64);not null;default:''"`
	UserAgent    string     `gorm:"type:varchar(512);not null;default:''"`
	RevokedAt    *time.Time `gorm:"index"`
}

// CreateWebSession records a login's session.
func (s *Store) CreateWebSession(ctx context.Context, w *WebSession) error {
	w.CreatedAt = w.CreatedAt.UTC().Truncate(time.Millisecond)
	w.LastSeenAt = w.CreatedAt
	w.ExpiresAt = w.ExpiresAt.UTC().Truncate(time.Millisecond)
	if len(w.UserAgent) > 512 {
		w.UserAgent = w.UserAgent[:512]
	}
	return translate(s.db.WithContext(ctx).Create(w).Error)
}

// WebSessionsOf lists the live sessions of an account at its token version, newest first.
func (s *Store) WebSessionsOf(ctx context.Context, accountID, tokenVersion uint64, now time.Time) ([]WebSession, error) {
	var out []WebSession
	err := s.db.WithContext(ctx).Where("account_id = ? AND token_version = ? AND revoked_at IS NULL AND expires_at > ?",
		accountID, tokenVersion, now.UTC()).Order("last_seen_at DESC, id DESC").Find(&out).Error
	return out, translate(err)
}

// EndWebSession ends one live session of an account: its row is marked and its token id goes
// on the revocation list every request is checked against. ErrNotFound for another account's
// session, or one already ended.
func (s *Store) EndWebSession(ctx context.Context, accountID, id uint64, at time.Time) (*WebSession, error) {
	var w WebSession
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND account_id = ? AND revoked_at IS NULL", id, accountID).Take(&w).Error; err != nil {
			return err
		}
		t := at.UTC().Truncate(time.Millisecond)
		if err := tx.Model(&WebSession{}).Where("id = ?", w.ID).Update("revoked_at", t).Error; err != nil {
			return err
		}
		w.RevokedAt = &t
		return tx.Create(&RevokedToken{JTI: w.JTI, ExpiresAt: w.ExpiresAt}).Error
	})
	if err != nil {
		return nil, translate(err)
	}
	return &w, nil
}

// TouchWebSession moves a session's last-seen time forward; callers limit how often.
func (s *Store) TouchWebSession(ctx context.Context, jti string, at time.Time) error {
	return s.db.WithContext(ctx).Model(&WebSession{}).Where("jti = ? AND last_seen_at < ?", jti, at.UTC()).
		Update("last_seen_at", at.UTC().Truncate(time.Millisecond)).Error
}

// PruneWebSessions drops rows of sessions that have expired by themselves.
func (s *Store) PruneWebSessions(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&WebSession{})
	return res.RowsAffected, res.Error
}

// WebSessionByJTI is the row of a session token, ErrNotFound if it has none.
func (s *Store) WebSessionByJTI(ctx context.Context, jti string) (*WebSession, error) {
	var w WebSession
	if err := s.db.WithContext(ctx).Where("jti = ?", jti).Take(&w).Error; err != nil {
		return nil, translate(err)
	}
	return &w, nil
}
