package authn_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

const accountPassword = "Harbor-Lantern-Pass-84"

type fixture struct {
	st    *store.Store
	auth  *authn.Authenticator
	creds *credential.Service
	acct  *store.Account
	// secrets by name
	secrets map[string]string
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newFixture(t testing.TB, s *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	key := []byte("test-secret-key-0123456789abcdef-0123456789")
	h := authn.NewHasher(key)
	aud := audit.New(s, quietLog())
	lenient := throttle.Policy{Free: 1000, Base: time.Second, Max: time.Minute, Window: time.Hour}
	f := &fixture{st: s, secrets: map[string]string{"account password": accountPassword}}
	f.auth = authn.New(authn.Deps{Store: s, Hasher: h, AccountLimits: throttle.NewMemory(lenient), AddressLimits: throttle.NewMemory(lenient), Audit: aud, Log: quietLog()})
	f.creds = credential.New(credential.Deps{Store: s, Hasher: h, Sealer: otp.NewSealer(key), Audit: aud, PublicURL: "https://mail.example.com", Issuer: "Tessera"})
	d, _ := s.CreateDomain(ctx, "example.com")
	hash, _ := password.Hash(accountPassword)
	f.acct = &store.Account{Email: "alice@example.com", DomainID: d.ID, PasswordHash: hash, Role: store.RoleUser, Status: store.StatusActive}
	if err := s.CreateAccount(ctx, f.acct); err != nil {
		t.Fatal(err)
	}
	for name, kind := range map[string]string{"EAS password": store.KindEAS, "app passcode": store.KindAppPasscode, "mobile-app token": store.KindMobileApp} {
		var sec *credential.Secret
		var err error
		if kind == store.KindAppPasscode { // every door rule 3 lets a passcode open, EAS included
			_, sec, err = f.creds.CreatePasscode(ctx, f.acct, name, credential.Scope{Services: []string{"imap", "pop3", "smtp", "caldav", "carddav", "eas"}}, "")
		} else {
			_, sec, err = f.creds.Create(ctx, f.acct, kind, name, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		f.secrets[name] = sec.Password
		if kind == store.KindMobileApp {
			f.secrets[name] = sec.Payload[strings.Index(sec.Payload, `"token":"`)+9 : len(sec.Payload)-2]
		}
	}
	return f
}

func (f *fixture) try(svc authn.Service, user, secret string) (*authn.Grant, error) {
	return f.auth.Authenticate(context.Background(), authn.Request{Service: svc, Username: user, Secret: secret, ClientIP: "192.0.2.1"})
}

// PRODUCT.md rule 3, row by row, with 2FA off and on.
func TestMatrix(t *testing.T) {
	all := []authn.Service{authn.Web, authn.EAS, authn.MobileApp, authn.IMAP, authn.POP3, authn.SMTP, authn.CalDAV, authn.CardDAV}
	mailish := []authn.Service{authn.IMAP, authn.POP3, authn.SMTP, authn.CalDAV, authn.CardDAV}
	set := func(ss ...authn.Service) map[authn.Service]bool {
		m := map[authn.Service]bool{}
		for _, s := range ss {
			m[s] = true
		}
		return m
	}
	// mustChange: an administrator's reset required a new password. That temporary password
	// opens only the web login (where it must be changed); credentials are unaffected.
	rows := []struct {
		secret            string
		twoFA, mustChange bool
		allowedFor        map[authn.Service]bool
	}{
		{"account password", false, false, set(append([]authn.Service{authn.Web, authn.EAS}, mailish...)...)},
		{"account password", true, false, set(authn.Web)},
		{"account password", false, true, set(authn.Web)},
		{"EAS password", false, false, set(authn.EAS)},
		{"EAS password", true, false, set(authn.EAS)},
		{"EAS password", false, true, set(authn.EAS)},
		{"mobile-app token", false, false, set(authn.MobileApp)},
		{"mobile-app token", false, true, set(authn.MobileApp)},
		{"app passcode", false, false, set(append([]authn.Service{authn.EAS}, mailish...)...)},
		{"app passcode", true, false, set(append([]authn.Service{authn.EAS}, mailish...)...)},
		{"app passcode", false, true, set(append([]authn.Service{authn.EAS}, mailish...)...)},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		for _, row := range rows {
			if err := s.Gorm().Model(&store.Account{}).Where("id = ?", f.acct.ID).
				Updates(map[string]any{"two_factor_enabled": row.twoFA, "must_change_password": row.mustChange}).Error; err != nil {
				t.Fatal(err)
			}
			for _, svc := range all {
				g, err := f.try(svc, "alice@example.com", f.secrets[row.secret])
				want := row.allowedFor[svc]
				if want && (err != nil || g.Account.ID != f.acct.ID) {
					t.Errorf("%s (2FA %v, change pending %v) for %s: refused (%v), want allowed", row.secret, row.twoFA, row.mustChange, svc, err)
				}
				if !want && !errors.Is(err, authn.ErrInvalidCredentials) {
					t.Errorf("%s (2FA %v, change pending %v) for %s: %v, want refused", row.secret, row.twoFA, row.mustChange, svc, err)
				}
			}
		}
	})
}

func TestSecretFormsAndUsernames(t *testing.T) {
	s := storetest.Open(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	if err := s.Migrate(); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, s)
	eas := f.secrets["EAS password"] // XXXX-XXXX-XXXX-XXXX
	plain := strings.ReplaceAll(eas, "-", "")
	for _, typed := range []string{eas, plain, strings.ToLower(plain), strings.ToLower(eas), strings.ReplaceAll(eas, "-", " ")} {
		if _, err := f.try(authn.EAS, "alice@example.com", typed); err != nil {
			t.Errorf("EAS password typed as %q refused: %v", typed, err)
		}
	}
	for _, user := range []string{"Alice@Example.com", `EXAMPLE\alice@example.com`, `example.com\alice`} {
		if _, err := f.try(authn.EAS, user, eas); err != nil {
			t.Errorf("username %q refused: %v", user, err)
		}
	}
	for name, secret := range map[string]string{"truncated": plain[:15], "other account's form": plain + "A", "empty": ""} {
		if _, err := f.try(authn.EAS, "alice@example.com", secret); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("%s accepted: %v", name, err)
		}
	}
	if _, err := f.try(authn.EAS, "bob@example.com", eas); !errors.Is(err, authn.ErrInvalidCredentials) {
		t.Errorf("alice's EAS password opened bob's (nonexistent) account: %v", err)
	}
}

func TestDisabledExpiredDeletedAndLockedAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		list, _ := s.ListCredentials(ctx, f.acct.ID)
		byKind := map[string]store.Credential{}
		for _, c := range list {
			byKind[c.Kind] = c
		}
		s.Gorm().Model(&store.Credential{}).Where("id = ?", byKind[store.KindEAS].ID).Update("status", store.CredDisabled)
		if _, err := f.try(authn.EAS, "alice@example.com", f.secrets["EAS password"]); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("disabled EAS password accepted: %v", err)
		}
		past := time.Now().Add(-time.Minute)
		s.Gorm().Model(&store.Credential{}).Where("id = ?", byKind[store.KindAppPasscode].ID).Update("expires_at", past)
		if _, err := f.try(authn.IMAP, "alice@example.com", f.secrets["app passcode"]); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("expired passcode accepted: %v", err)
		}
		if err := f.creds.Delete(ctx, f.acct, byKind[store.KindMobileApp].ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.try(authn.MobileApp, "alice@example.com", f.secrets["mobile-app token"]); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("deleted token accepted: %v", err)
		}
		s.Gorm().Model(&store.Account{}).Where("id = ?", f.acct.ID).Update("status", store.StatusLocked)
		if _, err := f.try(authn.Web, "alice@example.com", accountPassword); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("locked account logged in: %v", err)
		}
	})
}

