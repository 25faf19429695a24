package admin

import (
	"context"
	"errors"
	"github.com/tessera-mail/tessera/backend/internal/account"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is what administration reads and writes.
type Store interface {
	AccountByEmail(ctx context.Context, email string) (*store.Account, error)
	AccountByID(ctx context.Context, id uint64) (*store.Account, error)
	SearchAccountsPage(ctx context.Context, q string, domainIDs []uint64, offset, limit int) (*store.AccountPage, error)
	UpdateAccount(ctx context.Context, id uint64, p store.AccountPatch, endSessions bool) error
	UpdateAccountWithAdminDomains(ctx context.Context, id uint64, p store.AccountPatch, endSessions bool, domainIDs []uint64) error
	AdminDomainsOf(ctx context.Context, accountID uint64) ([]store.Domain, error)
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
	COSByName(ctx context.Context, name string) (*store.COS, error)
	ListCredentials(ctx context.Context, accountID uint64) ([]store.Credential, error)
	CredentialByID(ctx context.Context, id uint64) (*store.Credential, error)
	UpdateCredential(ctx context.Context, id uint64, p store.CredentialPatch) error
	DeleteCredential(ctx context.Context, accountID, id uint64) error
	ListAudit(ctx context.Context, f store.AuditFilter) ([]store.AuditEvent, error)
	account.SessionStore
	account.TrustStore
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// Service is administration.
type Service struct {
	store   Store
	audit   Auditor
	notify  mailbox.Notifier
	devices *device.Service
	notices Notifier // security notices; nil: none
}

// New returns the service; notify wakes a held Ping after a change of a credential or an
// account, and devices carries out the device commands.
func New(st Store, a Auditor, n mailbox.Notifier, devices *device.Service) *Service {
	return &Service{store: st, audit: a, notify: n, devices: devices}
}

func (s *Service) record(ctx context.Context, sc Scope, account, action, reason, ip string) {
	s.audit.Record(ctx, audit.Event{Actor: sc.Actor, Account: account, Action: action, Outcome: audit.OutcomeSuccess, Reason: reason, ClientIP: ip})
}

// Account finds an account inside the scope, to read it.
func (s *Service) Account(ctx context.Context, sc Scope, email string) (*store.Account, error) {
	a, err := s.store.AccountByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sc.Covers(a)) {
		return nil, ErrNotFound
	}
	return a, err
}

// Managed finds an account the scope may act on: every change of an account, of its
// credentials, devices, sessions or mailbox loads it here. Outside the scope it is not found;
// inside, an account whose role is not below the caller's is ErrForbidden (see Scope.Manages).
func (s *Service) Managed(ctx context.Context, sc Scope, email string) (*store.Account, error) {
	a, err := s.Account(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	if !sc.Manages(a) {
		return nil, ErrForbidden
	}
	return a, nil
}

// PageSize of account lists.
const PageSize = 50

// Accounts searches the scope's accounts, of one domain when domainID is not 0; a domain
// admin sees only their domains (a filter on another domain finds nothing).
func (s *Service) Accounts(ctx context.Context, sc Scope, q string, domainID uint64, page int) (*store.AccountPage, error) {
	ids := sc.DomainIDs()
	if domainID != 0 {
		if !sc.CoversDomain(domainID) {
			return &store.AccountPage{}, nil
		}
		ids = []uint64{domainID}
	}
	return s.store.SearchAccountsPage(ctx, q, ids, max(0, page-1)*PageSize, PageSize)
}

// AccountPatch is an admin's change of an account; nil fields stay. AdminDomains (global
// admins only) replaces a domain admin's domains by name; empty means their own domain.
type AccountPatch struct {
	Role, COS, Status *string
	AdminDomains      *[]string
	RecoveryEmail     *string // "" clears it
}

// PatchAccount changes role, COS, status or the recovery address (whose change sends the
// owner a notice, to the old address too). Locking or closing an account ends its sessions;
// only a global admin hands out an administrator role.
func (s *Service) PatchAccount(ctx context.Context, sc Scope, email string, p AccountPatch, ip string) (*store.Account, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	var change store.AccountPatch
	end := false
	if p.AdminDomains != nil && !sc.Global {
		return nil, ErrForbidden
	}
	if p.Role != nil {
		switch *p.Role {
		case store.RoleUser:
		case store.RoleDomainAdmin, store.RoleGlobalAdmin:
			// An admin hands out only roles below their own: a domain admin who could make
			// another domain admin would create an account they can no longer administer.
			if !sc.Global {
				return nil, ErrForbidden
			}
		default:
			return nil, fault.Invalidf("role is user, domain_admin or global_admin")
		}
		change.Role = p.Role
	}
	if p.Status != nil {
		switch *p.Status {
		case store.StatusActive:
		case store.StatusLocked, store.StatusClosed:
			end = true
		default:
			return nil, fault.Invalidf("status is active, locked or closed")
		}
		change.Status = p.Status
	}
	if p.COS != nil {
		if *p.COS == "" {
			change.COSID = &store.Nullable[uint64]{}
		} else {
			c, err := s.store.COSByName(ctx, *p.COS)
			if errors.Is(err, store.ErrNotFound) {
				return nil, fault.Invalidf("no such COS: %s", *p.COS)
			} else if err != nil {
				return nil, err
			}
			change.COSID = &store.Nullable[uint64]{Value: &c.ID}
		}
	}
	if p.RecoveryEmail != nil {
		r, err := account.RecoveryAddress(a.Email, *p.RecoveryEmail)
		if err != nil {
			return nil, err
		}
		if r != a.RecoveryEmail {
			change.RecoveryEmail = &r
		}
	}
	domainIDs, what, err := s.adminDomainsChange(ctx, a, p)
	if err != nil {
		return nil, err
	}
	fields := change.Fields()
	if len(fields) == 0 && domainIDs == nil {
		return a, nil
	}
	if domainIDs != nil {
		err = s.store.UpdateAccountWithAdminDomains(ctx, a.ID, change, end, domainIDs)
	} else {
		err = s.store.UpdateAccount(ctx, a.ID, change, end)
	}
	if err != nil {
		return nil, err
	}
	reason := describe(fields)
	if what != "" {
		reason = strings.TrimPrefix(reason+", "+what, ", ")
	}
	s.record(ctx, sc, a.Email, audit.ActionAccountUpdated, reason, ip)
	// Held Pings of a locked account end, and every instance drops what it keeps in memory
	// of the account (its grants carry the class of service, the domain, the address).
	s.notify.Publish(mailbox.Change{AccountID: a.ID})
	updated, err := s.store.AccountByID(ctx, a.ID)
	if err == nil && change.RecoveryEmail != nil {
		s.notice(ctx, updated, notice.Notice{Event: notice.RecoveryChanged, ByAdmin: true, Address: ip,
			Recovery: updated.RecoveryEmail, OldRecovery: a.RecoveryEmail})
	}
	return updated, err
}

// EndSessions logs the account out everywhere.
func (s *Service) EndSessions(ctx context.Context, sc Scope, email, ip string) error {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return err
	}
	if err := s.store.UpdateAccount(ctx, a.ID, store.AccountPatch{}, true); err != nil {
		return err
	}
	s.record(ctx, sc, a.Email, audit.ActionLogoutAll, "by an administrator", ip)
	return nil
}

// MessageDeliverer stores a message in an account's Inbox (package mailbox).
type MessageDeliverer interface {
	Deliver(ctx context.Context, accountID uint64, raw []byte) (*store.Item, error)
}

// Deliver puts a raw RFC 5322 message in the Inbox of an account the scope manages.
func (s *Service) Deliver(ctx context.Context, sc Scope, d MessageDeliverer, email string, raw []byte) (*store.Item, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return nil, err
	}
	return d.Deliver(ctx, a.ID, raw)
}

// describe is the audit text of an account change: column=value, "cos_id=#3" or "cos_id=none".
func describe(fields []store.Field) string {
	out := ""
	for _, f := range fields {
		if out != "" {
			out += ", "
		}
		out += f.Column + "=" + toString(f.Value)
	}
	return out
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *uint64:
		if x == nil {
			return "none"
		}
		return "#" + itoa(*x)
	}
	return "?"
}

// PasswordSetter is the operator's password reset (package account).
type PasswordSetter interface {
	SetPassword(ctx context.Context, actor, email, pw string, requireChange bool) (string, error)
}

// ResetPassword sets an account's password (generated when pw is empty, returned once) and ends
// its sessions; with requireChange the user must choose a new one at the next login. A domain
// admin resets users' passwords only: another administrator's would hand over his role.
func (s *Service) ResetPassword(ctx context.Context, sc Scope, setter PasswordSetter, email, pw string, requireChange bool) (string, error) {
	a, err := s.Managed(ctx, sc, email)
	if err != nil {
		return "", err
	}
	return setter.SetPassword(ctx, sc.Actor, a.Email, pw, requireChange)
}
