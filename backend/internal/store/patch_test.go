package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func set[T any](v T) *store.Nullable[T] { return &store.Nullable[T]{Value: &v} }

func columns(fs []store.Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Column)
	}
	return out
}

// Each patch writes the columns it names and nothing else; nil fields stay.
func TestAccountPatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		cos, err := s.CreateCOS(ctx, "staff")
		if err != nil {
			t.Fatal(err)
		}
		p := store.AccountPatch{Role: ptr(store.RoleDomainAdmin), Status: ptr(store.StatusLocked), COSID: set(cos.ID)}
		if got := columns(p.Fields()); !reflect.DeepEqual(got, []string{"role", "status", "cos_id"}) {
			t.Fatalf("Fields = %v", got)
		}
		if err := s.UpdateAccount(ctx, a.ID, p, false); err != nil {
			t.Fatal(err)
		}
		got, _ := s.AccountByID(ctx, a.ID)
		if got.Role != store.RoleDomainAdmin || got.Status != store.StatusLocked || got.COSID == nil || *got.COSID != cos.ID || got.TokenVersion != 0 {
			t.Fatalf("after the patch: %+v", got)
		}
		// Clearing the COS leaves role and status; endSessions moves the token version on.
		if err := s.UpdateAccount(ctx, a.ID, store.AccountPatch{COSID: &store.Nullable[uint64]{}}, true); err != nil {
			t.Fatal(err)
		}
		got, _ = s.AccountByID(ctx, a.ID)
		if got.COSID != nil || got.Role != store.RoleDomainAdmin || got.Status != store.StatusLocked || got.TokenVersion != 1 {
			t.Fatalf("after clearing the COS: %+v", got)
		}
		// An empty patch with endSessions only ends the sessions.
		if err := s.UpdateAccount(ctx, a.ID, store.AccountPatch{}, true); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.AccountByID(ctx, a.ID); got.TokenVersion != 2 || got.Role != store.RoleDomainAdmin {
			t.Fatalf("after ending sessions: %+v", got)
		}
		d, _ := s.DomainByName(ctx, "example.com")
		if err := s.UpdateAccountWithAdminDomains(ctx, a.ID, store.AccountPatch{Status: ptr(store.StatusActive)}, false, []uint64{d.ID}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.AccountByID(ctx, a.ID)
		ds, _ := s.AdminDomainsOf(ctx, a.ID)
		if got.Status != store.StatusActive || got.Role != store.RoleDomainAdmin || len(ds) != 1 || ds[0].ID != d.ID {
			t.Fatalf("with admin domains: %+v, %+v", got, ds)
		}
		if err := s.UpdateAccount(ctx, 999999, p, false); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing account: %v", err)
		}
	})
}

func TestCredentialPatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		mk := func(label, key, hash string) *store.Credential {
			c := &store.Credential{AccountID: a.ID, Kind: store.KindEAS, Label: label, LabelKey: key, SecretHash: hash,
				Status: store.CredLocked, Services: store.KindEAS, FailedAttempts: 5}
			if err := s.CreateCredential(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		c, other := mk("Phone", "k1", "h1"), mk("Tablet", "k2", "h2")
		expires := time.Date(2030, 1, 2, 3, 4, 5, 678901234, time.FixedZone("CET", 3600))
		p := store.CredentialPatch{Label: ptr("Work phone"), LabelKey: ptr("k3"), Status: ptr(store.CredEnabled),
			ExpiresAt: &store.Nullable[time.Time]{Value: &expires}, FailedAttempts: ptr(0)}
		if got := columns(p.Fields()); !reflect.DeepEqual(got, []string{"label", "label_key", "status", "expires_at", "failed_attempts"}) {
			t.Fatalf("Fields = %v", got)
		}
		if err := s.UpdateCredential(ctx, c.ID, p); err != nil {
			t.Fatal(err)
		}
		got, _ := s.CredentialByID(ctx, c.ID)
		if got.Label != "Work phone" || got.LabelKey != "k3" || got.Status != store.CredEnabled || got.FailedAttempts != 0 ||
			got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires.Truncate(time.Millisecond)) || got.SecretHash != "h1" {
			t.Fatalf("after the patch: %+v (expires %v)", got, got.ExpiresAt)
		}
		if err := s.UpdateCredential(ctx, c.ID, store.CredentialPatch{ExpiresAt: &store.Nullable[time.Time]{}}); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.CredentialByID(ctx, c.ID); got.ExpiresAt != nil || got.Label != "Work phone" || got.Status != store.CredEnabled {
			t.Fatalf("after clearing the expiry: %+v", got)
		}
		// The label key is what uniqueness is checked on.
		if err := s.UpdateCredential(ctx, other.ID, store.CredentialPatch{Label: ptr("work phone"), LabelKey: ptr("k3")}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("a taken label key: %v", err)
		}
		if got, _ := s.CredentialByID(ctx, other.ID); got.Label != "Tablet" || got.Status != store.CredLocked || got.FailedAttempts != 5 {
			t.Fatalf("the refused patch changed the other credential: %+v", got)
		}
	})
}

func TestDomainAndCOSPatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, err := s.CreateDomain(ctx, "example.org")
		if err != nil {
			t.Fatal(err)
		}
		pw := store.PasswordPatch{MinLength: set(14), RequireLowercase: set(true), RequireUppercase: set(false), RequireDigit: set(true), RequireSymbol: set(true)}
		dp := store.DomainPatch{TwoFactor: ptr("required"), EASRequireDevicePassword: ptr(true), Password: pw, AccountPasswordForMail: ptr(false)}
		want := []string{"two_factor", "eas_require_device_password", "pw_min_length", "pw_require_lower", "pw_require_upper", "pw_require_digit", "pw_require_symbol", "account_password_for_mail"}
		if got := columns(dp.Fields()); !reflect.DeepEqual(got, want) {
			t.Fatalf("domain Fields = %v", got)
		}
		if err := s.UpdateDomain(ctx, d.ID, dp); err != nil {
			t.Fatal(err)
		}
		gd, _ := s.DomainByName(ctx, "example.org")
		o := gd.PasswordOverrides
		if gd.TwoFactor != "required" || !gd.EASRequireDevicePassword || gd.AccountPasswordForMail ||
			o.PwMinLength == nil || *o.PwMinLength != 14 || o.PwRequireLower == nil || !*o.PwRequireLower ||
			o.PwRequireUpper == nil || *o.PwRequireUpper || o.PwRequireDigit == nil || !*o.PwRequireDigit || o.PwRequireSymbol == nil || !*o.PwRequireSymbol {
			t.Fatalf("domain after the patch: %+v %+v", gd, o)
		}
		// Overrides cleared inherit again; what the patch does not name stays.
		clear := store.DomainPatch{Password: store.PasswordPatch{MinLength: &store.Nullable[int]{}, RequireSymbol: &store.Nullable[bool]{}}}
		if err := s.UpdateDomain(ctx, d.ID, clear); err != nil {
			t.Fatal(err)
		}
		gd, _ = s.DomainByName(ctx, "example.org")
		if o := gd.PasswordOverrides; o.PwMinLength != nil || o.PwRequireSymbol != nil || o.PwRequireDigit == nil || gd.TwoFactor != "required" || gd.AccountPasswordForMail {
			t.Fatalf("domain after clearing: %+v %+v", gd, o)
		}

		c, err := s.CreateCOS(ctx, "staff")
		if err != nil {
			t.Fatal(err)
		}
		cp := store.COSPatch{TwoFactor: ptr("forbidden"), EASEnabled: ptr(false), Password: store.PasswordPatch{RequireDigit: set(true)},
			MaxCredentialsPerKind: set(7), PinCodesPerEntry: set(4)}
		if got := columns(cp.Fields()); !reflect.DeepEqual(got, []string{"two_factor", "eas_enabled", "pw_require_digit", "max_credentials_per_kind", "pin_codes_per_entry"}) {
			t.Fatalf("COS Fields = %v", got)
		}
		if err := s.UpdateCOS(ctx, c.ID, cp); err != nil {
			t.Fatal(err)
		}
		gc, _ := s.COSByName(ctx, "staff")
		if gc.TwoFactor != "forbidden" || gc.EASEnabled || gc.PwRequireDigit == nil || !*gc.PwRequireDigit || gc.PwMinLength != nil ||
			gc.MaxCredentialsPerKind == nil || *gc.MaxCredentialsPerKind != 7 || gc.PinCodesPerEntry == nil || *gc.PinCodesPerEntry != 4 {
			t.Fatalf("COS after the patch: %+v", gc)
		}
		if err := s.UpdateCOS(ctx, c.ID, store.COSPatch{PinCodesPerEntry: &store.Nullable[int]{}}); err != nil {
			t.Fatal(err)
		}
		if gc, _ = s.COSByName(ctx, "staff"); gc.PinCodesPerEntry != nil || gc.MaxCredentialsPerKind == nil || gc.EASEnabled {
			t.Fatalf("COS after clearing a limit: %+v", gc)
		}
		if err := s.UpdateDomain(ctx, 999999, dp); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing domain: %v", err)
		}
		if err := s.UpdateCOS(ctx, 999999, cp); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing COS: %v", err)
		}
		// Writing what is already there is no missing row (MySQL reports 0 rows changed).
		if err := s.UpdateCOS(ctx, c.ID, store.COSPatch{EASEnabled: ptr(false)}); err != nil {
			t.Fatalf("an unchanged COS: %v", err)
		}
	})
}

