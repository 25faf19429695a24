package authn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/cache"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Store is what authentication reads and touches.
type Store interface {
	AccountForAuth(ctx context.Context, email string) (*store.Account, error)
	CredentialForAuth(ctx context.Context, email, secretHash string, kinds []string) (*store.Account, *store.Credential, error)
	CredentialByID(ctx context.Context, id uint64) (*store.Credential, error)
	TouchCredentialFrom(ctx context.Context, id uint64, at time.Time, address string) error
	RehashPassword(ctx context.Context, id uint64, oldHash, newHash string) error
	KnownClients(ctx context.Context, accountID uint64, deviceID, address string, since time.Time) ([]store.KnownClient, error)
	RememberClient(ctx context.Context, accountID uint64, kind, client string, at time.Time, keep int) error
}

// Limiter throttles failed attempts per key (see package throttle).
type Limiter interface {
	Check(ctx context.Context, key string) (time.Duration, error)
	Fail(ctx context.Context, key string) (time.Duration, error)
	Reset(ctx context.Context, key string) error
}

// Auditor records events.
type Auditor interface {
	Record(ctx context.Context, e audit.Event)
}

// MailPasswordFunc says whether the account password may open a mail service (a door marked
// onlyWithout2FA): not while 2FA is on, nor when the domain refuses it (package policy). reason
// explains a refusal for the log and the audit trail.
type MailPasswordFunc func(ctx context.Context, a *store.Account) (ok bool, reason string, err error)

// Request is one authentication attempt.
type Request struct {
	Service  Service
	Username string
	Secret   string
	ClientIP string
	// DeviceID is an EAS client's DeviceId ("" elsewhere): its failures count on a counter of
	// its own, which also throttles its account password once it opened the account with it.
	DeviceID string
	// DeviceCookies are the device cookies a browser sent (see DeviceCookies): one of this
	// account's makes its password attempts count on a counter of its own.
	DeviceCookies []string
}

// Grant is a successful authentication: the account (its row only: Domain and COS are not
// loaded), and the credential that opened the door (nil when it was the account password).
type Grant struct {
	Account    *store.Account
	Credential *store.Credential
}

// Authenticator applies the matrix with throttling and auditing.
type Authenticator struct {
	store        Store
	hasher       *Hasher
	byAcct       Limiter // failures per account, and per client of an account (see throttling.go)
	byAddr       Limiter // failures per client address (an attacker spraying many accounts)
	cookies      *DeviceCookies
	audit        Auditor
	log          *slog.Logger
	mailPassword MailPasswordFunc
	grants       *cache.Cache[grantKey, Grant] // see Deps.GrantTTL
	now          func() time.Time
}

// Deps gathers the collaborators.
type Deps struct {
	Store         Store
	Hasher        *Hasher
	AccountLimits Limiter
	AddressLimits Limiter
	DeviceCookies *DeviceCookies // nil: browsers are never known
	Audit         Auditor
	Log           *slog.Logger
	MailPassword  MailPasswordFunc // nil: refused while the account's own 2FA switch is on
	// GrantTTL keeps a credential's successful authentication in memory for this long, so
	// that a phone's next request skips the database (0: off). Only credentials are kept,
	// never the account password, and only with the secret's keyed hash. Whoever enables it
	// must call Forget on every account-wide change and ForgetAll when changes may have been
	// missed; the TTL bounds only what a lost notice leaves behind.
	GrantTTL time.Duration
}

// New returns the authenticator.
func New(d Deps) *Authenticator {
	mp := d.MailPassword
	if mp == nil {
		mp = func(_ context.Context, a *store.Account) (bool, string, error) {
			return !a.TwoFactorEnabled, "2FA is on", nil
		}
	}
	return &Authenticator{store: d.Store, hasher: d.Hasher, byAcct: d.AccountLimits, byAddr: d.AddressLimits, cookies: d.DeviceCookies,
		audit: d.Audit, log: d.Log, mailPassword: mp, grants: cache.New[grantKey, Grant](d.GrantTTL, grantMax), now: time.Now}
}

// touchEvery bounds writes for lastUsedAt (and the "credential used" audit row) per credential.
const touchEvery = time.Minute

// Username turns what a client sent into an address: "DOMAIN\user@example.com" and
// "example.com\user" (EAS clients) become user@example.com.
func Username(raw string) string {
	u := strings.TrimSpace(raw)
	if i := strings.LastIndexByte(u, '\\'); i >= 0 {
		prefix, user := u[:i], u[i+1:]
		if !strings.Contains(user, "@") && strings.Contains(prefix, ".") {
			user += "@" + prefix
		}
		u = user
	}
	return strings.ToLower(u)
}

