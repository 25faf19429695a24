package device

import (
	"fmt"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Rule fields: what a device says of itself that a rule may match.
const (
	FieldDeviceType = "deviceType"
	FieldModel      = "model"
	FieldOS         = "os"
	FieldUserAgent  = "userAgent"
)

// Fields lists the rule fields in the order they are documented.
var Fields = []string{FieldDeviceType, FieldModel, FieldOS, FieldUserAgent}

// MaxPattern is the longest rule pattern (its column).
const MaxPattern = 191

// ErrBadRule: a rule with an unknown field or action, or an empty or overlong pattern (400).
var ErrBadRule = fault.New(fault.Invalid, fault.CodeInvalid, "invalid device rule",
	"A rule needs a field (deviceType, model, os or userAgent), a pattern of 1 to 191 characters and an action (allowed, quarantined or blocked).")

// CheckRule validates a rule's parts as an operator typed them and returns them normalised
// (the action may be typed allow, block or quarantine too).
func CheckRule(field, pattern, action string) (string, string, policy.DeviceAccess, error) {
	known := false
	for _, f := range Fields {
		if strings.EqualFold(f, field) {
			field, known = f, true
		}
	}
	switch action {
	case "allow":
		action = string(policy.DeviceAllowed)
	case "block":
		action = string(policy.DeviceBlocked)
	case "quarantine":
		action = string(policy.DeviceQuarantined)
	}
	a, err := policy.ParseDeviceAccess(action, false)
	pattern = strings.TrimSpace(pattern)
	if !known || err != nil || pattern == "" || len(pattern) > MaxPattern {
		return "", "", "", fmt.Errorf("%w: field %q, pattern %q, action %q", ErrBadRule, field, pattern, action)
	}
	return field, pattern, a, nil
}

// Match reports whether value matches pattern: exact but for case, each * standing for any
// run of characters (slashes included: user agents have them, unlike path.Match's names).
func Match(pattern, value string) bool {
	p, v := strings.ToLower(pattern), strings.ToLower(value)
	parts := strings.Split(p, "*")
	if len(parts) == 1 {
		return p == v
	}
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(v, mid)
		if i < 0 {
			return false
		}
		v = v[i+len(mid):]
	}
	return strings.HasSuffix(v, last)
}

// valueOf is what the device says for a rule's field ("" when it has not said it).
func valueOf(d *store.Device, field string) string {
	switch field {
	case FieldDeviceType:
		return d.DeviceType
	case FieldModel:
		return d.Model
	case FieldOS:
		return d.OS
	case FieldUserAgent:
		return d.UserAgent
	}
	return ""
}

// FirstMatch is the first rule of the list that matches the device; nil when none does. A
// field the device has not told yet matches nothing, not even "*".
func FirstMatch(rules []store.DeviceRule, d *store.Device) *store.DeviceRule {
	for i, r := range rules {
		if v := valueOf(d, r.Field); v != "" && Match(r.Pattern, v) {
			return &rules[i]
		}
	}
	return nil
}
