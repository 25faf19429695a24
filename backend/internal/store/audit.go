package store

import (
	"context"
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
	Account string
	Action  string
	Since   time.Time
	Limit   int
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
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	var out []AuditEvent
	return out, q.Limit(f.Limit).Find(&out).Error
}