// lastUsedAt (and the "credential used" audit row) is written at most once a minute.
func TestUseRecordedAtMostOnceAMinute(t *testing.T) {
	s := storetest.Open(t, storetest.Backend{Driver: "sqlite", DSN: t.TempDir() + "/t.db"})
	if err := s.Migrate(); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, s)
	for i := 0; i < 5; i++ {
		if _, err := f.try(authn.EAS, "alice@example.com", f.secrets["EAS password"]); err != nil {
			t.Fatal(err)
		}
	}
	events, _ := s.ListAudit(context.Background(), store.AuditFilter{Action: audit.ActionCredentialUsed})
	if len(events) != 1 {
		t.Fatalf("%d credential_used rows after 5 quick uses, want 1", len(events))
	}
	c, _ := s.CredentialBySecret(context.Background(), f.acct.ID, authn.NewHasher([]byte("test-secret-key-0123456789abcdef-0123456789")).HashSecret(store.KindEAS, f.secrets["EAS password"]), []string{store.KindEAS})
	if c.LastUsedAt == nil || time.Since(*c.LastUsedAt) > time.Minute {
		t.Fatalf("lastUsedAt = %v", c.LastUsedAt)
	}
}

func TestGeneratedPasswords(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		p := authn.GeneratePassword()
		if len(p) != authn.PasswordLength || strings.ContainsAny(p, "01IOilo") || seen[p] {
			t.Fatalf("bad or repeated password %q", p)
		}
		seen[p] = true
	}
	if g := authn.GroupPassword("ABCDEFGHJKLMNPQR"); g != "ABCD-EFGH-JKLM-NPQR" {
		t.Fatalf("grouped = %q", g)
	}
}

