package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A database made by the first release (migration 0001 only) upgrades in place and keeps its rows.
func TestUpgradeFromFirstMigration(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0001_accounts"); err != nil {
			t.Fatal(err)
		}
		if old.Gorm().Migrator().HasTable("audit_events") {
			t.Fatal("0001 alone must not create audit_events")
		}
		// Raw inserts: the live models have grown columns the old schema lacks.
		if err := old.Gorm().Exec("INSERT INTO domains (id, name, created_at) VALUES (7, 'example.com', CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		if err := old.Gorm().Exec("INSERT INTO accounts (email, domain_id, password_hash, role, status, two_factor_enabled, token_version, created_at, updated_at) VALUES (?, 7, 'hash', 'user', 'active', false, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", "old@example.com").Error; err != nil {
			t.Fatal(err)
		}

		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		ids, _ := s.AppliedMigrations(ctx)
		if want := store.MigrationIDs(); len(want) < 5 || strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Fatalf("applied = %v", ids)
		}
		// Settings columns added later take their defaults on the existing row.
		g, err := s.GlobalSettings(ctx)
		if err != nil || !g.RevokePasscodesOnPasswordChange || g.MaxCredentialsPerKind != 25 || g.PwMinLength != 8 || g.TwoFactor != "" || g.EASMinDevicePasswordLen != 4 || g.EASMaxInactivitySeconds != 900 || !g.AdminRequireTwoFactor ||
			g.PinCodesPerEntry != 10 || g.EASHeartbeatMinSeconds != 60 || g.EASHeartbeatMaxSeconds != 3540 || g.EASMaxDevicesPerAccount != 20 || g.SessionLifetimeMinutes != 720 || !g.PasskeyLogin {
			t.Fatalf("settings after upgrade = %+v, %v", g, err)
		}
		a, err := s.AccountByEmail(ctx, "old@example.com")
		if err != nil || a.TokenVersion != 3 || a.Domain.Name != "example.com" || a.Domain.TwoFactor != "" || a.MustChangePassword ||
			!a.Domain.AccountPasswordForMail || a.Domain.PwMinLength != nil || a.Domain.PwRequireDigit != nil || a.Domain.PasskeyLogin != nil {
			t.Fatalf("old account after upgrade = %+v, %v", a, err)
		}
		if err := s.AddAudit(ctx, &store.AuditEvent{Actor: "x", Account: "old@example.com", Action: "upgrade", Outcome: "success"}); err != nil {
			t.Fatalf("new table unusable: %v", err)
		}
		// Migrating again is a no-op.
		if err := s.Migrate(); err != nil {
			t.Fatal(err)
		}
	})
}

