package authn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
)

// strict is the fixture's store and secrets behind an authenticator with the production
// curve (5 free failures per account and client, 20 per address) and device cookies.
func strict(t *testing.T, f *fixture) *authn.Authenticator {
	key := []byte("test-secret-key-0123456789abcdef-0123456789")
	acct := throttle.Policy{Free: 5, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
	addr := throttle.Policy{Free: 20, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
	return authn.New(authn.Deps{Store: f.st, Hasher: authn.NewHasher(key), AccountLimits: throttle.NewMemory(acct),
		AddressLimits: throttle.NewMemory(addr), DeviceCookies: authn.NewDeviceCookies(key), Audit: audit.New(f.st, quietLog()), Log: quietLog()})
}

func throttled(err error) bool {
	var te *authn.ThrottledError
	return errors.As(err, &te)
}

// guess makes n wrong web logins of alice from ip: the account's counter then says wait.
func guess(t *testing.T, a *authn.Authenticator, ip string, n int) {
	t.Helper()
	for i := range n {
		_, err := a.Authenticate(context.Background(), authn.Request{Service: authn.Web, Username: "alice@example.com", Secret: fmt.Sprint("guess", i), ClientIP: ip})
		if !errors.Is(err, authn.ErrInvalidCredentials) && !throttled(err) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
}

// Random secrets are checked whatever the account's counter says; a device's failures count
// on its own counter, which then refuses that device (and only it) even its right secret.
func TestRandomSecretsAndDeviceCounter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		a := strict(t, f)
		ctx := context.Background()
		try := func(svc authn.Service, device, ip, secret string) error {
			_, err := a.Authenticate(ctx, authn.Request{Service: svc, Username: "alice@example.com", Secret: secret, ClientIP: ip, DeviceID: device})
			return err
		}
		// A thief's device guesses EAS passwords from five addresses.
		for i := range 5 {
			if err := try(authn.EAS, "Thief", fmt.Sprint("198.51.100.", i), "WRONGWRONGWRONG"+fmt.Sprint(i)); !errors.Is(err, authn.ErrInvalidCredentials) {
				t.Fatalf("thief guess %d: %v", i, err)
			}
		}
		if err := try(authn.EAS, "Thief", "198.51.100.99", f.secrets["EAS password"]); !throttled(err) {
			t.Errorf("the guessing device with a right secret: %v, want throttled on its own counter", err)
		}
		// The account's counter is full too: the password from a new client waits...
		if err := try(authn.IMAP, "", "203.0.113.1", accountPassword); !throttled(err) {
			t.Errorf("the account password from a new address: %v, want throttled", err)
		}
		if err := try(authn.EAS, "NewPhone", "203.0.113.1", accountPassword); !throttled(err) {
			t.Errorf("the account password from a new device: %v, want throttled", err)
		}
		// ... and every random secret that matches is granted, from any address.
		for _, c := range []struct {
			svc            authn.Service
			device, secret string
		}{{authn.EAS, "Phone", "EAS password"}, {authn.EAS, "Phone", "app passcode"}, {authn.IMAP, "", "app passcode"}, {authn.MobileApp, "", "mobile-app token"}} {
			if err := try(c.svc, c.device, "203.0.113.2", f.secrets[c.secret]); err != nil {
				t.Errorf("%s at %s while the account waits: %v", c.secret, c.svc, err)
			}
		}
		// Their successes do not clear the attacker's count.
		if err := try(authn.IMAP, "", "203.0.113.3", accountPassword); !throttled(err) {
			t.Errorf("the account password after a passcode's success: %v, want still throttled", err)
		}
		// A wrong secret while the account waits: refused, and the per-address counter still counts.
		for i := range 20 {
			if err := try(authn.MobileApp, "", "192.0.2.200", fmt.Sprint("guessed-token-", i)); !errors.Is(err, authn.ErrInvalidCredentials) {
				t.Fatalf("token guess %d: %v", i, err)
			}
		}
		if err := try(authn.MobileApp, "", "192.0.2.200", f.secrets["mobile-app token"]); !throttled(err) {
			t.Errorf("the right token from the guessing address: %v, want throttled", err)
		}
	})
}

