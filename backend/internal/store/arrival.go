package store

import (
	"context"
	"time"
)

// ArrivalPos is a position in a folder's items taken in arrival order: received_at, then UID
// (index idx_items_folder_arrival). The EAS filter window is such a position.
type ArrivalPos struct {
	At  time.Time
	UID uint32
}

// ItemsArrived lists a folder's live items at or after from and before to in arrival order,
// whole (MIME included), at most limit; nil leaves that end open. desc takes the newest
// first. A range of idx_items_folder_arrival, so its cost is the items it returns.
func (s *Store) ItemsArrived(ctx context.Context, folderID uint64, from, to *ArrivalPos, desc bool, limit int) ([]Item, error) {
	q := s.db.WithContext(ctx).Where("folder_id = ? AND deleted = ?", folderID, false)
	if from != nil {
		// The plain bound lets both engines scan a range of the index; the OR picks the UIDs.
		at := s.columnTime(from.At)
		q = q.Where("received_at >= ? AND (received_at > ? OR uid >= ?)", at, at, from.UID)
	}
	if to != nil {
		at := s.columnTime(to.At)
		q = q.Where("received_at <= ? AND (received_at < ? OR uid < ?)", at, at, to.UID)
	}
	order := "received_at, uid"
	if desc {
		order = "received_at DESC, uid DESC"
	}
	var out []Item
	return out, q.Order(order).Limit(limit).Find(&out).Error
}

// ItemsByUID returns the live items of a folder among uids, whole, by UID.
func (s *Store) ItemsByUID(ctx context.Context, folderID uint64, uids []uint32) ([]Item, error) {
	var out []Item
	if len(uids) == 0 {
		return out, nil
	}
	return out, s.db.WithContext(ctx).Where("folder_id = ? AND uid IN ? AND deleted = ?", folderID, uids, false).Order("uid").Find(&out).Error
}

// columnTime is t as a bound of a received_at range. MariaDB keeps milliseconds
// (datetime(3)), and a bound with more digits than the column is not used to range over the
// index (EXPLAIN: key_len of folder_id alone, the whole folder read); the times compared here
// come from that column or are whole seconds, so nothing is lost. SQLite keeps what it got.
func (s *Store) columnTime(t time.Time) time.Time {
	if s.dialect == "mysql" {
		return t.UTC().Truncate(time.Millisecond)
	}
	return t.UTC()
}