// Both engines get the same tables and columns.
func TestSchemaShape(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		m := s.Gorm().Migrator()
		for table, cols := range map[string][]string{
			"domains": {"id", "name", "created_at", "two_factor", "eas_require_device_password",
				"pw_min_length", "pw_require_lower", "pw_require_upper", "pw_require_digit", "pw_require_symbol", "account_password_for_mail", "device_access", "trusted_browser_days", "passkey_login"},
			"cos": {"id", "name", "created_at", "two_factor", "eas_enabled",
				"pw_min_length", "pw_require_lower", "pw_require_upper", "pw_require_digit", "pw_require_symbol",
				"max_credentials_per_kind", "pin_codes_per_entry", "device_access", "trusted_browser_days", "passkey_login"},
			"pin_codes": {"id", "credential_id", "code_hash", "used_at", "created_at"},
			"folders":   {"id", "account_id", "parent_id", "display_name", "type", "class", "last_seq", "created_at", "updated_at", "uid_validity", "uid_next", "dav_name"},
			"items": {"id", "account_id", "folder_id", "mod_seq", "deleted", "class", "received_at", "message_id", "from_addr", "to_addr", "cc_addr",
				"subject", "importance", "read", "flagged", "body_text", "body_html", "mime", "size", "attachments", "created_at", "updated_at", "props", "uid", "imap_flags", "dav_name"},
			"devices": {"id", "account_id", "device_id", "device_type", "user_agent", "protocol_version", "policy_key", "pending_key", "model",
				"friendly_name", "os", "wipe_state", "first_sync_at", "last_sync_at", "access", "access_by", "access_noticed", "suspended", "sync_loop", "new_device_noticed",
				"wipe_scope", "wipe_requested_at", "wipe_done_at"},
			"device_rules": {"id", "domain_id", "position", "field", "pattern", "action", "created_at"},
			"sync_states":  {"id", "device_id", "collection_id", "sync_key", "state", "prev_key", "prev_state", "updated_at"},
			"accounts":     {"id", "email", "domain_id", "cos_id", "password_hash", "role", "status", "two_factor_enabled", "token_version", "password_changed_at", "last_login_at", "created_at", "updated_at", "oof", "must_change_password", "recovery_email"},
			"global_settings": {"id", "pw_min_length", "pw_require_lower", "pw_require_upper", "pw_require_digit", "pw_require_symbol", "updated_at", "revoke_passcodes_on_password_change", "max_credentials_per_kind", "two_factor", "eas_require_device_password", "eas_min_device_password_len", "eas_max_inactivity_seconds", "admin_require_two_factor",
				"pin_codes_per_entry", "eas_heartbeat_min_seconds", "eas_heartbeat_max_seconds", "eas_max_devices_per_account", "session_lifetime_minutes", "device_access", "trusted_browser_days", "security_notices_off", "passkey_login"},
			"trusted_browsers": {"id", "account_id", "token_hash", "ip", "user_agent", "created_at", "last_used_at", "expires_at"},
			"credentials":      {"id", "account_id", "kind", "label", "label_key", "secret_hash", "status", "services", "failed_attempts", "expires_at", "last_used_at", "created_at", "updated_at", "description", "secret_enc", "last_step", "last_used_ip"},
			"audit_events":     {"id", "at", "actor", "account", "action", "outcome", "reason", "client_ip"},
			"revoked_tokens":   {"jti", "expires_at"},
			"admin_domains":    {"id", "account_id", "domain_id"},
			"known_clients":    {"id", "account_id", "kind", "client", "last_seen_at"},
			"passkey_keys": {"id", "credential_id", "account_id", "key_id_hash", "key_id", "public_key", "aaguid", "sign_count", "backup_eligible",
				"backup_state", "user_verified", "transports", "attestation_fmt", "uses", "created_at"},
			"passkey_ceremonies": {"id", "account_id", "purpose", "session", "expires_at"},
		} {
			types, err := m.ColumnTypes(table)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			got := map[string]bool{}
			for _, c := range types {
				got[c.Name()] = true
			}
			if len(got) != len(cols) {
				t.Errorf("%s has columns %v, want %v", table, keys(got), cols)
			}
			for _, c := range cols {
				if !got[c] {
					t.Errorf("%s lacks column %s", table, c)
				}
			}
		}
		for table, idx := range map[string]string{"accounts": "idx_accounts_email", "credentials": "idx_credentials_label", "admin_domains": "idx_admin_domains_pair", "known_clients": "idx_known_clients_key", "items": "idx_items_folder_uid"} {
			if !m.HasIndex(table, idx) {
				t.Errorf("%s has no index %s", table, idx)
			}
		}
		if !m.HasIndex("items", "idx_items_folder_dav_name") {
			t.Error("items has no (folder_id, dav_name) index")
		}
		if !m.HasIndex("credentials", "idx_credentials_secret") {
			t.Error("credentials has no secret index")
		}
	})
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The TESSERA_* values that became settings in 0011 seed them once, when 0011 runs (fresh or
// upgraded database); later starts with other values leave the settings alone.
func TestMigrateSeedingTakesConfigOnce(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		for _, upgrade := range []bool{false, true} {
			if upgrade {
				b.DSN = freshDSN(t, b)
			}
			s := storetest.Open(t, b)
			if upgrade {
				if err := s.MigrateTo("0009_admin_require_two_factor"); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.MigrateSeeding(ctx, store.ConfigDefaults{EASHeartbeatMinSeconds: 30, EASHeartbeatMaxSeconds: 600, SessionLifetimeMinutes: 90}); err != nil {
				t.Fatal(err)
			}
			if err := s.MigrateSeeding(ctx, store.ConfigDefaults{EASHeartbeatMinSeconds: 45, EASHeartbeatMaxSeconds: 900, SessionLifetimeMinutes: 60}); err != nil {
				t.Fatal(err)
			}
			g, err := s.GlobalSettings(ctx)
			if err != nil || g.EASHeartbeatMinSeconds != 30 || g.EASHeartbeatMaxSeconds != 600 || g.SessionLifetimeMinutes != 90 || g.PinCodesPerEntry != 10 {
				t.Fatalf("upgrade=%v: settings = %+v, %v", upgrade, g, err)
			}
		}
	})
}

// freshDSN is another empty database on b's engine.
func freshDSN(t *testing.T, b storetest.Backend) string {
	if b.Driver == "mysql" {
		return storetest.MySQL(t)
	}
	return filepath.Join(t.TempDir(), "second.db")
}
