package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// CreateAccount inserts a, with the admin domains given (a domain admin's); ErrConflict when
// the address is taken.
func (s *Store) CreateAccount(ctx context.Context, a *Account, adminDomainIDs ...uint64) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("Domain", "COS").Create(a).Error; err != nil {
			return err
		}
		return replaceAdminDomains(tx, a.ID, adminDomainIDs)
	}))
}

// AccountByEmail finds an account by its lower-cased address, with its domain and COS.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	var a Account
	err := s.accountJoined(ctx).Where("accounts.email = ?", email).Take(&a).Error
	return &a, translate(err)
}

// AccountByID finds an account by id, with its domain and COS.
func (s *Store) AccountByID(ctx context.Context, id uint64) (*Account, error) {
	var a Account
	err := s.accountJoined(ctx).Where("accounts.id = ?", id).Take(&a).Error
	return &a, translate(err)
}

// accountJoined reads an account with its domain and COS in one query. Every authenticated
// request and every delivery reads an account: preloading took two or three round trips
// to the database, and under load (19,900 held Pings on MariaDB) each round trip is a
// chance to wait on a busy database thread (docs/performance.md, "the delivery's tail").
func (s *Store) accountJoined(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Joins("Domain").Joins("COS")
}

// ListAccounts lists accounts ordered by address, of one domain when domain is not empty.
func (s *Store) ListAccounts(ctx context.Context, domain string) ([]Account, error) {
	q := s.db.WithContext(ctx).Preload("Domain").Preload("COS").Order("accounts.email")
	if domain != "" {
		q = q.Joins("JOIN domains ON domains.id = accounts.domain_id").Where("domains.name = ?", domain)
	}
	var out []Account
	return out, translate(q.Find(&out).Error)
}

// CountByRole counts the accounts with a role (the bootstrap checks for a global admin).
func (s *Store) CountByRole(ctx context.Context, role string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Account{}).Where("role = ?", role).Count(&n).Error
	return n, err
}

// SetPassword stores a new hash and whether the user must change it at the next login (every
// new password decides that, so a user's own change clears it in the same write). With
// endSessions the token version moves on, which kills every token issued before; the new
// version is returned so the caller can re-issue its own.
func (s *Store) SetPassword(ctx context.Context, id uint64, hash string, endSessions, mustChange bool) (uint64, error) {
	updates := map[string]any{"password_hash": hash, "password_changed_at": now(), "updated_at": now(), "must_change_password": mustChange}
	if endSessions {
		updates["token_version"] = gorm.Expr("token_version + 1")
	}
	res := s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected == 0 {
		return 0, ErrNotFound
	}
	var a Account
	if err := s.db.WithContext(ctx).Select("token_version").Take(&a, id).Error; err != nil {
		return 0, translate(err)
	}
	return a.TokenVersion, nil
}

// RehashPassword replaces a hash with one of newer parameters, only if it is still the old one.
func (s *Store) RehashPassword(ctx context.Context, id uint64, oldHash, newHash string) error {
	return s.db.WithContext(ctx).Model(&Account{}).
		Where("id = ? AND password_hash = ?", id, oldHash).
		Update("password_hash", newHash).Error
}

// BumpTokenVersion invalidates every session of the account.
func (s *Store) BumpTokenVersion(ctx context.Context, id uint64) error {
	res := s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", id).
		Updates(map[string]any{"token_version": gorm.Expr("token_version + 1"), "updated_at": now()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// TouchLogin records a successful login time.
func (s *Store) TouchLogin(ctx context.Context, id uint64, at time.Time) error {
	return s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", id).
		UpdateColumn("last_login_at", at.UTC().Truncate(time.Millisecond)).Error
}

// AccountForAuth finds an account by address without its domain and COS: authentication on
// the EAS hot path needs only the row itself.
func (s *Store) AccountForAuth(ctx context.Context, email string) (*Account, error) {
	var a Account
	// Only the columns authentication reads: SQLite prepares every statement afresh with this
	// driver, and a narrow SELECT prepares faster than SELECT * (measured: it is most of the cost).
	err := s.db.WithContext(ctx).Select(authAccountColumns).Where("email = ?", email).Take(&a).Error
	return &a, translate(err)
}

const authAccountColumns = "id, email, domain_id, cos_id, password_hash, role, status, two_factor_enabled, token_version, password_changed_at, must_change_password"

// SetOof stores the account's Out-of-Office setting.
func (s *Store) SetOof(ctx context.Context, id uint64, oof string) error {
	return s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", id).UpdateColumn("oof", oof).Error
}

// AccountIDByEmail finds an active account's id by address (local delivery).
func (s *Store) AccountIDByEmail(ctx context.Context, email string) (uint64, bool, error) {
	var a Account
	err := s.db.WithContext(ctx).Select("id").Where("email = ? AND status = ?", email, StatusActive).Take(&a).Error
	if err = translate(err); err == ErrNotFound {
		return 0, false, nil
	}
	return a.ID, err == nil, err
}

// AccountPage is one page of an account search.
type AccountPage struct {
	Items []Account
	Total int64
}

// SearchAccountsPage lists accounts whose address contains q, of the domains domainIDs when
// it is not nil (an empty list matches nothing), ordered by address.
func (s *Store) SearchAccountsPage(ctx context.Context, q string, domainIDs []uint64, offset, limit int) (*AccountPage, error) {
	db := s.db.WithContext(ctx).Model(&Account{})
	if q != "" {
		db = db.Where("LOWER(email) LIKE LOWER(?) ESCAPE '!'", likePattern(q))
	}
	if domainIDs != nil {
		db = db.Where("domain_id IN ?", domainIDs)
	}
	var p AccountPage
	if err := db.Session(&gorm.Session{}).Count(&p.Total).Error; err != nil {
		return nil, err
	}
	err := db.Preload("Domain").Preload("COS").Order("email").Offset(offset).Limit(limit).Find(&p.Items).Error
	return &p, err
}

// UpdateAccount writes role, COS or status changes; with endSessions the token version moves on
// (an empty patch with endSessions only ends the sessions).
func (s *Store) UpdateAccount(ctx context.Context, id uint64, p AccountPatch, endSessions bool) error {
	return updateAccount(s.db.WithContext(ctx), id, p, endSessions)
}

func updateAccount(db *gorm.DB, id uint64, p AccountPatch, endSessions bool) error {
	fields := updates(p.Fields())
	fields["updated_at"] = now()
	if endSessions {
		fields["token_version"] = gorm.Expr("token_version + 1")
	}
	res := db.Model(&Account{}).Where("id = ?", id).Updates(fields)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}
