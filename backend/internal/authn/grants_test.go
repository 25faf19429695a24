package authn_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

// countingStore is the real store, counting the credential lookups that reach it.
type countingStore struct {
	*store.Store
	lookups atomic.Int64
}

func (c *countingStore) CredentialForAuth(ctx context.Context, email, h string, kinds []string) (*store.Account, *store.Credential, error) {
	c.lookups.Add(1)
	return c.Store.CredentialForAuth(ctx, email, h, kinds)
}

// credStatus is a change of a credential's status only.
func credStatus(status string) store.CredentialPatch { return store.CredentialPatch{Status: &status} }

func cachingAuth(f *fixture, st authn.Store, ttl time.Duration) *authn.Authenticator {
	lenient := throttle.Policy{Free: 1000, Base: time.Second, Max: time.Minute, Window: time.Hour}
	return authn.New(authn.Deps{Store: st, Hasher: authn.NewHasher([]byte("test-secret-key-0123456789abcdef-0123456789")),
		AccountLimits: throttle.NewMemory(lenient), AddressLimits: throttle.NewMemory(lenient),
		Audit: audit.New(f.st, quietLog()), Log: quietLog(), GrantTTL: ttl})
}

// cachingFixture is newFixture with an authenticator that keeps grants for a minute, over a
// store that counts the credential lookups reaching the database.
func cachingFixture(t *testing.T, s *store.Store) (*fixture, *countingStore, *authn.Authenticator) {
	f := newFixture(t, s)
	cs := &countingStore{Store: s}
	return f, cs, cachingAuth(f, cs, time.Minute)
}

// A device's second request is answered from memory; a change, told through Forget, sends
// the next one to the database, which refuses what was disabled.
func TestGrantsKeptUntilForgotten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, cs, a := cachingFixture(t, s)
		ctx := t.Context()
		eas := authn.Request{Service: authn.EAS, Username: "alice@example.com", Secret: f.secrets["EAS password"], ClientIP: "192.0.2.1"}
		g1, err := a.Authenticate(ctx, eas)
		if err != nil {
			t.Fatal(err)
		}
		g1.Account.Email = "changed-by-a-handler@example.com" // must not reach the kept grant
		g2, err := a.Authenticate(ctx, eas)
		if err != nil {
			t.Fatal(err)
		}
		if n := cs.lookups.Load(); n != 1 {
			t.Fatalf("two requests looked the credential up %d times, want 1", n)
		}
		if g2.Account.Email != "alice@example.com" || g2.Credential == nil || g2.Credential.ID != g1.Credential.ID {
			t.Fatalf("kept grant: %+v %+v", g2.Account, g2.Credential)
		}
		if g2.Account.PasswordHash != "" {
			t.Fatal("the kept grant holds the account's password hash")
		}
		// The same door with another secret, or another door, is not answered from memory.
		if _, err := a.Authenticate(ctx, authn.Request{Service: authn.EAS, Username: "alice@example.com", Secret: "wrong", ClientIP: "192.0.2.1"}); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Fatalf("a wrong secret after a kept grant: %v", err)
		}
		if _, err := a.Authenticate(ctx, authn.Request{Service: authn.IMAP, Username: "alice@example.com", Secret: f.secrets["EAS password"], ClientIP: "192.0.2.1"}); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Fatalf("the EAS password at the IMAP door after an EAS grant was kept: %v", err)
		}

		if err := s.UpdateCredential(ctx, g1.Credential.ID, credStatus(store.CredDisabled)); err != nil {
			t.Fatal(err)
		}
		a.Forget(f.acct.ID) // what the change bus does on every instance
		if _, err := a.Authenticate(ctx, eas); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Fatalf("a disabled credential after Forget: %v", err)
		}
		if err := s.UpdateCredential(ctx, g1.Credential.ID, credStatus(store.CredEnabled)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, eas); err != nil { // refusals are never kept
			t.Fatalf("enabled again: %v", err)
		}
		before := cs.lookups.Load()
		a.ForgetAll()
		if _, err := a.Authenticate(ctx, eas); err != nil || cs.lookups.Load() != before+1 {
			t.Fatalf("after ForgetAll: %v, %d lookups (want %d)", err, cs.lookups.Load(), before+1)
		}
	})
}

// A kept grant still honours the credential's expiry, and the account password is never kept.
func TestGrantsExpiryAndAccountPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, _, a := cachingFixture(t, s)
		ctx := t.Context()
		soon := time.Now().Add(1500 * time.Millisecond).UTC().Truncate(time.Millisecond)
		g, err := a.Authenticate(ctx, authn.Request{Service: authn.EAS, Username: "alice@example.com", Secret: f.secrets["EAS password"], ClientIP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCredential(ctx, g.Credential.ID, store.CredentialPatch{ExpiresAt: &store.Nullable[time.Time]{Value: &soon}}); err != nil {
			t.Fatal(err)
		}
		a.Forget(f.acct.ID)
		eas := authn.Request{Service: authn.EAS, Username: "alice@example.com", Secret: f.secrets["EAS password"], ClientIP: "192.0.2.1"}
		if _, err := a.Authenticate(ctx, eas); err != nil {
			t.Fatalf("before its expiry: %v", err)
		}
		time.Sleep(time.Until(soon) + 50*time.Millisecond)
		if _, err := a.Authenticate(ctx, eas); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Fatalf("a kept grant past its credential's expiry: %v", err)
		}

		// The account password: checked against the database (and argon2id) every time.
		web := authn.Request{Service: authn.IMAP, Username: "alice@example.com", Secret: accountPassword, ClientIP: "192.0.2.1"}
		if _, err := a.Authenticate(ctx, web); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPassword(ctx, f.acct.ID, f.acct.PasswordHash+"x", false, false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Authenticate(ctx, web); err == nil {
			t.Fatal("the account password was answered from memory after it changed")
		}
	})
}

// BenchmarkEASBasicAuthKept: a device's repeated check answered from its kept grant (the
// throttle check and the keyed hash of the secret still run on every request).
func BenchmarkEASBasicAuthKept(b *testing.B) {
	f := benchFixture(b)
	a := cachingAuth(f, f.st, time.Minute)
	r := authn.Request{Service: authn.EAS, Username: "alice@example.com", Secret: f.secrets["EAS password"], ClientIP: "192.0.2.1"}
	if _, err := a.Authenticate(context.Background(), r); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Authenticate(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
