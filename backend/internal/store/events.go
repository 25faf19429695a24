package store

import (
	"context"
	"time"
)

// Event is a change made outside a server process (by the CLI) that running servers must
// pass to their held Pings: the account, and the folder or 0 for the account as a whole.
// Rows live for minutes; servers read the new ones every second.
type Event struct {
	ID        uint64    `gorm:"primaryKey"`
	AccountID uint64    `gorm:"not null"`
	FolderID  uint64    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index"`
}

// TableName: see migration 0014.
func (Event) TableName() string { return "bus_events" }

// AppendEvent records a change for the servers to pick up.
func (s *Store) AppendEvent(ctx context.Context, accountID, folderID uint64) error {
	return s.db.WithContext(ctx).Create(&Event{AccountID: accountID, FolderID: folderID, CreatedAt: time.Now().UTC()}).Error
}

// LastEventID is where a server starts reading: events older than its start are not its concern.
func (s *Store) LastEventID(ctx context.Context) (uint64, error) {
	var id *uint64
	err := s.db.WithContext(ctx).Model(&Event{}).Select("MAX(id)").Scan(&id).Error
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}

// EventsAfter returns up to limit events with an id above after, oldest first.
func (s *Store) EventsAfter(ctx context.Context, after uint64, limit int) ([]Event, error) {
	var out []Event
	return out, s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&out).Error
}

// PruneEvents deletes events created before t.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("created_at < ?", before.UTC()).Delete(&Event{})
	return res.RowsAffected, res.Error
}
