package notice

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Event is what a notice is about; its name is what the setting and the audit log use.
type Event string

// The events that send a notice.
const (
	CredentialCreated Event = "credential_created"
	CredentialDeleted Event = "credential_deleted"
	PasswordChanged   Event = "password_changed" // by the user
	PasswordReset     Event = "password_reset"   // by an administrator or the operator
	NewDevice         Event = "new_device"       // an EAS device syncs for the first time
	TwoFactorOff      Event = "two_factor_off"
	NewBrowser        Event = "new_browser" // a sign-in from a browser and network never seen
	OTPLocked         Event = "otp_locked"
	PINCodesLow       Event = "pin_codes_low"    // PINsLowAt unused PIN codes remain
	RecoveryChanged   Event = "recovery_changed" // the recovery address was set, changed or cleared
)

// PINsLowAt is the number of unused PIN codes left at which the user is told.
const PINsLowAt = 2

// Events lists every event, in the order the settings show them.
var Events = []Event{CredentialCreated, CredentialDeleted, PasswordChanged, PasswordReset, NewDevice, TwoFactorOff,
	NewBrowser, OTPLocked, PINCodesLow, RecoveryChanged}

func known(e Event) bool {
	for _, k := range Events {
		if k == e {
			return true
		}
	}
	return false
}

// Enabled lists the events that send a notice, given the setting's list of those turned off.
func Enabled(off string) []string {
	out := []string{}
	for _, e := range Events {
		if !isOff(off, e) {
			out = append(out, string(e))
		}
	}
	return out
}

func isOff(off string, e Event) bool {
	for _, o := range strings.Split(off, ",") {
		if Event(strings.TrimSpace(o)) == e {
			return true
		}
	}
	return false
}

// ParseEnabled reads the events that should send a notice — a JSON array, a comma-separated
// list, "all" or "none" — and returns the setting's value: the events turned off.
func ParseEnabled(v string) (off string, err error) {
	v = strings.TrimSpace(v)
	var list []string
	switch {
	case v == "all":
	case v == "none":
		for _, e := range Events {
			list = append(list, string(e))
		}
		return strings.Join(list, ","), nil
	case strings.HasPrefix(v, "["):
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return "", fmt.Errorf("want a list of events, got %q", v)
		}
	default:
		list = strings.Split(v, ",")
	}
	on := map[Event]bool{}
	for _, l := range list {
		e := Event(strings.TrimSpace(l))
		if !known(e) {
			return "", fmt.Errorf("unknown event %q (known: %s)", l, strings.Join(names(), ", "))
		}
		on[e] = true
	}
	var offs []string
	for _, e := range Events {
		if v != "all" && !on[e] {
			offs = append(offs, string(e))
		}
	}
	return strings.Join(offs, ","), nil
}

func names() []string {
	out := make([]string, len(Events))
	for i, e := range Events {
		out[i] = string(e)
	}
	return out
}
