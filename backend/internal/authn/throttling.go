package authn

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Counters (PRODUCT rule 7; README "Failed logins are throttled"):
//   - ip:<address> counts every failure from an address and is checked before anything else.
//   - A client's own counter: dev:<email>:<DeviceId> for an EAS device, browser:<id>:<nonce>
//     for a browser with a device cookie of the account. Every failure of that client counts
//     on it, and it is checked before its secrets are.
//   - The account password is checked against a gate: the client's own counter when it
//     opened the account with the password before (a device cookie; a DeviceId or an address
//     in store.KnownClients, addr:<email>:<address> for the latter), else acct:<email>.
//
// A random secret (EAS password, passcode, app token) that matches is granted without
// consulting the gate: acct:<email> is for the password a person chose, so guesses at it
// elsewhere do not lock out a phone, a known browser or a known mail client.

// knownFor is how long a client stays known after its last password login (a device cookie
// lives as long); knownKeep bounds the clients kept per account; knownTouch bounds the writes
// of a client that keeps logging in.
const (
	knownFor   = 365 * 24 * time.Hour
	knownKeep  = 50
	knownTouch = 24 * time.Hour
)

// attempt is one request's throttling state.
type attempt struct {
	r     Request
	email string
	own   string // the client's own counter ("" when it has none)
	gate  string // the counter its account password is checked against ("" until resolved)
	known []store.KnownClient
}

func (a *Authenticator) newAttempt(r Request, email string) *attempt {
	at := &attempt{r: r, email: email}
	if r.DeviceID != "" {
		at.own = "dev:" + email + ":" + r.DeviceID
	}
	return at
}

// waitClient refuses an address or a device that must wait, whatever secret it sent, for the
// longer of the two waits.
func (a *Authenticator) waitClient(ctx context.Context, at *attempt) error {
	w, err := a.waitFor(ctx, a.byAddr, "ip:"+at.r.ClientIP)
	if err == nil && at.own != "" {
		var own time.Duration
		own, err = a.waitFor(ctx, a.byAcct, at.own)
		w = max(w, own)
	}
	return throttledOr(w, err)
}

func (a *Authenticator) waitOn(ctx context.Context, l Limiter, key string) error {
	return throttledOr(a.waitFor(ctx, l, key))
}

