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
	Account       string
	Actor         string
	Action        string
	Since, Until  time.Time
	AccountDomain string // only events of accounts of this domain
	Offset, Limit int
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
	if f.AccountDomain != "" {
		q = q.Where("account LIKE ? ESCAPE '!'", "%@"+strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(f.AccountDomain))
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
