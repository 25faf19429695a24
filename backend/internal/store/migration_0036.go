package store

import (
	"gorm.io/gorm"
)

// 0036 (SQLite only): the items table made again with the columns every folder-wide read wants
// first and the bodies last (issue 17, goal 4). SQLite stores a row as one record, its columns in
// table order, and a record larger than about a page spills into a chain of overflow pages; a
// column after a large value is reached only by walking that chain. The IMAP index of a folder
// (uid, flags, size) came after body_text, body_html and mime: SELECT's read of a folder of
// 2,000 messages with a 96 KB attachment each took 183–191 ms, of small ones 19–22 ms
// (BenchmarkHotColumns); now 21 ms. The hot columns sit in the row's first bytes, which SQLite
// always keeps on the table's own page; the bodies stay in the row (a separate table would cost
// every whole-message read a second lookup) but are read only by what asks for them.
//
// MySQL is left as it is: InnoDB (row format DYNAMIC) stores a long value off the row with a
// 20-byte pointer in it, so the same benchmark reads large messages no slower than small ones.
const m0036Table = "CREATE TABLE items_0036 (" +
	"`id` integer PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `folder_id` integer NOT NULL, " +
	"`mod_seq` integer NOT NULL, `uid` integer NOT NULL DEFAULT 0, `deleted` numeric NOT NULL, " +
	"`read` numeric NOT NULL, `flagged` numeric NOT NULL, `importance` integer NOT NULL, `size` integer NOT NULL, " +
	"`received_at` datetime NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, " +
	"`class` varchar(16) NOT NULL, `imap_flags` varchar(1000) NOT NULL DEFAULT \"\", `dav_name` varchar(191) NOT NULL DEFAULT \"\", " +
	"`message_id` varchar(191) NOT NULL, `from_addr` varchar(191) NOT NULL, `to_addr` text, `cc_addr` text, `subject` text, " +
	"`attachments` text, `props` longtext, `body_text` longtext, `body_html` longtext, `mime` longblob)"

const m0036Columns = "`id`, `account_id`, `folder_id`, `mod_seq`, `uid`, `deleted`, `read`, `flagged`, `importance`, `size`, " +
	"`received_at`, `created_at`, `updated_at`, `class`, `imap_flags`, `dav_name`, `message_id`, `from_addr`, `to_addr`, " +
	"`cc_addr`, `subject`, `attachments`, `props`, `body_text`, `body_html`, `mime`"

var m0036Indexes = []string{
	"CREATE INDEX `idx_items_folder_seq` ON `items`(`folder_id`,`mod_seq`)",
	"CREATE INDEX `idx_items_account_id` ON `items`(`account_id`)",
	"CREATE INDEX `idx_items_folder_uid` ON `items`(`folder_id`,`uid`)",
	"CREATE INDEX `idx_items_folder_dav_name` ON `items`(`folder_id`,`dav_name`)",
	"CREATE INDEX `idx_items_folder_arrival` ON `items`(`folder_id`,`received_at`,`uid`)",
}

// m0036Batch bounds a batch's stored MIME: a transaction's pages pass through the WAL file, which
// keeps the size of the largest one.
const m0036Batch = 32 << 20

// migrate0036 moves the rows a batch at a time, deleting each batch from the old table in the
// transaction that copies it: the pages it frees take the next batch, so the file does not grow
// to twice the mail (a copy in one transaction did, and left a WAL file as large as the mail).
// The old table's indexes go first, so those deletes cost only the rows. An interrupted upgrade
// starts again where it stopped: the rows are in exactly one of the two tables.
func migrate0036(db *gorm.DB) error {
	if db.Dialector.Name() != "sqlite" {
		return nil
	}
	// An item id is an EAS ServerId and must never come back: the new table continues the old
	// one's AUTOINCREMENT counter, which can be above the highest id left (a purged tombstone).
	var seq int64
	if err := db.Raw("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name IN ('items', 'items_0036')").Scan(&seq).Error; err != nil {
		return err
	}
	if !db.Migrator().HasTable("items_0036") { // else an upgrade that stopped: go on with it
		if err := db.Exec(m0036Table).Error; err != nil {
			return err
		}
	}
	for _, idx := range []string{"idx_items_folder_seq", "idx_items_account_id", "idx_items_folder_uid", "idx_items_folder_dav_name", "idx_items_folder_arrival"} {
		if err := db.Exec("DROP INDEX IF EXISTS " + idx).Error; err != nil {
			return err
		}
	}
	for {
		var sizes []struct {
			ID   uint64
			Size int64
		}
		// LENGTH of a blob is read from the row's header, not from its overflow pages.
		if err := db.Raw("SELECT id, COALESCE(LENGTH(mime), 0) AS size FROM items ORDER BY id LIMIT 1000").Scan(&sizes).Error; err != nil {
			return err
		}
		if len(sizes) == 0 {
			break
		}
		last, total := sizes[0].ID, int64(0)
		for _, r := range sizes {
			if total += r.Size; total > m0036Batch {
				break
			}
			last = r.ID
		}
		if err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("INSERT INTO items_0036 ("+m0036Columns+") SELECT "+m0036Columns+" FROM items WHERE id <= ? ORDER BY id", last).Error; err != nil {
				return err
			}
			return tx.Exec("DELETE FROM items WHERE id <= ?", last).Error
		}); err != nil {
			return err
		}
	}
	return db.Transaction(func(tx *gorm.DB) error {
		for _, q := range append([]string{"DROP TABLE items", "ALTER TABLE items_0036 RENAME TO items"}, m0036Indexes...) {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		res := tx.Exec("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'items'", seq)
		if res.Error != nil || res.RowsAffected > 0 || seq == 0 {
			return res.Error
		}
		return tx.Exec("INSERT INTO sqlite_sequence (name, seq) VALUES ('items', ?)", seq).Error // no row was copied
	})
}
