package admin

import (
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/otp"
)

// Limits a class of service may override (migration 0011). A COS without a value inherits the
// global setting of the same name.

// Limit ranges, shared by the global settings and the COS overrides.
const (
	MaxCredentialsPerKindMin = 1
	MaxCredentialsPerKindMax = 1000
)

// LimitPatch sets a COS limit to Value, or back to inheriting the global value when Value is nil
// (the same three states as a password-policy override).
type LimitPatch = Override[int]

// SetLimit is a patch to n.
func SetLimit(n int) *LimitPatch { return &LimitPatch{Value: &n} }

// InheritLimit is a patch that clears the COS value.
func InheritLimit() *LimitPatch { return &LimitPatch{} }

// limitFields adds the limit columns of p to f; limits are COS settings.
func (p OrgPatch) limitFields(f map[string]any, forDomain bool) error {
	for _, l := range []struct {
		key, column string
		patch       *LimitPatch
		lo, hi      int
	}{
		{"maxCredentialsPerKind", "max_credentials_per_kind", p.MaxCredentialsPerKind, MaxCredentialsPerKindMin, MaxCredentialsPerKindMax},
		{"pinCodesPerEntry", "pin_codes_per_entry", p.PinCodesPerEntry, otp.PINCountMin, otp.PINCountMax},
	} {
		if l.patch == nil {
			continue
		}
		if forDomain {
			return &InputError{l.key + " is a COS setting"}
		}
		if l.patch.Value == nil {
			f[l.column] = nil
			continue
		}
		if v := *l.patch.Value; v < l.lo || v > l.hi {
			return &InputError{fmt.Sprintf("%s is a number from %d to %d, or null to inherit the global setting", l.key, l.lo, l.hi)}
		}
		f[l.column] = *l.patch.Value
	}
	return nil
}
