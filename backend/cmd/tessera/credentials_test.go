package main_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// withAlice makes the domain example.org with alice@example.org (password Harbor-Kite-Pass-71)
// through the CLI and opens the app beside it (openApp): what most credential tests start from.
func (c *cli) withAlice() (*app.App, *store.Account) {
	c.t.Helper()
	c.ok("migrate")
	c.ok("domain", "create", "example.org")
	c.ok("account", "create", "alice@example.org", "--password", "Harbor-Kite-Pass-71")
	ap := c.openApp()
	alice, err := ap.Store.AccountByEmail(c.t.Context(), "alice@example.org")
	if err != nil {
		c.t.Fatal(err)
	}
	return ap, alice
}

// openApp opens the CLI's database in-process, as a running server would (same data directory
// and key). It keeps devices' grants in memory like a server: run its RelayChanges to see
// the CLI's changes to credentials and accounts.
func (c *cli) openApp() *app.App {
	c.t.Helper()
	env := map[string]string{}
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		c.t.Fatal(err)
	}
	ap, err := app.Open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { ap.Close() })
	return ap
}

func TestCredentialAndAuditCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org")
		c.ok("account", "create", "alice@example.org", "--password", "Harbor-Kite-Pass-71")
		ap := c.openApp()
		ctx := t.Context()
		go ap.RelayChanges(ctx) // as a running server does
		alice, err := ap.Store.AccountByEmail(ctx, "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		cred, secret, err := ap.Credentials.Create(ctx, alice, "eas", "Phone", "")
		if err != nil {
			t.Fatal(err)
		}
		eas := authn.Request{Service: authn.EAS, Username: "alice@example.org", Secret: secret.Password, ClientIP: "192.0.2.1"}
		if _, err := ap.Authn.Authenticate(ctx, eas); err != nil {
			t.Fatalf("EAS password before: %v", err)
		}

		list := c.ok("credential", "list", "Alice@example.org")
		if !regexp.MustCompile(`(?m)^\d+\s+eas\s+Phone\s+enabled\s+0\s+-\s+\S+\s+192\.0\.2\.1\s+eas$`).MatchString(list) {
			t.Fatalf("credential list:\n%s", list)
		}
		if strings.Contains(list, cred.SecretHash) || strings.Contains(list, secret.Password) {
			t.Fatal("a secret in the list")
		}
		id := itoa(cred.ID)
		var v struct {
			Status, Label string
			ExpiresAt     *string
		}
		if err := json.Unmarshal([]byte(c.ok("credential", "set", id, "--disable", "--label", "Work phone", "--json")), &v); err != nil || v.Status != "disabled" || v.Label != "Work phone" {
			t.Fatalf("set: %v %+v", err, v)
		}
		// A running server refuses the disabled credential once it has read the CLI's change
		// (it keeps a device's grant in memory until then).
		refusedSoon(t, ap, eas, "a disabled EAS password still works")
		c.ok("credential", "set", id, "--enable", "--expires", "2031-01-31T00:00:00Z")
		if _, err := ap.Authn.Authenticate(ctx, eas); err != nil {
			t.Fatalf("enabled again: %v", err)
		}
		c.fails(2, "nothing to change", "credential", "set", id)
		c.fails(2, "exclude each other", "credential", "set", id, "--enable", "--disable")
		c.fails(2, "RFC 3339", "credential", "set", id, "--expires", "tomorrow")
		c.fails(2, "positive number", "credential", "set", "abc", "--enable")
		c.fails(1, "does not exist", "credential", "set", "999999", "--enable")
		c.fails(1, "account nobody@example.org does not exist", "credential", "list", "nobody@example.org")

		// The audit log saw the CLI's changes.
		var events []struct{ Actor, Account, Kind, Reason string }
		if err := json.Unmarshal([]byte(c.ok("audit", "--account", "alice@example.org", "--kind", "credential_updated", "--format", "json")), &events); err != nil || len(events) != 2 {
			t.Fatalf("audit json: %v %+v", err, events)
		}
		if events[0].Actor != "cli" || !strings.Contains(events[1].Reason, "disabled") {
			t.Fatalf("audit events: %+v", events)
		}
		csv := c.ok("audit", "--kind", "credential_updated", "--format", "csv")
		if !strings.HasPrefix(csv, "time,actor,account,kind,outcome,reason,client_ip\n") || strings.Count(csv, "\n") != 3 {
			t.Fatalf("audit csv:\n%s", csv)
		}
		c.fails(2, "--format is table, json or csv", "audit", "--format", "xml")
		c.fails(2, "RFC 3339", "audit", "--from", "yesterday")

		c.ok("credential", "delete", id)
		refusedSoon(t, ap, eas, "a deleted EAS password still works")
		c.fails(1, "does not exist", "credential", "delete", id)
	})
}

// refusedSoon fails unless the request is refused within 3 s: the relay reads the CLI's
// changes about once a second.
func refusedSoon(t *testing.T, ap *app.App, r authn.Request, msg string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, err := ap.Authn.Authenticate(t.Context(), r)
		if errors.Is(err, authn.ErrInvalidCredentials) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s after 3 s: %v", msg, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func itoa(n uint64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestAccountAdminCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org")
		c.ok("cos", "create", "staff")
		c.ok("account", "create", "alice@example.org", "--password", "Harbor-Kite-Pass-71")
		ap := c.openApp()
		before, _ := ap.Store.AccountByEmail(t.Context(), "alice@example.org")

		var v struct {
			Email, Domain, Role, Status string
			COS                         *string
		}
		if err := json.Unmarshal([]byte(c.ok("account", "set", "Alice@example.org", "--role", "domain_admin", "--cos", "staff", "--status", "locked", "--json")), &v); err != nil ||
			v.Role != "domain_admin" || v.Status != "locked" || v.COS == nil || *v.COS != "staff" || v.Domain != "example.org" {
			t.Fatalf("account set: %v %+v", err, v)
		}
		after, _ := ap.Store.AccountByEmail(t.Context(), "alice@example.org")
		if after.TokenVersion <= before.TokenVersion {
			t.Fatal("locking did not end the sessions")
		}
		if out := c.ok("account", "show", "alice@example.org"); !strings.Contains(out, "role domain_admin, status locked, COS staff") {
			t.Fatalf("account show: %q", out)
		}
		c.ok("account", "set", "alice@example.org", "--cos", "", "--status", "active")
		var list []struct {
			Email string
			COS   *string
		}
		if err := json.Unmarshal([]byte(c.ok("account", "list", "--json")), &list); err != nil || len(list) != 1 || list[0].COS != nil {
			t.Fatalf("account list --json: %v %+v", err, list)
		}
		if out := c.ok("account", "list", "--json"); strings.Contains(out, "argon2") || strings.Contains(out, "password") {
			t.Fatalf("a hash in the JSON: %s", out)
		}
		c.fails(2, "status is active, locked or closed", "account", "set", "alice@example.org", "--status", "gone")
		c.fails(2, "no such COS", "account", "set", "alice@example.org", "--cos", "gold")
		c.fails(2, "nothing to change", "account", "set", "alice@example.org")
		c.fails(1, "account bob@example.org does not exist", "account", "show", "bob@example.org")
		tv := after.TokenVersion
		if out := c.ok("account", "logout-all", "alice@example.org"); out != "ended every session of alice@example.org\n" {
			t.Fatalf("logout-all: %q", out)
		}
		if a, _ := ap.Store.AccountByEmail(t.Context(), "alice@example.org"); a.TokenVersion <= tv {
			t.Fatal("logout-all did not move the token version")
		}
	})
}
