package admin

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ErrInUse: a domain with accounts, or a COS assigned to accounts, cannot be deleted (409).
var ErrInUse = fault.New(fault.Conflict, "in_use", "still in use", "It still has accounts; move or delete them first.")

// ErrAdministered: a domain that is some domain admin's admin domain cannot be deleted either
// (409); removing it silently would hand that admin their own domain instead.
var ErrAdministered = fault.New(fault.Conflict, "in_use", "still in use: a domain admin administers it",
	"A domain admin administers it; change their admin domains first.")

// OrgStore reads and writes domains and classes of service.
type OrgStore interface {
	ListDomains(ctx context.Context) ([]store.Domain, error)
	DomainByName(ctx context.Context, name string) (*store.Domain, error)
	UpdateDomain(ctx context.Context, id uint64, p store.DomainPatch) error
	DeleteDomain(ctx context.Context, id uint64) error
	ListCOS(ctx context.Context) ([]store.COS, error)
	COSByName(ctx context.Context, name string) (*store.COS, error)
	UpdateCOS(ctx context.Context, id uint64, p store.COSPatch) error
	DeleteCOS(ctx context.Context, id uint64) error
	AccountsPerDomain(ctx context.Context) (store.OrgCount, error)
	AccountsPerCOS(ctx context.Context) (store.OrgCount, error)
}

// Domain is a domain as administrators see it.
type Domain struct {
	Name                     string    `json:"name"`
	TwoFactor                string    `json:"twoFactor"`
	EASRequireDevicePassword bool      `json:"easRequireDevicePassword"`
	Accounts                 int64     `json:"accounts"`
	CreatedAt                time.Time `json:"createdAt"`

	// Password policy (migration 0010).
	PasswordOverrides
	AccountPasswordForMail bool `json:"accountPasswordForMail"`
	// DeviceAccess of new EAS devices: allowed, quarantined, blocked or inherit.
	DeviceAccess string `json:"deviceAccess"`
	// TrustedBrowserDays: how long "remember this browser" lasts; null inherits.
	TrustedBrowserDays *int `json:"trustedBrowserDays"`
	// PasskeyLogin: passwordless passkey sign-in; null inherits (migration 0026).
	PasskeyLogin *bool `json:"passkeyLogin"`
}

// COS is a class of service as administrators see it.
type COS struct {
	Name       string    `json:"name"`
	TwoFactor  string    `json:"twoFactor"`
	EASEnabled bool      `json:"easEnabled"`
	Accounts   int64     `json:"accounts"`
	CreatedAt  time.Time `json:"createdAt"`

	// Password policy (migration 0010).
	PasswordOverrides
	// Limits (limits.go); null inherits the global setting.
	MaxCredentialsPerKind *int `json:"maxCredentialsPerKind"`
	PinCodesPerEntry      *int `json:"pinCodesPerEntry"`
	// DeviceAccess of new EAS devices: allowed, quarantined, blocked or inherit.
	DeviceAccess string `json:"deviceAccess"`
	// TrustedBrowserDays: how long "remember this browser" lasts; null inherits.
	TrustedBrowserDays *int `json:"trustedBrowserDays"`
	// PasskeyLogin: passwordless passkey sign-in; null inherits (migration 0026).
	PasskeyLogin *bool `json:"passkeyLogin"`
}

// OrgCreator adds domains and classes of service with their name rules (package account).
type OrgCreator interface {
	CreateDomain(ctx context.Context, actor, name string) (*store.Domain, error)
	CreateCOS(ctx context.Context, actor, name string) (*store.COS, error)
}

// Orgs administers domains and classes of service. Every admin reads the COS list (a domain
// admin assigns COS to accounts); a domain admin reads only their own domain; changes are for
// global admins.
type Orgs struct {
	store   OrgStore
	audit   Auditor
	creator OrgCreator
}

// NewOrgs returns the domain and COS administration.
func NewOrgs(st OrgStore, a Auditor, c OrgCreator) *Orgs {
	return &Orgs{store: st, audit: a, creator: c}
}

