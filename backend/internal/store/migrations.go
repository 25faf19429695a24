package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations lists every schema version in order. A migration never changes once released:
// its tables are declared by snapshot types of its own (m0001*, m0002*, ...), so it keeps
// producing the same schema however the live models change later.
func migrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		{ID: "0001_accounts", Migrate: migrate0001},
		{ID: "0002_audit_and_revocation", Migrate: migrate0002},
		{ID: "0003_credentials", Migrate: migrate0003},
		{ID: "0004_otp_and_two_factor", Migrate: migrate0004},
		{ID: "0005_mailbox_and_devices", Migrate: migrate0005},
		{ID: "0006_eas_policy_and_oof", Migrate: migrate0006},
		{ID: "0007_cos_eas_enabled", Migrate: migrate0007},
		{ID: "0008_item_props", Migrate: migrate0008},
		{ID: "0009_admin_require_two_factor", Migrate: migrate0009},
		{ID: "0010_domain_cos_password_policy", Migrate: migrate0010},
		{ID: "0011_limits_and_eas_settings", Migrate: migrate0011},
		{ID: "0012_must_change_password", Migrate: migrate0012},
		{ID: "0013_admin_domains", Migrate: migrate0013},
		{ID: "0014_bus_events", Migrate: migrate0014},
		{ID: "0015_known_clients", Migrate: migrate0015},
		{ID: "0016_imap_uids", Migrate: migrate0016},
		{ID: "0017_dav_names", Migrate: migrate0017},
		{ID: "0018_imap_subscriptions", Migrate: migrate0018},
		{ID: "0020_search_index", Migrate: migrate0020},
		{ID: "0021_apple_profiles", Migrate: migrate0021},
		{ID: "0022_device_access", Migrate: migrate0022},
		{ID: "0023_scoped_passcodes", Migrate: migrate0023},
		{ID: "0024_sync_loop", Migrate: migrate0024},
		{ID: "0025_web_sessions", Migrate: migrate0025},
		{ID: "0026_passkeys", Migrate: migrate0026},
		{ID: "0027_trusted_browsers", Migrate: migrate0027},
		{ID: "0028_security_notices", Migrate: migrate0028},
		{ID: "0029_account_only_wipe", Migrate: migrate0029},
		{ID: "0032_search_exact", Migrate: migrate0032},
		{ID: "0033_items_arrival", Migrate: migrate0033},
		{ID: "0034_recovery_email", Migrate: migrate0034},
		{ID: "0035_search_postings_order", Migrate: migrate0035},
		{ID: "0036_items_hot_columns_first", Migrate: migrate0036},
	}
}

func newMigrator(db *gorm.DB, ms []*gormigrate.Migration) *gormigrate.Gormigrate {
	opts := *gormigrate.DefaultOptions
	opts.TableName = "schema_migrations"
	opts.IDColumnSize = 191
	opts.UseTransaction = false // MySQL DDL is not transactional anyway; keep both engines alike
	return gormigrate.New(db, &opts, ms)
}

func createTables(tx *gorm.DB, tables ...any) error {
	for _, t := range tables {
		if err := tx.Migrator().CreateTable(t); err != nil {
			return err
		}
	}
	return nil
}

// MigrationIDs lists every migration in order (what a fully migrated database has applied).
func MigrationIDs() []string {
	var ids []string
	for _, m := range migrations() {
		ids = append(ids, m.ID)
	}
	return ids
}
