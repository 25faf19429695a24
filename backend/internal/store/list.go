package store

import "context"

// LiveMessages lists the live (not tombstoned) items of one folder of one account, oldest
// (first stored) first, with only id, folder, size, received time and Message-ID filled in:
// a POP3 session lists a whole Inbox at login and must not read every body to do so.
func (s *Store) LiveMessages(ctx context.Context, accountID, folderID uint64) ([]Item, error) {
	var out []Item
	err := s.db.WithContext(ctx).Select("id, account_id, folder_id, size, received_at, message_id").
		Where("account_id = ? AND folder_id = ? AND deleted = ?", accountID, folderID, false).
		Order("id").Find(&out).Error
	return out, translate(err)
}
