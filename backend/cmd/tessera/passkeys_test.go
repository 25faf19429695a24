package main_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A passkey is listed and deleted by the credential commands like any credential: its
// authenticator named, its key gone with it; passkeyLogin is a global setting.
func TestPasskeyCredentialCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		ap, alice := c.withAlice()
		ctx := t.Context()
		now := time.Now().UTC()
		cred := &store.Credential{AccountID: alice.ID, Kind: store.KindPasskey, Label: "Laptop", LabelKey: "k-laptop", Status: store.CredEnabled,
			CreatedAt: now, UpdatedAt: now}
		key := &store.PasskeyKey{KeyIDHash: "aa01", KeyID: "AQID", PublicKey: "pk", AAGUID: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", CreatedAt: now}
		if err := ap.Store.CreatePasskey(ctx, cred, key); err != nil {
			t.Fatal(err)
		}
		if list := c.ok("credential", "list", "alice@example.org"); !regexp.MustCompile(`(?m)^\d+\s+passkey\s+Laptop\s+enabled\s`).MatchString(list) {
			t.Fatalf("credential list:\n%s", list)
		}
		var views []struct{ Kind, Authenticator string }
		if err := json.Unmarshal([]byte(c.ok("credential", "list", "alice@example.org", "--json")), &views); err != nil || len(views) != 1 ||
			views[0].Authenticator != "iCloud Keychain" {
			t.Fatalf("credential list --json: %v %+v", err, views)
		}
		if keys, err := ap.Store.PasskeyKeys(ctx, alice.ID); err != nil || len(keys) != 1 {
			t.Fatalf("keys before delete: %v %d", err, len(keys))
		}
		c.ok("credential", "delete", itoa(cred.ID))
		if keys, err := ap.Store.PasskeyKeys(ctx, alice.ID); err != nil || len(keys) != 0 {
			t.Fatalf("keys after delete: %v %d", err, len(keys))
		}
		if _, err := ap.Store.PasskeyKeyByHash(ctx, "aa01"); err != store.ErrNotFound {
			t.Fatalf("the key outlived its credential: %v", err)
		}

		c.ok("domain", "set", "example.org", "--passkey-login", "false")
		c.ok("cos", "create", "staff")
		c.ok("cos", "set", "staff", "--passkey-login", "true")
		d, err := ap.Store.DomainByName(ctx, "example.org")
		if err != nil || d.PasskeyLogin == nil || *d.PasskeyLogin {
			t.Fatalf("domain passkeyLogin: %v %+v", err, d)
		}
		c.ok("domain", "set", "example.org", "--passkey-login", "inherit")
		if d, err = ap.Store.DomainByName(ctx, "example.org"); err != nil || d.PasskeyLogin != nil {
			t.Fatalf("domain passkeyLogin inherited: %v %+v", err, d)
		}
		c.fails(2, "passkey-login", "domain", "set", "example.org", "--passkey-login", "maybe")
		c.ok("config", "set", "passkeyLogin", "false")
		if g, err := ap.Store.GlobalSettings(ctx); err != nil || g.PasskeyLogin {
			t.Fatalf("passkeyLogin after config set: %v %+v", err, g)
		}
	})
}
