package store

import (
	"context"
	"time"
)

// AppleProfile is a one-time Apple configuration profile waiting for its download: the
// profile sealed with a key that only its download token opens, under the token's hash.
type AppleProfile struct {
	ID           string    `gorm:"type:varchar(64);primaryKey"` // hex SHA-256 of the download token
	AccountID    uint64    `gorm:"not null;index"`
	CredentialID uint64    `gorm:"not null"`
	Sealed       []byte    `gorm:"not null"`
	ExpiresAt    time.Time `gorm:"not null;index"`
	CreatedAt    time.Time `gorm:"not null"`
}

// CreateAppleProfile stores a sealed one-time profile.
func (s *Store) CreateAppleProfile(ctx context.Context, p *AppleProfile) error {
	p.ExpiresAt = p.ExpiresAt.UTC().Truncate(time.Millisecond)
	return translate(s.db.WithContext(ctx).Create(p).Error)
}

// AppleProfileByID reads a waiting profile; ErrNotFound when there is none.
func (s *Store) AppleProfileByID(ctx context.Context, id string) (*AppleProfile, error) {
	var p AppleProfile
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// DeleteAppleProfile removes a profile and reports whether this call removed it: of two
// downloads at once, only the one whose delete took the row may hand the profile out.
func (s *Store) DeleteAppleProfile(ctx context.Context, id string) (bool, error) {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&AppleProfile{})
	return res.RowsAffected == 1, res.Error
}

// DeleteAppleProfilesOfCredential removes the waiting profiles of a credential (deleted).
func (s *Store) DeleteAppleProfilesOfCredential(ctx context.Context, accountID, credentialID uint64) error {
	return s.db.WithContext(ctx).Where("account_id = ? AND credential_id = ?", accountID, credentialID).
		Delete(&AppleProfile{}).Error
}

// PruneAppleProfiles drops profiles that expired before a time without being downloaded.
func (s *Store) PruneAppleProfiles(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&AppleProfile{})
	return res.RowsAffected, res.Error
}
