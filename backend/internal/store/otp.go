package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CreateOTPCredential inserts an OTP entry and its PIN codes in one transaction. seal gets the
// new row id (the associated data of the sealed seed) and returns the sealed seed to store.
func (s *Store) CreateOTPCredential(ctx context.Context, c *Credential, seal func(id uint64) (string, error), pinHashes []string) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		enc, err := seal(c.ID)
		if err != nil {
			return err
		}
		if err := tx.Model(c).Update("secret_enc", enc).Error; err != nil {
			return err
		}
		c.SecretEnc = enc
		c.PINCodesLeft = len(pinHashes)
		pins := make([]PinCode, len(pinHashes))
		for i, h := range pinHashes {
			pins[i] = PinCode{CredentialID: c.ID, CodeHash: h}
		}
		if len(pins) == 0 {
			return nil
		}
		return tx.Create(&pins).Error
	}))
}

// OTPEntries lists an account's OTP entries with one of the statuses.
func (s *Store) OTPEntries(ctx context.Context, accountID uint64, statuses ...string) ([]Credential, error) {
	var out []Credential
	err := s.db.WithContext(ctx).Where("account_id = ? AND kind = ? AND status IN ?", accountID, KindOTP, statuses).
		Order("id").Find(&out).Error
	return out, err
}

// CountOTP counts an account's OTP entries with a status.
func (s *Store) CountOTP(ctx context.Context, accountID uint64, status string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Credential{}).Where("account_id = ? AND kind = ? AND status = ?", accountID, KindOTP, status).Count(&n).Error
	return n, err
}

// AcceptTOTPStep records step as used for the entry, only if it is newer than the last one
// accepted; false means the step (or a later one) was already used: a replay.
// With enable, a pending entry becomes enabled in the same statement (confirmation).
func (s *Store) AcceptTOTPStep(ctx context.Context, id uint64, step int64, enable bool) (bool, error) {
	updates := map[string]any{"last_step": step, "failed_attempts": 0, "updated_at": now()}
	q := s.db.WithContext(ctx).Model(&Credential{}).Where("id = ? AND last_step < ?", id, step)
	if enable {
		updates["status"] = CredEnabled
		updates["expires_at"] = nil // the pending entry's discard time no longer applies
		q = q.Where("status = ?", CredPending)
	} else {
		q = q.Where("status = ?", CredEnabled)
	}
	res := q.Updates(updates)
	return res.RowsAffected == 1, res.Error
}

// SpendPIN marks an unused PIN of one of the account's enabled OTP entries as used and returns
// its entry. The conditional update makes it single-use under concurrent attempts.
func (s *Store) SpendPIN(ctx context.Context, accountID uint64, codeHash string) (uint64, bool, error) {
	var pin PinCode
	err := s.db.WithContext(ctx).
		Joins("JOIN credentials ON credentials.id = pin_codes.credential_id").
		Where("credentials.account_id = ? AND credentials.kind = ? AND credentials.status = ? AND pin_codes.code_hash = ? AND pin_codes.used_at IS NULL",
			accountID, KindOTP, CredEnabled, codeHash).
		Take(&pin).Error
	if err = translate(err); err == ErrNotFound {
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	res := s.db.WithContext(ctx).Model(&PinCode{}).Where("id = ? AND used_at IS NULL", pin.ID).Update("used_at", now())
	if res.Error != nil || res.RowsAffected != 1 {
		return 0, false, res.Error
	}
	if err := s.db.WithContext(ctx).Model(&Credential{}).Where("id = ?", pin.CredentialID).
		Update("failed_attempts", 0).Error; err != nil {
		return 0, false, err
	}
	return pin.CredentialID, true, nil
}

// countPINsLeft sets PINCodesLeft on the OTP entries among creds, in one query.
// Passkeys among them get their AAGUID.
func (s *Store) countPINsLeft(ctx context.Context, creds ...*Credential) error {
	if err := s.passkeyModels(ctx, creds...); err != nil {
		return err
	}
	byID := map[uint64]*Credential{}
	for _, c := range creds {
		if c.Kind == KindOTP {
			byID[c.ID] = c
		}
	}
	if len(byID) == 0 {
		return nil
	}
	ids := make([]uint64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	var rows []struct {
		CredentialID uint64
		N            int
	}
	err := s.db.WithContext(ctx).Model(&PinCode{}).Select("credential_id, COUNT(*) AS n").
		Where("credential_id IN ? AND used_at IS NULL", ids).Group("credential_id").Scan(&rows).Error
	for _, r := range rows {
		byID[r.CredentialID].PINCodesLeft = r.N
	}
	return err
}

// CountUnusedPINs counts how many of the hashes are unused PINs of the entry.
func (s *Store) CountUnusedPINs(ctx context.Context, credentialID uint64, hashes []string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&PinCode{}).
		Where("credential_id = ? AND code_hash IN ? AND used_at IS NULL", credentialID, hashes).Count(&n).Error
	return n, err
}

// RecordOTPFailure counts a failed second factor on every enabled OTP entry of the account and
// locks those that reach lockAt consecutive failures. It returns the labels it locked.
func (s *Store) RecordOTPFailure(ctx context.Context, accountID uint64, lockAt int) ([]string, error) {
	var locked []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		scope := tx.Model(&Credential{}).Where("account_id = ? AND kind = ? AND status = ?", accountID, KindOTP, CredEnabled)
		if err := scope.Update("failed_attempts", gorm.Expr("failed_attempts + 1")).Error; err != nil {
			return err
		}
		lock := tx.Model(&Credential{}).Where("account_id = ? AND kind = ? AND status = ? AND failed_attempts >= ?", accountID, KindOTP, CredEnabled, lockAt)
		if err := lock.Session(&gorm.Session{}).Pluck("label", &locked).Error; err != nil {
			return err
		}
		if len(locked) == 0 {
			return nil
		}
		return lock.Update("status", CredLocked).Error
	})
	return locked, err
}

