package admin

import (
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// PasswordOverrides are a domain's or COS's password-policy overrides as administrators see
// them; null inherits from the level above (COS over domain over global, see
// policy.PasswordPolicy).
type PasswordOverrides struct {
	PasswordMinLength        *int  `json:"passwordMinLength"`
	PasswordRequireLowercase *bool `json:"passwordRequireLowercase"`
	PasswordRequireUppercase *bool `json:"passwordRequireUppercase"`
	PasswordRequireDigit     *bool `json:"passwordRequireDigit"`
	PasswordRequireSymbol    *bool `json:"passwordRequireSymbol"`
}

func passwordView(o store.PasswordOverrides) PasswordOverrides {
	return PasswordOverrides{PasswordMinLength: o.PwMinLength, PasswordRequireLowercase: o.PwRequireLower,
		PasswordRequireUppercase: o.PwRequireUpper, PasswordRequireDigit: o.PwRequireDigit, PasswordRequireSymbol: o.PwRequireSymbol}
}

// Override is a new value for one override: Value nil clears it (the level inherits). It is the
// store's type, so a checked patch passes through unchanged.
type Override[T any] = store.Nullable[T]

// Set returns an override to v.
func Set[T any](v T) *Override[T] { return &Override[T]{Value: &v} }

// Inherit returns an override that clears the field.
func Inherit[T any]() *Override[T] { return &Override[T]{} }

// PasswordPatch changes password-policy overrides; a nil field stays as it is.
type PasswordPatch struct {
	MinLength                                                       *Override[int]
	RequireLowercase, RequireUppercase, RequireDigit, RequireSymbol *Override[bool]
}

// patch checks the minimum length as the global setting passwordMinLength does and returns p
// as the store writes it (nil values write NULL).
func (p PasswordPatch) patch() (store.PasswordPatch, error) {
	if o := p.MinLength; o != nil && o.Value != nil && (*o.Value < 1 || *o.Value > password.MaxLength) {
		return store.PasswordPatch{}, fault.Invalidf("passwordMinLength must be between 1 and %d, or null to inherit", password.MaxLength)
	}
	return store.PasswordPatch{MinLength: p.MinLength, RequireLowercase: p.RequireLowercase, RequireUppercase: p.RequireUppercase,
		RequireDigit: p.RequireDigit, RequireSymbol: p.RequireSymbol}, nil
}

// OverrideText renders a password override (*int or *bool) as the audit trail and the CLI
// show it: the value, or "inherit" for nil.
func OverrideText(v any) string {
	switch x := v.(type) {
	case *int:
		if x != nil {
			return strconv.Itoa(*x)
		}
	case *bool:
		if x != nil {
			return strconv.FormatBool(*x)
		}
	}
	return "inherit"
}
