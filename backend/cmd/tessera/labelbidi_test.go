package main_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// `credential set --label` refuses a label with a bidirectional control (it would display as
// something else), exits 1 saying why, and keeps the old label.
func TestCredentialSetRefusesBidiLabel(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		c := newCLI(t, b)
		ap, alice := c.withAlice()
		cred, _, err := ap.Credentials.Create(t.Context(), alice, "otp", "Phone", "")
		if err != nil {
			t.Fatal(err)
		}
		id := itoa(cred.ID)
		for _, l := range []string{"Phone\u202Eenohp", "a\u2066b\u2069", "a\u200Fb", "a\u061Cb"} {
			c.fails(2, "text-direction controls", "credential", "set", id, "--label", l)
		}
		if out := c.ok("credential", "list", "alice@example.org"); !strings.Contains(out, "otp") || !strings.Contains(out, " Phone ") {
			t.Fatalf("label changed:\n%s", out)
		}
		c.ok("credential", "set", id, "--label", "هاتف سارة")
	})
}
