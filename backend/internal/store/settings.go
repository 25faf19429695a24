package store

import "context"

// GlobalSettings reads the single settings row the first migration created.
func (s *Store) GlobalSettings(ctx context.Context) (*GlobalSettings, error) {
	var g GlobalSettings
	return &g, translate(s.db.WithContext(ctx).Take(&g, 1).Error)
}

// SaveGlobalSettings writes every field of the settings row.
func (s *Store) SaveGlobalSettings(ctx context.Context, g *GlobalSettings) error {
	g.ID = 1
	return translate(s.db.WithContext(ctx).Save(g).Error)
}

// ConfigDefaults are TESSERA_* values that became global settings in migration 0011; they seed
// the settings once, when that migration runs, and the settings rule from then on.
type ConfigDefaults struct {
	EASHeartbeatMinSeconds, EASHeartbeatMaxSeconds int
	SessionLifetimeMinutes                         int
}

const migrationConfigSettings = "0011_limits_and_eas_settings"

// MigrateSeeding migrates like Migrate; when this run applied 0011, the settings it added take
// the process configuration's values instead of the built-in defaults.
func (s *Store) MigrateSeeding(ctx context.Context, d ConfigDefaults) error {
	had := false
	if s.db.Migrator().HasTable("schema_migrations") {
		ids, err := s.AppliedMigrations(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			had = had || id == migrationConfigSettings
		}
	}
	if err := s.Migrate(); err != nil || had {
		return err
	}
	return translate(s.db.WithContext(ctx).Model(&GlobalSettings{}).Where("id = ?", 1).Updates(map[string]any{
		"eas_heartbeat_min_seconds": d.EASHeartbeatMinSeconds,
		"eas_heartbeat_max_seconds": d.EASHeartbeatMaxSeconds,
		"session_lifetime_minutes":  d.SessionLifetimeMinutes,
	}).Error)
}
