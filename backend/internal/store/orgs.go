package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ErrInUse: a domain still has accounts, or a COS is still assigned to some.
var ErrInUse = errors.New("still in use")

// OrgCount is how many accounts a domain or COS has, by its id.
type OrgCount map[uint64]int64

// AccountsPerDomain counts the accounts of every domain, in one query.
func (s *Store) AccountsPerDomain(ctx context.Context) (OrgCount, error) {
	return s.accountCounts(ctx, "domain_id")
}

// AccountsPerCOS counts the accounts of every class of service, in one query.
func (s *Store) AccountsPerCOS(ctx context.Context) (OrgCount, error) {
	return s.accountCounts(ctx, "cos_id")
}

func (s *Store) accountCounts(ctx context.Context, column string) (OrgCount, error) {
	var rows []struct {
		ID uint64
		N  int64
	}
	err := s.db.WithContext(ctx).Model(&Account{}).Select(column + " AS id, COUNT(*) AS n").
		Where(column + " IS NOT NULL").Group(column).Scan(&rows).Error
	out := OrgCount{}
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, err
}

// UpdateDomain writes a change of a domain's policy; ErrNotFound when there is no such domain.
func (s *Store) UpdateDomain(ctx context.Context, id uint64, p DomainPatch) error {
	return s.updateOrg(ctx, &Domain{}, id, p.Fields())
}

// UpdateCOS writes a change of a class of service's policy; ErrNotFound when there is none.
func (s *Store) UpdateCOS(ctx context.Context, id uint64, p COSPatch) error {
	return s.updateOrg(ctx, &COS{}, id, p.Fields())
}

func (s *Store) updateOrg(ctx context.Context, model any, id uint64, fs []Field) error {
	res := s.db.WithContext(ctx).Model(model).Where("id = ?", id).Updates(updates(fs))
	if res.Error == nil && res.RowsAffected == 0 {
		// MySQL reports 0 rows for an update that changes nothing; tell that from a missing row.
		var n int64
		if err := s.db.WithContext(ctx).Model(model).Where("id = ?", id).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		return ErrNotFound
	}
	return translate(res.Error)
}

// DeleteDomain removes a domain that has no accounts (ErrInUse otherwise) and is no domain
// admin's admin domain (ErrAdministered).
func (s *Store) DeleteDomain(ctx context.Context, id uint64) error {
	return s.deleteOrg(ctx, &Domain{}, "domain_id", id)
}

// DeleteCOS removes a class of service no account belongs to (ErrInUse otherwise).
func (s *Store) DeleteCOS(ctx context.Context, id uint64) error {
	return s.deleteOrg(ctx, &COS{}, "cos_id", id)
}

// deleteOrg counts and deletes in one transaction, so an account created meanwhile on another
// instance either blocks the delete or fails on its own insert: never an orphan.
func (s *Store) deleteOrg(ctx context.Context, model any, column string, id uint64) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Account{}).Where(column+" = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrInUse
		}
		if column == "domain_id" {
			if err := tx.Model(&AdminDomain{}).Where("domain_id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return ErrAdministered
			}
		}
		res := tx.Where("id = ?", id).Delete(model)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	}))
}
