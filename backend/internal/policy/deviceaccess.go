package policy

import (
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// DeviceAccess is what a new EAS device gets, as a level sets it ("" at a domain or COS:
// inherit the level above).
type DeviceAccess string

// The access states of a device, and the values of the setting.
const (
	DeviceAllowed     DeviceAccess = "allowed"
	DeviceQuarantined DeviceAccess = "quarantined"
	DeviceBlocked     DeviceAccess = "blocked"
	DeviceInherit     DeviceAccess = ""
)

// ParseDeviceAccess reads the setting as an operator types it; inherit (or "unset", "") only
// where a level may inherit.
func ParseDeviceAccess(s string, mayInherit bool) (DeviceAccess, error) {
	switch DeviceAccess(s) {
	case DeviceAllowed, DeviceQuarantined, DeviceBlocked:
		return DeviceAccess(s), nil
	case "inherit", "unset", "":
		if mayInherit {
			return DeviceInherit, nil
		}
	}
	if mayInherit {
		return "", fmt.Errorf("want allowed, quarantined, blocked or inherit, got %q", s)
	}
	return "", fmt.Errorf("want allowed, quarantined or blocked, got %q", s)
}

// NewDeviceAccess resolves the setting with the rule of 2FA (PRODUCT.md rule 4): the most
// specific level that sets it wins — COS, then domain, then global. d and c may be nil; a
// global value that is none of the three (a hand-edited row) counts as allowed, today's
// behaviour.
func NewDeviceAccess(g *store.GlobalSettings, d *store.Domain, c *store.COS) DeviceAccess {
	for _, v := range []string{cosAccess(c), domainAccess(d), g.DeviceAccess} {
		if a, err := ParseDeviceAccess(v, false); err == nil {
			return a
		}
	}
	return DeviceAllowed
}

func cosAccess(c *store.COS) string {
	if c == nil {
		return ""
	}
	return c.DeviceAccess
}

func domainAccess(d *store.Domain) string {
	if d == nil {
		return ""
	}
	return d.DeviceAccess
}
