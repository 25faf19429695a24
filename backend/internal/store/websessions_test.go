package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A schema at 0023 upgrades to web_sessions; rows are listed per account and token version,
// end once (their token id revoked with them), leave the list on logout, and are pruned after
// expiry.
func TestUpgradeAndWebSessions(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0023_scoped_passcodes"); err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		exp := now.Add(time.Hour)
		mk := func(acct, tv uint64, jti string) *store.WebSession {
			w := &store.WebSession{AccountID: acct, TokenVersion: tv, JTI: jti, CreatedAt: now, ExpiresAt: exp, IP: "192.0.2.1", UserAgent: "UA " + jti}
			if err := s.CreateWebSession(ctx, w); err != nil {
				t.Fatal(err)
			}
			return w
		}
		a, bb, old1, other := mk(1, 2, "a"), mk(1, 2, "b"), mk(1, 1, "old"), mk(2, 0, "other")
		_ = old1
		list, err := s.WebSessionsOf(ctx, 1, 2, now)
		if err != nil || len(list) != 2 {
			t.Fatalf("list = %+v, %v", list, err)
		}
		if err := s.TouchWebSession(ctx, "a", now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		list, _ = s.WebSessionsOf(ctx, 1, 2, now)
		if list[0].JTI != "a" || !list[0].LastSeenAt.Equal(now.Add(2*time.Minute)) {
			t.Fatalf("after touch: %+v", list[0])
		}
		if _, err := s.EndWebSession(ctx, 1, other.ID, now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another account's session: %v", err)
		}
		if w, err := s.EndWebSession(ctx, 1, bb.ID, now); err != nil || w.JTI != "b" {
			t.Fatalf("end: %+v %v", w, err)
		}
		if r, _ := s.IsTokenRevoked(ctx, "b"); !r {
			t.Fatal("ended session's token not revoked")
		}
		if _, err := s.EndWebSession(ctx, 1, bb.ID, now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ending twice: %v", err)
		}
		if err := s.RevokeToken(ctx, "a", exp); err != nil { // a logout
			t.Fatal(err)
		}
		if list, _ = s.WebSessionsOf(ctx, 1, 2, now); len(list) != 0 {
			t.Fatalf("after logout: %+v", list)
		}
		if w, err := s.WebSessionByJTI(ctx, a.JTI); err != nil || w.RevokedAt == nil {
			t.Fatalf("by jti: %+v %v", w, err)
		}
		if n, err := s.PruneWebSessions(ctx, exp.Add(time.Minute)); err != nil || n != 4 {
			t.Fatalf("prune: %d %v", n, err)
		}
	})
}
