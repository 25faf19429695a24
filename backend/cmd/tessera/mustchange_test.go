package main_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// set-password --require-change: the flag is stored, shown (text and JSON) and audited; a later
// set-password without it clears it.
func TestSetPasswordRequireChange(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("domain", "create", "example.org")
		c.ok("account", "create", "alice@example.org", "--password", "Harbor-Kite-Pass-71")
		if out := c.ok("account", "show", "alice@example.org"); strings.Contains(out, "pending") {
			t.Fatalf("a new account has no change pending:\n%s", out)
		}

		out := c.ok("account", "set-password", "alice@example.org", "--require-change")
		m := generatedPW.FindStringSubmatch(out)
		if m == nil || !strings.Contains(out, "must choose a new password at the next login") {
			t.Fatalf("set-password --require-change: %q", out)
		}
		if out := c.ok("account", "show", "alice@example.org"); !strings.Contains(out, "password change pending") {
			t.Fatalf("show:\n%s", out)
		}
		var v struct {
			Email              string
			MustChangePassword *bool `json:"mustChangePassword"`
		}
		if err := json.Unmarshal([]byte(c.ok("account", "show", "alice@example.org", "--json")), &v); err != nil || v.MustChangePassword == nil || !*v.MustChangePassword {
			t.Fatalf("show --json: %+v %v", v, err)
		}
		s := storetest.Open(t, b)
		ctx := context.Background()
		a, err := s.AccountByEmail(ctx, "alice@example.org")
		if err != nil || !a.MustChangePassword {
			t.Fatalf("stored: %+v %v", a, err)
		}
		if ok, _ := password.Verify(m[1], a.PasswordHash); !ok {
			t.Fatal("the printed password does not verify")
		}
		events, _ := s.ListAudit(ctx, store.AuditFilter{Account: "alice@example.org", Action: "password_set"})
		if len(events) != 1 || events[0].Actor != "cli" || !strings.Contains(events[0].Reason, "change required") {
			t.Fatalf("audit = %+v", events)
		}

		// From standard input, without the flag: nothing pending any more.
		if r := c.run("Quiet-River-Pass-55\n", "account", "set-password", "alice@example.org", "--password-stdin"); r.code != 0 || strings.Contains(r.out, "must choose") {
			t.Fatalf("set-password: %+v", r)
		}
		if err := json.Unmarshal([]byte(c.ok("account", "show", "alice@example.org", "--json")), &v); err != nil || v.MustChangePassword == nil || *v.MustChangePassword {
			t.Fatalf("show --json after a plain set-password: %+v %v", v, err)
		}
	})
}
