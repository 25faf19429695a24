package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/policy"
)

// TrustedBrowsers lists the remembered browsers of an account the scope manages.
func (s *Service) TrustedBrowsers(ctx context.Context, sc Scope, email string) ([]account.TrustedBrowser, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	return account.ListTrustedBrowsers(ctx, s.store, a.ID, nil, time.Now())
}

// ForgetTrustedBrowser revokes one remembered browser of an account the scope manages; its
// next login asks for the second factor again. Another account's browser is not found.
func (s *Service) ForgetTrustedBrowser(ctx context.Context, sc Scope, email string, id uint64, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	b, err := account.ForgetTrustedBrowser(ctx, s.store, a.ID, id)
	if err != nil {
		return err
	}
	s.record(ctx, sc, a.Email, audit.ActionTrustedBrowserRevoked,
		fmt.Sprintf("by an administrator: browser %d (%s)", b.ID, account.Browser(b.UserAgent)), ip)
	return nil
}

// checkTrustedDays checks a domain's or COS's trustedBrowserDays override.
func (p OrgPatch) checkTrustedDays() error {
	if p.TrustedBrowserDays == nil || p.TrustedBrowserDays.Value == nil {
		return nil
	}
	if v := *p.TrustedBrowserDays.Value; v < policy.TrustedBrowserDaysMin || v > policy.TrustedBrowserDaysMax {
		return fault.Invalidf("trustedBrowserDays is a number from %d to %d (0: never remember), or null to inherit",
			policy.TrustedBrowserDaysMin, policy.TrustedBrowserDaysMax)
	}
	return nil
}
