package throttle

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// defaultMaxKeys bounds a Memory limiter unless WithMaxKeys says otherwise;
// an entry with an IPv6 key costs about 160 bytes, so this is about 16 MB at most.
const defaultMaxKeys = 100000

// Memory is an in-process Limiter. It runs no goroutine: stale entries are
// dropped when touched, and when a new key would exceed the bound.
type Memory struct {
	policy  Policy
	now     func() time.Time
	maxKeys int

	mu      sync.Mutex
	entries map[string]*list.Element // of *entry
	// order holds entries by last failure, oldest at the front, so both
	// expiry and eviction take from the front in O(1) per entry.
	order *list.List
}

type entry struct {
	key      string
	failures int
	last     time.Time
}

// Option configures NewMemory.
type Option func(*Memory)

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option {
	return func(m *Memory) { m.now = now }
}

// WithMaxKeys bounds the number of keys tracked (default defaultMaxKeys);
// values below 1 keep the default. When full, the keys whose last failure is
// oldest are forgotten first: an attacker spraying addresses can then only
// shorten the memory of stale failures, not grow the process.
func WithMaxKeys(n int) Option {
	return func(m *Memory) {
		if n >= 1 {
			m.maxKeys = n
		}
	}
}

// NewMemory returns an in-process limiter. It panics if p.Validate fails,
// since a bad policy is a programming or configuration error that would
// otherwise silently disable throttling.
func NewMemory(p Policy, opts ...Option) *Memory {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	m := &Memory{
		policy:  p,
		now:     time.Now,
		maxKeys: defaultMaxKeys,
		entries: make(map[string]*list.Element),
		order:   list.New(),
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

var _ Limiter = (*Memory)(nil)

// Check implements Limiter. It never returns an error.
func (m *Memory) Check(_ context.Context, key string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	el, ok := m.entries[key]
	if !ok {
		return 0, nil
	}
	e := el.Value.(*entry)
	if m.expired(e, now) {
		m.remove(el)
		return 0, nil
	}
	return m.wait(e, now), nil
}

// Fail implements Limiter. It never returns an error.
func (m *Memory) Fail(_ context.Context, key string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if el, ok := m.entries[key]; ok {
		e := el.Value.(*entry)
		if m.expired(e, now) {
			e.failures = 0
		}
		e.failures++
		e.last = now
		m.order.MoveToBack(el)
		return m.wait(e, now), nil
	}
	m.makeRoom(now)
	e := &entry{key: key, failures: 1, last: now}
	m.entries[key] = m.order.PushBack(e)
	return m.wait(e, now), nil
}

// Reset implements Limiter. It never returns an error.
func (m *Memory) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[key]; ok {
		m.remove(el)
	}
	return nil
}

// expired: the window counts from the last failure, so a slow but steady
// guesser keeps the count alive while a user who comes back later starts over.
func (m *Memory) expired(e *entry, now time.Time) bool {
	return now.Sub(e.last) > m.policy.Window
}

func (m *Memory) wait(e *entry, now time.Time) time.Duration {
	allowed := e.last.Add(m.policy.delay(e.failures))
	return max(0, allowed.Sub(now))
}

// makeRoom drops expired entries from the front, then the least recently
// failed ones until a new key fits.
func (m *Memory) makeRoom(now time.Time) {
	for el := m.order.Front(); el != nil && m.expired(el.Value.(*entry), now); el = m.order.Front() {
		m.remove(el)
	}
	for len(m.entries) >= m.maxKeys {
		m.remove(m.order.Front())
	}
}

func (m *Memory) remove(el *list.Element) {
	delete(m.entries, el.Value.(*entry).key)
	m.order.Remove(el)
}