// CreateDomain adds a domain with the policy p (global admins). p is checked first, so a bad
// policy creates nothing.
func (o *Orgs) CreateDomain(ctx context.Context, sc Scope, name string, p OrgPatch, ip string) (Domain, error) {
	if !sc.Global {
		return Domain{}, ErrForbidden
	}
	if err := p.Validate(true); err != nil {
		return Domain{}, err
	}
	d, err := o.creator.CreateDomain(ctx, sc.Actor, name)
	if err != nil {
		return Domain{}, err
	}
	return o.PatchDomain(ctx, sc, d.Name, p, ip)
}

// CreateCOS adds a class of service with the policy p (global admins); a bad policy creates nothing.
func (o *Orgs) CreateCOS(ctx context.Context, sc Scope, name string, p OrgPatch, ip string) (COS, error) {
	if !sc.Global {
		return COS{}, ErrForbidden
	}
	if err := p.Validate(false); err != nil {
		return COS{}, err
	}
	c, err := o.creator.CreateCOS(ctx, sc.Actor, name)
	if err != nil {
		return COS{}, err
	}
	return o.PatchCOS(ctx, sc, c.Name, p, ip)
}

func twoFactorName(v string) string {
	if v == "" {
		return "unset"
	}
	return v
}

// Domains lists the domains the scope covers.
func (o *Orgs) Domains(ctx context.Context, sc Scope) ([]Domain, error) {
	ds, err := o.store.ListDomains(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := o.store.AccountsPerDomain(ctx)
	if err != nil {
		return nil, err
	}
	out := []Domain{}
	for _, d := range ds {
		if sc.CoversDomain(d.ID) {
			out = append(out, domainView(&d, counts[d.ID]))
		}
	}
	return out, nil
}

func domainView(d *store.Domain, n int64) Domain {
	return Domain{Name: d.Name, TwoFactor: twoFactorName(d.TwoFactor), EASRequireDevicePassword: d.EASRequireDevicePassword, Accounts: n, CreatedAt: d.CreatedAt,
		PasswordOverrides: passwordView(d.PasswordOverrides), AccountPasswordForMail: d.AccountPasswordForMail,
		DeviceAccess: deviceAccessName(d.DeviceAccess), TrustedBrowserDays: d.TrustedBrowserDays, PasskeyLogin: d.PasskeyLogin}
}

// Domain shows one domain of the scope; others do not exist for a domain admin.
func (o *Orgs) Domain(ctx context.Context, sc Scope, name string) (Domain, error) {
	d, err := o.domain(ctx, sc, name)
	if err != nil {
		return Domain{}, err
	}
	counts, err := o.store.AccountsPerDomain(ctx)
	return domainView(d, counts[d.ID]), err
}

func (o *Orgs) domain(ctx context.Context, sc Scope, name string) (*store.Domain, error) {
	d, err := o.store.DomainByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sc.CoversDomain(d.ID)) {
		return nil, ErrNotFound
	}
	return d, err
}

// OrgPatch changes a domain or COS; nil fields stay. EASRequireDevicePassword is for domains,
// EASEnabled for classes of service.
type OrgPatch struct {
	TwoFactor                *string
	EASRequireDevicePassword *bool
	EASEnabled               *bool

	// Password policy (migration 0010): overrides for both; AccountPasswordForMail for domains.
	Password               PasswordPatch
	AccountPasswordForMail *bool
	// COS limits (limits.go); nil leaves the limit as it is.
	MaxCredentialsPerKind *LimitPatch
	PinCodesPerEntry      *LimitPatch
	// DeviceAccess of new EAS devices, for both: allowed, quarantined, blocked or inherit.
	DeviceAccess *string
	// TrustedBrowserDays, for both (trustedbrowsers.go); a nil Value inherits.
	TrustedBrowserDays *LimitPatch
	// PasskeyLogin, for both: passwordless passkey sign-in; a nil Value inherits.
	PasskeyLogin *Override[bool]
}

// Validate checks a patch before anything is written (a create with a bad policy creates nothing).
func (p OrgPatch) Validate(forDomain bool) error {
	if _, _, err := p.check(forDomain); err != nil {
		return err
	}
	_, err := p.deviceAccess()
	return err
}

