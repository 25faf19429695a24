package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// PasskeyKey is the public half of a passkey: the WebAuthn credential id, its COSE public key,
// the sign counter and flags, and the authenticator model (AAGUID). Nothing in it is secret.
// The label, status and dates are those of its credentials row (CredentialID).
type PasskeyKey struct {
	ID           uint64 `gorm:"primaryKey"`
	CredentialID uint64 `gorm:"not null;uniqueIndex"`
	AccountID    uint64 `gorm:"not null;index"`
	// KeyIDHash is the SHA-256 of the raw credential id (hex): ids reach 1023 bytes, too long
	// for a unique index on MySQL.
	KeyIDHash      string    `gorm:"type:varchar(64);not null;uniqueIndex"`
	KeyID          string    `gorm:"type:text;not null"` // base64url
	PublicKey      string    `gorm:"type:text;not null"` // base64url COSE key
	AAGUID         string    `gorm:"column:aaguid;type:varchar(36);not null;default:''"`
	SignCount      uint32    `gorm:"not null;default:0"`
	BackupEligible bool      `gorm:"not null;default:false"`
	BackupState    bool      `gorm:"not null;default:false"`
	UserVerified   bool      `gorm:"not null;default:false"`
	Transports     string    `gorm:"type:varchar(191);not null;default:''"` // comma-separated
	AttestationFmt string    `gorm:"type:varchar(32);not null;default:''"`
	Uses           uint64    `gorm:"not null;default:0"`
	CreatedAt      time.Time `gorm:"not null"`
}

// PasskeyCeremony is a WebAuthn ceremony in flight: the challenge and what it may finish. It
// is taken (deleted) by the one request that finishes it, so a challenge works once.
type PasskeyCeremony struct {
	ID        string    `gorm:"type:varchar(64);primaryKey"`
	AccountID uint64    `gorm:"not null;default:0"` // 0: a passwordless sign-in (anyone's)
	Purpose   string    `gorm:"type:varchar(16);not null"`
	Session   string    `gorm:"type:text;not null"` // the library's session data, JSON
	ExpiresAt time.Time `gorm:"not null;index"`
}

// CreatePasskey stores a passkey's credentials row and its key in one transaction. A key id
// already stored (the same authenticator registered twice) is ErrConflict.
func (s *Store) CreatePasskey(ctx context.Context, c *Credential, k *PasskeyKey) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		k.CredentialID, k.AccountID = c.ID, c.AccountID
		return tx.Create(k).Error
	}))
}

// PasskeyKeys lists the keys of an account's enabled passkeys.
func (s *Store) PasskeyKeys(ctx context.Context, accountID uint64) ([]PasskeyKey, error) {
	var out []PasskeyKey
	err := s.db.WithContext(ctx).Joins("JOIN credentials ON credentials.id = passkey_keys.credential_id").
		Where("credentials.account_id = ? AND credentials.kind = ? AND credentials.status = ?", accountID, KindPasskey, CredEnabled).
		Order("passkey_keys.id").Find(&out).Error
	return out, err
}

// PasskeyKeyByHash finds the key of an enabled passkey by the hash of its credential id.
func (s *Store) PasskeyKeyByHash(ctx context.Context, keyIDHash string) (*PasskeyKey, error) {
	var k PasskeyKey
	err := s.db.WithContext(ctx).Joins("JOIN credentials ON credentials.id = passkey_keys.credential_id").
		Where("passkey_keys.key_id_hash = ? AND credentials.kind = ? AND credentials.status = ?", keyIDHash, KindPasskey, CredEnabled).
		Take(&k).Error
	return &k, translate(err)
}

// PasskeyUse is what a verified assertion changes on a key.
type PasskeyUse struct {
	OldCount, NewCount        uint32
	BackupState, UserVerified bool
	At                        time.Time
	Address                   string
}

// RecordPasskeyUse stores the new counter and flags only if the counter is still the one the
// assertion was checked against, and records the use on the credentials row. false: another
// request used the key meanwhile (a race, or a replay), and nothing changed.
func (s *Store) RecordPasskeyUse(ctx context.Context, k *PasskeyKey, u PasskeyUse) (bool, error) {
	ok := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&PasskeyKey{}).Where("id = ? AND sign_count = ?", k.ID, u.OldCount).
			Updates(map[string]any{"sign_count": u.NewCount, "backup_state": u.BackupState, "user_verified": u.UserVerified,
				"uses": gorm.Expr("uses + 1")}) // always a change: MySQL counts only changed rows
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		ok = true
		return tx.Model(&Credential{}).Where("id = ?", k.CredentialID).
			Updates(map[string]any{"last_used_at": u.At.UTC().Truncate(time.Millisecond), "last_used_ip": u.Address}).Error
	})
	return ok, err
}

// SavePasskeyCeremony stores a ceremony in flight.
func (s *Store) SavePasskeyCeremony(ctx context.Context, c *PasskeyCeremony) error {
	c.ExpiresAt = c.ExpiresAt.UTC().Truncate(time.Millisecond)
	return translate(s.db.WithContext(ctx).Create(c).Error)
}

// TakePasskeyCeremony removes a ceremony and returns it, if it exists for that purpose and
// account and has not expired at now. Of two requests with one id only the one whose delete
// removed the row gets it.
func (s *Store) TakePasskeyCeremony(ctx context.Context, id, purpose string, accountID uint64, at time.Time) (*PasskeyCeremony, error) {
	var c PasskeyCeremony
	q := s.db.WithContext(ctx).Where("id = ? AND purpose = ? AND account_id = ?", id, purpose, accountID)
	if err := translate(q.Take(&c).Error); err != nil {
		return nil, err
	}
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&PasskeyCeremony{})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 || !at.Before(c.ExpiresAt) {
		return nil, ErrNotFound
	}
	return &c, nil
}

// PrunePasskeyCeremonies drops ceremonies that expired before t (never finished).
func (s *Store) PrunePasskeyCeremonies(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", before.UTC()).Delete(&PasskeyCeremony{})
	return res.RowsAffected, res.Error
}

// CountSecondFactors counts an account's enabled OTP entries and passkeys: what 2FA needs.
func (s *Store) CountSecondFactors(ctx context.Context, accountID uint64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Credential{}).
		Where("account_id = ? AND kind IN ? AND status = ?", accountID, []string{KindOTP, KindPasskey}, CredEnabled).Count(&n).Error
	return n, err
}

// passkeyModels sets AAGUID on the passkeys among creds, in one query.
func (s *Store) passkeyModels(ctx context.Context, creds ...*Credential) error {
	byID := map[uint64]*Credential{}
	ids := []uint64{}
	for _, c := range creds {
		if c.Kind == KindPasskey {
			byID[c.ID] = c
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var keys []PasskeyKey
	err := s.db.WithContext(ctx).Select("credential_id, aaguid").Where("credential_id IN ?", ids).Find(&keys).Error
	for _, k := range keys {
		byID[k.CredentialID].AAGUID = k.AAGUID
	}
	return err
}
