package store

import (
	"context"

	"gorm.io/gorm"
)

// emptyBatch is how many items one transaction of DeleteFolderItems turns into tombstones:
// a commit (an fsync on SQLite) per batch instead of per item, with the bodies of one batch
// in memory at a time (the search index needs them to drop the postings).
const emptyBatch = 200

// DeleteFolderItems turns every live item of a folder of the account into a tombstone as
// DeleteItem does, each with a change number of its own (a batch takes a run of the folder's
// numbers at once), so a Sync window or an IMAP session sees ordinary deletes. It returns
// how many went.
func (s *Store) DeleteFolderItems(ctx context.Context, accountID, folderID uint64) (int, error) {
	total := 0
	for {
		n, err := s.deleteItemBatch(ctx, accountID, folderID)
		total += n
		if err != nil || n == 0 {
			return total, translate(err)
		}
	}
}

func (s *Store) deleteItemBatch(ctx context.Context, accountID, folderID uint64) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The folder's row first: other writers of the folder (nextSeq) wait from here on.
		if err := tx.Model(&Folder{}).Where("id = ? AND account_id = ?", folderID, accountID).
			Update("last_seq", gorm.Expr("last_seq")).Error; err != nil {
			return err
		}
		var items []Item
		if err := tx.Where("account_id = ? AND folder_id = ? AND deleted = ?", accountID, folderID, false).
			Order("id").Limit(emptyBatch).Find(&items).Error; err != nil || len(items) == 0 {
			return err
		}
		if err := tx.Model(&Folder{}).Where("id = ?", folderID).
			Update("last_seq", gorm.Expr("last_seq + ?", len(items))).Error; err != nil {
			return err
		}
		var f Folder
		if err := tx.Select("last_seq").Take(&f, folderID).Error; err != nil {
			return err
		}
		base := f.LastSeq - int64(len(items))
		for i := range items {
			if err := unindexItem(tx, &items[i]); err != nil {
				return err
			}
			if err := tx.Model(&Item{}).Where("id = ?", items[i].ID).Updates(map[string]any{
				"deleted": true, "mod_seq": base + int64(i) + 1, "mime": []byte{}, "body_text": "", "body_html": "",
				"updated_at": now()}).Error; err != nil {
				return err
			}
		}
		n = len(items)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