// BenchmarkEASBasicAuth is the cost of one EAS Basic-auth check with an EAS password on SQLite
// when nothing is kept in memory (GrantTTL 0, TESSERA_AUTH_CACHE_TTL=0): every check reads the
// database. BenchmarkEASBasicAuthKept is the same check answered from a kept grant.
func BenchmarkEASBasicAuth(b *testing.B) {
	f := benchFixture(b)
	secret := f.secrets["EAS password"]
	// Warm up: the first use writes lastUsedAt.
	if _, err := f.try(authn.EAS, "alice@example.com", secret); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.try(authn.EAS, "alice@example.com", secret); err != nil {
			b.Fatal(err)
		}
	}
}

// The temporary password an administrator set is refused for EAS with the reason in the audit
// log, while the EAS password of the same account still works.
func TestPendingPasswordChangeRefusedForEAS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		if _, err := s.SetPassword(ctx, f.acct.ID, f.acct.PasswordHash, false, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.try(authn.EAS, "alice@example.com", accountPassword); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Fatalf("temporary password for EAS: %v, want refused", err)
		}
		events, err := s.ListAudit(ctx, store.AuditFilter{Account: "alice@example.com", Action: audit.ActionLoginFailed, Limit: 10})
		if err != nil || len(events) != 1 || !strings.Contains(events[0].Reason, "password change is pending") {
			t.Fatalf("audit of the refusal: %+v, %v", events, err)
		}
		if g, err := f.try(authn.EAS, "alice@example.com", f.secrets["EAS password"]); err != nil || g.Credential == nil {
			t.Fatalf("EAS password while a change is pending: %v", err)
		}
		if _, err := f.try(authn.Web, "alice@example.com", accountPassword); err != nil {
			t.Fatalf("temporary password for the web login: %v", err)
		}
	})
}

// benchFixture is newFixture on a SQLite database of its own, for benchmarks.
func benchFixture(b *testing.B) *fixture {
	s, err := store.Open("sqlite", b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Migrate(); err != nil {
		b.Fatal(err)
	}
	return newFixture(b, s)
}
