package otp

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

// pinsLeft tells the user when the PIN code just spent leaves notice.PINsLowAt unused ones.
func (s *Service) pinsLeft(ctx context.Context, a *store.Account, v verdict, clientIP string) {
	if s.notices == nil || !v.pin {
		return
	}
	c, err := s.store.CredentialOf(ctx, a.ID, v.entry)
	if err == nil && c.PINCodesLeft == notice.PINsLowAt {
		s.notice(ctx, a, notice.Notice{Event: notice.PINCodesLow, Kind: store.KindOTP, Label: c.Label, Address: clientIP, PINsLeft: c.PINCodesLeft})
	}
}
