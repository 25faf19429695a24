package cache

import (
	"slices"
	"sync"
	"time"
)

// Cache holds values that belong to an account, each for at most TTL. Whoever changes an
// account calls Forget (through the change bus, on every instance), so a value is normally
// dropped within moments of a change; the TTL only bounds how long a change whose
// notification was lost (Redis away) can go unnoticed.
//
// A value read from the database while the account is being changed must not be stored
// after Forget has run, or it would outlive the change. Callers therefore read Epoch before
// loading and pass it to Put, which stores nothing when any Forget happened in between.
// The epoch is shared by all accounts: a Forget costs the fills in flight at that moment,
// which is cheap, and no state per account has to be kept for it.
//
// Values are stored and returned as they are: keep them immutable, or copy them.
type Cache[K comparable, V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	epoch   uint64
	entries map[K]entry[V]
	byAcct  map[uint64][]K // an account has a key or a few: a slice is far smaller than a map
}

type entry[V any] struct {
	acct    uint64
	value   V
	expires time.Time
}

// New returns a cache; a TTL of zero or less makes a cache that stores nothing (so callers
// need not check whether caching is on). max bounds the entries; when it is reached,
// expired entries go and, if that is not enough, all of them.
func New[K comparable, V any](ttl time.Duration, max int) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, max: max, now: time.Now,
		entries: map[K]entry[V]{}, byAcct: map[uint64][]K{}}
}

// Enabled says whether the cache stores anything.
func (c *Cache[K, V]) Enabled() bool { return c != nil && c.ttl > 0 }

// Get returns the value stored under k if it has not expired.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	var zero V
	if !c.Enabled() {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return zero, false
	}
	if !c.now().Before(e.expires) {
		c.remove(k, e.acct)
		return zero, false
	}
	return e.value, true
}

// Epoch is the number of Forgets so far; read it before loading what you will Put.
func (c *Cache[K, V]) Epoch() uint64 {
	if !c.Enabled() {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// Put stores v for account acct under k, unless an account was forgotten since epoch.
func (c *Cache[K, V]) Put(epoch, acct uint64, k K, v V) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	now := c.now()
	if _, replacing := c.entries[k]; !replacing && c.max > 0 && len(c.entries) >= c.max {
		c.makeRoom(now)
	}
	if old, replacing := c.entries[k]; replacing {
		c.remove(k, old.acct)
	}
	c.entries[k] = entry[V]{acct: acct, value: v, expires: now.Add(c.ttl)}
	c.byAcct[acct] = append(c.byAcct[acct], k)
}

// Update changes the stored value under k in place (keeping its expiry), if there is one.
func (c *Cache[K, V]) Update(k K, f func(V) V) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		e.value = f(e.value)
		c.entries[k] = e
	}
}

// Forget drops every value of an account.
func (c *Cache[K, V]) Forget(acct uint64) {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, k := range c.byAcct[acct] {
		delete(c.entries, k)
	}
	delete(c.byAcct, acct)
}

// ForgetAll drops everything (after changes may have been missed).
func (c *Cache[K, V]) ForgetAll() {
	if !c.Enabled() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	clear(c.entries)
	clear(c.byAcct)
}

// Len is the number of entries stored, expired ones included.
func (c *Cache[K, V]) Len() int {
	if !c.Enabled() {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *Cache[K, V]) makeRoom(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			c.remove(k, e.acct)
		}
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
		clear(c.byAcct)
	}
}

func (c *Cache[K, V]) remove(k K, acct uint64) {
	delete(c.entries, k)
	keys := c.byAcct[acct]
	if i := slices.Index(keys, k); i >= 0 {
		keys = slices.Delete(keys, i, i+1)
	}
	if len(keys) == 0 {
		delete(c.byAcct, acct)
	} else {
		c.byAcct[acct] = keys
	}
}
