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

// ArrivalRange is a stretch of a folder's items in arrival order: at or after From and
// before To (nil leaves that end open), newest first with Desc; MaxUID (when not 0) keeps only
// items up to that UID, and Marks reads only markColumns.
type ArrivalRange struct {
	From, To *ArrivalPos
	Desc     bool
	MaxUID   uint32
	Marks    bool
}

// ItemsArrived lists a folder's live items in r, at most limit, whole unless r.Marks. A range
// of idx_items_folder_arrival, so its cost is the items it returns.
func (s *Store) ItemsArrived(ctx context.Context, folderID uint64, r ArrivalRange, limit int) ([]Item, error) {
	q := s.db.WithContext(ctx).Where("folder_id = ? AND deleted = ?", folderID, false)
	if r.Marks {
		q = q.Select(markColumns)
	}
	if r.From != nil {
		// The plain bound lets both engines scan a range of the index; the OR picks the UIDs.
		at := s.columnTime(r.From.At)
		q = q.Where("received_at >= ? AND (received_at > ? OR uid >= ?)", at, at, r.From.UID)
	}
	if r.To != nil {
		at := s.columnTime(r.To.At)
		q = q.Where("received_at <= ? AND (received_at < ? OR uid < ?)", at, at, r.To.UID)
	}
	if r.MaxUID != 0 {
		q = q.Where("uid <= ?", r.MaxUID)
	}
	order := "received_at, uid"
	if r.Desc {
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
