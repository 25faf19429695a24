package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Roles an account may have.
var roles = map[string]bool{store.RoleUser: true, store.RoleDomainAdmin: true, store.RoleGlobalAdmin: true}

// CreateDomain adds a mail domain.
func (s *Service) CreateDomain(ctx context.Context, actor, name string) (*store.Domain, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if !config.ValidDomain(name) {
		return nil, invalid("not a domain name: %q", name)
	}
	d, err := s.store.CreateDomain(ctx, name)
	if errors.Is(err, store.ErrConflict) {
		return nil, fmt.Errorf("domain %s: %w", name, ErrExists)
	}
	if err == nil {
		s.audit.Record(ctx, audit.Event{Actor: actor, Account: "", Action: audit.ActionDomainCreated, Outcome: audit.OutcomeSuccess, Reason: name})
	}
	return d, err
}

// CreateCOS adds a class of service.
func (s *Service) CreateCOS(ctx context.Context, actor, name string) (*store.COS, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 64 {
		return nil, invalid("a COS name has 1 to 64 characters")
	}
	c, err := s.store.CreateCOS(ctx, name)
	if errors.Is(err, store.ErrConflict) {
		return nil, fmt.Errorf("COS %s: %w", name, ErrExists)
	}
	if err == nil {
		s.audit.Record(ctx, audit.Event{Actor: actor, Action: audit.ActionCOSCreated, Outcome: audit.OutcomeSuccess, Reason: name})
	}
	return c, err
}

// CreateInput describes a new account. An empty Password means: generate one. AdminDomains
// names the domains a domain admin administers (none: the account's own domain).
type CreateInput struct {
	Email, Password, Role, COS string
	AdminDomains               []string
}

// Create adds an account and returns the generated password when none was given (shown once).
func (s *Service) Create(ctx context.Context, actor string, in CreateInput) (*store.Account, string, error) {
	email, domain, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, "", err
	}
	if in.Role == "" {
		in.Role = store.RoleUser
	}
	if !roles[in.Role] {
		return nil, "", invalid("unknown role %q (user, domain_admin or global_admin)", in.Role)
	}
	d, err := s.store.DomainByName(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", invalid("domain %s does not exist; create it first (tessera domain create %s)", domain, domain)
	} else if err != nil {
		return nil, "", err
	}
	adminDomainIDs, adminDomains, err := s.adminDomainIDs(ctx, in)
	if err != nil {
		return nil, "", err
	}
	// Domain and COS ride along for the password policy; CreateAccount omits them.
	a := &store.Account{Email: email, DomainID: d.ID, Domain: *d, Role: in.Role, Status: store.StatusActive}
	if in.COS != "" {
		c, err := s.store.COSByName(ctx, in.COS)
		if errors.Is(err, store.ErrNotFound) {
			return nil, "", invalid("COS %q does not exist; create it first (tessera cos create %s)", in.COS, in.COS)
		} else if err != nil {
			return nil, "", err
		}
		a.COSID, a.COS = &c.ID, c
	}
	generated := ""
	pw := in.Password
	if pw == "" {
		if pw, err = s.generate(ctx, a); err != nil {
			return nil, "", err
		}
		generated = pw
	} else if err := s.checkNewPassword(ctx, a, pw); err != nil {
		return nil, "", err
	}
	if a.PasswordHash, err = password.Hash(pw); err != nil {
		return nil, "", err
	}
	if err := s.store.CreateAccount(ctx, a, adminDomainIDs...); errors.Is(err, store.ErrConflict) {
		return nil, "", fmt.Errorf("account %s: %w", email, ErrExists)
	} else if err != nil {
		return nil, "", err
	}
	reason := "role " + in.Role
	if len(adminDomainIDs) > 0 {
		reason += ", admin domains " + strings.Join(adminDomains, ",")
	}
	s.audit.Record(ctx, audit.Event{Actor: actor, Account: email, Action: audit.ActionAccountCreated, Outcome: audit.OutcomeSuccess, Reason: reason})
	created, err := s.store.AccountByID(ctx, a.ID)
	return created, generated, err
}

