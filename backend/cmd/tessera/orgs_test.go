package main_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestDomainAndCOSCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org", "--two-factor", "required")
		c.fails(2, "wants true or false", "domain", "create", "bad.org", "--eas-require-device-password", "maybe")
		c.fails(2, "required, forbidden or unset", "domain", "create", "bad.org", "--two-factor", "sometimes")
		c.fails(1, "does not exist", "domain", "show", "bad.org") // the refused creates left nothing
		c.ok("domain", "create", "empty.net")
		c.ok("cos", "create", "staff", "--eas-enabled", "false")
		c.ok("account", "create", "alice@example.org", "--cos", "staff")

		list := c.ok("domain", "list")
		if !regexp.MustCompile(`(?m)^example\.org\s+required\s+false\s+1$`).MatchString(list) ||
			!regexp.MustCompile(`(?m)^empty\.net\s+unset\s+false\s+0$`).MatchString(list) {
			t.Fatalf("domain list:\n%s", list)
		}
		var ds []struct {
			Name, TwoFactor          string
			EASRequireDevicePassword bool
			Accounts                 int
		}
		if err := json.Unmarshal([]byte(c.ok("domain", "set", "Example.ORG", "--eas-require-device-password", "true", "--json")), &ds); err == nil {
			t.Fatal("set --json printed a list; want one object")
		}
		if err := json.Unmarshal([]byte(c.ok("domain", "list", "--json")), &ds); err != nil || len(ds) != 2 {
			t.Fatalf("domain list --json: %v %+v", err, ds)
		}
		if ds[1].Name != "example.org" || !ds[1].EASRequireDevicePassword || ds[1].TwoFactor != "required" || ds[1].Accounts != 1 {
			t.Fatalf("example.org after set: %+v", ds[1])
		}
		c.fails(2, "nothing to change", "domain", "set", "example.org")
		c.fails(1, "does not exist", "domain", "set", "nowhere.org", "--two-factor", "unset")
		c.fails(1, "still has accounts", "domain", "delete", "example.org")
		if out := c.ok("domain", "delete", "empty.net"); out != "deleted domain empty.net\n" {
			t.Fatalf("delete: %q", out)
		}
		c.fails(1, "does not exist", "domain", "delete", "empty.net")

		if out := c.ok("cos", "show", "staff"); !regexp.MustCompile(`(?m)^staff\s+unset\s+false\s+1\s+inherit\s+inherit$`).MatchString(out) {
			t.Fatalf("cos show:\n%s", out)
		}
		var cs struct {
			Name       string
			EASEnabled bool
			TwoFactor  string
		}
		if err := json.Unmarshal([]byte(c.ok("cos", "set", "staff", "--eas-enabled", "yes", "--two-factor", "forbidden", "--json")), &cs); err != nil || !cs.EASEnabled || cs.TwoFactor != "forbidden" {
			t.Fatalf("cos set: %v %+v", err, cs)
		}
		c.fails(2, "unknown flag", "cos", "set", "staff", "--eas-require-device-password", "true")
		c.fails(1, "still has accounts", "cos", "delete", "staff")
		c.ok("cos", "create", "spare")
		c.ok("cos", "delete", "spare")
		c.fails(1, "does not exist", "cos", "show", "spare")
		// Every change is in the audit log, by the CLI.
		s := storetest.Open(t, b)
		var n int64
		s.Gorm().Table("audit_events").Where("action IN ? AND actor = ?", []string{"domain_updated", "domain_deleted", "cos_updated", "cos_deleted"}, "cli").Count(&n)
		if n < 5 {
			t.Fatalf("audited org changes: %d", n)
		}
	})
}
