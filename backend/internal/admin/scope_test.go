package admin

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// A domain admin reads the accounts of their domains and acts on the users among them only; a
// global admin, and the operator's CLI (a global scope), act on every account.
func TestScopeManages(t *testing.T) {
	domain := Scope{Domains: []store.Domain{{ID: 1, Name: "example.com"}}, Actor: "dana@example.com"}
	global := Scope{Global: true, Actor: "admin@example.com"}
	cli := Scope{Global: true, Actor: audit.ActorCLI} // as cmd/tessera's cliScope
	for _, tc := range []struct {
		role         string
		domainID     uint64
		covers, acts bool
	}{
		{store.RoleUser, 1, true, true},
		{store.RoleDomainAdmin, 1, true, false},
		{store.RoleGlobalAdmin, 1, true, false},
		{store.RoleUser, 2, false, false},
		{store.RoleGlobalAdmin, 2, false, false},
	} {
		a := &store.Account{Role: tc.role, DomainID: tc.domainID}
		if got := domain.Covers(a); got != tc.covers {
			t.Errorf("domain admin covers a %s of domain %d: %v", tc.role, tc.domainID, got)
		}
		if got := domain.Manages(a); got != tc.acts {
			t.Errorf("domain admin manages a %s of domain %d: %v", tc.role, tc.domainID, got)
		}
		for name, sc := range map[string]Scope{"global admin": global, "CLI": cli} {
			if !sc.Covers(a) || !sc.Manages(a) {
				t.Errorf("%s does not manage a %s of domain %d", name, tc.role, tc.domainID)
			}
		}
	}
}
