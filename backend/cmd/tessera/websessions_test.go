package main_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/store"
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
		var all struct {
			WebSessions []struct {
				ID                     uint64
				Browser, UserAgent, IP string
			}
		}
		if err := json.Unmarshal([]byte(c.ok("account", "sessions", "alice@example.org", "--json")), &all); err != nil ||
			len(all.WebSessions) != 1 || all.WebSessions[0].Browser != "Firefox on Linux" || all.WebSessions[0].IP != "198.51.100.7" || all.WebSessions[0].UserAgent != ua {
			t.Fatalf("--json: %v %+v", err, all)
		}
		list := all.WebSessions
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

// `account sessions` also lists remembered browsers and mobile apps, forgets one browser and
// ends one app (deleting its token); ids of another kind or account are not found.
func TestAccountSessionsTrustedAndApps(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		ap, a := c.withAlice()
		ctx := t.Context()
		now := time.Now()
		tb := &store.TrustedBrowser{AccountID: a.ID, TokenHash: account.TrustTokenHash("tok"), IP: "198.51.100.8",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", CreatedAt: now, ExpiresAt: now.Add(30 * 24 * time.Hour)}
		if err := ap.Store.CreateTrustedBrowser(ctx, tb); err != nil {
			t.Fatal(err)
		}
		app, _, err := ap.Credentials.Create(ctx, a, store.KindMobileApp, "Pixel 8", "198.51.100.9")
		if err != nil {
			t.Fatal(err)
		}
		var all struct {
			TrustedBrowsers []struct {
				ID      uint64
				Browser string
			}
			MobileApps []struct {
				ID    uint64
				Label string
			}
		}
		if err := json.Unmarshal([]byte(c.ok("account", "sessions", "alice@example.org", "--json")), &all); err != nil ||
			len(all.TrustedBrowsers) != 1 || all.TrustedBrowsers[0].Browser != "Firefox on Linux" || len(all.MobileApps) != 1 || all.MobileApps[0].Label != "Pixel 8" {
			t.Fatalf("--json: %v %+v", err, all)
		}
		out := c.ok("account", "sessions", "alice@example.org")
		if !strings.Contains(out, "trusted "+itoa(tb.ID)+"\tFirefox on Linux\t198.51.100.8\tremembered ") ||
			!strings.Contains(out, "app "+itoa(app.ID)+"\tPixel 8\t") {
			t.Fatalf("list: %q", out)
		}
		c.fails(1, "trusted browser "+itoa(app.ID+100)+" of alice@example.org does not exist", "account", "sessions", "alice@example.org", "--forget", itoa(app.ID+100))
		c.fails(1, "mobile app "+itoa(tb.ID+100)+" of alice@example.org does not exist", "account", "sessions", "alice@example.org", "--end-app", itoa(tb.ID+100))
		if out := c.ok("account", "sessions", "alice@example.org", "--forget", itoa(tb.ID)); !strings.Contains(out, "forgot trusted browser "+itoa(tb.ID)) {
			t.Fatalf("forget: %q", out)
		}
		if out := c.ok("account", "sessions", "alice@example.org", "--end-app", itoa(app.ID)); out != "ended mobile app "+itoa(app.ID)+" (Pixel 8) of alice@example.org\n" {
			t.Fatalf("end app: %q", out)
		}
		if out := c.ok("account", "sessions", "alice@example.org"); out != "alice@example.org is not signed in on the web\n" {
			t.Fatalf("after: %q", out)
		}
		if _, err := ap.Store.UseTrustedBrowser(ctx, a.ID, account.TrustTokenHash("tok"), "", now); err == nil {
			t.Fatal("forgotten browser still usable")
		}
	})
}
