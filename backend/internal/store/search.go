package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"
)

// likePattern escapes LIKE's wildcards in user text and wraps it for a substring match. The
// escape character is '!', not a backslash: MySQL reads a backslash inside a string literal as
// an escape of its own, SQLite does not, and '!' means the same to both.
func likePattern(text string) string {
	return "%" + likeEscape(text) + "%"
}

func likeEscape(text string) string {
	return strings.NewReplacer(`!`, `!!`, `%`, `!%`, `_`, `!_`).Replace(text)
}

// MailQuery is a Mailbox search's criteria as a tree. A node with And or Or combines its
// children; any other node is one criterion, the one field it sets:
//   - Text: the subject, sender, recipients or text contain it (case-insensitively on both
//     engines' collations, LIKE's wildcards literal);
//   - Folders: in one of these folders (an empty list matches nothing);
//   - Class: of this item class;
//   - After / Before: received strictly after / before;
//   - Topic: of this conversation, i.e. the subject is the topic or ends with ":" or ": " and
//     the topic ("Re: Fwd: Lunch" is in "Lunch"'s).
//
// The account is not a criterion: SearchMail always adds it.
type MailQuery struct {
	And, Or       []MailQuery
	Text          string
	Folders       []uint64
	Class         string
	After, Before time.Time
	Topic         string
}

// where compiles the tree to one SQL condition and its arguments. sure, when not nil, gives
// for a Text the subquery of the items the index proves to match it (or nil): those are not
// tested with LIKE.
func (q MailQuery) where(sure func(text string) *gorm.DB) (string, []any) {
	join := func(kids []MailQuery, op, empty string) (string, []any) {
		if len(kids) == 0 {
			return empty, nil
		}
		parts := make([]string, len(kids))
		var args []any
		for i, k := range kids {
			var a []any
			parts[i], a = k.where(sure)
			args = append(args, a...)
		}
		return "(" + strings.Join(parts, op) + ")", args
	}
	switch {
	case q.And != nil:
		return join(q.And, " AND ", "1=1")
	case q.Or != nil:
		return join(q.Or, " OR ", "1=0")
	case q.Text != "":
		p := likePattern(q.Text)
		like := `(LOWER(subject) LIKE LOWER(?) ESCAPE '!' OR LOWER(from_addr) LIKE LOWER(?) ESCAPE '!' OR LOWER(to_addr) LIKE LOWER(?) ESCAPE '!' OR LOWER(body_text) LIKE LOWER(?) ESCAPE '!')`
		if sure != nil {
			if sub := sure(q.Text); sub != nil { // both engines stop an OR at its first true term
				return "(id IN (?) OR " + like + ")", []any{sub, p, p, p, p}
			}
		}
		return like, []any{p, p, p, p}
	case q.Folders != nil:
		if len(q.Folders) == 0 {
			return "1=0", nil
		}
		return "folder_id IN ?", []any{q.Folders}
	case q.Class != "":
		return "class = ?", []any{q.Class}
	case !q.After.IsZero():
		return "received_at > ?", []any{q.After.UTC()}
	case !q.Before.IsZero():
		return "received_at < ?", []any{q.Before.UTC()}
	case q.Topic != "":
		e := likeEscape(q.Topic)
		return `(LOWER(subject) = LOWER(?) OR LOWER(subject) LIKE LOWER(?) ESCAPE '!' OR LOWER(subject) LIKE LOWER(?) ESCAPE '!')`,
			[]any{q.Topic, "%: " + e, "%:" + e}
	}
	return "1=0", nil // an empty criterion matches nothing rather than everything
}

// UseSearchIndex turns the search index on (the default) or off for this Store's searches;
// off, they scan as they did before the index (tests and benchmarks compare the two). The
// index is kept current either way.
func (s *Store) UseSearchIndex(on bool) { s.likeOnly = !on }

