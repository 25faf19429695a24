package main_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// credential set --services narrows a passcode's doors (dav = CalDAV and CardDAV), never
// widens them; credential list shows the doors and the last use's address.
func TestCredentialSetServices(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		ap, alice := c.withAlice()
		ctx := t.Context()
		cred, secret, err := ap.Credentials.Create(ctx, alice, "app_passcode", "Laptop", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ap.Authn.Authenticate(ctx, authn.Request{Service: authn.IMAP, Username: "alice@example.org", Secret: secret.Password, ClientIP: "198.51.100.4"}); err != nil {
			t.Fatal(err)
		}
		list := c.ok("credential", "list", "alice@example.org")
		if !strings.Contains(list, "198.51.100.4") || !strings.Contains(list, "imap,pop3,smtp,caldav,carddav") {
			t.Fatalf("list:\n%s", list)
		}
		id := strconv.FormatUint(cred.ID, 10)
		if out := c.ok("credential", "set", id, "--services", "imap, dav"); !strings.Contains(out, "services imap,caldav,carddav") {
			t.Fatalf("narrowed: %q", out)
		}
		c.fails(2, "narrowed, not widened", "credential", "set", id, "--services", "imap,eas")
		c.fails(2, "Unknown service", "credential", "set", id, "--services", "web")
		c.fails(2, "at least one", "credential", "set", id, "--services", "")
		c.ok("credential", "set", id, "--expires", "2030-01-01T00:00:00Z")
		c.fails(2, "not removed", "credential", "set", id, "--clear-expiry")
		c.fails(2, "not put back", "credential", "set", id, "--expires", "2031-01-01T00:00:00Z")
		c.ok("credential", "set", id, "--expires", "2029-01-01T00:00:00Z")
	})
}
