package policy

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

func TestNewDeviceAccessMostSpecificWins(t *testing.T) {
	g := &store.GlobalSettings{DeviceAccess: "allowed"}
	for _, c := range []struct {
		global, domain, cos string
		want                DeviceAccess
	}{
		{"allowed", "", "", DeviceAllowed},
		{"quarantined", "", "", DeviceQuarantined},
		{"quarantined", "blocked", "", DeviceBlocked},
		{"quarantined", "blocked", "allowed", DeviceAllowed},
		{"blocked", "", "quarantined", DeviceQuarantined},
		{"", "", "", DeviceAllowed},         // a row without the setting: today's behaviour
		{"nonsense", "", "", DeviceAllowed}, // a hand-edited row
	} {
		g.DeviceAccess = c.global
		got := NewDeviceAccess(g, &store.Domain{DeviceAccess: c.domain}, &store.COS{DeviceAccess: c.cos})
		if got != c.want {
			t.Errorf("global=%q domain=%q cos=%q: got %q, want %q", c.global, c.domain, c.cos, got, c.want)
		}
	}
	if got := NewDeviceAccess(&store.GlobalSettings{DeviceAccess: "blocked"}, nil, nil); got != DeviceBlocked {
		t.Errorf("no domain, no COS: %q", got)
	}
}

func TestParseDeviceAccess(t *testing.T) {
	if v, err := ParseDeviceAccess("inherit", true); err != nil || v != DeviceInherit {
		t.Errorf("inherit at a domain: %q %v", v, err)
	}
	if _, err := ParseDeviceAccess("inherit", false); err == nil {
		t.Error("the global level accepted inherit")
	}
	if _, err := ParseDeviceAccess("deny", true); err == nil {
		t.Error("deny accepted")
	}
}
