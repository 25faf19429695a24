package store

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// A search answered from the index alone. Each posting carries its item's folder and arrival,
// which never change while the item lives, and postings exist for live mail only (deletes,
// moves and folder deletes drop them in the transaction that makes the change). So the postings
// of a query's words say, without reading an item: which items may match (every word present
// in the searched fields), which certainly match (the proof, searchexact.go), in which folder
// and in which order they arrived. Only the candidates the index cannot prove are read, to be
// confirmed by the old predicate. A word found in a quarter of 100,000 messages is then one
// range read of its postings, not 25,000 row reads.

// How many unproven candidates a search would rather confirm by reading them than read another
// word's postings: EAS tests a row with LIKE (tens of microseconds), IMAP parses the message.
const (
	confirmEAS  = 500
	confirmIMAP = 100
)

// receivedKey is an arrival as the postings keep it: nanoseconds since 1970, at the precision
// the engine keeps in items.received_at (milliseconds on MySQL's datetime(3), which truncates
// on MariaDB), so that the index orders matches as ORDER BY received_at DESC, id DESC does.
func receivedKey(db *gorm.DB, t time.Time) int64 {
	if db.Dialector.Name() == "mysql" {
		t = t.Truncate(time.Millisecond)
	}
	return t.UnixNano()
}

// hit is what the index says of one candidate.
type hit struct {
	received int64
	words    int  // of the query's words, how many were found present so far
	sure     bool // proven to match
}

// hits reads the postings of text's words among the account's live mail in folders (nil: any):
// items that may contain text in one of fields (every word read so far present in them), each
// with its arrival and whether the index proves text in one of fields. ok is false when text has
// no word to look up. The words' postings are read once each, the proof's term with the first
// word when it is that word. Once no more than confirm candidates are left unproven, the other
// words are not read: a word found in most messages ("example" of "domain7.example") costs more
// to read than confirming a few candidates costs the caller.
func (s *Store) hits(ctx context.Context, accountID uint64, text string, fields SearchField, folders []uint64, confirm int) (map[uint64]*hit, bool, error) {
	terms := queryTerms(text)
	if len(terms) == 0 {
		return nil, false, nil
	}
	proof := provable(text)
	out := map[uint64]*hit{}
	for i, t := range terms {
		if i > 0 {
			unsure := 0
			for _, h := range out {
				if !h.sure {
					unsure++
				}
			}
			if unsure <= confirm {
				break
			}
		}
		prove := proof == t
		err := s.scanPostings(ctx, accountID, t, fields, folders, func(id uint64, present, exact SearchField, received int64) {
			h := out[id]
			if h == nil {
				if i > 0 {
					return // not a candidate of an earlier word
				}
				h = &hit{received: received}
				out[id] = h
			}
			if present&fields != 0 && h.words == i {
				h.words = i + 1
			}
			if prove && exact&fields != 0 {
				h.sure = true
			}
		})
		if err != nil {
			return nil, false, err
		}
		for id, h := range out {
			if h.words <= i { // this word is not present in its fields (a row of an exact window only)
				delete(out, id)
			}
		}
		if i == 0 && proof != "" && !prove { // a token, or a word folding changes: a term of its own
			err := s.scanPostings(ctx, accountID, proof, fields, folders, func(id uint64, _, exact SearchField, _ int64) {
				if h := out[id]; h != nil && exact&fields != 0 {
					h.sure = true
				}
			})
			if err != nil {
				return nil, false, err
			}
		}
	}
	return out, true, nil
}

// scanPostings calls fn with each posting of the words that contain term (their suffixes from
// term up), of the account, in folders (nil: any), with a field of fields present or exact.
func (s *Store) scanPostings(ctx context.Context, accountID uint64, term string, fields SearchField, folders []uint64,
	fn func(id uint64, present, exact SearchField, received int64)) error {
	q := postings(s.db.WithContext(ctx), accountID, term).Select("item_id, present, exact, received").
		Where("((present | exact) & ?) <> 0", int(fields))
	if folders != nil {
		q = q.Where("folder_id IN ?", folders)
	}
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		var present, exact SearchField
		var received int64
		if err := rows.Scan(&id, &present, &exact, &received); err != nil {
			return err
		}
		fn(id, present, exact, received)
	}
	return rows.Err()
}

