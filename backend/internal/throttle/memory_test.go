package throttle

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var policy = Policy{Free: 3, Base: time.Second, Max: 10 * time.Second, Window: time.Hour}

func newTest(t *testing.T, opts ...Option) (*Memory, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	return NewMemory(policy, append([]Option{WithClock(c.Now)}, opts...)...), c
}

func mustFail(t *testing.T, m *Memory, key string) time.Duration {
	t.Helper()
	d, err := m.Fail(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustCheck(t *testing.T, m *Memory, key string) time.Duration {
	t.Helper()
	d, err := m.Check(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDoublingAndCap(t *testing.T) {
	m, _ := newTest(t)
	// Failures 1 and 2 are free; from the 3rd (=Free) on: 1s, 2s, 4s, 8s, then the 10s cap.
	want := []time.Duration{0, 0, 1, 2, 4, 8, 10, 10, 10}
	for i, w := range want {
		w *= time.Second
		if got := mustFail(t, m, "acct:a"); got != w {
			t.Fatalf("failure %d: Fail = %v, want %v", i+1, got, w)
		}
		if got := mustCheck(t, m, "acct:a"); got != w {
			t.Fatalf("failure %d: Check = %v, want %v", i+1, got, w)
		}
	}
	if got := mustCheck(t, m, "acct:other"); got != 0 {
		t.Fatalf("unrelated key waits %v", got)
	}
}

func TestWaitCountsDown(t *testing.T) {
	m, c := newTest(t)
	for range 4 {
		mustFail(t, m, "k") // wait now 2s
	}
	c.Advance(1500 * time.Millisecond)
	if got := mustCheck(t, m, "k"); got != 500*time.Millisecond {
		t.Fatalf("Check after 1.5s = %v, want 500ms", got)
	}
	c.Advance(time.Second)
	if got := mustCheck(t, m, "k"); got != 0 {
		t.Fatalf("Check after the wait = %v, want 0", got)
	}
	// The count survives the wait: the next failure doubles again.
	if got := mustFail(t, m, "k"); got != 4*time.Second {
		t.Fatalf("Fail after the wait = %v, want 4s", got)
	}
}

func TestNoPermanentLockout(t *testing.T) {
	m, c := newTest(t)
	for range 1000 {
		mustFail(t, m, "k")
	}
	if got := mustCheck(t, m, "k"); got != policy.Max {
		t.Fatalf("after 1000 failures Check = %v, want the cap %v", got, policy.Max)
	}
	c.Advance(policy.Max)
	if got := mustCheck(t, m, "k"); got != 0 {
		t.Fatalf("after waiting Max, Check = %v, want 0", got)
	}
}

func TestWindowExpiry(t *testing.T) {
	m, c := newTest(t)
	for range 5 {
		mustFail(t, m, "k")
	}
	c.Advance(policy.Window) // exactly the window: still remembered
	if got := mustFail(t, m, "k"); got != 8*time.Second {
		t.Fatalf("Fail at the window's edge = %v, want 8s", got)
	}
	c.Advance(policy.Window + time.Nanosecond)
	if got := mustCheck(t, m, "k"); got != 0 {
		t.Fatalf("Check after the window = %v, want 0", got)
	}
	// The count restarted: this is failure 1 again.
	if got := mustFail(t, m, "k"); got != 0 {
		t.Fatalf("first Fail after the window = %v, want 0", got)
	}
	mustFail(t, m, "k")
	if got := mustFail(t, m, "k"); got != time.Second {
		t.Fatalf("third Fail after the window = %v, want 1s", got)
	}
}

func TestReset(t *testing.T) {
	m, _ := newTest(t)
	for range 6 {
		mustFail(t, m, "k")
	}
	if err := m.Reset(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	if got := mustCheck(t, m, "k"); got != 0 {
		t.Fatalf("Check after Reset = %v", got)
	}
	if got := mustFail(t, m, "k"); got != 0 {
		t.Fatalf("Fail after Reset = %v, want a free failure", got)
	}
	if err := m.Reset(context.Background(), "never-seen"); err != nil {
		t.Fatal(err)
	}
}

func TestFreeZero(t *testing.T) {
	c := &clock{}
	m := NewMemory(Policy{Free: 0, Base: time.Second, Max: time.Minute, Window: time.Hour}, WithClock(c.Now))
	if got := mustCheck(t, m, "k"); got != 0 {
		t.Fatalf("Check before any failure = %v", got)
	}
	if got := mustFail(t, m, "k"); got != 2*time.Second {
		t.Fatalf("first Fail with Free=0 = %v, want Base*2^1", got)
	}
}

func TestDelayOverflow(t *testing.T) {
	p := Policy{Free: 0, Base: time.Nanosecond, Max: 1<<63 - 1, Window: time.Hour}
	if got := p.delay(200); got != p.Max {
		t.Fatalf("delay(200) = %v, want Max", got)
	}
}

func TestEvictionBound(t *testing.T) {
	m, c := newTest(t, WithMaxKeys(100))
	for i := range 1000 {
		mustFail(t, m, fmt.Sprintf("ip:%d", i))
		c.Advance(time.Millisecond)
		if n := len(m.entries); n > 100 || n != m.order.Len() {
			t.Fatalf("after %d keys: %d entries, %d in order", i+1, n, m.order.Len())
		}
	}
	// The most recent keys survive, the oldest were evicted.
	if _, ok := m.entries["ip:999"]; !ok {
		t.Fatal("newest key was evicted")
	}
	if _, ok := m.entries["ip:0"]; ok {
		t.Fatal("oldest key survived")
	}
}

func TestEvictionPrefersOldestFailure(t *testing.T) {
	m, c := newTest(t, WithMaxKeys(3))
	for _, k := range []string{"a", "b", "c"} {
		for range 4 {
			mustFail(t, m, k)
		}
		c.Advance(time.Second)
	}
	mustFail(t, m, "a") // a is now the most recent failure, b the oldest
	mustFail(t, m, "d")
	if _, ok := m.entries["b"]; ok {
		t.Fatal("b (oldest last failure) should have been evicted")
	}
	if got := mustCheck(t, m, "a"); got != 4*time.Second {
		t.Fatalf("a lost its count: Check = %v, want 4s", got)
	}
}

func TestExpiredEntriesSweptOnInsert(t *testing.T) {
	m, c := newTest(t)
	for i := range 50 {
		mustFail(t, m, fmt.Sprintf("old:%d", i))
	}
	c.Advance(policy.Window + time.Second)
	mustFail(t, m, "new")
	if n := len(m.entries); n != 1 {
		t.Fatalf("%d entries after sweep, want 1", n)
	}
}

func TestConcurrent(t *testing.T) {
	m, c := newTest(t, WithMaxKeys(50))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			ctx := context.Background()
			for i := range 500 {
				key := fmt.Sprintf("k%d", (g*31+i)%80)
				_, _ = m.Check(ctx, key)
				_, _ = m.Fail(ctx, key)
				if i%7 == 0 {
					_ = m.Reset(ctx, key)
				}
				c.Advance(time.Millisecond)
			}
		})
	}
	wg.Wait()
	if n := len(m.entries); n > 50 || n != m.order.Len() {
		t.Fatalf("%d entries, %d in order, bound 50", n, m.order.Len())
	}
	// Every failure on one key is counted exactly once under contention.
	m2, _ := newTest(t)
	var wg2 sync.WaitGroup
	for range 8 {
		wg2.Go(func() {
			for range 10 {
				_, _ = m2.Fail(context.Background(), "shared")
			}
		})
	}
	wg2.Wait()
	if got := m2.entries["shared"].Value.(*entry).failures; got != 80 {
		t.Fatalf("failures = %d, want 80", got)
	}
}

func TestPolicyValidate(t *testing.T) {
	bad := []Policy{
		{Free: -1, Base: time.Second, Max: time.Minute, Window: time.Hour},
		{Free: 5, Base: 0, Max: time.Minute, Window: time.Hour},
		{Free: 5, Base: time.Minute, Max: time.Second, Window: time.Hour},
		{Free: 5, Base: time.Second, Max: time.Minute, Window: 0},
	}
	for _, p := range bad {
		if p.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want error", p)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewMemory(%+v) did not panic", p)
				}
			}()
			NewMemory(p)
		}()
	}
	if err := policy.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
}