// DeletePendingOTP drops OTP entries never confirmed since before; their PINs go with them.
func (s *Store) DeletePendingOTP(ctx context.Context, before time.Time) (int64, error) {
	var ids []uint64
	db := s.db.WithContext(ctx)
	if err := db.Model(&Credential{}).Where("kind = ? AND status = ? AND created_at < ?", KindOTP, CredPending, before.UTC()).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return 0, err
	}
	if err := db.Where("credential_id IN ?", ids).Delete(&PinCode{}).Error; err != nil {
		return 0, err
	}
	res := db.Where("id IN ? AND status = ?", ids, CredPending).Delete(&Credential{})
	return res.RowsAffected, res.Error
}

// ReplacePINs gives an OTP entry new PIN codes in one transaction: its unused ones are deleted
// (they stop at once; used ones stay as the record of their use) and the new hashes inserted.
func (s *Store) ReplacePINs(ctx context.Context, credentialID uint64, pinHashes []string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("credential_id = ? AND used_at IS NULL", credentialID).Delete(&PinCode{}).Error; err != nil {
			return err
		}
		pins := make([]PinCode, len(pinHashes))
		for i, h := range pinHashes {
			pins[i] = PinCode{CredentialID: credentialID, CodeHash: h}
		}
		if len(pins) == 0 {
			return nil
		}
		return tx.Create(&pins).Error
	})
}

// DeletePINsOf removes the PIN codes of an entry (when the entry is deleted).
func (s *Store) DeletePINsOf(ctx context.Context, credentialID uint64) error {
	return s.db.WithContext(ctx).Where("credential_id = ?", credentialID).Delete(&PinCode{}).Error
}

// SetAccountTwoFactor stores the user's own 2FA choice.
func (s *Store) SetAccountTwoFactor(ctx context.Context, id uint64, on bool) error {
	return s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", id).
		Updates(map[string]any{"two_factor_enabled": on, "updated_at": now()}).Error
}

// SettingLevel is where a 2FA setting lives: the global settings row, a domain or a COS.
type SettingLevel int

// Setting levels.
const (
	GlobalLevel SettingLevel = iota + 1
	DomainLevel
	COSLevel
)

// SetTwoFactorSetting stores the 2FA setting of a level; name selects the domain or COS
// (ignored for global). ErrNotFound when it does not exist.
func (s *Store) SetTwoFactorSetting(ctx context.Context, level SettingLevel, name, value string) error {
	table := map[SettingLevel]string{GlobalLevel: "global_settings", DomainLevel: "domains", COSLevel: "cos"}[level]
	if table == "" {
		return fmt.Errorf("store: unknown setting level %d", level)
	}
	q := s.db.WithContext(ctx).Table(table)
	if table == "global_settings" {
		q = q.Where("id = 1")
	} else {
		q = q.Where("name = ?", name)
	}
	res := q.Update("two_factor", value)
	if res.Error == nil && res.RowsAffected == 0 {
		// MySQL reports 0 rows when the value did not change; tell that apart from a missing row.
		var n int64
		c := s.db.WithContext(ctx).Table(table)
		if table == "global_settings" {
			c = c.Where("id = 1")
		} else {
			c = c.Where("name = ?", name)
		}
		if err := c.Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
	}
	return res.Error
}
