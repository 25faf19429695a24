package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A failed login with a username longer than the audit columns (an attacker's, or a client's
// mistake) still leaves its audit row, cut to the column on a character boundary: MySQL
// refuses a longer value, and the row used to be lost.
func TestFailedLoginWithLongUsernameIsAudited(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		long := strings.Repeat("é", 250) + "@example.com"
		r := s.Client().Do("POST", "/api/v1/auth/login", map[string]string{"username": long, "password": "wrong-Password-1!"})
		if r.StatusCode != 401 || r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("login: %d %s", r.StatusCode, r.Body)
		}
		events, err := s.App.Store.ListAudit(t.Context(), store.AuditFilter{Action: audit.ActionLoginFailed})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if strings.HasPrefix(long, e.Account) && len([]rune(e.Account)) == 191 {
				return
			}
		}
		t.Fatalf("no audit row for the long username among %d failures", len(events))
	})
}
