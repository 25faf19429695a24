package authn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A scoped passcode opens its doors only; one that expires stops at its expiry by the
// authenticator's clock; a use records the client's address, at once when it changes.
func TestScopedExpiringPasscode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		c, sec, err := f.creds.CreatePasscode(ctx, f.acct, "Thunderbird", credential.Scope{Services: []string{"imap", "smtp"}, ExpiresInDays: 30}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Services != "imap,smtp" || c.ExpiresAt == nil || c.ExpiresAt.Sub(time.Now()) < 29*24*time.Hour {
			t.Fatalf("created %q expiring %v", c.Services, c.ExpiresAt)
		}
		for _, svc := range []authn.Service{authn.IMAP, authn.SMTP} {
			if _, err := f.try(svc, "alice@example.com", sec.Password); err != nil {
				t.Errorf("%s refused: %v", svc, err)
			}
		}
		for _, svc := range []authn.Service{authn.POP3, authn.CalDAV, authn.CardDAV, authn.EAS, authn.Web, authn.MobileApp} {
			if _, err := f.try(svc, "alice@example.com", sec.Password); !errors.Is(err, authn.ErrInvalidCredentials) {
				t.Errorf("%s outside the scope: %v", svc, err)
			}
		}
		g, err := f.auth.Authenticate(ctx, authn.Request{Service: authn.IMAP, Username: "alice@example.com", Secret: sec.Password, ClientIP: "198.51.100.7"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.CredentialOf(ctx, f.acct.ID, c.ID)
		if got.LastUsedIP != "198.51.100.7" || got.LastUsedAt == nil {
			t.Errorf("last use = %v from %q, want now from 198.51.100.7", got.LastUsedAt, got.LastUsedIP)
		}
		if ok, err := f.auth.StillValid(ctx, authn.IMAP, g); !ok || err != nil {
			t.Fatalf("StillValid before expiry = %v, %v", ok, err)
		}
		if ok, _ := f.auth.StillValid(ctx, authn.POP3, g); ok {
			t.Error("StillValid for a door outside the scope")
		}
		f.auth.SetClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
		if _, err := f.try(authn.IMAP, "alice@example.com", sec.Password); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("expired passcode accepted: %v", err)
		}
		if ok, err := f.auth.StillValid(ctx, authn.IMAP, g); ok || err != nil {
			t.Errorf("StillValid after expiry = %v, %v", ok, err)
		}
		// The default scope: every desktop door, not EAS.
		_, def, err := f.creds.Create(ctx, f.acct, store.KindAppPasscode, "Default", "")
		if err != nil {
			t.Fatal(err)
		}
		f.auth.SetClock(time.Now)
		for _, svc := range []authn.Service{authn.IMAP, authn.POP3, authn.SMTP, authn.CalDAV, authn.CardDAV} {
			if _, err := f.try(svc, "alice@example.com", def.Password); err != nil {
				t.Errorf("default passcode on %s: %v", svc, err)
			}
		}
		if _, err := f.try(authn.EAS, "alice@example.com", def.Password); !errors.Is(err, authn.ErrInvalidCredentials) {
			t.Errorf("default passcode on EAS: %v", err)
		}
	})
}

func TestPasscodeScopeInputRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		for name, sc := range map[string]credential.Scope{
			"no door":      {Services: []string{}},
			"unknown door": {Services: []string{"imap", "web"}},
			"odd expiry":   {ExpiresInDays: 7},
			"negative":     {ExpiresInDays: -30},
		} {
			if _, _, err := f.creds.CreatePasscode(ctx, f.acct, name, sc, ""); err == nil {
				t.Errorf("%s accepted", name)
			}
		}
	})
}
