package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm/clause"
)

// RevokeToken records a logged-out token id until its expiry; revoking twice is harmless.
// A web session row of the token, if any, is marked ended too, so it leaves the list.
func (s *Store) RevokeToken(ctx context.Context, jti string, expiresAt time.Time) error {
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&RevokedToken{JTI: jti, ExpiresAt: expiresAt.UTC().Truncate(time.Millisecond)}).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Model(&WebSession{}).Where("jti = ? AND revoked_at IS NULL", jti).
		Update("revoked_at", time.Now().UTC().Truncate(time.Millisecond)).Error
}

// IsTokenRevoked reports whether the token id was logged out.
func (s *Store) IsTokenRevoked(ctx context.Context, jti string) (bool, error) {
	var r RevokedToken
	err := s.db.WithContext(ctx).Select("jti").Where("jti = ?", jti).Take(&r).Error
	if err = translate(err); errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// PruneRevokedTokens drops records of tokens that have expired by themselves.
func (s *Store) PruneRevokedTokens(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&RevokedToken{})
	return res.RowsAffected, res.Error
}
