package store

import "time"

// Typed changes. A patch struct names what may change of a row: a nil field stays as it is, a
// set one is written. Column names stay in this package; the audit trail, whose texts name the
// columns ("two_factor=required"), reads them from a patch's Fields.

// Nullable is a new value for a nullable column: a nil Value writes NULL (for an override, the
// level inherits again).
type Nullable[T any] struct{ Value *T }

// Field is one column a patch writes and the value written. A Nullable's value is its *T, nil
// for NULL; an expiry is the time.Time stored (UTC, milliseconds).
type Field struct {
	Column string
	Value  any
}

// fieldList collects the set fields of a patch in the order they are added.
type fieldList []Field

func (l *fieldList) add(column string, v any) { *l = append(*l, Field{column, v}) }

func addPtr[T any](l *fieldList, column string, v *T) {
	if v != nil {
		l.add(column, *v)
	}
}

func addNullable[T any](l *fieldList, column string, v *Nullable[T]) {
	if v != nil {
		l.add(column, v.Value)
	}
}

// updates turns fields into GORM's column map.
func updates(fs []Field) map[string]any {
	m := make(map[string]any, len(fs)+2)
	for _, f := range fs {
		m[f.Column] = f.Value
	}
	return m
}

// AccountPatch is a change of an account's role, status or class of service; COSID with a nil
// Value takes the account out of its COS.
type AccountPatch struct {
	Role, Status  *string
	COSID         *Nullable[uint64]
	RecoveryEmail *string // "" clears it
}

// Fields lists the columns p writes: role, status, cos_id, recovery_email.
func (p AccountPatch) Fields() []Field {
	var l fieldList
	addPtr(&l, "role", p.Role)
	addPtr(&l, "status", p.Status)
	addNullable(&l, "cos_id", p.COSID)
	addPtr(&l, "recovery_email", p.RecoveryEmail)
	return l
}

// CredentialPatch is an administrator's limited edit of a credential. Label and LabelKey change
// together (the key is what uniqueness is checked on, see Credential).
type CredentialPatch struct {
	Label, LabelKey *string
	Status          *string
	ExpiresAt       *Nullable[time.Time]
	FailedAttempts  *int
	Services        *string // comma-separated (a passcode's scope)
}

// Fields lists the columns p writes.
func (p CredentialPatch) Fields() []Field {
	var l fieldList
	addPtr(&l, "label", p.Label)
	addPtr(&l, "label_key", p.LabelKey)
	addPtr(&l, "status", p.Status)
	if p.ExpiresAt != nil {
		if v := p.ExpiresAt.Value; v != nil {
			l.add("expires_at", v.UTC().Truncate(time.Millisecond))
		} else {
			l.add("expires_at", nil)
		}
	}
	addPtr(&l, "failed_attempts", p.FailedAttempts)
	addPtr(&l, "services", p.Services)
	return l
}

// PasswordPatch changes a domain's or COS's password-policy overrides (PasswordOverrides).
type PasswordPatch struct {
	MinLength                                                       *Nullable[int]
	RequireLowercase, RequireUppercase, RequireDigit, RequireSymbol *Nullable[bool]
}

func (p PasswordPatch) add(l *fieldList) {
	addNullable(l, "pw_min_length", p.MinLength)
	addNullable(l, "pw_require_lower", p.RequireLowercase)
	addNullable(l, "pw_require_upper", p.RequireUppercase)
	addNullable(l, "pw_require_digit", p.RequireDigit)
	addNullable(l, "pw_require_symbol", p.RequireSymbol)
}

// DomainPatch changes a domain's policy.
type DomainPatch struct {
	TwoFactor                *string
	EASRequireDevicePassword *bool
	Password                 PasswordPatch
	AccountPasswordForMail   *bool
	DeviceAccess             *string // "" inherits (migration 0022)
	TrustedBrowserDays       *Nullable[int]
	PasskeyLogin             *Nullable[bool] // nil Value inherits (migration 0026)
}

// Fields lists the columns p writes, in the order the audit trail names them.
func (p DomainPatch) Fields() []Field {
	var l fieldList
	addPtr(&l, "two_factor", p.TwoFactor)
	addPtr(&l, "eas_require_device_password", p.EASRequireDevicePassword)
	p.Password.add(&l)
	addPtr(&l, "account_password_for_mail", p.AccountPasswordForMail)
	addPtr(&l, "device_access", p.DeviceAccess)
	addNullable(&l, "trusted_browser_days", p.TrustedBrowserDays)
	addNullable(&l, "passkey_login", p.PasskeyLogin)
	return l
}

// COSPatch changes a class of service's policy; a limit with a nil Value inherits the global
// setting again.
type COSPatch struct {
	TwoFactor                               *string
	EASEnabled                              *bool
	Password                                PasswordPatch
	MaxCredentialsPerKind, PinCodesPerEntry *Nullable[int]
	DeviceAccess                            *string // "" inherits (migration 0022)
	TrustedBrowserDays                      *Nullable[int]
	PasskeyLogin                            *Nullable[bool] // nil Value inherits (migration 0026)
}

// Fields lists the columns p writes, in the order the audit trail names them.
func (p COSPatch) Fields() []Field {
	var l fieldList
	addPtr(&l, "two_factor", p.TwoFactor)
	addPtr(&l, "eas_enabled", p.EASEnabled)
	p.Password.add(&l)
	addNullable(&l, "max_credentials_per_kind", p.MaxCredentialsPerKind)
	addNullable(&l, "pin_codes_per_entry", p.PinCodesPerEntry)
	addPtr(&l, "device_access", p.DeviceAccess)
	addNullable(&l, "trusted_browser_days", p.TrustedBrowserDays)
	addNullable(&l, "passkey_login", p.PasskeyLogin)
	return l
}

// ItemPatch changes a live item: its flags, or a PIM item's summary and properties.
type ItemPatch struct {
	Read, Flagged  *bool
	Subject, Props *string
	IMAPFlags      *string
	DAVName        *string
}

func (p ItemPatch) fields() []Field {
	var l fieldList
	addPtr(&l, "read", p.Read)
	addPtr(&l, "flagged", p.Flagged)
	addPtr(&l, "subject", p.Subject)
	addPtr(&l, "props", p.Props)
	addPtr(&l, "imap_flags", p.IMAPFlags)
	addPtr(&l, "dav_name", p.DAVName)
	return l
}
