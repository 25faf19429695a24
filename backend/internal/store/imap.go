package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// nextPlace takes, inside tx, what an item entering a folder needs: the folder's next change
// number and its next IMAP UID, in one update and one read of the folder row. Like nextSeq,
// the update locks the row (MySQL) or runs in the one write transaction (SQLite), so UIDs are
// taken and committed in order: a reader never sees a UID appear below one it has seen.
func nextPlace(tx *gorm.DB, folderID uint64) (seq int64, uid uint32, err error) {
	if err := tx.Model(&Folder{}).Where("id = ?", folderID).Updates(map[string]any{
		"last_seq": gorm.Expr("last_seq + 1"), "uid_next": gorm.Expr("uid_next + 1")}).Error; err != nil {
		return 0, 0, err
	}
	var f Folder
	if err := tx.Select("last_seq, uid_next").Take(&f, folderID).Error; err != nil {
		return 0, 0, translate(err)
	}
	return f.LastSeq, f.UIDNext - 1, nil
}

// indexColumns are what an IMAP session keeps of each message of its selected folder (read is
// a keyword of MySQL; SQLite takes the backquotes too), in IndexRow's order.
const indexColumns = "id, uid, mod_seq, deleted, `read`, flagged, imap_flags, size, received_at"

// IndexRow is what an IMAP session keeps of a message of its selected folder.
type IndexRow struct {
	ID         uint64
	UID        uint32
	ModSeq     int64
	Deleted    bool
	Read       bool
	Flagged    bool
	IMAPFlags  string
	Size       int64
	ReceivedAt time.Time
}

// IMAPIndex lists a folder's items by UID with only the columns of indexColumns: with since 0
// the live items (what SELECT shows), else every item changed after since, tombstones
// included (what a session applies to its view). The rows are scanned by hand into IndexRow, not
// by GORM into Items: SELECT reads the whole folder, and at 100,000 messages reflection and the
// growing of a slice of whole Items were about 40% of its time.
func (s *Store) IMAPIndex(ctx context.Context, accountID, folderID uint64, since int64) ([]IndexRow, error) {
	q := s.db.WithContext(ctx).Model(&Item{})
	if since == 0 {
		q = q.Where("deleted = ?", false)
	} else {
		q = s.bySeq(ctx).Where("mod_seq > ?", since) // a wake's read: the changes, not the folder
	}
	rows, err := q.Select(indexColumns).Where("account_id = ? AND folder_id = ?", accountID, folderID).Order("uid").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IndexRow
	for rows.Next() {
		var r IndexRow
		if err := rows.Scan(&r.ID, &r.UID, &r.ModSeq, &r.Deleted, &r.Read, &r.Flagged, &r.IMAPFlags, &r.Size, &r.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ItemsByID returns the live items of the account among ids, whole (MIME included), by id.
func (s *Store) ItemsByID(ctx context.Context, accountID uint64, ids []uint64) ([]Item, error) {
	var out []Item
	if len(ids) == 0 {
		return out, nil
	}
	return out, s.db.WithContext(ctx).Where("account_id = ? AND id IN ? AND deleted = ?", accountID, ids, false).Order("id").Find(&out).Error
}

// SearchItemsByID returns what IMAP SEARCH tests of the live items of the account among ids,
// by id: the id, the received time, the text and HTML bodies, and the MIME only when mime is
// set (a BODY search needs no header: the MIME is neither read nor inflated).
func (s *Store) SearchItemsByID(ctx context.Context, accountID uint64, ids []uint64, mime bool) ([]Item, error) {
	var out []Item
	if len(ids) == 0 {
		return out, nil
	}
	cols := []string{"id", "received_at", "body_text", "body_html"}
	if mime {
		cols = append(cols, "mime")
	}
	return out, s.db.WithContext(ctx).Select(cols).Where("account_id = ? AND id IN ? AND deleted = ?", accountID, ids, false).Order("id").Find(&out).Error
}

// CopyItem copies a live item of the account into a folder of it: a new item with the
// destination's next change number and UID.
func (s *Store) CopyItem(ctx context.Context, accountID, id, dstFolderID uint64) (*Item, error) {
	var c Item
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ? AND id = ? AND deleted = ?", accountID, id, false).Take(&c).Error; err != nil {
			return err
		}
		if err := tx.Select("id").Where("account_id = ? AND id = ?", accountID, dstFolderID).Take(&Folder{}).Error; err != nil {
			return err
		}
		seq, uid, err := nextPlace(tx, dstFolderID)
		if err != nil {
			return err
		}
		c.ID, c.FolderID, c.ModSeq, c.UID, c.CreatedAt, c.UpdatedAt = 0, dstFolderID, seq, uid, now(), now()
		return tx.Create(&c).Error
	})
	return &c, translate(err)
}

// FolderCounts counts a folder's live items and the unread ones among them (IMAP STATUS).
func (s *Store) FolderCounts(ctx context.Context, accountID, folderID uint64) (messages, unseen int64, err error) {
	type row struct {
		Read bool
		N    int64
	}
	var rows []row
	err = s.db.WithContext(ctx).Model(&Item{}).Select("`read`, COUNT(*) AS n").
		Where("account_id = ? AND folder_id = ? AND deleted = ?", accountID, folderID, false).Group("`read`").Scan(&rows).Error
	for _, r := range rows {
		messages += r.N
		if !r.Read {
			unseen += r.N
		}
	}
	return messages, unseen, err
}
