package store

import (
	"bytes"
	"context"
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SearchPosting says an item's text has a word (by its termHash); the rows of one account and
// word are next to each other (the primary key), so a word's items are one range read.
// Present holds the fields the word is in (a search of other fields skips the item), Exact
// those where it is exact (searchexact.go): there it proves a match. FolderID and Received are
// the item's folder and arrival (receivedKey), which never change while the item lives (a move
// makes a new item), so that a search need not read the items to keep a folder's matches and
// order them.
type SearchPosting struct {
	AccountID uint64      `gorm:"primaryKey;autoIncrement:false"`
	Word      int64       `gorm:"primaryKey;autoIncrement:false"`
	ItemID    uint64      `gorm:"primaryKey;autoIncrement:false"`
	Present   SearchField `gorm:"not null"`
	Exact     SearchField `gorm:"not null"`
	FolderID  uint64      `gorm:"not null"`
	Received  int64       `gorm:"not null"`
}

// SearchSuffix is one suffix of an indexed word (shared by all accounts): a substring search
// for "ell" reads the suffixes from "ell" up to "ell\xff" and so finds "hello"'s hash.
type SearchSuffix struct {
	Suffix []byte `gorm:"primaryKey;autoIncrement:false"`
	Word   int64  `gorm:"primaryKey;autoIncrement:false"`
}

const insertBatch = 500

// indexItems adds the postings of new items (live mail only) and the suffixes of words the
// index has not seen yet. It runs in the transaction that stores the items.
func indexItems(db *gorm.DB, items []*Item) error {
	words := map[string]int64{}
	var posts []SearchPosting
	for _, it := range items {
		if it.Deleted || it.Class != "Email" || it.ID == 0 {
			continue
		}
		at := map[int64]int{} // a hash's posting in posts
		received := receivedKey(db, it.ReceivedAt)
		for w, f := range itemIndex(it) {
			h := termHash(w)
			words[w] = h
			if i, ok := at[h]; ok {
				posts[i].Present |= f.present
				posts[i].Exact |= f.exact
				continue
			}
			at[h] = len(posts)
			posts = append(posts, SearchPosting{AccountID: it.AccountID, Word: h, ItemID: it.ID, Present: f.present, Exact: f.exact,
				FolderID: it.FolderID, Received: received})
		}
	}
	if len(posts) == 0 {
		return nil
	}
	// A word is known when its whole window is a suffix row of its own hash: the suffixes of a
	// word go in together, in one transaction. Words this process knows committed are not
	// asked about (searchknown.go).
	kw := knownWordsOf(db)
	if l := learntOf(db); l != nil {
		for w := range words {
			l.words = append(l.words, w)
		}
	}
	list := make([][]any, 0, len(words))
	known := map[string]bool{}
	for w, h := range words {
		if kw.has(w) {
			known[w] = true
			continue
		}
		list = append(list, []any{[]byte(w), h})
	}
	for lo := 0; lo < len(list); lo += insertBatch {
		var rows []SearchSuffix
		if err := db.Where("(suffix, word) IN ?", list[lo:min(lo+insertBatch, len(list))]).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if words[string(r.Suffix)] == r.Word {
				known[string(r.Suffix)] = true
			}
		}
	}
	var sufs []SearchSuffix
	seen := map[suffixKey]bool{}
	for w, h := range words {
		if known[w] {
			continue
		}
		suffixes(w, func(s string) {
			k := suffixKey{s, h}
			if !seen[k] {
				seen[k] = true
				sufs = append(sufs, SearchSuffix{Suffix: []byte(s), Word: h})
			}
		})
	}
	// Another delivery may add the same word at the same time: its rows are the same. Rows go
	// in key order, so that two transactions lock InnoDB's keys in the same order.
	sort.Slice(sufs, func(i, j int) bool {
		if c := bytes.Compare(sufs[i].Suffix, sufs[j].Suffix); c != 0 {
			return c < 0
		}
		return sufs[i].Word < sufs[j].Word
	})
	sort.Slice(posts, func(i, j int) bool {
		a, b := posts[i], posts[j]
		if a.AccountID != b.AccountID {
			return a.AccountID < b.AccountID
		}
		if a.Word != b.Word {
			return a.Word < b.Word
		}
		return a.ItemID < b.ItemID
	})
	if len(sufs) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(sufs, insertBatch).Error; err != nil {
			return err
		}
	}
	return db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(posts, insertBatch).Error
}

// suffixKey is a suffix row as a map key.
type suffixKey struct {
	Suffix string
	Word   int64
}

