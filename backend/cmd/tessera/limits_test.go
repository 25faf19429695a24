package main_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func TestCOSLimitCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		c.ok("cos", "create", "staff", "--pin-codes-per-entry", "6")
		if out := c.ok("cos", "show", "staff"); !regexp.MustCompile(`(?m)^staff\s+unset\s+true\s+0\s+inherit\s+6$`).MatchString(out) {
			t.Fatalf("cos show after create:\n%s", out)
		}
		var v struct {
			MaxCredentialsPerKind *int
			PinCodesPerEntry      *int
		}
		out := c.ok("cos", "set", "staff", "--max-credentials-per-kind", "3", "--pin-codes-per-entry", "inherit", "--json")
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.MaxCredentialsPerKind == nil || *v.MaxCredentialsPerKind != 3 || v.PinCodesPerEntry != nil {
			t.Fatalf("cos set: %v %s", err, out)
		}
		if out := c.ok("cos", "list"); !regexp.MustCompile(`(?m)^staff\s+unset\s+true\s+0\s+3\s+inherit$`).MatchString(out) ||
			!strings.Contains(out, "CREDENTIALS/KIND") {
			t.Fatalf("cos list:\n%s", out)
		}
		c.fails(2, "wants a number or inherit", "cos", "set", "staff", "--pin-codes-per-entry", "many")
		c.fails(2, "pinCodesPerEntry is a number from 4 to 20", "cos", "set", "staff", "--pin-codes-per-entry", "21")
		c.fails(2, "maxCredentialsPerKind is a number from 1 to 1000", "cos", "create", "bad", "--max-credentials-per-kind", "0")
		c.fails(1, "does not exist", "cos", "show", "bad")
		c.fails(2, "unknown flag", "domain", "set", "example.com", "--pin-codes-per-entry", "5")
		// A refused set changed nothing.
		if out := c.ok("cos", "show", "staff"); !regexp.MustCompile(`(?m)^staff\s+unset\s+true\s+0\s+3\s+inherit$`).MatchString(out) {
			t.Fatalf("cos show after refused sets:\n%s", out)
		}
	})
}

func TestLimitSettingsCommands(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		// The first start applies migration 0011: the TESSERA_* values become the settings.
		first := *c
		first.env = append(append([]string{}, c.env...), "TESSERA_EAS_HEARTBEAT_MIN=30s", "TESSERA_EAS_HEARTBEAT_MAX=20m", "TESSERA_SESSION_TTL=2h")
		first.ok("migrate")
		for key, want := range map[string]string{"easHeartbeatMinSeconds": "30", "easHeartbeatMaxSeconds": "1200", "sessionLifetimeMinutes": "120",
			"easMaxDevicesPerAccount": "20", "pinCodesPerEntry": "10"} {
			if out := c.ok("config", "get", key); !regexp.MustCompile(`^` + key + `\s+` + want + `\n$`).MatchString(out) {
				t.Errorf("config get %s: %q, want %s", key, out, want)
			}
		}
		c.ok("config", "set", "easMaxDevicesPerAccount", "3")
		c.ok("config", "set", "easHeartbeatMaxSeconds", "600")
		c.fails(2, "must not exceed easHeartbeatMaxSeconds", "config", "set", "easHeartbeatMinSeconds", "601")
		c.fails(2, "want a number from 4 to 20", "config", "set", "pinCodesPerEntry", "30")
		c.ok("config", "set", "sessionLifetimeMinutes", "45")
		var v map[string]any
		if err := json.Unmarshal([]byte(c.ok("config", "get", "--json")), &v); err != nil ||
			v["easMaxDevicesPerAccount"] != float64(3) || v["easHeartbeatMaxSeconds"] != float64(600) || v["easHeartbeatMinSeconds"] != float64(30) || v["sessionLifetimeMinutes"] != float64(45) {
			t.Fatalf("config get --json: %v %v", err, v)
		}
		if out := c.ok("config", "keys"); !strings.Contains(out, "easMaxDevicesPerAccount") || !strings.Contains(out, "pinCodesPerEntry") {
			t.Fatalf("config keys:\n%s", out)
		}
	})
}
