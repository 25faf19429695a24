package store

import "context"

// CreateDomain adds a domain; ErrConflict when it exists.
func (s *Store) CreateDomain(ctx context.Context, name string) (*Domain, error) {
	d := &Domain{Name: name}
	return d, translate(s.db.WithContext(ctx).Create(d).Error)
}

// DomainByName finds a domain.
func (s *Store) DomainByName(ctx context.Context, name string) (*Domain, error) {
	var d Domain
	return &d, translate(s.db.WithContext(ctx).Where("name = ?", name).Take(&d).Error)
}

// ListDomains lists every domain by name.
func (s *Store) ListDomains(ctx context.Context) ([]Domain, error) {
	var out []Domain
	return out, translate(s.db.WithContext(ctx).Order("name").Find(&out).Error)
}

// CreateCOS adds a class of service; ErrConflict when the name exists.
func (s *Store) CreateCOS(ctx context.Context, name string) (*COS, error) {
	c := &COS{Name: name}
	return c, translate(s.db.WithContext(ctx).Create(c).Error)
}

// COSByName finds a class of service.
func (s *Store) COSByName(ctx context.Context, name string) (*COS, error) {
	var c COS
	return &c, translate(s.db.WithContext(ctx).Where("name = ?", name).Take(&c).Error)
}

// ListCOS lists every class of service by name.
func (s *Store) ListCOS(ctx context.Context) ([]COS, error) {
	var out []COS
	return out, translate(s.db.WithContext(ctx).Order("name").Find(&out).Error)
}

// EASEnabledFor reports whether an account's class of service allows EAS (no COS: allowed).
func (s *Store) EASEnabledFor(ctx context.Context, cosID *uint64) (bool, error) {
	if cosID == nil {
		return true, nil
	}
	var c COS
	err := s.db.WithContext(ctx).Select("eas_enabled").Take(&c, *cosID).Error
	if translate(err) == ErrNotFound {
		return true, nil
	}
	return c.EASEnabled, err
}