func (a *Authenticator) waitFor(ctx context.Context, l Limiter, key string) (time.Duration, error) {
	w, err := l.Check(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return w, nil
}

func throttledOr(w time.Duration, err error) error {
	if err != nil {
		return err
	}
	if w > 0 {
		return &ThrottledError{RetryAfter: w}
	}
	return nil
}

// resolve finds the gate of the account password for this client (acct nil: no such account,
// which is throttled like an account of unknown clients).
func (a *Authenticator) resolve(ctx context.Context, at *attempt, acct *store.Account) error {
	at.gate = "acct:" + at.email
	if acct == nil {
		return nil
	}
	if nonce, _ := a.cookies.nonce(acct.ID, at.r.DeviceCookies); nonce != "" {
		at.own = "browser:" + strconv.FormatUint(acct.ID, 10) + ":" + nonce
		at.gate = at.own
		return nil
	}
	if at.r.DeviceID == "" && at.r.ClientIP == "" {
		return nil
	}
	known, err := a.store.KnownClients(ctx, acct.ID, at.r.DeviceID, at.r.ClientIP, a.now().Add(-knownFor))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	at.known = known
	if at.isKnown(store.KnownDevice) {
		at.gate = at.own
	} else if at.isKnown(store.KnownAddress) {
		at.gate = "addr:" + at.email + ":" + at.r.ClientIP
	}
	return nil
}

// isKnown says whether the client's device or address is known.
func (at *attempt) isKnown(kind string) bool { return at.seenSince(kind, time.Time{}) }

// seenSince says whether the client's device or address was known and seen since t.
func (at *attempt) seenSince(kind string, t time.Time) bool {
	for _, k := range at.known {
		if k.Kind == kind && !k.LastSeenAt.Before(t) {
			return true
		}
	}
	return false
}

// gate resolves the gate and refuses while it must wait.
func (a *Authenticator) gate(ctx context.Context, at *attempt, acct *store.Account) error {
	if err := a.resolve(ctx, at, acct); err != nil {
		return err
	}
	return a.waitOn(ctx, a.byAcct, at.gate)
}

// fail counts a failure on the address, the client's own counter and the gate (when the
// attempt reached it).
func (a *Authenticator) fail(ctx context.Context, at *attempt) {
	a.count(ctx, a.byAddr, "ip:"+at.r.ClientIP)
	if at.own != "" {
		a.count(ctx, a.byAcct, at.own)
	}
	if at.gate != "" && at.gate != at.own {
		a.count(ctx, a.byAcct, at.gate)
	}
}

func (a *Authenticator) count(ctx context.Context, l Limiter, key string) {
	if _, err := l.Fail(ctx, key); err != nil {
		a.log.Error("throttle", "err", err)
	}
}

func (a *Authenticator) reset(ctx context.Context, key string) {
	if key == "" {
		return
	}
	if err := a.byAcct.Reset(ctx, key); err != nil {
		a.log.Error("throttle reset", "err", err)
	}
}

// succeeded forgets the client's failures: its own counter's, and its address's gate (it holds
// a secret of the account, so they were its own mistakes). After the account password
// (outside the web, where LoggedIn does it once the login is complete) the gate's whatever it
// is, and the client becomes known. A random secret leaves acct:<email> alone: its success
// says nothing about guesses at the password elsewhere.
func (a *Authenticator) succeeded(ctx context.Context, at *attempt, g *Grant) {
	if at.r.Service == Web {
		return
	}
	a.reset(ctx, at.own)
	if g.Credential != nil {
		a.reset(ctx, "addr:"+at.email+":"+at.r.ClientIP)
		return
	}
	a.reset(ctx, at.gate)
	a.remember(ctx, g.Account.ID, at)
}

// remember records the device and the address as known, at most once a knownTouch.
func (a *Authenticator) remember(ctx context.Context, accountID uint64, at *attempt) {
	for _, c := range []struct{ kind, client string }{{store.KnownDevice, at.r.DeviceID}, {store.KnownAddress, at.r.ClientIP}} {
		if c.client == "" || at.seenSince(c.kind, a.now().Add(-knownTouch)) {
			continue
		}
		if err := a.store.RememberClient(ctx, accountID, c.kind, c.client, a.now(), knownKeep); err != nil {
			a.log.Error("remember client", "kind", c.kind, "err", err)
		}
	}
}

// account is the account of an attempt (nil when there is none).
func (a *Authenticator) account(ctx context.Context, email string) (*store.Account, error) {
	acct, err := a.store.AccountForAuth(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return acct, err
}

// Throttled returns a ThrottledError when this client must wait before its next account
// password (or second factor) for r.Username: the same counters as Authenticate.
func (a *Authenticator) Throttled(ctx context.Context, r Request) error {
	at := a.newAttempt(r, Username(r.Username))
	if err := a.waitClient(ctx, at); err != nil {
		return err
	}
	acct, err := a.account(ctx, at.email)
	if err != nil {
		return err
	}
	return a.gate(ctx, at, acct)
}

// Fail counts a failed attempt that happened outside Authenticate (a wrong current password
// when changing it, a wrong second factor) on the counters Authenticate would use.
func (a *Authenticator) Fail(ctx context.Context, r Request) {
	at := a.newAttempt(r, Username(r.Username))
	acct, err := a.account(ctx, at.email)
	if err == nil {
		err = a.resolve(ctx, at, acct)
	}
	if err != nil {
		a.log.Error("throttle", "err", err)
		at.gate = "acct:" + at.email
	}
	a.fail(ctx, at)
}

// LoggedIn ends a complete web login (the password, and the second factor when one is due):
// this browser's and its gate's failures are forgotten, its address becomes known, and it
// gets the device cookie to send from now on (the one it sent, when that is the account's).
func (a *Authenticator) LoggedIn(ctx context.Context, acct *store.Account, r Request) (deviceCookie string) {
	at := a.newAttempt(r, acct.Email)
	if err := a.resolve(ctx, at, acct); err != nil {
		a.log.Error("throttle", "err", err)
	}
	a.reset(ctx, at.own)
	a.reset(ctx, at.gate)
	a.remember(ctx, acct.ID, at)
	if a.cookies == nil {
		return ""
	}
	if _, v := a.cookies.nonce(acct.ID, r.DeviceCookies); v != "" {
		return v
	}
	return a.cookies.issue(acct.ID)
}