// A phone or mail client that opened the account with its password is throttled on its own
// counter from then on: the device by its DeviceId anywhere, a client by its address.
func TestKnownDeviceAndAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		a := strict(t, f)
		ctx := context.Background()
		try := func(svc authn.Service, device, ip, secret string) error {
			_, err := a.Authenticate(ctx, authn.Request{Service: svc, Username: "alice@example.com", Secret: secret, ClientIP: ip, DeviceID: device})
			return err
		}
		if err := try(authn.EAS, "Phone", "192.0.2.10", accountPassword); err != nil {
			t.Fatal(err)
		}
		if err := try(authn.IMAP, "", "192.0.2.20", accountPassword); err != nil {
			t.Fatal(err)
		}
		guess(t, a, "198.51.100.1", 12)
		if err := try(authn.EAS, "Phone", "203.0.113.9", accountPassword); err != nil {
			t.Errorf("the known phone from another address: %v", err)
		}
		if err := try(authn.IMAP, "", "192.0.2.20", accountPassword); err != nil {
			t.Errorf("the known address: %v", err)
		}
		if err := try(authn.IMAP, "", "192.0.2.21", accountPassword); !throttled(err) {
			t.Errorf("a new address: %v, want throttled", err)
		}
		// A known client that guesses waits on its own counter, and only it.
		for i := range 5 {
			if err := try(authn.IMAP, "", "192.0.2.20", fmt.Sprint("wrong", i)); !errors.Is(err, authn.ErrInvalidCredentials) {
				t.Fatalf("known address, wrong password %d: %v", i, err)
			}
		}
		if err := try(authn.IMAP, "", "192.0.2.20", accountPassword); !throttled(err) {
			t.Errorf("the known address after its own guesses: %v, want throttled", err)
		}
		if err := try(authn.EAS, "Phone", "192.0.2.10", accountPassword); err != nil {
			t.Errorf("the known phone after the known address's guesses: %v", err)
		}
		var rows []store.KnownClient
		s.Gorm().Find(&rows)
		if len(rows) != 4 { // Phone, 192.0.2.10, 192.0.2.20, 203.0.113.9
			t.Errorf("known clients = %+v", rows)
		}
	})
}

// A browser gets its device cookie once a login completes; with it, the account password is
// throttled on the browser's own counter. A forged cookie or another account's counts for nothing.
func TestDeviceCookie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		a := strict(t, f)
		ctx := context.Background()
		web := func(ip, secret string, cookies ...string) error {
			_, err := a.Authenticate(ctx, authn.Request{Service: authn.Web, Username: "alice@example.com", Secret: secret, ClientIP: ip, DeviceCookies: cookies})
			return err
		}
		if err := web("192.0.2.1", accountPassword); err != nil {
			t.Fatal(err)
		}
		cookie := a.LoggedIn(ctx, f.acct, authn.Request{Service: authn.Web, Username: f.acct.Email, ClientIP: "192.0.2.1"})
		if cookie == "" || strings.Contains(cookie, accountPassword) || strings.Contains(cookie, f.acct.PasswordHash) {
			t.Fatalf("device cookie %q", cookie)
		}
		if again := a.LoggedIn(ctx, f.acct, authn.Request{Service: authn.Web, Username: f.acct.Email, ClientIP: "192.0.2.1", DeviceCookies: []string{cookie}}); again != cookie {
			t.Errorf("a browser with its cookie got another: %q", again)
		}
		guess(t, a, "198.51.100.1", 30)
		i := strings.LastIndexByte(cookie, '.')
		forged := []string{cookie[:i] + ".AAAA" + cookie[i+5:], "999" + cookie[strings.IndexByte(cookie, '.'):], cookie[:i-1] + "x" + cookie[i:]}
		for _, bad := range forged {
			if err := web("203.0.113.5", accountPassword, bad); !throttled(err) {
				t.Errorf("forged cookie %q: %v, want throttled", bad, err)
			}
		}
		if err := web("203.0.113.5", accountPassword, "junk", cookie); err != nil {
			t.Errorf("the known browser at a new address: %v", err)
		}
		if err := a.Throttled(ctx, authn.Request{Service: authn.Web, Username: "alice@example.com", ClientIP: "203.0.113.5", DeviceCookies: []string{cookie}}); err != nil {
			t.Errorf("second factor of the known browser: %v", err)
		}
		if err := a.Throttled(ctx, authn.Request{Service: authn.Web, Username: "alice@example.com", ClientIP: "203.0.113.6"}); !throttled(err) {
			t.Errorf("second factor of a new browser: %v, want throttled", err)
		}
		// The known browser guessing: it waits, on its own counter.
		for i := range 5 {
			if err := web("203.0.113.5", fmt.Sprint("wrong", i), cookie); !errors.Is(err, authn.ErrInvalidCredentials) {
				t.Fatalf("known browser, wrong password %d: %v", i, err)
			}
		}
		if err := web("203.0.113.5", accountPassword, cookie); !throttled(err) {
			t.Errorf("the known browser after its own guesses: %v, want throttled", err)
		}
	})
}
