package main_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// `account sessions` lists an account's web logins and ends one; the ended token is refused.
func TestAccountSessionsCommand(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("migrate")
		c.ok("domain", "create", "example.org")
		c.ok("account", "create", "alice@example.org", "--password", "Harbor-Kite-Pass-71")
		if out := c.ok("account", "sessions", "alice@example.org"); out != "alice@example.org is not signed in on the web\n" {
			t.Fatalf("empty list: %q", out)
		}
		ap := c.openApp()
		ua := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
		res, err := ap.Accounts.Login(t.Context(), "alice@example.org", "Harbor-Kite-Pass-71", account.Client{IP: "198.51.100.7", UserAgent: ua})
		if err != nil {
			t.Fatal(err)
		}
		var list []struct {
			ID                     uint64
			Browser, UserAgent, IP string
		}
		if err := json.Unmarshal([]byte(c.ok("account", "sessions", "alice@example.org", "--json")), &list); err != nil ||
			len(list) != 1 || list[0].Browser != "Firefox on Linux" || list[0].IP != "198.51.100.7" || list[0].UserAgent != ua {
			t.Fatalf("--json: %v %+v", err, list)
		}
		if out := c.ok("account", "sessions", "alice@example.org"); !strings.Contains(out, "Firefox on Linux\t198.51.100.7") {
			t.Fatalf("list: %q", out)
		}
		id := itoa(list[0].ID)
		c.fails(1, "session 999 of alice@example.org does not exist", "account", "sessions", "alice@example.org", "--end", "999")
		c.fails(1, "account bob@example.org does not exist", "account", "sessions", "bob@example.org")
		if out := c.ok("account", "sessions", "alice@example.org", "--end", id); out != "ended session "+id+" of alice@example.org\n" {
			t.Fatalf("end: %q", out)
		}
		if _, err := ap.Accounts.Authenticate(t.Context(), res.Session.Token); err == nil {
			t.Fatal("the ended session still authenticates")
		}
		if out := c.ok("account", "sessions", "alice@example.org"); !strings.Contains(out, "not signed in") {
			t.Fatalf("after end: %q", out)
		}
	})
}
