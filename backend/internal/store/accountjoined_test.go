package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// AccountByID and AccountByEmail read the account, its domain and its COS in one joined query;
// they must return exactly what ListAccounts, which preloads them, returns: the domain's and
// the COS's own columns (not the account's of the same name), a COS only when there is one,
// and NULL overrides as nil.
func TestAccountLookupsMatchPreload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		with := seedAccount(t, s, "joined-cos@example.com")
		without := seedAccount(t, s, "joined-plain@example.com")
		seven, yes, twelve := 7, true, 12
		d, err := s.DomainByName(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateDomain(ctx, d.ID, store.DomainPatch{TrustedBrowserDays: &store.Nullable[int]{Value: &seven},
			Password: store.PasswordPatch{MinLength: &store.Nullable[int]{Value: &twelve}}}); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCOS(ctx, "joined-staff")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCOS(ctx, c.ID, store.COSPatch{PasskeyLogin: &store.Nullable[bool]{Value: &yes}}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAccount(ctx, with.ID, store.AccountPatch{COSID: &store.Nullable[uint64]{Value: &c.ID}}, false); err != nil {
			t.Fatal(err)
		}
		listed, err := s.ListAccounts(ctx, "example.com")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]store.Account{}
		for _, a := range listed {
			want[a.Email] = a
		}
		for _, email := range []string{with.Email, without.Email} {
			byEmail, err := s.AccountByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			byID, err := s.AccountByID(ctx, want[email].ID)
			if err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string]*store.Account{"AccountByEmail": byEmail, "AccountByID": byID} {
				if !reflect.DeepEqual(*got, want[email]) {
					t.Errorf("%s(%s) =\n%+v\nwant (preloaded)\n%+v", name, email, *got, want[email])
				}
			}
		}
		if got, _ := s.AccountByEmail(ctx, with.Email); got.COS == nil || got.COS.Name != "joined-staff" || got.COS.PasskeyLogin == nil ||
			got.Domain.Name != "example.com" || got.Domain.TrustedBrowserDays == nil || *got.Domain.TrustedBrowserDays != 7 {
			t.Errorf("joined account: %+v", got)
		}
		if got, _ := s.AccountByEmail(ctx, without.Email); got.COS != nil {
			t.Errorf("an account without a COS has one: %+v", got.COS)
		}
		if _, err := s.AccountByEmail(ctx, "nobody@example.com"); err != store.ErrNotFound {
			t.Errorf("unknown address: %v, want ErrNotFound", err)
		}
		if _, err := s.AccountByID(ctx, 1<<40); err != store.ErrNotFound {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
	})
}
