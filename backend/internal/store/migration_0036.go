package store

import (
	"gorm.io/gorm"
)

// 0036 (SQLite only): the items table made again with the columns every folder-wide read wants
// first and the bodies last (issue 17, goal 4). SQLite stores a row as one record, its columns in
// table order, and a record larger than about a page spills into a chain of overflow pages; a
// column after a large value is reached only by walking that chain. The IMAP index of a folder
// (uid, flags, size) came after body_text, body_html and mime: SELECT of a folder of 2,000
// messages with a 96 KB attachment each took 7–9× as long as of small ones
// (BenchmarkHotColumns). Now the hot columns sit in the row's first bytes, which SQLite always
// keeps on the table's own page; the bodies stay in the row (a separate table would cost every
// message read a second lookup) but are read only by what asks for them.
//
// MySQL is left as it is: InnoDB (row format DYNAMIC) stores a long value off the row with a
// 20-byte pointer in it, so the same benchmark reads large messages no slower than small ones.
var m0036Items = []string{
	"CREATE TABLE items_0036 (" +
		"`id` integer PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `folder_id` integer NOT NULL, " +
		"`mod_seq` integer NOT NULL, `uid` integer NOT NULL DEFAULT 0, `deleted` numeric NOT NULL, " +
		"`read` numeric NOT NULL, `flagged` numeric NOT NULL, `importance` integer NOT NULL, `size` integer NOT NULL, " +
		"`received_at` datetime NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, " +
		"`class` varchar(16) NOT NULL, `imap_flags` varchar(1000) NOT NULL DEFAULT \"\", `dav_name` varchar(191) NOT NULL DEFAULT \"\", " +
		"`message_id` varchar(191) NOT NULL, `from_addr` varchar(191) NOT NULL, `to_addr` text, `cc_addr` text, `subject` text, " +
		"`attachments` text, `props` longtext, `body_text` longtext, `body_html` longtext, `mime` longblob)",
	"INSERT INTO items_0036 (" + m0036Columns + ") SELECT " + m0036Columns + " FROM items ORDER BY id",
	"DROP TABLE items",
	"ALTER TABLE items_0036 RENAME TO items",
	"CREATE INDEX `idx_items_folder_seq` ON `items`(`folder_id`,`mod_seq`)",
	"CREATE INDEX `idx_items_account_id` ON `items`(`account_id`)",
	"CREATE INDEX `idx_items_folder_uid` ON `items`(`folder_id`,`uid`)",
	"CREATE INDEX `idx_items_folder_dav_name` ON `items`(`folder_id`,`dav_name`)",
	"CREATE INDEX `idx_items_folder_arrival` ON `items`(`folder_id`,`received_at`,`uid`)",
}

const m0036Columns = "`id`, `account_id`, `folder_id`, `mod_seq`, `uid`, `deleted`, `read`, `flagged`, `importance`, `size`, " +
	"`received_at`, `created_at`, `updated_at`, `class`, `imap_flags`, `dav_name`, `message_id`, `from_addr`, `to_addr`, " +
	"`cc_addr`, `subject`, `attachments`, `props`, `body_text`, `body_html`, `mime`"

func migrate0036(db *gorm.DB) error {
	if db.Dialector.Name() != "sqlite" {
		return nil
	}
	// One transaction (SQLite's DDL is transactional): a crash leaves the old table whole.
	return db.Transaction(func(tx *gorm.DB) error {
		// An item id is an EAS ServerId and must never come back: the new table continues the
		// old one's AUTOINCREMENT counter, which can be above the highest id left (a purged
		// tombstone).
		var seq []int64
		if err := tx.Raw("SELECT seq FROM sqlite_sequence WHERE name = 'items'").Scan(&seq).Error; err != nil {
			return err
		}
		if err := tx.Exec("PRAGMA cache_size = -262144").Error; err != nil { // the copy's pages, 256 MB
			return err
		}
		defer tx.Exec("PRAGMA cache_size = -2000")
		for _, q := range m0036Items {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		if len(seq) == 0 {
			return nil
		}
		res := tx.Exec("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'items'", seq[0])
		if res.Error != nil || res.RowsAffected > 0 {
			return res.Error
		}
		return tx.Exec("INSERT INTO sqlite_sequence (name, seq) VALUES ('items', ?)", seq[0]).Error // no row was copied
	})
}
