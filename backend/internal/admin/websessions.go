package admin

import (
	"context"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/audit"
)

// WebSessions lists where an account the scope manages is signed in on the web.
func (s *Service) WebSessions(ctx context.Context, sc Scope, email string) ([]account.WebSession, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	return account.ListWebSessions(ctx, s.store, a, "", time.Now())
}

// EndWebSession ends one web session of an account the scope manages; a session of another
// account is not found.
func (s *Service) EndWebSession(ctx context.Context, sc Scope, email string, id uint64, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	w, err := account.EndWebSession(ctx, s.store, a.ID, id, time.Now())
	if err != nil {
		return err
	}
	s.record(ctx, sc, a.Email, audit.ActionSessionEnded, "by an administrator: "+account.Browser(w.UserAgent)+" from "+w.IP, ip)
	return nil
}
