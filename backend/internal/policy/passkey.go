package policy

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// PasskeyLogin resolves whether an account may sign in with a passkey alone (passwordless),
// with the rule of 2FA (PRODUCT.md rule 4): the most specific level that sets it wins — COS,
// then domain, then global (on by default). d and c may be nil.
func PasskeyLogin(g *store.GlobalSettings, d *store.Domain, c *store.COS) bool {
	if c != nil && c.PasskeyLogin != nil {
		return *c.PasskeyLogin
	}
	if d != nil && d.PasskeyLogin != nil {
		return *d.PasskeyLogin
	}
	return g.PasskeyLogin
}

// PasskeyLoginFor is PasskeyLogin for a stored account.
func (s *Service) PasskeyLoginFor(ctx context.Context, a *store.Account) (bool, error) {
	if a.Domain.ID == 0 {
		full, err := s.store.AccountByID(ctx, a.ID)
		if err != nil {
			return false, err
		}
		a = full
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return false, err
	}
	return PasskeyLogin(g, &a.Domain, a.COS), nil
}
