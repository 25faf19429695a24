package admin

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Notifier tells an account's owner of a security event by mail (package notice); it returns
// at once and never fails the caller.
type Notifier interface {
	Notify(ctx context.Context, a *store.Account, n notice.Notice)
}

// UseNotices gives the service the security notices; without it none is sent.
func (s *Service) UseNotices(n Notifier) { s.notices = n }

func (s *Service) notice(ctx context.Context, a *store.Account, n notice.Notice) {
	if s.notices != nil {
		s.notices.Notify(ctx, a, n)
	}
}
