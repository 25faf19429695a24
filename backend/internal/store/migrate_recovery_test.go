package store_test

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// 0034: an account from before recovery addresses has none; one can then be set and cleared.
func TestUpgradeAddsRecoveryEmail(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := t.Context()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0033_items_arrival"); err != nil {
			t.Fatal(err)
		}
		if err := old.Gorm().Exec("INSERT INTO domains (id, name, created_at) VALUES (7, 'example.com', CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		if err := old.Gorm().Exec("INSERT INTO accounts (id, email, domain_id, password_hash, role, status, two_factor_enabled, token_version, created_at, updated_at) VALUES (5, 'old@example.com', 7, 'hash', 'user', 'active', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		a, err := s.AccountByID(ctx, 5)
		if err != nil || a.RecoveryEmail != "" {
			t.Fatalf("after upgrade: %q, %v", a.RecoveryEmail, err)
		}
		for _, v := range []string{"old@elsewhere.org", ""} {
			if err := s.UpdateAccount(ctx, 5, store.AccountPatch{RecoveryEmail: &v}, false); err != nil {
				t.Fatal(err)
			}
			if a, _ := s.AccountByID(ctx, 5); a.RecoveryEmail != v {
				t.Fatalf("wrote %q, read %q", v, a.RecoveryEmail)
			}
		}
	})
}
