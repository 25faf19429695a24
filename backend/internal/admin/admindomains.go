package admin

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// adminDomainsChange works out the admin_domains rows a patch leaves: nil when they stay,
// empty when they go (the account administers its own domain again, or is no domain admin any
// more), and the audit text of the change. Nothing is written here, so an unknown domain
// leaves the account untouched.
func (s *Service) adminDomainsChange(ctx context.Context, a *store.Account, p AccountPatch) ([]uint64, string, error) {
	role := a.Role
	if p.Role != nil {
		role = *p.Role
	}
	if p.AdminDomains == nil {
		if a.Role == store.RoleDomainAdmin && role != store.RoleDomainAdmin {
			return []uint64{}, "admin_domains=none", nil
		}
		return nil, "", nil
	}
	if role != store.RoleDomainAdmin {
		return nil, "", fault.Invalidf("admin domains are for accounts with the domain_admin role")
	}
	ids, names, err := ResolveDomains(ctx, s.store, *p.AdminDomains)
	if err != nil {
		return nil, "", err
	}
	if len(names) == 0 {
		return ids, "admin_domains=own domain", nil
	}
	slices.Sort(names)
	return ids, "admin_domains=" + strings.Join(names, ","), nil
}

// DomainResolver finds domains by name.
type DomainResolver interface {
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
}

// ResolveDomains turns domain names into ids (duplicates and blanks dropped); an unknown name
// is an Invalid fault naming it.
func ResolveDomains(ctx context.Context, st DomainResolver, list []string) ([]uint64, []string, error) {
	ids, names := []uint64{}, []string{}
	for _, n := range list {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || slices.Contains(names, n) {
			continue
		}
		d, err := st.DomainByName(ctx, n)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, fault.Invalidf("unknown domain %q", n)
		} else if err != nil {
			return nil, nil, err
		}
		ids, names = append(ids, d.ID), append(names, d.Name)
	}
	return ids, names, nil
}

// ScopeOf is the scope of an administrator's account.
func (s *Service) ScopeOf(ctx context.Context, a *store.Account) (Scope, error) {
	return ScopeOf(ctx, s.store, a)
}

// DomainsAdministeredBy lists the domains an account administers when it is a domain admin
// (nil for other roles): what it may know about itself.
func (s *Service) DomainsAdministeredBy(ctx context.Context, a *store.Account) ([]string, error) {
	return AdminDomainNames(ctx, s.store, a)
}

// AdminDomains lists the domains a domain admin administers, as far as the viewer may know of
// them: a domain admin looking at another sees only the domains both administer (nil for
// accounts of other roles).
func (s *Service) AdminDomains(ctx context.Context, sc Scope, a *store.Account) ([]string, error) {
	all, err := AdminDomainNames(ctx, s.store, a)
	if err != nil || sc.Global || all == nil {
		return all, err
	}
	mine := sc.DomainNames()
	out := []string{}
	for _, n := range all {
		if slices.Contains(mine, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
