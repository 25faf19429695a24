package main_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestOrgPasswordPolicyCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org", "--password-min-length", "14")
		c.ok("cos", "create", "staff")
		c.fails(2, "between 1 and 128", "domain", "create", "bad.org", "--password-min-length", "200")
		c.fails(2, "a number or inherit", "domain", "set", "example.org", "--password-min-length", "long")
		c.fails(2, "true, false or inherit", "domain", "set", "example.org", "--password-require-digit", "maybe")
		c.fails(2, "unknown flag", "cos", "set", "staff", "--account-password-for-mail", "false")

		// The domain's minimum applies to a password given to account create; 12 characters fail.
		c.fails(2, "password refused", "account", "create", "alice@example.org", "--password", "Quartz-Hero7")
		c.ok("account", "create", "alice@example.org", "--password", "Quartz-Heron-77")

		out := c.ok("domain", "set", "example.org", "--password-require-digit=false", "--password-require-symbol", "true", "--account-password-for-mail=false")
		for _, want := range []string{`(?m)^min length\s+14$`, `(?m)^require digit\s+false$`, `(?m)^require symbol\s+true$`,
			`(?m)^require lowercase\s+inherit$`, `(?m)^account password for mail\s+false$`, `(?m)^example\.org\s+unset\s+false\s+1$`} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("domain set output lacks %s:\n%s", want, out)
			}
		}
		var d struct {
			PasswordMinLength      *int
			PasswordRequireDigit   *bool
			PasswordRequireSymbol  *bool
			AccountPasswordForMail bool
		}
		if err := json.Unmarshal([]byte(c.ok("domain", "set", "example.org", "--password-min-length", "inherit", "--password-require-symbol", "INHERIT", "--json")), &d); err != nil {
			t.Fatal(err)
		}
		if d.PasswordMinLength != nil || d.PasswordRequireSymbol != nil || d.PasswordRequireDigit == nil || *d.PasswordRequireDigit || d.AccountPasswordForMail {
			t.Fatalf("after clearing: %+v", d)
		}
		if err := json.Unmarshal([]byte(c.ok("domain", "show", "example.org", "--json")), &d); err != nil || d.PasswordMinLength != nil {
			t.Fatalf("show --json: %v %+v", err, d)
		}

		// A COS override, shown without the domain-only switch.
		out = c.ok("cos", "set", "staff", "--password-min-length", "20", "--password-require-uppercase", "false")
		if !regexp.MustCompile(`(?m)^min length\s+20$`).MatchString(out) || !regexp.MustCompile(`(?m)^require uppercase\s+false$`).MatchString(out) ||
			regexp.MustCompile(`account password for mail`).MatchString(out) {
			t.Fatalf("cos set output:\n%s", out)
		}
		out = c.ok("cos", "show", "staff")
		if !regexp.MustCompile(`(?m)^min length\s+20$`).MatchString(out) {
			t.Fatalf("cos show:\n%s", out)
		}
		// The COS's 20 now applies to alice's domain-mate in the COS.
		c.fails(2, "password refused", "account", "create", "bob@example.org", "--cos", "staff", "--password", "Quartz-Heron-77")
		if out := c.ok("account", "create", "bob@example.org", "--cos", "staff"); !regexp.MustCompile(`(?m)^password: \S{20,}$`).MatchString(out) {
			t.Fatalf("generated password under a COS minimum of 20: %q", out)
		}

		s := storetest.Open(t, b)
		var n int64
		s.Gorm().Table("audit_events").Where("action = ? AND actor = ? AND reason LIKE ?", "domain_updated", "cli", "%pw_min_length=inherit%").Count(&n)
		if n != 1 {
			t.Fatalf("audited clear of the minimum length: %d", n)
		}
	})
}
