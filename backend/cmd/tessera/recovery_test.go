package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// account set --recovery-email sets and clears it; account show prints it; a bad address is
// refused (exit 2: bad input) and changes nothing.
func TestAccountRecoveryEmail(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org")
		c.ok("account", "create", "bob@example.org")
		c.fails(2, "must differ from the account's own address", "account", "set", "bob@example.org", "--recovery-email", "Bob@Example.org")
		c.fails(2, "plain address", "account", "set", "bob@example.org", "--recovery-email", "nope")
		c.ok("account", "set", "bob@example.org", "--recovery-email", "Bob@Elsewhere.net")
		if out := c.ok("account", "show", "bob@example.org"); !strings.Contains(out, "\n  recovery address bob@elsewhere.net\n") {
			t.Fatalf("show:\n%s", out)
		}
		c.ok("account", "set", "bob@example.org", "--recovery-email", "")
		var v struct{ RecoveryEmail *string }
		if err := json.Unmarshal([]byte(c.ok("account", "show", "bob@example.org", "--json")), &v); err != nil || v.RecoveryEmail == nil || *v.RecoveryEmail != "" {
			t.Fatalf("after clearing: %v %v", v.RecoveryEmail, err)
		}
	})
}
