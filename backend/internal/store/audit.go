package store

import (
	"context"
	"strings"
	"time"
)

// AddAudit appends an event.
func (s *Store) AddAudit(ctx context.Context, e *AuditEvent) error {
	if e.At.IsZero() {
		e.At = now()
	}
	return s.db.WithContext(ctx).Create(e).Error
}

// AuditFilter narrows ListAudit; empty fields match everything.
type AuditFilter struct {
	Account        string
	Actor          string
	Action         string
	Since, Until   time.Time
	AccountDomains []string // not nil: only events of accounts of these domains
	Offset, Limit  int
}

// ListAudit returns events newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	q := s.db.WithContext(ctx).Order("at DESC, id DESC")
	if f.Account != "" {
		q = q.Where("account = ?", f.Account)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.AccountDomains != nil {
		// Events name accounts by address (they outlive accounts), so the domain is its suffix.
		conds, args := []string{"1 = 0"}, []any{}
		esc := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
		for _, d := range f.AccountDomains {
			conds = append(conds, "account LIKE ? ESCAPE '!'")
			args = append(args, "%@"+esc.Replace(d))
		}
		q = q.Where("("+strings.Join(conds, " OR ")+")", args...)
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("at < ?", f.Until.UTC())
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	var out []AuditEvent
	return out, q.Offset(f.Offset).Limit(f.Limit).Find(&out).Error
}