// check validates p for a domain or a COS, in the order its errors have always been reported,
// and returns what both share: the parsed 2FA setting and the password overrides.
func (p OrgPatch) check(forDomain bool) (*string, store.PasswordPatch, error) {
	none := store.PasswordPatch{}
	var twoFactor *string
	if p.TwoFactor != nil {
		v, err := policy.Parse(*p.TwoFactor)
		if err != nil {
			return nil, none, fault.Invalidf("twoFactor is required, forbidden or unset")
		}
		s := string(v)
		twoFactor = &s
	}
	if p.EASRequireDevicePassword != nil && !forDomain {
		return nil, none, fault.Invalidf("easRequireDevicePassword is a domain setting")
	}
	if p.EASEnabled != nil && forDomain {
		return nil, none, fault.Invalidf("easEnabled is a COS setting")
	}
	pw, err := p.Password.patch()
	if err != nil {
		return nil, none, err
	}
	if p.AccountPasswordForMail != nil && !forDomain {
		return nil, none, fault.Invalidf("accountPasswordForMail is a domain setting")
	}
	if err := p.checkTrustedDays(); err != nil {
		return nil, none, err
	}
	return twoFactor, pw, p.checkLimits(forDomain)
}

// domainPatch is p as a change of a domain.
func (p OrgPatch) domainPatch() (store.DomainPatch, error) {
	twoFactor, pw, err := p.check(true)
	access, aerr := p.deviceAccess()
	if err == nil {
		err = aerr
	}
	return store.DomainPatch{TwoFactor: twoFactor, EASRequireDevicePassword: p.EASRequireDevicePassword,
		Password: pw, AccountPasswordForMail: p.AccountPasswordForMail, DeviceAccess: access, TrustedBrowserDays: p.TrustedBrowserDays, PasskeyLogin: p.PasskeyLogin}, err
}

// cosPatch is p as a change of a class of service.
func (p OrgPatch) cosPatch() (store.COSPatch, error) {
	twoFactor, pw, err := p.check(false)
	access, aerr := p.deviceAccess()
	if err == nil {
		err = aerr
	}
	return store.COSPatch{TwoFactor: twoFactor, EASEnabled: p.EASEnabled, Password: pw,
		MaxCredentialsPerKind: p.MaxCredentialsPerKind, PinCodesPerEntry: p.PinCodesPerEntry, DeviceAccess: access,
		TrustedBrowserDays: p.TrustedBrowserDays, PasskeyLogin: p.PasskeyLogin}, err
}

// deviceAccess is the patch's device access setting as stored ("" inherits).
func (p OrgPatch) deviceAccess() (*string, error) {
	if p.DeviceAccess == nil {
		return nil, nil
	}
	a, err := policy.ParseDeviceAccess(*p.DeviceAccess, true)
	if err != nil {
		return nil, fault.Invalidf("deviceAccess is allowed, quarantined, blocked or inherit")
	}
	v := string(a)
	return &v, nil
}

func deviceAccessName(v string) string {
	if v == "" {
		return "inherit"
	}
	return v
}

func (o *Orgs) record(ctx context.Context, sc Scope, action, reason, ip string) {
	o.audit.Record(ctx, audit.Event{Actor: sc.Actor, Action: action, Outcome: audit.OutcomeSuccess, Reason: reason, ClientIP: ip})
}

// PatchDomain changes a domain's policy (global admins).
func (o *Orgs) PatchDomain(ctx context.Context, sc Scope, name string, p OrgPatch, ip string) (Domain, error) {
	d, err := o.domain(ctx, sc, name)
	if err != nil {
		return Domain{}, err
	}
	if !sc.Global {
		return Domain{}, ErrForbidden
	}
	change, err := p.domainPatch()
	if err != nil {
		return Domain{}, err
	}
	if f := change.Fields(); len(f) > 0 {
		if err := o.store.UpdateDomain(ctx, d.ID, change); err != nil {
			return Domain{}, err
		}
		o.record(ctx, sc, audit.ActionDomainUpdated, d.Name+": "+describeOrg(f), ip)
	}
	return o.Domain(ctx, sc, name)
}

