package credential

import (
	"context"
	"slices"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ExpiryChoices are the lifetimes, in days, a user may give a new passcode (0: never expires).
var ExpiryChoices = []int{0, 30, 90, 365}

// Scope is what an application passcode opens, and until when.
type Scope struct {
	// Services are the doors (authn service names, see authn.PasscodeServices); empty: the
	// default, authn.DefaultPasscodeServices.
	Services []string
	// ExpiresInDays is one of ExpiryChoices.
	ExpiresInDays int
}

// ParseServices checks service names against the doors a passcode may open.
func ParseServices(names []string) ([]authn.Service, error) {
	if len(names) == 0 {
		return nil, invalid("Pick at least one service the passcode opens.")
	}
	out := make([]authn.Service, 0, len(names))
	for _, n := range names {
		s := authn.Service(n)
		if !slices.Contains(authn.PasscodeServices, s) {
			return nil, invalid("Unknown service %q (imap, pop3, smtp, caldav, carddav or eas).", n)
		}
		out = append(out, s)
	}
	return out, nil
}

// CreatePasscode makes an application passcode scoped to some doors, with an optional expiry;
// the secret is shown once.
func (s *Service) CreatePasscode(ctx context.Context, a *store.Account, label string, sc Scope, clientIP string) (*store.Credential, *Secret, error) {
	services := authn.DefaultPasscodeServices
	if sc.Services != nil {
		var err error
		if services, err = ParseServices(sc.Services); err != nil {
			return nil, nil, err
		}
	}
	if !slices.Contains(ExpiryChoices, sc.ExpiresInDays) {
		return nil, nil, invalid("A passcode expires after 30, 90 or 365 days, or never (0).")
	}
	c := &store.Credential{Services: authn.JoinServices(services)}
	if sc.ExpiresInDays > 0 {
		at := time.Now().UTC().Add(time.Duration(sc.ExpiresInDays) * 24 * time.Hour).Truncate(time.Second)
		c.ExpiresAt = &at
	}
	return s.create(ctx, a, store.KindAppPasscode, label, c, clientIP)
}
