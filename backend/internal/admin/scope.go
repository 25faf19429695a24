package admin

import (
	"context"
	"slices"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Errors the HTTP layer maps.
var (
	// ErrNotAdmin: the caller has no admin role at all (403).
	ErrNotAdmin = fault.New(fault.Forbidden, "forbidden", "not an administrator", "This needs an administrator.")
	// ErrNotFound covers missing objects and objects outside the caller's domains alike, so a
	// domain admin never learns that something exists elsewhere (404).
	ErrNotFound = fault.New(fault.NotFound, "not_found", "not found", "No such resource.")
	// ErrForbidden: inside the scope, but not for this role (a domain admin making a global admin,
	// or changing another administrator's account).
	ErrForbidden = fault.New(fault.Forbidden, "forbidden", "not allowed for this administrator",
		"Your administrator role does not allow this.")
)

// Scope is what an administrator administers: everything, or the accounts of some domains.
type Scope struct {
	Global bool
	// Domains a domain admin administers, by name; never empty for one.
	Domains []store.Domain
	Actor   string
}

// ScopeStore reads a domain admin's assigned domains.
type ScopeStore interface {
	AdminDomainsOf(ctx context.Context, accountID uint64) ([]store.Domain, error)
}

// ScopeOf is the scope of an account's role. A domain admin without assigned domains
// administers their own account's domain (a's Domain must be loaded).
func ScopeOf(ctx context.Context, st ScopeStore, a *store.Account) (Scope, error) {
	switch a.Role {
	case store.RoleGlobalAdmin:
		return Scope{Global: true, Actor: a.Email}, nil
	case store.RoleDomainAdmin:
		ds, err := effectiveDomains(ctx, st, a)
		return Scope{Domains: ds, Actor: a.Email}, err
	}
	return Scope{}, ErrNotAdmin
}

func effectiveDomains(ctx context.Context, st ScopeStore, a *store.Account) ([]store.Domain, error) {
	ds, err := st.AdminDomainsOf(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		ds = []store.Domain{a.Domain}
		ds[0].ID = a.DomainID
	}
	return ds, nil
}

// AdminDomainNames lists the domains a domain admin administers (nil for other roles).
func AdminDomainNames(ctx context.Context, st ScopeStore, a *store.Account) ([]string, error) {
	if a.Role != store.RoleDomainAdmin {
		return nil, nil
	}
	ds, err := effectiveDomains(ctx, st, a)
	if err != nil {
		return nil, err
	}
	return names(ds), nil
}

func names(ds []store.Domain) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

// DomainIDs are the ids of a domain admin's domains (nil for a global admin: no restriction).
func (s Scope) DomainIDs() []uint64 {
	if s.Global {
		return nil
	}
	out := make([]uint64, len(s.Domains))
	for i, d := range s.Domains {
		out[i] = d.ID
	}
	return out
}

// DomainNames are the names of a domain admin's domains (nil for a global admin).
func (s Scope) DomainNames() []string {
	if s.Global {
		return nil
	}
	return names(s.Domains)
}

// CoversDomain reports whether the scope includes a domain.
func (s Scope) CoversDomain(id uint64) bool {
	return s.Global || slices.ContainsFunc(s.Domains, func(d store.Domain) bool { return d.ID == id })
}

// Covers reports whether the scope includes an account: what it may read.
func (s Scope) Covers(a *store.Account) bool { return s.CoversDomain(a.DomainID) }

// Manages reports whether the scope may act on an account: it is covered and its role is below
// the administrator's. A domain admin administers the users of their domains; another
// administrator's account there (domain or global admin) is theirs to read, not to change, or
// they could take it over (an EAS password of a global admin opens his mailbox, a password reset
// hands over his role). A global admin, the CLI's scope too, administers everyone.
func (s Scope) Manages(a *store.Account) bool {
	return s.Covers(a) && (s.Global || a.Role == store.RoleUser)
}
