package admin

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// SettingsStore reads and writes the global settings row.
type SettingsStore interface {
	GlobalSettings(ctx context.Context) (*store.GlobalSettings, error)
	SaveGlobalSettings(ctx context.Context, g *store.GlobalSettings) error
}

// setting is one key of the global settings, as the API and `tessera config` name it.
type setting struct {
	help string
	get  func(g *store.GlobalSettings) any
	set  func(g *store.GlobalSettings, v string) error
}

func boolSetting(help string, field func(g *store.GlobalSettings) *bool) setting {
	return setting{help: help, get: func(g *store.GlobalSettings) any { return *field(g) },
		set: func(g *store.GlobalSettings, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("want true or false, got %q", v)
			}
			*field(g) = b
			return nil
		}}
}

func intSetting(help string, lo, hi int, field func(g *store.GlobalSettings) *int) setting {
	return setting{help: help, get: func(g *store.GlobalSettings) any { return *field(g) },
		set: func(g *store.GlobalSettings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < lo || n > hi {
				return fmt.Errorf("want a number from %d to %d, got %q", lo, hi, v)
			}
			*field(g) = n
			return nil
		}}
}

var settings = map[string]setting{
	"twoFactor": {help: "2FA policy of the global level: required, forbidden or unset",
		get: func(g *store.GlobalSettings) any {
			if g.TwoFactor == "" {
				return "unset"
			}
			return g.TwoFactor
		},
		set: func(g *store.GlobalSettings, v string) error {
			p, err := policy.Parse(v)
			g.TwoFactor = string(p)
			return err
		}},
	"passwordMinLength":               intSetting("shortest account password", 1, password.MaxLength, func(g *store.GlobalSettings) *int { return &g.PwMinLength }),
	"passwordRequireLowercase":        boolSetting("account passwords need a lower-case letter", func(g *store.GlobalSettings) *bool { return &g.PwRequireLower }),
	"passwordRequireUppercase":        boolSetting("account passwords need an upper-case letter", func(g *store.GlobalSettings) *bool { return &g.PwRequireUpper }),
	"passwordRequireDigit":            boolSetting("account passwords need a digit", func(g *store.GlobalSettings) *bool { return &g.PwRequireDigit }),
	"passwordRequireSymbol":           boolSetting("account passwords need a symbol", func(g *store.GlobalSettings) *bool { return &g.PwRequireSymbol }),
	"adminRequireTwoFactor":           boolSetting("administrators need a second factor for the Administration area", func(g *store.GlobalSettings) *bool { return &g.AdminRequireTwoFactor }),
	"revokePasscodesOnPasswordChange": boolSetting("a password change revokes application passcodes", func(g *store.GlobalSettings) *bool { return &g.RevokePasscodesOnPasswordChange }),
	"maxCredentialsPerKind":           intSetting("credentials of one kind an account may have (a COS may override it)", MaxCredentialsPerKindMin, MaxCredentialsPerKindMax, func(g *store.GlobalSettings) *int { return &g.MaxCredentialsPerKind }),
	"easRequireDevicePassword":        boolSetting("phones must set a device password (EAS policy)", func(g *store.GlobalSettings) *bool { return &g.EASRequireDevicePassword }),
	"easMinDevicePasswordLength":      intSetting("shortest device password when one is required", 1, 16, func(g *store.GlobalSettings) *int { return &g.EASMinDevicePasswordLen }),
	"easMaxInactivitySeconds":         intSetting("seconds before a phone locks itself when a device password is required", 60, 86400, func(g *store.GlobalSettings) *int { return &g.EASMaxInactivitySeconds }),
	// Limits (migration 0011); a COS may override maxCredentialsPerKind and pinCodesPerEntry.
	"pinCodesPerEntry":        intSetting("PIN codes generated per OTP entry (a COS may override it)", otp.PINCountMin, otp.PINCountMax, func(g *store.GlobalSettings) *int { return &g.PinCodesPerEntry }),
	"easHeartbeatMinSeconds":  intSetting("shortest Ping/Sync heartbeat a phone may ask for, in seconds", HeartbeatFloor, HeartbeatCeiling, func(g *store.GlobalSettings) *int { return &g.EASHeartbeatMinSeconds }),
	"easHeartbeatMaxSeconds":  intSetting("longest Ping/Sync heartbeat a phone may ask for, in seconds", HeartbeatFloor, HeartbeatCeiling, func(g *store.GlobalSettings) *int { return &g.EASHeartbeatMaxSeconds }),
	"easMaxDevicesPerAccount": intSetting("phones an account may sync (0: unlimited); a phone beyond it is refused at Provision", 0, 1000, func(g *store.GlobalSettings) *int { return &g.EASMaxDevicesPerAccount }),
	"deviceAccess": {help: "what a new EAS device gets: allowed, quarantined (until an admin approves it) or blocked; a domain or COS may override it",
		get: func(g *store.GlobalSettings) any { return string(policy.NewDeviceAccess(g, nil, nil)) },
		set: func(g *store.GlobalSettings, v string) error {
			a, err := policy.ParseDeviceAccess(v, false)
			g.DeviceAccess = string(a)
			return err
		}},
	"trustedBrowserDays": intSetting("days a browser is remembered after a second factor (0: never); a domain or COS may override it",
		policy.TrustedBrowserDaysMin, policy.TrustedBrowserDaysMax, func(g *store.GlobalSettings) *int { return &g.TrustedBrowserDays }),
	// Security notices (migration 0028): the events that mail the account's owner.
	"securityNotices": {help: "events that send the account's owner a security notice by mail: a comma-separated list of " +
		strings.Join(notice.Enabled(""), ", ") + "; or all, or none",
		get: func(g *store.GlobalSettings) any { return notice.Enabled(g.SecurityNoticesOff) },
		set: func(g *store.GlobalSettings, v string) error {
			off, err := notice.ParseEnabled(v)
			g.SecurityNoticesOff = off
			return err
		}},
	"passkeyLogin":           boolSetting("\"Sign in with a passkey\" without the password (a domain or COS may override it)", func(g *store.GlobalSettings) *bool { return &g.PasskeyLogin }),
	"sessionLifetimeMinutes": intSetting("lifetime of a new web session, in minutes", 1, 43200, func(g *store.GlobalSettings) *int { return &g.SessionLifetimeMinutes }),
}

