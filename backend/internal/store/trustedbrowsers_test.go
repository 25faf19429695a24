package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A schema at 0025 upgrades to trusted browsers (global 30 days, domain and COS inheriting);
// a row is used only by its account before its expiry, forgotten one by one or all at once,
// and pruned after expiry.
func TestUpgradeAndTrustedBrowsers(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0025_web_sessions"); err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		g, err := s.GlobalSettings(ctx)
		if err != nil || g.TrustedBrowserDays != 30 {
			t.Fatalf("global days after upgrade = %+v, %v", g, err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		mk := func(acct uint64, hash string, exp time.Time) *store.TrustedBrowser {
			tb := &store.TrustedBrowser{AccountID: acct, TokenHash: hash, IP: "192.0.2.1", UserAgent: "UA", CreatedAt: now, ExpiresAt: exp}
			if err := s.CreateTrustedBrowser(ctx, tb); err != nil {
				t.Fatal(err)
			}
			return tb
		}
		a := mk(1, "h-a", now.Add(24*time.Hour))
		mk(1, "h-b", now.Add(48*time.Hour))
		mk(1, "h-old", now.Add(-time.Hour))
		other := mk(2, "h-other", now.Add(24*time.Hour))
		if _, err := s.UseTrustedBrowser(ctx, 2, "h-a", "198.51.100.1", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another account's token: %v", err)
		}
		if _, err := s.UseTrustedBrowser(ctx, 1, "h-old", "198.51.100.1", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired token: %v", err)
		}
		used, err := s.UseTrustedBrowser(ctx, 1, "h-a", "198.51.100.9", now.Add(time.Hour))
		if err != nil || used.ID != a.ID {
			t.Fatalf("use: %+v %v", used, err)
		}
		list, err := s.TrustedBrowsersOf(ctx, 1, now)
		if err != nil || len(list) != 2 || list[0].ID != a.ID || list[0].IP != "198.51.100.9" || !list[0].LastUsedAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("list = %+v, %v", list, err)
		}
		if _, err := s.DeleteTrustedBrowser(ctx, 1, other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete another account's: %v", err)
		}
		if b, err := s.DeleteTrustedBrowser(ctx, 1, a.ID); err != nil || b.TokenHash != "h-a" {
			t.Fatalf("delete: %+v %v", b, err)
		}
		if n, err := s.DeleteTrustedBrowsersOf(ctx, 1); err != nil || n != 2 {
			t.Fatalf("delete all: %d %v", n, err)
		}
		if n, err := s.PruneTrustedBrowsers(ctx, now.Add(25*time.Hour)); err != nil || n != 1 {
			t.Fatalf("prune: %d %v", n, err)
		}
	})
}
