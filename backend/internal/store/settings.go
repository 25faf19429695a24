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
