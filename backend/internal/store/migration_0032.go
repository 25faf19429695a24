package store

import "gorm.io/gorm"

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
// of each posting. Its backfill of the mail there was moved to 0035, which makes the postings
// anew: it runs the live indexer, whose rows since carry columns 0032 does not have.
func migrate0032(tx *gorm.DB) error {
	for _, q := range m0032Tables[tx.Dialector.Name()] {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
