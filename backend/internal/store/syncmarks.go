package store

import "context"

// markColumns are what the EAS Sync engine needs of an item to tell whether a device holds it
// (its id, UID, arrival time and whether it is a tombstone), without its content.
const markColumns = "id, folder_id, uid, mod_seq, deleted, received_at"

// ItemMarks lists every item of a folder (tombstones included) with only markColumns: the
// one-time conversion of an old SyncState (a list of item ids) into its ranges reads it.
func (s *Store) ItemMarks(ctx context.Context, folderID uint64) ([]Item, error) {
	var out []Item
	err := s.db.WithContext(ctx).Select(markColumns).Where("folder_id = ?", folderID).Order("uid").Find(&out).Error
	return out, translate(err)
}

// ItemMarksSince is ItemsSince with only markColumns: what a Ping's check for changes reads
// (whether a window would hold one), without each item's content and inflating its MIME.
func (s *Store) ItemMarksSince(ctx context.Context, folderID uint64, seq int64, limit int) ([]Item, error) {
	var out []Item
	err := s.bySeq(ctx).Select(markColumns).Where("folder_id = ? AND mod_seq > ?", folderID, seq).Order("mod_seq").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// ItemMark finds one item of a folder, live or a tombstone, with only markColumns;
// ErrNotFound when the folder has no such item.
func (s *Store) ItemMark(ctx context.Context, folderID, id uint64) (*Item, error) {
	var it Item
	return &it, translate(s.db.WithContext(ctx).Select(markColumns).Where("folder_id = ? AND id = ?", folderID, id).Take(&it).Error)
}