func TestAccountsPerDomainAndCOS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		seedAccount(t, s, "bob@example.com")
		c, _ := s.CreateCOS(ctx, "staff")
		if err := s.UpdateAccount(ctx, a.ID, store.AccountPatch{COSID: set(c.ID)}, false); err != nil {
			t.Fatal(err)
		}
		byDomain, err := s.AccountsPerDomain(ctx)
		if err != nil || len(byDomain) != 1 || byDomain[a.DomainID] != 2 {
			t.Fatalf("per domain = %v, %v", byDomain, err)
		}
		byCOS, err := s.AccountsPerCOS(ctx)
		if err != nil || len(byCOS) != 1 || byCOS[c.ID] != 1 {
			t.Fatalf("per COS = %v, %v", byCOS, err)
		}
	})
}

func TestSetTwoFactorSettingLevels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedAccount(t, s, "alice@example.com")
		s.CreateCOS(ctx, "staff")
		for _, c := range []struct {
			level store.SettingLevel
			name  string
		}{{store.GlobalLevel, ""}, {store.DomainLevel, "example.com"}, {store.COSLevel, "staff"}} {
			if err := s.SetTwoFactorSetting(ctx, c.level, c.name, "required"); err != nil {
				t.Fatalf("level %d: %v", c.level, err)
			}
		}
		g, _ := s.GlobalSettings(ctx)
		d, _ := s.DomainByName(ctx, "example.com")
		c, _ := s.COSByName(ctx, "staff")
		if g.TwoFactor != "required" || d.TwoFactor != "required" || c.TwoFactor != "required" {
			t.Fatalf("global %q, domain %q, COS %q", g.TwoFactor, d.TwoFactor, c.TwoFactor)
		}
		if err := s.SetTwoFactorSetting(ctx, store.COSLevel, "nobody", "required"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing COS: %v", err)
		}
		if err := s.SetTwoFactorSetting(ctx, store.SettingLevel(0), "", "required"); err == nil {
			t.Fatal("an unknown level was accepted")
		}
	})
}

func TestItemPatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		b := seedAccount(t, s, "bob@example.com")
		f := &store.Folder{AccountID: a.ID, DisplayName: "Contacts", Type: 9, Class: "Contacts"}
		if err := s.CreateFolder(ctx, f); err != nil {
			t.Fatal(err)
		}
		it := &store.Item{AccountID: a.ID, FolderID: f.ID, Class: "Contacts", Subject: "Ada", Props: `{"n":1}`, BodyText: "kept"}
		if err := s.AddItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		got, err := s.UpdateItem(ctx, a.ID, it.ID, store.ItemPatch{Read: ptr(true), Flagged: ptr(true)})
		if err != nil || !got.Read || !got.Flagged || got.Subject != "Ada" || got.ModSeq <= it.ModSeq {
			t.Fatalf("flags = %+v, %v", got, err)
		}
		seq := got.ModSeq
		got, err = s.UpdateItem(ctx, a.ID, it.ID, store.ItemPatch{Subject: ptr("Ada Lovelace"), Props: ptr(`{"n":2}`), Flagged: ptr(false)})
		if err != nil || got.Subject != "Ada Lovelace" || got.Props != `{"n":2}` || got.Flagged || !got.Read || got.BodyText != "kept" || got.ModSeq <= seq {
			t.Fatalf("summary and props = %+v, %v", got, err)
		}
		if _, err := s.UpdateItem(ctx, b.ID, it.ID, store.ItemPatch{Read: ptr(false)}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another account's item: %v", err)
		}
		if got, _ := s.ItemOf(ctx, a.ID, it.ID); !got.Read {
			t.Fatal("another account's patch was written")
		}
	})
}
