package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Passcodes made before 0023 keep every door they opened (those made before DAV listed fewer),
// and an expiry an administrator set; other kinds keep their services. Last-used addresses
// start empty and are recorded afterwards.
func TestUpgradeScopesPasscodes(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0017_dav_names"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		rows := []struct {
			id       int
			kind     string
			services string
			expires  any
		}{
			{1, "app_passcode", "eas,imap,pop3,smtp", nil},
			{2, "app_passcode", "eas,imap,pop3,smtp,caldav,carddav", "2031-01-02 03:04:05"},
			{3, "eas", "", nil},
			{5, "mobile_app", "", nil},
			{4, "otp", "web", nil},
		}
		for _, r := range rows {
			if err := g.Exec("INSERT INTO credentials (id, account_id, kind, label, label_key, secret_hash, status, services, failed_attempts, description, secret_enc, last_step, expires_at, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, 'enabled', ?, 0, '', '', 0, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
				r.id, r.kind, r.kind+string(rune('0'+r.id)), r.kind+string(rune('0'+r.id)), "h"+string(rune('0'+r.id)), r.services, r.expires).Error; err != nil {
				t.Fatal(err)
			}
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		want := map[uint64]string{1: "eas,imap,pop3,smtp,caldav,carddav", 2: "eas,imap,pop3,smtp,caldav,carddav", 3: "eas", 4: "web", 5: "mobile_app"}
		for id, services := range want {
			c, err := s.CredentialByID(ctx, id)
			if err != nil || c.Services != services || c.LastUsedIP != "" {
				t.Errorf("credential %d after upgrade = %q from %q, %v; want %q", id, c.Services, c.LastUsedIP, err, services)
			}
		}
		if c, _ := s.CredentialByID(ctx, 1); c.ExpiresAt != nil {
			t.Errorf("passcode 1 expires %v, want never", c.ExpiresAt)
		}
		if c, _ := s.CredentialByID(ctx, 2); c.ExpiresAt == nil || c.ExpiresAt.Year() != 2031 {
			t.Errorf("passcode 2 lost its expiry: %v", c.ExpiresAt)
		}
		at := time.Now()
		if err := s.TouchCredentialFrom(ctx, 1, at, "2001:db8::1"); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.CredentialByID(ctx, 1); c.LastUsedIP != "2001:db8::1" || c.LastUsedAt == nil {
			t.Errorf("after a use: %v from %q", c.LastUsedAt, c.LastUsedIP)
		}
	})
}