// Authenticate decides one attempt. Every refusal is ErrInvalidCredentials (or a
// ThrottledError); the reason is logged and audited, never returned.
func (a *Authenticator) Authenticate(ctx context.Context, r Request) (*Grant, error) {
	d, ok := matrix[r.Service]
	if !ok {
		return nil, fmt.Errorf("unknown service %q", r.Service)
	}
	email := Username(r.Username)
	at := a.newAttempt(r, email)
	// The address and the device first, for every secret; the account password's own gate
	// only once no random secret matched (check).
	if err := a.waitClient(ctx, at); err != nil {
		return nil, a.refused(ctx, r, email, err)
	}
	key := a.grantKey(d, r, email)
	g, reason, hashed, err := a.check(ctx, d, at, key)
	if err != nil {
		return nil, a.refused(ctx, r, email, err)
	}
	if g == nil {
		if !hashed { // same cost whether or not the account exists or may use its password here
			password.VerifyDummy(r.Secret)
		}
		a.fail(ctx, at)
		a.record(ctx, r, email, audit.ActionLoginFailed, audit.OutcomeFailure, reason)
		return nil, ErrInvalidCredentials
	}
	a.succeeded(ctx, at, g)
	if c := g.Credential; c != nil {
		now := a.now()
		// A use from another address is recorded at once: the user reads it as "where".
		if c.LastUsedAt == nil || now.Sub(*c.LastUsedAt) >= touchEvery || c.LastUsedIP != r.ClientIP {
			if err := a.store.TouchCredentialFrom(ctx, c.ID, now, r.ClientIP); err != nil {
				a.log.Error("touch credential", "id", c.ID, "err", err)
			}
			a.grants.Update(key, func(kept Grant) Grant {
				cred := *kept.Credential
				cred.LastUsedAt, cred.LastUsedIP = &now, r.ClientIP
				kept.Credential = &cred
				return kept
			})
			a.record(ctx, r, email, audit.ActionCredentialUsed, audit.OutcomeSuccess, c.Kind+" "+c.Label)
		}
	} else if r.Service != Web { // web logins are audited by the session layer with the session
		a.record(ctx, r, email, audit.ActionLogin, audit.OutcomeSuccess, "account password")
	}
	return g, nil
}

// check applies the door's rules; hashed says whether an argon2id verification already ran.
// A credential is looked up with its account (one statement on MySQL, see
// store.CredentialForAuth), or found among the grants kept under key; the account alone only
// when no credential matched, and only then is the account password's gate consulted (see
// throttling.go): a random secret that matches is never refused for it. A kept grant was dropped by Forget when its credential or
// account changed, and its expiry is checked again here.
func (a *Authenticator) check(ctx context.Context, d door, at *attempt, key grantKey) (g *Grant, reason string, hashed bool, err error) {
	r, email := at.r, at.email
	if key.hash != "" {
		if kept, ok := a.grants.Get(key); ok && unusable(kept.Credential, r.Service, a.now()) == "" {
			return kept.copy(), "", false, nil
		}
		epoch := a.grants.Epoch()
		acct, c, err := a.credential(ctx, email, d.kinds, r.Secret, key.hash)
		if err != nil {
			return nil, "", false, err
		}
		if c != nil {
			if why := unusable(c, r.Service, a.now()); why != "" {
				return nil, c.Kind + " " + why, false, nil
			}
			if acct.Status != store.StatusActive {
				return nil, "account " + acct.Status, false, nil
			}
			g := &Grant{Account: acct, Credential: c}
			kept := g.copy()
			kept.Account.PasswordHash = "" // a credential's grant never needs it: keep no hash longer than a request
			a.grants.Put(epoch, acct.ID, key, *kept)
			return g, "", false, nil
		}
	}
	acct, err := a.account(ctx, email)
	if err != nil {
		return nil, "", false, err
	}
	if d.password { // before anything that depends on the account, so that none shows through
		if err := a.gate(ctx, at, acct); err != nil {
			return nil, "", false, err
		}
	}
	if acct == nil {
		return nil, "no such account", false, nil
	}
	if why, err := a.passwordRefused(ctx, d, r.Service, acct); err != nil || why != "" {
		return nil, why, false, err
	}
	ok, err := password.Verify(r.Secret, acct.PasswordHash)
	if err != nil {
		return nil, "", true, fmt.Errorf("account %d: %w", acct.ID, err)
	}
	if !ok {
		return nil, "wrong password", true, nil
	}
	if acct.Status != store.StatusActive {
		return nil, "account " + acct.Status, true, nil
	}
	if password.NeedsRehash(acct.PasswordHash) {
		if h, err := password.Hash(r.Secret); err == nil {
			_ = a.store.RehashPassword(ctx, acct.ID, acct.PasswordHash, h)
		}
	}
	return &Grant{Account: acct}, "", true, nil
}

