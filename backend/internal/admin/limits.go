package admin

import (
	"github.com/tessera-mail/tessera/backend/internal/fault"
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

// checkLimits checks the limits of p against their ranges; limits are COS settings.
func (p OrgPatch) checkLimits(forDomain bool) error {
	for _, l := range []struct {
		key    string
		patch  *LimitPatch
		lo, hi int
	}{
		{"maxCredentialsPerKind", p.MaxCredentialsPerKind, MaxCredentialsPerKindMin, MaxCredentialsPerKindMax},
		{"pinCodesPerEntry", p.PinCodesPerEntry, otp.PINCountMin, otp.PINCountMax},
	} {
		if l.patch == nil {
			continue
		}
		if forDomain {
			return fault.Invalidf("%s is a COS setting", l.key)
		}
		if v := l.patch.Value; v != nil && (*v < l.lo || *v > l.hi) {
			return fault.Invalidf("%s is a number from %d to %d, or null to inherit the global setting", l.key, l.lo, l.hi)
		}
	}
	return nil
}
