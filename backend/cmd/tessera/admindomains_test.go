package main_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestAccountAdminDomains(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		for _, d := range []string{"example.org", "a.com", "b.org"} {
			c.ok("domain", "create", d)
		}
		adminDomains := func(email string) []string {
			t.Helper()
			var v struct {
				Role         string
				AdminDomains []string
			}
			if err := json.Unmarshal([]byte(c.ok("account", "show", email, "--json")), &v); err != nil {
				t.Fatal(err)
			}
			return v.AdminDomains
		}

		// Refused before anything is written.
		c.fails(2, `tessera: unknown domain "nowhere.test"`, "account", "create", "dana@example.org", "--role", "domain_admin", "--admin-domains", "a.com,nowhere.test")
		c.fails(1, "does not exist", "account", "show", "dana@example.org")
		c.fails(2, "--admin-domains goes with --role domain_admin", "account", "create", "dana@example.org", "--admin-domains", "a.com")
		c.fails(1, "does not exist", "account", "show", "dana@example.org")

		c.ok("account", "create", "dana@example.org", "--role", "domain_admin", "--admin-domains", "B.org, a.com")
		if got := adminDomains("dana@example.org"); !slices.Equal(got, []string{"a.com", "b.org"}) {
			t.Fatalf("created with --admin-domains: %v", got)
		}
		if out := c.ok("account", "show", "dana@example.org"); !strings.Contains(out, "\n  admin domains a.com, b.org\n") {
			t.Fatalf("show:\n%s", out)
		}
		c.ok("account", "create", "eve@example.org", "--role", "domain_admin")
		if got := adminDomains("eve@example.org"); !slices.Equal(got, []string{"example.org"}) {
			t.Fatalf("without --admin-domains: %v", got)
		}
		c.ok("account", "create", "bob@example.org")
		if got := adminDomains("bob@example.org"); got != nil {
			t.Fatalf("a user has admin domains: %v", got)
		}

		// set: replace, unknown domain (nothing changes), wrong role, back to the own domain.
		c.ok("account", "set", "eve@example.org", "--admin-domains", "a.com")
		if got := adminDomains("eve@example.org"); !slices.Equal(got, []string{"a.com"}) {
			t.Fatalf("after set: %v", got)
		}
		c.fails(2, `tessera: unknown domain "x.test"`, "account", "set", "eve@example.org", "--status", "locked", "--admin-domains", "b.org,x.test")
		if out := c.ok("account", "show", "eve@example.org"); !strings.Contains(out, "status active") || !strings.Contains(out, "admin domains a.com\n") {
			t.Fatalf("a refused set changed something:\n%s", out)
		}
		c.fails(2, "admin domains are for accounts with the domain_admin role", "account", "set", "bob@example.org", "--admin-domains", "a.com")
		c.fails(2, "--admin-domains goes with --role domain_admin", "account", "set", "eve@example.org", "--role", "user", "--admin-domains", "a.com")
		c.ok("account", "set", "eve@example.org", "--admin-domains", "")
		if got := adminDomains("eve@example.org"); !slices.Equal(got, []string{"example.org"}) {
			t.Fatalf("after --admin-domains '': %v", got)
		}

		// A domain someone administers is not deleted; leaving the role frees it.
		c.ok("domain", "create", "empty.net")
		c.ok("account", "set", "dana@example.org", "--admin-domains", "empty.net,a.com")
		c.fails(1, `domain "empty.net" is administered by a domain admin`, "domain", "delete", "empty.net")
		out := c.ok("account", "set", "dana@example.org", "--role", "user", "--json")
		if strings.Contains(out, "adminDomains") {
			t.Fatalf("a user after the role change: %s", out)
		}
		s := storetest.Open(t, b)
		dana, err := s.AccountByEmail(t.Context(), "dana@example.org")
		if err != nil || dana.Role != store.RoleUser {
			t.Fatal(dana, err)
		}
		if rows, _ := s.AdminDomainsOf(t.Context(), dana.ID); len(rows) != 0 {
			t.Fatalf("rows left: %+v", rows)
		}
		c.ok("domain", "delete", "empty.net")

		// The change is audited.
		audit := c.ok("audit", "--account", "eve@example.org", "--format", "csv")
		if !strings.Contains(audit, "admin_domains=a.com") || !strings.Contains(audit, "admin_domains=own domain") {
			t.Fatalf("audit:\n%s", audit)
		}
	})
}
