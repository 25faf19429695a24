package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func seedAccount(t *testing.T, s *store.Store, email string) *store.Account {
	t.Helper()
	ctx := context.Background()
	d, err := s.DomainByName(ctx, "example.com")
	if errors.Is(err, store.ErrNotFound) {
		d, err = s.CreateDomain(ctx, "example.com")
	}
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Account{Email: email, DomainID: d.ID, PasswordHash: "h1", Role: store.RoleUser, Status: store.StatusActive}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		if a.ID == 0 {
			t.Fatal("no id assigned")
		}
		dup := &store.Account{Email: "alice@example.com", DomainID: a.DomainID, PasswordHash: "x", Role: "user", Status: "active"}
		if err := s.CreateAccount(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate email: got %v, want ErrConflict", err)
		}
		got, err := s.AccountByEmail(ctx, "alice@example.com")
		if err != nil || got.ID != a.ID || got.Domain.Name != "example.com" || got.COS != nil {
			t.Fatalf("AccountByEmail = %+v, %v", got, err)
		}
		if _, err := s.AccountByEmail(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing account: got %v", err)
		}
		tv, err := s.SetPassword(ctx, a.ID, "h2", true, true)
		if err != nil || tv != 1 {
			t.Fatalf("SetPassword = %d, %v; want token version 1", tv, err)
		}
		// A change required: the flag is stored, and authentication reads it.
		if got, err := s.AccountForAuth(ctx, "alice@example.com"); err != nil || !got.MustChangePassword {
			t.Fatalf("after a reset requiring a change: %+v, %v", got, err)
		}
		tv, err = s.SetPassword(ctx, a.ID, "h3", false, false)
		if err != nil || tv != 1 {
			t.Fatalf("SetPassword without ending sessions = %d, %v; want 1", tv, err)
		}
		if got, _ := s.AccountForAuth(ctx, "alice@example.com"); got.MustChangePassword {
			t.Fatal("a new password without a change required must clear the flag")
		}
		if err := s.BumpTokenVersion(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = s.AccountByID(ctx, a.ID)
		if got.PasswordHash != "h3" || got.TokenVersion != 2 || got.PasswordChangedAt == nil {
			t.Fatalf("after updates: hash=%q tv=%d changed=%v", got.PasswordHash, got.TokenVersion, got.PasswordChangedAt)
		}
		if err := s.RehashPassword(ctx, a.ID, "stale", "h4"); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.AccountByID(ctx, a.ID); got.PasswordHash != "h3" {
			t.Fatalf("rehash with a stale old hash must not write, got %q", got.PasswordHash)
		}
		if _, err := s.SetPassword(ctx, 999999, "x", true, false); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("SetPassword on missing account: %v", err)
		}
	})
}

func TestListAccountsByDomainAndCOS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedAccount(t, s, "bob@example.com")
		seedAccount(t, s, "alice@example.com")
		other, _ := s.CreateDomain(ctx, "other.org")
		cos, err := s.CreateCOS(ctx, "staff")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateCOS(ctx, "staff"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate COS: %v", err)
		}
		c := &store.Account{Email: "carol@other.org", DomainID: other.ID, COSID: &cos.ID, PasswordHash: "h", Role: "user", Status: "active"}
		if err := s.CreateAccount(ctx, c); err != nil {
			t.Fatal(err)
		}
		all, err := s.ListAccounts(ctx, "")
		if err != nil || len(all) != 3 || all[0].Email != "alice@example.com" || all[2].Email != "carol@other.org" {
			t.Fatalf("ListAccounts = %v, %v", emails(all), err)
		}
		if all[2].COS == nil || all[2].COS.Name != "staff" {
			t.Fatalf("COS not loaded: %+v", all[2].COS)
		}
		ex, _ := s.ListAccounts(ctx, "example.com")
		if len(ex) != 2 || ex[0].Email != "alice@example.com" || ex[1].Email != "bob@example.com" {
			t.Fatalf("ListAccounts(example.com) = %v", emails(ex))
		}
	})
}

func emails(as []store.Account) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Email
	}
	return out
}

func TestUnicodeRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// utf8mb4: a 4-byte character (emoji) must survive MySQL.
		e := &store.AuditEvent{Actor: "system", Account: "émile@example.com", Action: "test", Outcome: "success", Reason: "ok 🔐 中文", ClientIP: "::1"}
		if err := s.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListAudit(ctx, store.AuditFilter{Account: "émile@example.com"})
		if err != nil || len(got) != 1 || got[0].Reason != "ok 🔐 中文" {
			t.Fatalf("ListAudit = %+v, %v", got, err)
		}
	})
}

func TestGlobalSettingsDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		g, err := s.GlobalSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g.PwMinLength != 8 || !g.PwRequireLower || !g.PwRequireUpper || !g.PwRequireDigit || !g.PwRequireSymbol {
			t.Fatalf("default policy = %+v", g)
		}
		g.PwMinLength, g.PwRequireSymbol = 12, false
		if err := s.SaveGlobalSettings(ctx, g); err != nil {
			t.Fatal(err)
		}
		g2, _ := s.GlobalSettings(ctx)
		if g2.PwMinLength != 12 || g2.PwRequireSymbol {
			t.Fatalf("saved policy = %+v", g2)
		}
	})
}

func TestRevokedTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		if err := s.RevokeToken(ctx, "jti-1", exp); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, "jti-1", exp); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		if r, err := s.IsTokenRevoked(ctx, "jti-1"); err != nil || !r {
			t.Fatalf("IsTokenRevoked(jti-1) = %v, %v", r, err)
		}
		if r, err := s.IsTokenRevoked(ctx, "jti-2"); err != nil || r {
			t.Fatalf("IsTokenRevoked(jti-2) = %v, %v", r, err)
		}
		n, err := s.PruneRevokedTokens(ctx, exp.Add(time.Minute))
		if err != nil || n != 1 {
			t.Fatalf("Prune = %d, %v", n, err)
		}
		if r, _ := s.IsTokenRevoked(ctx, "jti-1"); r {
			t.Fatal("pruned token still revoked")
		}
	})
}

func TestAuditNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		base := time.Now().UTC().Add(-time.Hour)
		for i, action := range []string{"login", "logout", "login"} {
			e := &store.AuditEvent{At: base.Add(time.Duration(i) * time.Minute), Actor: "a@example.com", Account: "a@example.com", Action: action, Outcome: "success", ClientIP: "127.0.0.1"}
			if err := s.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.ListAudit(ctx, store.AuditFilter{Action: "login"})
		if len(got) != 2 || !got[0].At.After(got[1].At) {
			t.Fatalf("ListAudit(login) = %+v", got)
		}
	})
}

func TestCredentials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "alice@example.com")
		b := seedAccount(t, s, "bob@example.com")
		mk := func(acct uint64, kind, label, key, hash string) (*store.Credential, error) {
			c := &store.Credential{AccountID: acct, Kind: kind, Label: label, LabelKey: key, SecretHash: hash, Status: store.CredEnabled, Services: kind}
			return c, s.CreateCredential(ctx, c)
		}
		c1, err := mk(a.ID, store.KindEAS, "Phone", "k1", "h1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mk(a.ID, store.KindEAS, "phone", "k1", "h2"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("same label key and kind: %v", err)
		}
		if _, err := mk(a.ID, store.KindAppPasscode, "Phone", "k1", "h3"); err != nil {
			t.Fatalf("same label, other kind: %v", err)
		}
		if _, err := mk(b.ID, store.KindEAS, "Phone", "k1", "h4"); err != nil {
			t.Fatalf("same label, other account: %v", err)
		}
		if n, _ := s.CountCredentials(ctx, a.ID, store.KindEAS); n != 1 {
			t.Fatalf("count = %d", n)
		}
		got, err := s.CredentialBySecret(ctx, a.ID, "h1", []string{store.KindEAS, store.KindAppPasscode})
		if err != nil || got.ID != c1.ID {
			t.Fatalf("by secret = %+v, %v", got, err)
		}
		if _, err := s.CredentialBySecret(ctx, a.ID, "h1", []string{store.KindAppPasscode}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("kind filter ignored: %v", err)
		}
		if _, err := s.CredentialBySecret(ctx, b.ID, "h1", []string{store.KindEAS}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another account's secret matched: %v", err)
		}
		if _, err := s.CredentialOf(ctx, b.ID, c1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("CredentialOf across accounts: %v", err)
		}
		if err := s.DeleteCredential(ctx, b.ID, c1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete across accounts: %v", err)
		}
		at := time.Now().Add(-time.Minute)
		if err := s.TouchCredential(ctx, c1.ID, at); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.CredentialOf(ctx, a.ID, c1.ID); got.LastUsedAt == nil || got.LastUsedAt.Sub(at).Abs() > time.Millisecond {
			t.Fatalf("last used = %v, want %v", got.LastUsedAt, at)
		}
		labels, err := s.DeleteCredentialsOfKind(ctx, a.ID, store.KindAppPasscode)
		if err != nil || len(labels) != 1 || labels[0] != "Phone" {
			t.Fatalf("DeleteCredentialsOfKind = %v, %v", labels, err)
		}
		list, _ := s.ListCredentials(ctx, a.ID)
		if len(list) != 1 || list[0].ID != c1.ID {
			t.Fatalf("left = %+v", list)
		}
		if err := s.DeleteCredential(ctx, a.ID, c1.ID); err != nil {
			t.Fatal(err)
		}
	})
}
