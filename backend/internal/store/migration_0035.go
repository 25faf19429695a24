package store

import (
	"time"

	"gorm.io/gorm"
)

// m0035Item is what the backfill reads of an item: what the index looks at, and the folder and
// arrival each posting now carries.
type m0035Item struct {
	ID         uint64
	AccountID  uint64
	FolderID   uint64
	Class      string
	ReceivedAt time.Time
	Subject    string
	FromAddr   string
	ToAddr     string
	CcAddr     string
	BodyText   string
	BodyHTML   string
	MIME       []byte `gorm:"column:mime"`
}

func (m0035Item) TableName() string { return "items" }

// The postings of 0035 carry the item's folder and arrival (see searchhits.go), so that a search
// answers from the index alone: which matches are in the folder, in which order, how many.
var m0035Tables = map[string][]string{
	"sqlite": {
		"DROP TABLE search_postings",
		"CREATE TABLE search_postings (account_id INTEGER NOT NULL, word INTEGER NOT NULL, item_id INTEGER NOT NULL, present INTEGER NOT NULL DEFAULT 0, exact INTEGER NOT NULL DEFAULT 0, folder_id INTEGER NOT NULL DEFAULT 0, received INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account_id, word, item_id)) WITHOUT ROWID",
	},
	"mysql": {
		"DROP TABLE search_postings",
		"CREATE TABLE search_postings (account_id BIGINT UNSIGNED NOT NULL, word BIGINT NOT NULL, item_id BIGINT UNSIGNED NOT NULL, present SMALLINT UNSIGNED NOT NULL DEFAULT 0, exact SMALLINT UNSIGNED NOT NULL DEFAULT 0, folder_id BIGINT UNSIGNED NOT NULL DEFAULT 0, received BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (account_id, word, item_id)) ENGINE=InnoDB",
	},
}

// 0035: the postings made anew with each item's folder and arrival, and filled from the mail
// there is (the suffixes stay: they name words, and the indexer adds those it has not seen).
// The backfill runs the live indexer on purpose: the index is derived data that must match
// what the running code looks up, and batches by id keep memory bounded.
func migrate0035(tx *gorm.DB) error {
	for _, q := range m0035Tables[tx.Dialector.Name()] {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	if tx.Dialector.Name() == "sqlite" {
		// The postings go in in word order, not item order: with SQLite's default 2 MB page cache
		// a batch's pages are read and written again and again (tens of GB written for 100,000
		// messages). 256 MB for this connection while it rebuilds, then the default again.
		if err := tx.Exec("PRAGMA cache_size = -262144").Error; err != nil {
			return err
		}
		defer tx.Exec("PRAGMA cache_size = -2000")
	}
	var after uint64
	for {
		var batch []m0035Item
		// 2,000 items to a transaction: a batch dirties a page per word it has (the postings are
		// in word order), so fewer, larger batches write each page fewer times.
		if err := tx.Where("id > ? AND deleted = ? AND class = ?", after, false, "Email").Order("id").Limit(2000).Find(&batch).Error; err != nil {
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
			items[i] = &Item{ID: b.ID, AccountID: b.AccountID, FolderID: b.FolderID, Class: b.Class, ReceivedAt: b.ReceivedAt,
				Subject: b.Subject, FromAddr: b.FromAddr, ToAddr: b.ToAddr, CcAddr: b.CcAddr, BodyText: b.BodyText, BodyHTML: b.BodyHTML, MIME: raw}
		}
		if err := tx.Transaction(func(tx *gorm.DB) error { return indexItems(tx, items) }); err != nil {
			return err
		}
	}
}
