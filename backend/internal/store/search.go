package store

import (
	"context"
	"encoding/json"
	"strings"

	"gorm.io/gorm"
)

// likePattern escapes LIKE's wildcards in user text and wraps it for a substring match. The
// escape character is '!', not a backslash: MySQL reads a backslash inside a string literal as
// an escape of its own, SQLite does not, and '!' means the same to both.
func likePattern(text string) string {
	r := strings.NewReplacer(`!`, `!!`, `%`, `!%`, `_`, `!_`)
	return "%" + r.Replace(text) + "%"
}

// SearchItems finds an account's live mail whose subject, sender, recipients or text contain
// text (case-insensitively on both engines' collations), newest first; folderID 0 searches all.
func (s *Store) SearchItems(ctx context.Context, accountID, folderID uint64, text string, offset, limit int) ([]Item, int64, error) {
	p := likePattern(text)
	q := s.db.WithContext(ctx).Model(&Item{}).Where("account_id = ? AND deleted = ? AND class = ?", accountID, false, "Email").
		Where(`(LOWER(subject) LIKE LOWER(?) ESCAPE '!' OR LOWER(from_addr) LIKE LOWER(?) ESCAPE '!' OR LOWER(to_addr) LIKE LOWER(?) ESCAPE '!' OR LOWER(body_text) LIKE LOWER(?) ESCAPE '!')`, p, p, p, p)
	if folderID != 0 {
		q = q.Where("folder_id = ?", folderID)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Item
	err := q.Order("received_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error
	return out, total, err
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
