package admin

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// Credentials lists an account's credentials (never a secret).
func (s *Service) Credentials(ctx context.Context, sc Scope, email string) (*store.Account, []store.Credential, error) {
	a, err := s.Account(ctx, sc, email)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.ListCredentials(ctx, a.ID)
	return a, list, err
}

// CredentialMaker makes a credential and its secret (package credential).
type CredentialMaker interface {
	Create(ctx context.Context, a *store.Account, kind, label, clientIP string) (*store.Credential, *credential.Secret, error)
}

// CreateCredential makes an EAS password or an application passcode for an account the scope
// manages ("an extra password for an account", seed 001); the secret is shown once, to the admin.
func (s *Service) CreateCredential(ctx context.Context, sc Scope, maker CredentialMaker, email, kind, label, ip string) (*store.Credential, *credential.Secret, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return nil, nil, err
	}
	if kind != store.KindEAS && kind != store.KindAppPasscode {
		return nil, nil, fault.Invalidf("Administrators create eas or app_passcode credentials.")
	}
	return maker.Create(ctx, a, kind, label, ip)
}

// managedCredential finds a credential whose account the scope manages (not found outside the
// scope, forbidden for another administrator's).
func (s *Service) managedCredential(ctx context.Context, sc Scope, id uint64) (*store.Credential, *store.Account, error) {
	c, err := s.store.CredentialByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrNotFound
	} else if err != nil {
		return nil, nil, err
	}
	a, err := s.store.AccountByID(ctx, c.AccountID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sc.Covers(a)) {
		return nil, nil, ErrNotFound
	} else if err != nil {
		return nil, nil, err
	}
	if !sc.Manages(a) {
		return nil, nil, ErrForbidden
	}
	return c, a, nil
}

// CredentialPatch is the limited edit of a credential reserved to administrators (seed 000):
// label, enabled or disabled, an expiry (ClearExpiry removes it), and a reset of failed
// attempts, which also unlocks a locked OTP entry.
type CredentialPatch struct {
	Label               *string
	Status              *string
	ExpiresAt           *time.Time
	ClearExpiry         bool
	ResetFailedAttempts bool
	// Services narrows an application passcode's scope (a subset of what it has).
	Services []string
}

// PatchCredential applies a limited edit.
func (s *Service) PatchCredential(ctx context.Context, sc Scope, id uint64, p CredentialPatch, ip string) (*store.Credential, error) {
	c, a, err := s.managedCredential(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	var change store.CredentialPatch
	var what []string
	if p.Label != nil {
		label, err := credential.NormaliseLabel(*p.Label)
		if err != nil {
			return nil, fault.Invalidf("%s", err.Error())
		}
		key := credential.LabelKey(label)
		change.Label, change.LabelKey = &label, &key
		what = append(what, "label "+label)
	}
	if p.Status != nil {
		switch *p.Status {
		case store.CredEnabled, store.CredDisabled:
		default:
			return nil, fault.Invalidf("status is enabled or disabled (use resetFailedAttempts to unlock)")
		}
		if c.Status == store.CredPending {
			return nil, fault.Invalidf("a pending OTP entry is enabled by its owner's first code")
		}
		change.Status = p.Status
		what = append(what, *p.Status)
	}
	if p.Services != nil && c.Kind != store.KindAppPasscode {
		return nil, fault.Invalidf("only an application passcode has services to narrow")
	}
	if c.Kind == store.KindAppPasscode {
		if err := narrowsOnly(c, p, &change, &what); err != nil {
			return nil, err
		}
	}
	if p.ClearExpiry {
		change.ExpiresAt = &store.Nullable[time.Time]{}
		what = append(what, "no expiry")
	} else if p.ExpiresAt != nil {
		change.ExpiresAt = &store.Nullable[time.Time]{Value: p.ExpiresAt}
		what = append(what, "expires "+p.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if p.ResetFailedAttempts {
		zero, enabled := 0, store.CredEnabled
		change.FailedAttempts = &zero
		if c.Status == store.CredLocked && p.Status == nil {
			change.Status = &enabled
		}
		what = append(what, "failed attempts reset")
	}
	if len(change.Fields()) > 0 {
		if err := s.store.UpdateCredential(ctx, c.ID, change); errors.Is(err, store.ErrConflict) {
			return nil, credential.ErrLabelTaken
		} else if err != nil {
			return nil, err
		}
		s.record(ctx, sc, a.Email, audit.ActionCredentialUpdated, c.Kind+" "+c.Label+": "+strings.Join(what, ", "), ip)
		s.notify.Publish(mailbox.Change{AccountID: a.ID}) // a Ping held with a disabled credential ends
	}
	return s.store.CredentialByID(ctx, c.ID)
}

// DeleteCredential removes a credential of an account in scope.
func (s *Service) DeleteCredential(ctx context.Context, sc Scope, id uint64, ip string) error {
	c, a, err := s.managedCredential(ctx, sc, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCredential(ctx, a.ID, c.ID); err != nil {
		return err
	}
	s.record(ctx, sc, a.Email, audit.ActionCredentialDeleted, c.Kind+" "+c.Label+" by an administrator", ip)
	if c.Status != store.CredPending {
		s.notice(ctx, a, notice.Notice{Event: notice.CredentialDeleted, Kind: c.Kind, Label: c.Label, ByAdmin: true})
	}
	s.notify.Publish(mailbox.Change{AccountID: a.ID})
	return nil
}

// narrowsOnly holds an administrator to narrowing an application passcode (issue 19): its
// doors only to a subset of its own, its expiry only to an earlier one, never cleared.
func narrowsOnly(c *store.Credential, p CredentialPatch, change *store.CredentialPatch, what *[]string) error {
	if p.ClearExpiry && c.ExpiresAt != nil {
		return fault.Invalidf("a passcode's expiry can be brought forward, not removed")
	}
	if p.ExpiresAt != nil && c.ExpiresAt != nil && p.ExpiresAt.After(*c.ExpiresAt) {
		return fault.Invalidf("a passcode's expiry can be brought forward, not put back (it expires %s)", c.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if p.Services == nil {
		return nil
	}
	services, err := credential.ParseServices(p.Services)
	if err != nil {
		return err
	}
	for _, sv := range services {
		if !authn.InScope(c.Services, sv) {
			return fault.Invalidf("a passcode's services can be narrowed, not widened (%s is not among %s)", sv, c.Services)
		}
	}
	joined := authn.JoinServices(services)
	change.Services = &joined
	*what = append(*what, "services "+joined)
	return nil
}
