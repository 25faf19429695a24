package store

import "gorm.io/gorm"

// m0032Item is what the backfill reads of an item: what the index looks at.
type m0032Item struct {
	ID        uint64
	AccountID uint64
	Class     string
	Subject   string
	FromAddr  string
	ToAddr    string
	CcAddr    string
	BodyText  string
	BodyHTML  string
	MIME      []byte `gorm:"column:mime"`
}

func (m0032Item) TableName() string { return "items" }

// The tables of 0032 are those of 0020 (see there why written out per engine), the postings
// with the fields their word is in and those where it is exact (searchexact.go).
var m0032Tables = map[string][]string{
	"sqlite": {
		"DROP TABLE search_postings",
		"DROP TABLE search_suffixes",
		"CREATE TABLE search_postings (account_id INTEGER NOT NULL, word INTEGER NOT NULL, item_id INTEGER NOT NULL, present INTEGER NOT NULL DEFAULT 0, exact INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account_id, word, item_id)) WITHOUT ROWID",
		"CREATE TABLE search_suffixes (suffix BLOB NOT NULL, word INTEGER NOT NULL, PRIMARY KEY (suffix, word)) WITHOUT ROWID",
	},
	"mysql": {
		"DROP TABLE search_postings",
		"DROP TABLE search_suffixes",
		"CREATE TABLE search_postings (account_id BIGINT UNSIGNED NOT NULL, word BIGINT NOT NULL, item_id BIGINT UNSIGNED NOT NULL, present SMALLINT UNSIGNED NOT NULL DEFAULT 0, exact SMALLINT UNSIGNED NOT NULL DEFAULT 0, PRIMARY KEY (account_id, word, item_id)) ENGINE=InnoDB",
		"CREATE TABLE search_suffixes (suffix VARBINARY(128) NOT NULL, word BIGINT NOT NULL, PRIMARY KEY (suffix, word)) ENGINE=InnoDB",
	},
}

// 0032: the search index made anew, with 64-bit word hashes and the present and exact fields
// of each posting, and filled from the mail there is. The backfill runs the live indexer on purpose:
// the index is derived data that must match what the running code looks up, and batches by id
// keep memory bounded.
func migrate0032(tx *gorm.DB) error {
	for _, q := range m0032Tables[tx.Dialector.Name()] {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	var after uint64
	for {
		var batch []m0032Item
		if err := tx.Where("id > ? AND deleted = ? AND class = ?", after, false, "Email").Order("id").Limit(200).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		items := make([]*Item, len(batch))
		for i, b := range batch {
			after = b.ID
			raw, err := inflateMIME(b.MIME) // stored deflated or, from before that, raw
			if err != nil {
				raw = nil // the index then holds the columns' words only
			}
			items[i] = &Item{ID: b.ID, AccountID: b.AccountID, Class: b.Class, Subject: b.Subject, FromAddr: b.FromAddr, ToAddr: b.ToAddr,
				CcAddr: b.CcAddr, BodyText: b.BodyText, BodyHTML: b.BodyHTML, MIME: raw}
		}
		if err := tx.Transaction(func(tx *gorm.DB) error { return indexItems(tx, items) }); err != nil {
			return err
		}
	}
}