// passwordRefused says why the account password cannot open this door ("" when it can),
// before any hashing: the rules of the matrix that do not depend on the password itself.
func (a *Authenticator) passwordRefused(ctx context.Context, d door, s Service, acct *store.Account) (string, error) {
	if !d.password {
		return "no matching credential", nil
	}
	if acct.MustChangePassword && !d.temporary {
		return "account password refused for " + string(s) + " while a password change is pending", nil
	}
	if d.onlyWithout2FA {
		ok, why, err := a.mailPassword(ctx, acct)
		if err != nil {
			return "", err
		}
		if !ok {
			return "account password refused for " + string(s) + ": " + why, nil
		}
	}
	return "", nil
}

// StillValid tells whether a grant made earlier would still be made now, without hashing
// anything. A held Ping asks on every account-wide change, so that a credential disabled or
// deleted, a locked account, a changed password or 2FA turned on ends it at once instead of
// at its heartbeat.
func (a *Authenticator) StillValid(ctx context.Context, s Service, g *Grant) (bool, error) {
	d, ok := matrix[s]
	if !ok {
		return false, fmt.Errorf("unknown service %q", s)
	}
	acct, err := a.store.AccountForAuth(ctx, g.Account.Email)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if acct.ID != g.Account.ID || acct.Status != store.StatusActive {
		return false, nil
	}
	if g.Credential != nil {
		c, err := a.store.CredentialByID(ctx, g.Credential.ID)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		return c.AccountID == acct.ID && unusable(c, s, a.now()) == "", nil
	}
	// A rehash on login changes the hash, not the time the password was set.
	if !sameTime(acct.PasswordChangedAt, g.Account.PasswordChangedAt) {
		return false, nil
	}
	why, err := a.passwordRefused(ctx, d, s, acct)
	return why == "", err
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// credential finds the account and the credential whose secret was presented, trying each
// kind's normal form (first: the hash of the first kind's, computed already for the grant
// key); nil, nil when none matches.
func (a *Authenticator) credential(ctx context.Context, email string, kinds []string, secret, first string) (*store.Account, *store.Credential, error) {
	seen := map[string]bool{}
	for i, k := range kinds {
		h := first
		if i > 0 {
			h = a.hasher.HashSecret(k, secret)
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		acct, c, err := a.store.CredentialForAuth(ctx, email, h, kinds)
		if err == nil {
			return acct, c, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, nil, err
		}
	}
	return nil, nil, nil
}

// unusable says why a credential cannot open door s now ("" when it can): its status, its
// expiry, or its scope (Credential.Services: an application passcode opens only the doors its
// owner picked, or an administrator narrowed it to).
func unusable(c *store.Credential, s Service, now time.Time) string {
	if c.Status != store.CredEnabled {
		return c.Status
	}
	if c.ExpiresAt != nil && !now.Before(*c.ExpiresAt) {
		return "expired"
	}
	if !InScope(c.Services, s) {
		return "not valid for " + string(s)
	}
	return ""
}

// SetClock replaces the clock expiry is judged by (tests move it past an expiry).
func (a *Authenticator) SetClock(now func() time.Time) { a.now = now }

// refused audits a throttled attempt and passes err on.
func (a *Authenticator) refused(ctx context.Context, r Request, email string, err error) error {
	var throttled *ThrottledError
	if errors.As(err, &throttled) {
		a.record(ctx, r, email, audit.ActionLoginThrottled, audit.OutcomeFailure, "throttled")
	}
	return err
}

func (a *Authenticator) record(ctx context.Context, r Request, email, action, outcome, reason string) {
	a.audit.Record(ctx, audit.Event{Actor: email, Account: email, Action: action, Outcome: outcome,
		Reason: string(r.Service) + ": " + reason, ClientIP: r.ClientIP})
}
