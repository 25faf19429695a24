package policy

import (
	"context"

	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// PasswordPolicy resolves the account-password policy (PRODUCT.md rule 6) with the same rule as
// 2FA (rule 4), field by field: each field takes the value of the most specific level that sets
// it — COS, then domain, then global. So a COS may relax what its domain demands as well as
// tighten it; the fixed rules (at most 128 characters, no common password, no local part) hold
// whatever the levels say. d and c may be nil (no COS). A result that is not a valid policy (a
// hand-edited row) falls back to the seed's default rather than weakening the floor.
func PasswordPolicy(g *store.GlobalSettings, d *store.Domain, c *store.COS) password.Policy {
	p := password.Policy{MinLength: g.PwMinLength, RequireLower: g.PwRequireLower, RequireUpper: g.PwRequireUpper,
		RequireDigit: g.PwRequireDigit, RequireSymbol: g.PwRequireSymbol}
	if d != nil {
		apply(&p, d.PasswordOverrides)
	}
	if c != nil {
		apply(&p, c.PasswordOverrides)
	}
	if p.Validate() != nil {
		return password.DefaultPolicy()
	}
	return p
}

// apply lays the fields o sets over p.
func apply(p *password.Policy, o store.PasswordOverrides) {
	if o.PwMinLength != nil {
		p.MinLength = *o.PwMinLength
	}
	for _, f := range []struct {
		src *bool
		dst *bool
	}{{o.PwRequireLower, &p.RequireLower}, {o.PwRequireUpper, &p.RequireUpper},
		{o.PwRequireDigit, &p.RequireDigit}, {o.PwRequireSymbol, &p.RequireSymbol}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
}

// PasswordFor is the effective password policy of an account. An account not yet stored (being
// created) must carry its Domain (and COS, if any); a stored one loaded without them is reloaded.
func (s *Service) PasswordFor(ctx context.Context, a *store.Account) (password.Policy, error) {
	if a.Domain.ID == 0 && a.ID != 0 {
		full, err := s.store.AccountByID(ctx, a.ID)
		if err != nil {
			return password.Policy{}, err
		}
		a = full
	}
	g, err := s.store.GlobalSettings(ctx)
	if err != nil {
		return password.Policy{}, err
	}
	var d *store.Domain
	if a.Domain.ID != 0 {
		d = &a.Domain
	}
	p := PasswordPolicy(g, d, a.COS)
	p.Breached = s.breached
	return p, nil
}

// MailPassword says whether the account password may open a mail service (the doors marked
// onlyWithout2FA in package authn): never while 2FA is on, and never when the account's domain
// turned AccountPasswordForMail off. The reason of a refusal goes to the log and the audit trail.
func (s *Service) MailPassword(ctx context.Context, a *store.Account) (ok bool, reason string, err error) {
	if a.Domain.ID == 0 { // the auth hot path loads the row only
		if a, err = s.store.AccountByID(ctx, a.ID); err != nil {
			return false, "", err
		}
	}
	if !a.Domain.AccountPasswordForMail {
		return false, "domain " + a.Domain.Name + " refuses the account password for mail", nil
	}
	d, err := s.Decide(ctx, a)
	if err != nil {
		return false, "", err
	}
	if d.Enabled {
		return false, "2FA is on", nil
	}
	return true, "", nil
}
