package store

import "gorm.io/gorm"

// The tables of 0020 are written out per engine: both are clustered on their primary key with
// no rowid of their own (WITHOUT ROWID on SQLite, InnoDB's clustered key on MySQL), which
// halves their size against a table plus a key index; the suffix is bytes compared bytewise on
// both (a BLOB on SQLite, VARBINARY on MySQL), so a range of suffixes means the same on both.
var m0020Tables = map[string][]string{
	"sqlite": {
		"CREATE TABLE search_postings (account_id INTEGER NOT NULL, word INTEGER NOT NULL, item_id INTEGER NOT NULL, PRIMARY KEY (account_id, word, item_id)) WITHOUT ROWID",
		"CREATE TABLE search_suffixes (suffix BLOB NOT NULL, word INTEGER NOT NULL, PRIMARY KEY (suffix, word)) WITHOUT ROWID",
	},
	"mysql": {
		"CREATE TABLE search_postings (account_id BIGINT UNSIGNED NOT NULL, word BIGINT NOT NULL, item_id BIGINT UNSIGNED NOT NULL, PRIMARY KEY (account_id, word, item_id)) ENGINE=InnoDB",
		"CREATE TABLE search_suffixes (suffix VARBINARY(128) NOT NULL, word BIGINT NOT NULL, PRIMARY KEY (suffix, word)) ENGINE=InnoDB",
	},
}

// 0020: the search index's tables (searchterms.go, searchindex.go). Its backfill of the mail
// there was moved to 0032, which makes the tables anew: it runs the live indexer, whose rows
// since carry a column 0020 does not have.
func migrate0020(tx *gorm.DB) error {
	for _, q := range m0020Tables[tx.Dialector.Name()] {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