// Heartbeat bounds the EAS settings may take (MS-ASCMD: at most 3540 s; below 10 s is a busy loop).
const (
	HeartbeatFloor   = 10
	HeartbeatCeiling = 3540
)

// checkSettings validates what single keys cannot: the heartbeat bounds keep min <= max.
func checkSettings(g *store.GlobalSettings) error {
	if g.EASHeartbeatMinSeconds > g.EASHeartbeatMaxSeconds {
		return fault.Invalidf("easHeartbeatMinSeconds (%d) must not exceed easHeartbeatMaxSeconds (%d)", g.EASHeartbeatMinSeconds, g.EASHeartbeatMaxSeconds)
	}
	return nil
}

// SettingKeys lists the keys with their meaning, sorted.
func SettingKeys() [][2]string {
	var out [][2]string
	for k, s := range settings {
		out = append(out, [2]string{k, s.help})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Settings returns every global setting by key.
func Settings(ctx context.Context, st SettingsStore) (map[string]any, error) {
	g, err := st.GlobalSettings(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for k, s := range settings {
		out[k] = s.get(g)
	}
	return out, nil
}

// SetSettings changes global settings (global admins only); all or nothing.
func SetSettings(ctx context.Context, st SettingsStore, a Auditor, sc Scope, values map[string]string, ip string) error {
	if !sc.Global {
		return ErrForbidden
	}
	g, err := st.GlobalSettings(ctx)
	if err != nil {
		return err
	}
	for k, v := range values {
		s, ok := settings[k]
		if !ok {
			return fault.Invalidf("unknown setting %q", k)
		}
		if err := s.set(g, v); err != nil {
			return fault.Invalidf("%s: %s", k, err.Error())
		}
	}
	if err := checkSettings(g); err != nil {
		return err
	}
	if err := st.SaveGlobalSettings(ctx, g); err != nil {
		return err
	}
	for k, v := range values {
		a.Record(ctx, audit.Event{Actor: sc.Actor, Action: "setting_changed", Outcome: audit.OutcomeSuccess, Reason: k + "=" + v, ClientIP: ip})
	}
	return nil
}

// ErrTwoFactorRequired: adminRequireTwoFactor is on and the session did not pass a second factor.
var ErrTwoFactorRequired = fault.New(fault.Forbidden, "two_factor_required", "administration needs a session with a second factor",
	"Administration needs two-factor authentication: turn it on, then log in again with a code.")

// CheckSessionFactor lets an admin session through when it passed a second factor, or when the
// global setting adminRequireTwoFactor is off.
func CheckSessionFactor(ctx context.Context, st SettingsStore, secondFactor bool) error {
	if secondFactor {
		return nil
	}
	g, err := st.GlobalSettings(ctx)
	if err != nil {
		return err
	}
	if g.AdminRequireTwoFactor {
		return ErrTwoFactorRequired
	}
	return nil
}