// unindexItem drops an item's postings, found again from its content (the rows are keyed by
// account and word, not by item). Suffixes stay: other items may share them, and a stale
// suffix only names a word that finds no posting.
func unindexItem(db *gorm.DB, it *Item) error {
	if it.Class != "Email" {
		return nil
	}
	hashes := map[int64]bool{}
	for w := range itemIndex(it) {
		hashes[termHash(w)] = true
	}
	if len(hashes) == 0 {
		return nil
	}
	list := make([]int64, 0, len(hashes))
	for h := range hashes {
		list = append(list, h)
	}
	for lo := 0; lo < len(list); lo += insertBatch {
		if err := db.Where("account_id = ? AND word IN ? AND item_id = ?", it.AccountID, list[lo:min(lo+insertBatch, len(list))], it.ID).
			Delete(&SearchPosting{}).Error; err != nil {
			return err
		}
	}
	return nil
}

// AfterCreate indexes a new item in the transaction that creates it, whichever path creates it
// (delivery, APPEND, Sync Add, move, copy, a seeding tool).
func (it *Item) AfterCreate(tx *gorm.DB) error {
	return indexItems(tx.Session(&gorm.Session{NewDB: true}), []*Item{it})
}

// candidates is the SQL condition "the words of the item's fields contain every query word of
// text" (nil when text has no word: then the index cannot narrow the search).
func candidates(db *gorm.DB, accountID uint64, text string, fields SearchField) []*gorm.DB {
	var out []*gorm.DB
	for _, t := range queryTerms(text) {
		out = append(out, postings(db, accountID, t).Where("(present & ?) <> 0", int(fields)))
	}
	return out
}

// postings selects the item ids of the account's postings of the words that contain term.
func postings(db *gorm.DB, accountID uint64, term string) *gorm.DB {
	lo := []byte(term)
	hi := append([]byte(term), 0xff) // no UTF-8 byte is 0xff: every string starting with term is below
	words := db.Session(&gorm.Session{NewDB: true}).Model(&SearchSuffix{}).Select("word").Where("suffix >= ? AND suffix < ?", lo, hi)
	return db.Session(&gorm.Session{NewDB: true}).Model(&SearchPosting{}).Select("item_id").
		Where("account_id = ? AND word IN (?)", accountID, words)
}

// proven selects the ids of the account's items that certainly contain text in one of fields
// (a subset of the matches; nil when the index cannot prove text, see searchexact.go).
func proven(db *gorm.DB, accountID uint64, text string, fields SearchField) *gorm.DB {
	t := provable(text)
	if t == "" || fields == 0 {
		return nil
	}
	return postings(db, accountID, t).Where("(exact & ?) <> 0", int(fields))
}

// narrow restricts a query of items to the search index's candidates for every text (those
// with words to look up). The rows are then read by id: SQLite, with no statistics, would
// rather walk a folder's index and test each row against the candidates (NOT INDEXED leaves
// it the rowid lookups only); MySQL is told the same.
func (s *Store) narrow(db *gorm.DB, accountID uint64, texts ...string) (*gorm.DB, bool) {
	var subs []*gorm.DB
	for _, t := range texts {
		subs = append(subs, candidates(db, accountID, t, FieldsEAS)...)
	}
	if len(subs) == 0 {
		return db, false
	}
	if s.dialect == "mysql" {
		db = db.Table("items FORCE INDEX (PRIMARY)")
	} else {
		db = db.Table("items NOT INDEXED")
	}
	for _, sub := range subs {
		db = db.Where("id IN (?)", sub)
	}
	return db, true
}

// SearchCandidates reads the index for text, for IMAP SEARCH: the ids of the account's live
// mail in the folder (0: any) that may contain it in one of fields, and of those the ids that
// certainly contain it in one of fields (the caller need not confirm them). ok is false when
// the index cannot narrow the search.
func (s *Store) SearchCandidates(ctx context.Context, accountID, folderID uint64, text string, fields SearchField) (cands, sure map[uint64]bool, ok bool, err error) {
	if s.likeOnly {
		return nil, nil, false, nil
	}
	var folders []uint64
	if folderID != 0 {
		folders = []uint64{folderID}
	}
	found, ok, err := s.hits(ctx, accountID, text, fields, folders, confirmIMAP)
	if err != nil || !ok {
		return nil, nil, false, err
	}
	cands, sure = make(map[uint64]bool, len(found)), map[uint64]bool{}
	for id, h := range found {
		cands[id] = true
		if h.sure {
			sure[id] = true
		}
	}
	return cands, sure, true, nil
}
