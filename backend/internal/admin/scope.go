package admin

import (
	"errors"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Errors the HTTP layer maps.
var (
	// ErrNotAdmin: the caller has no admin role at all (403).
	ErrNotAdmin = errors.New("not an administrator")
	// ErrNotFound covers missing objects and objects outside the caller's domains alike, so a
	// domain admin never learns that something exists elsewhere (404).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: inside the scope, but not for this role (a domain admin making a global admin).
	ErrForbidden = errors.New("not allowed for this administrator")
)

// InputError is a request that cannot be carried out as given.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

// Scope is what an administrator administers: everything, or the accounts of a domain.
type Scope struct {
	Global   bool
	DomainID uint64
	Actor    string
}

// ScopeOf is the scope of an account's role.
func ScopeOf(a *store.Account) (Scope, error) {
	switch a.Role {
	case store.RoleGlobalAdmin:
		return Scope{Global: true, Actor: a.Email}, nil
	case store.RoleDomainAdmin:
		return Scope{DomainID: a.DomainID, Actor: a.Email}, nil
	}
	return Scope{}, ErrNotAdmin
}

// Covers reports whether the scope includes an account.
func (s Scope) Covers(a *store.Account) bool { return s.Global || a.DomainID == s.DomainID }