// required lists the Text criteria every match meets: q's own, or those of its And, at any
// depth of Ands (not under an Or).
func (q MailQuery) required() []string {
	switch {
	case q.And != nil:
		var out []string
		for _, k := range q.And {
			out = append(out, k.required()...)
		}
		return out
	case q.Or == nil && q.Text != "":
		return []string{q.Text}
	}
	return nil
}

// SearchMail finds an account's live mail that matches q, newest first: a page of it from
// offset and how many match in all.
func (s *Store) SearchMail(ctx context.Context, accountID uint64, q MailQuery, offset, limit int) ([]Item, int64, error) {
	if sq, ok := q.simple(); ok && !s.likeOnly {
		out, total, ok, err := s.searchByIndex(ctx, accountID, sq, offset, limit)
		if ok || err != nil {
			return out, total, err
		}
	}
	db := s.db.WithContext(ctx).Model(&Item{})
	narrowed := false
	if !s.likeOnly {
		db, narrowed = s.narrow(db, accountID, q.required()...)
	}
	var sure func(string) *gorm.DB
	if narrowed {
		sure = func(text string) *gorm.DB { return proven(db, accountID, text, FieldsEAS) }
	}
	cond, args := q.where(sure)
	db = db.Where("account_id = ? AND deleted = ? AND class = ?", accountID, false, "Email").Where(cond, args...)
	if narrowed {
		return s.searchPage(ctx, db, offset, limit)
	}
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Item
	err := db.Order("received_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error
	return out, total, err
}

// searchPage runs a narrowed search in one pass over its candidates: the ids of all matches in
// order (their number is the total), then the page's rows by id. Counting and then paging would
// test every candidate twice.
func (s *Store) searchPage(ctx context.Context, db *gorm.DB, offset, limit int) ([]Item, int64, error) {
	var ids []uint64
	if err := db.Order("received_at DESC, id DESC").Pluck("id", &ids).Error; err != nil {
		return nil, 0, err
	}
	total := int64(len(ids))
	if offset >= len(ids) || limit <= 0 {
		return []Item{}, total, nil
	}
	out, err := s.itemsInOrder(ctx, ids[offset:min(offset+limit, len(ids))])
	return out, total, err
}

// itemsInOrder reads the items of ids in that order; one deleted since its id was read is left
// out.
func (s *Store) itemsInOrder(ctx context.Context, page []uint64) ([]Item, error) {
	var rows []Item
	if err := s.db.WithContext(ctx).Where("id IN ?", page).Find(&rows).Error; err != nil {
		return nil, err
	}
	at := make(map[uint64]int, len(page))
	for i, id := range page {
		at[id] = i
	}
	out := make([]Item, len(page))
	n := 0
	for _, r := range rows {
		out[at[r.ID]] = r
		n++
	}
	if n != len(page) { // a match deleted between the two reads: keep the order, drop the gap
		kept := out[:0]
		for _, r := range out {
			if r.ID != 0 {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	return out, nil
}

// SearchAccounts finds active accounts of a domain whose address contains text (GAL search).
func (s *Store) SearchAccounts(ctx context.Context, domainID uint64, text string, limit int) ([]Account, error) {
	var out []Account
	err := s.db.WithContext(ctx).Select(authAccountColumns).
		Where("domain_id = ? AND status = ? AND LOWER(email) LIKE LOWER(?) ESCAPE '!'", domainID, StatusActive, likePattern(text)).
		Order("email").Limit(limit).Find(&out).Error
	return out, err
}

// FindPIMByUID finds a live calendar item of the account whose stored properties carry the
// iCalendar UID (the JSON of eas/pim's Event writes it as "uid":"...").
func (s *Store) FindPIMByUID(ctx context.Context, accountID, folderID uint64, uid string) (*Item, error) {
	frag, _ := json.Marshal(uid)
	var it Item
	err := s.db.WithContext(ctx).Where("account_id = ? AND folder_id = ? AND deleted = ? AND props LIKE ? ESCAPE '!'",
		accountID, folderID, false, likePattern(`"uid":`+string(frag))).Take(&it).Error
	return &it, translate(err)
}