// simpleQuery is a MailQuery the index answers alone: an And, at any depth, of one text, folders,
// the class and dates. text is "" when q is not one.
type simpleQuery struct {
	text          string
	folders       []uint64 // nil: any
	none          bool     // a criterion no mail meets (another class, an empty folder list)
	after, before time.Time
}

func (q MailQuery) simple() (simpleQuery, bool) {
	var out simpleQuery
	ok := true
	var walk func(q MailQuery)
	walk = func(q MailQuery) {
		switch {
		case q.And != nil:
			for _, k := range q.And {
				walk(k)
			}
		case q.Or != nil || q.Topic != "":
			ok = false
		case q.Text != "":
			if out.text != "" && out.text != q.Text {
				ok = false
			}
			out.text = q.Text
		case q.Folders != nil:
			if out.folders == nil {
				out.folders = q.Folders
				break
			}
			keep := map[uint64]bool{}
			for _, f := range q.Folders {
				keep[f] = true
			}
			var both []uint64
			for _, f := range out.folders {
				if keep[f] {
					both = append(both, f)
				}
			}
			out.folders = both
			if both == nil {
				out.folders = []uint64{}
			}
		case q.Class != "":
			out.none = out.none || q.Class != "Email"
		case !q.After.IsZero():
			if q.After.After(out.after) {
				out.after = q.After
			}
		case !q.Before.IsZero():
			if out.before.IsZero() || q.Before.Before(out.before) {
				out.before = q.Before
			}
		default:
			out.none = true // an empty criterion matches nothing
		}
	}
	walk(q)
	if out.folders != nil && len(out.folders) == 0 {
		out.none = true
	}
	return out, ok && out.text != ""
}

// searchByIndex answers a simple query from the postings: the candidates in its folders and
// dates, the unproven ones confirmed by the old predicate (read in batches), the matches
// ordered newest first; ok is false when the text has no word to look up.
func (s *Store) searchByIndex(ctx context.Context, accountID uint64, q simpleQuery, offset, limit int) ([]Item, int64, bool, error) {
	if q.none {
		return []Item{}, 0, true, nil
	}
	found, ok, err := s.hits(ctx, accountID, q.text, FieldsEAS, q.folders, confirmEAS)
	if err != nil || !ok {
		return nil, 0, ok, err
	}
	var after, before int64
	if !q.after.IsZero() {
		after = receivedKey(s.db, q.after)
	}
	if !q.before.IsZero() {
		before = receivedKey(s.db, q.before)
	}
	type match struct {
		id       uint64
		received int64
	}
	var matches []match
	var unsure []uint64
	for id, h := range found {
		if after != 0 && h.received <= after || before != 0 && h.received >= before {
			continue
		}
		if h.sure {
			matches = append(matches, match{id, h.received})
		} else {
			unsure = append(unsure, id)
		}
	}
	if len(unsure) > 0 {
		sort.Slice(unsure, func(i, j int) bool { return unsure[i] < unsure[j] })
		cond, args := MailQuery{Text: q.text}.where(nil)
		for lo := 0; lo < len(unsure); lo += insertBatch {
			var ids []uint64
			err := s.db.WithContext(ctx).Model(&Item{}).Where("id IN ? AND account_id = ? AND deleted = ?", unsure[lo:min(lo+insertBatch, len(unsure))], accountID, false).
				Where(cond, args...).Pluck("id", &ids).Error
			if err != nil {
				return nil, 0, true, err
			}
			for _, id := range ids {
				matches = append(matches, match{id, found[id].received})
			}
		}
	}
	sort.Slice(matches, func(i, j int) bool {
		if matches[i].received != matches[j].received {
			return matches[i].received > matches[j].received
		}
		return matches[i].id > matches[j].id
	})
	total := int64(len(matches))
	if offset >= len(matches) || limit <= 0 {
		return []Item{}, total, true, nil
	}
	page := make([]uint64, 0, limit)
	for _, m := range matches[offset:min(offset+limit, len(matches))] {
		page = append(page, m.id)
	}
	out, err := s.itemsInOrder(ctx, page)
	return out, total, true, err
}