// DeleteDomain removes a domain without accounts (global admins).
func (o *Orgs) DeleteDomain(ctx context.Context, sc Scope, name, ip string) error {
	d, err := o.domain(ctx, sc, name)
	if err != nil {
		return err
	}
	if !sc.Global {
		return ErrForbidden
	}
	if err := o.store.DeleteDomain(ctx, d.ID); errors.Is(err, store.ErrAdministered) {
		return ErrAdministered
	} else if errors.Is(err, store.ErrInUse) {
		return ErrInUse
	} else if err != nil {
		return err
	}
	o.record(ctx, sc, audit.ActionDomainDeleted, d.Name, ip)
	return nil
}

// ListCOS lists every class of service (any administrator).
func (o *Orgs) ListCOS(ctx context.Context) ([]COS, error) {
	cs, err := o.store.ListCOS(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := o.store.AccountsPerCOS(ctx)
	out := make([]COS, 0, len(cs))
	for _, c := range cs {
		out = append(out, cosView(&c, counts[c.ID]))
	}
	return out, err
}

func cosView(c *store.COS, n int64) COS {
	return COS{Name: c.Name, TwoFactor: twoFactorName(c.TwoFactor), EASEnabled: c.EASEnabled, Accounts: n, CreatedAt: c.CreatedAt,
		PasswordOverrides:     passwordView(c.PasswordOverrides),
		MaxCredentialsPerKind: c.MaxCredentialsPerKind, PinCodesPerEntry: c.PinCodesPerEntry,
		DeviceAccess: deviceAccessName(c.DeviceAccess), TrustedBrowserDays: c.TrustedBrowserDays, PasskeyLogin: c.PasskeyLogin}
}

// COS shows one class of service (any administrator).
func (o *Orgs) COS(ctx context.Context, name string) (COS, error) {
	c, err := o.cos(ctx, name)
	if err != nil {
		return COS{}, err
	}
	counts, err := o.store.AccountsPerCOS(ctx)
	return cosView(c, counts[c.ID]), err
}

// PatchCOS changes a class of service (global admins).
func (o *Orgs) PatchCOS(ctx context.Context, sc Scope, name string, p OrgPatch, ip string) (COS, error) {
	if !sc.Global {
		return COS{}, ErrForbidden
	}
	c, err := o.cos(ctx, name)
	if err != nil {
		return COS{}, err
	}
	change, err := p.cosPatch()
	if err != nil {
		return COS{}, err
	}
	if f := change.Fields(); len(f) > 0 {
		if err := o.store.UpdateCOS(ctx, c.ID, change); err != nil {
			return COS{}, err
		}
		o.record(ctx, sc, audit.ActionCOSUpdated, c.Name+": "+describeOrg(f), ip)
	}
	return o.COS(ctx, name)
}

func (o *Orgs) cos(ctx context.Context, name string) (*store.COS, error) {
	c, err := o.store.COSByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return c, err
}

// DeleteCOS removes a class of service no account belongs to (global admins).
func (o *Orgs) DeleteCOS(ctx context.Context, sc Scope, name, ip string) error {
	if !sc.Global {
		return ErrForbidden
	}
	c, err := o.cos(ctx, name)
	if err != nil {
		return err
	}
	if err := o.store.DeleteCOS(ctx, c.ID); errors.Is(err, store.ErrInUse) {
		return ErrInUse
	} else if err != nil {
		return err
	}
	o.record(ctx, sc, audit.ActionCOSDeleted, c.Name, ip)
	return nil
}

// describeOrg is the audit text of a domain or COS change, in the store's order of the columns:
// "two_factor=unset, pw_min_length=inherit, max_credentials_per_kind=5".
func describeOrg(fields []store.Field) string {
	out := ""
	for _, f := range fields {
		if out != "" {
			out += ", "
		}
		switch x := f.Value.(type) {
		case string:
			out += f.Column + "=" + twoFactorName(x)
		case bool:
			out += f.Column + "=" + strconv.FormatBool(x)
		default:
			out += f.Column + "=" + OverrideText(x)
		}
	}
	return out
}