// adminDomainIDs resolves a new domain admin's domains (ids and normalised names) before
// anything is written, so an unknown domain creates nothing.
func (s *Service) adminDomainIDs(ctx context.Context, in CreateInput) ([]uint64, []string, error) {
	var ids []uint64
	var names []string
	for _, n := range in.AdminDomains {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || slices.Contains(names, n) {
			continue
		}
		d, err := s.store.DomainByName(ctx, n)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, invalid("unknown domain %q", n)
		} else if err != nil {
			return nil, nil, err
		}
		ids, names = append(ids, d.ID), append(names, n)
	}
	if len(ids) > 0 && in.Role != store.RoleDomainAdmin {
		return nil, nil, invalid("admin domains are for accounts with the domain_admin role")
	}
	return ids, names, nil
}

// List lists accounts, of one domain when domain is set.
func (s *Service) List(ctx context.Context, domain string) ([]store.Account, error) {
	return s.store.ListAccounts(ctx, strings.ToLower(strings.TrimSpace(domain)))
}

// SetPassword is the operator's reset: no current password, the policy applies, every session ends.
// An empty password generates one, which is returned (shown once). With requireChange the user
// must choose a new password at the next login before doing anything else.
func (s *Service) SetPassword(ctx context.Context, actor, email, pw string, requireChange bool) (string, error) {
	email, _, err := NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("account %s: %w", email, ErrNotFound)
	} else if err != nil {
		return "", err
	}
	generated := ""
	if pw == "" {
		if pw, err = s.generate(ctx, a); err != nil {
			return "", err
		}
		generated = pw
	} else if err := s.checkNewPassword(ctx, a, pw); err != nil {
		return "", err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return "", err
	}
	if _, err := s.store.SetPassword(ctx, a.ID, hash, true, requireChange); err != nil {
		return "", err
	}
	reason := ""
	if requireChange {
		reason = "change required at next login"
	}
	s.audit.Record(ctx, audit.Event{Actor: actor, Account: email, Action: audit.ActionPasswordSet, Outcome: audit.OutcomeSuccess, Reason: reason})
	s.notice(ctx, a, notice.Notice{Event: notice.PasswordReset, ByAdmin: true})
	if err := s.passwordChanged(ctx, a, actor, ""); err != nil {
		return "", err
	}
	return generated, nil
}

// EnsureBootstrapAdmin creates admin@<domain> as global admin when no global admin exists.
// It returns the generated password when one was made (to print once) and whether it created anything.
func (s *Service) EnsureBootstrapAdmin(ctx context.Context, domain, pw string) (email, generated string, created bool, err error) {
	n, err := s.store.CountByRole(ctx, store.RoleGlobalAdmin)
	if err != nil || n > 0 {
		return "", "", false, err
	}
	if _, err := s.store.DomainByName(ctx, domain); errors.Is(err, store.ErrNotFound) {
		if _, err := s.CreateDomain(ctx, audit.ActorSystem, domain); err != nil && !errors.Is(err, ErrExists) {
			return "", "", false, err
		}
	} else if err != nil {
		return "", "", false, err
	}
	a, gen, err := s.Create(ctx, audit.ActorSystem, CreateInput{Email: "admin@" + domain, Password: pw, Role: store.RoleGlobalAdmin})
	if errors.Is(err, ErrExists) {
		return "", "", false, fmt.Errorf("admin@%s exists but is not a global admin; promote it or set TESSERA_BOOTSTRAP_DOMAIN", domain)
	}
	if err != nil {
		return "", "", false, fmt.Errorf("bootstrap admin: %w", err)
	}
	return a.Email, gen, true, nil
}

// Get finds an account by address, with its domain and COS.
func (s *Service) Get(ctx context.Context, email string) (*store.Account, error) {
	email, _, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("account %s: %w", email, ErrNotFound)
	}
	return a, err
}

// Audit records an operator action that has no service of its own to record it.
func (s *Service) Audit(ctx context.Context, actor, action, reason string) {
	s.audit.Record(ctx, audit.Event{Actor: actor, Action: action, Outcome: audit.OutcomeSuccess, Reason: reason})
}
