package authn_test

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A grant re-checked without hashing: what would refuse a new request ends a held one.
func TestStillValid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		grant := func(secret string) *authn.Grant {
			g, err := f.try(authn.EAS, "alice@example.com", secret)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		valid := func(g *authn.Grant) bool {
			ok, err := f.auth.StillValid(ctx, authn.EAS, g)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		byCred, byPass := grant(f.secrets["EAS password"]), grant(accountPassword)
		if !valid(byCred) || !valid(byPass) {
			t.Fatal("fresh grants are not valid")
		}
		// Disabling the EAS password ends its grant, not the password's.
		if err := s.UpdateCredential(ctx, byCred.Credential.ID, credStatus(store.CredDisabled)); err != nil {
			t.Fatal(err)
		}
		if valid(byCred) || !valid(byPass) {
			t.Fatal("disabling the credential: want its grant invalid and the password's valid")
		}
		// A new account password ends the password's grant.
		time.Sleep(5 * time.Millisecond)
		h, _ := password.Hash("Another-Lantern-Pass-85")
		if _, err := s.SetPassword(ctx, f.acct.ID, h, false, false); err != nil {
			t.Fatal(err)
		}
		if valid(byPass) {
			t.Fatal("a grant of the old password is still valid")
		}
		// A locked account ends every grant.
		app := grant(f.secrets["app passcode"])
		if !valid(app) {
			t.Fatal("app passcode grant invalid")
		}
		locked := store.StatusLocked
		if err := s.UpdateAccount(ctx, f.acct.ID, store.AccountPatch{Status: &locked}, true); err != nil {
			t.Fatal(err)
		}
		if valid(app) {
			t.Fatal("a grant of a locked account is still valid")
		}
	})
}
