package throttle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// The Redis limiter runs on the server's clock, so these tests use real time with small
// durations. Fail's result is exact (its "now" is the failure's own time); Check's has
// bounds with room for a slow machine.
var redisPolicy = Policy{Free: 3, Base: 100 * time.Millisecond, Max: 400 * time.Millisecond, Window: time.Second}

const ms = time.Millisecond

// testRedis connects to TESSERA_TEST_REDIS_URL (DB 15 by default); without Redis the test
// is skipped, unless CI is set.
func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	url := os.Getenv("TESSERA_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/15"
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	testenv.RequireRedis(t, c.Ping(ctx).Err())
	return c
}

// newRedisTest returns a limiter on a fresh random prefix, so runs never share counters.
func newRedisTest(t *testing.T, p Policy) (*Redis, *redis.Client, string) {
	t.Helper()
	c := testRedis(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "tessera-test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() { // keys with a long window would otherwise outlive the run
		ctx := context.Background()
		for it := c.Scan(ctx, 0, prefix+"*", 100).Iterator(); it.Next(ctx); {
			c.Del(ctx, it.Val())
		}
	})
	return NewRedis(c, prefix, p), c, prefix
}

func redisFail(t *testing.T, l Limiter, key string) time.Duration {
	t.Helper()
	d, err := l.Fail(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func redisCheck(t *testing.T, l Limiter, key string) time.Duration {
	t.Helper()
	d, err := l.Check(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRedisDoublingAndCap(t *testing.T) {
	l, _, _ := newRedisTest(t, redisPolicy)
	// Failures 1 and 2 are free; from the 3rd (=Free) on: 100, 200, then the 400ms cap.
	for i, w := range []time.Duration{0, 0, 100 * ms, 200 * ms, 400 * ms, 400 * ms, 400 * ms} {
		if got := redisFail(t, l, "acct:a"); got != w {
			t.Fatalf("failure %d: Fail = %v, want %v", i+1, got, w)
		}
		if got := redisCheck(t, l, "acct:a"); got > w || got < w-50*ms {
			t.Fatalf("failure %d: Check = %v, want just under %v", i+1, got, w)
		}
	}
	if got := redisCheck(t, l, "acct:other"); got != 0 {
		t.Fatalf("unrelated key waits %v", got)
	}
}

func TestRedisWaitCountsDown(t *testing.T) {
	l, _, _ := newRedisTest(t, redisPolicy)
	for range 4 {
		redisFail(t, l, "k") // wait now 200ms
	}
	time.Sleep(150 * ms)
	if got := redisCheck(t, l, "k"); got > 50*ms {
		t.Fatalf("Check 150ms into a 200ms wait = %v", got)
	}
	time.Sleep(100 * ms)
	if got := redisCheck(t, l, "k"); got != 0 {
		t.Fatalf("Check after the wait = %v, want 0", got)
	}
	// The count survives the wait: the next failure doubles again.
	if got := redisFail(t, l, "k"); got != 400*ms {
		t.Fatalf("Fail after the wait = %v, want 400ms", got)
	}
}

func TestRedisNoPermanentLockout(t *testing.T) {
	l, _, _ := newRedisTest(t, redisPolicy)
	for range 1000 {
		redisFail(t, l, "k")
	}
	if got := redisCheck(t, l, "k"); got > redisPolicy.Max || got < redisPolicy.Max-100*ms {
		t.Fatalf("after 1000 failures Check = %v, want about the cap %v", got, redisPolicy.Max)
	}
	time.Sleep(redisPolicy.Max)
	if got := redisCheck(t, l, "k"); got != 0 {
		t.Fatalf("after waiting Max, Check = %v, want 0", got)
	}
}

func TestRedisWindowCountsFromLastFailure(t *testing.T) {
	l, _, _ := newRedisTest(t, redisPolicy) // Window 1s
	for range 3 {
		redisFail(t, l, "k")
	}
	time.Sleep(600 * ms)
	if got := redisFail(t, l, "k"); got != 200*ms {
		t.Fatalf("4th failure = %v, want 200ms", got)
	}
	time.Sleep(600 * ms) // 1.2s after the first failure, 0.6s after the last
	if got := redisFail(t, l, "k"); got != 400*ms {
		t.Fatalf("5th failure = %v, want 400ms: the window must count from the last failure", got)
	}
}

func TestRedisWindowExpiry(t *testing.T) {
	p := redisPolicy
	p.Window = 300 * ms
	l, c, prefix := newRedisTest(t, p)
	for range 5 {
		redisFail(t, l, "k")
	}
	ctx := context.Background()
	if ttl := c.PTTL(ctx, prefix+"k").Val(); ttl <= 200*ms || ttl > 301*ms {
		t.Fatalf("PTTL = %v, want about the window", ttl)
	}
	time.Sleep(p.Window + 150*ms)
	if n := c.Exists(ctx, prefix+"k").Val(); n != 0 {
		t.Fatal("key still in Redis after the window: idle keys must expire")
	}
	if got := redisCheck(t, l, "k"); got != 0 {
		t.Fatalf("Check after the window = %v, want 0", got)
	}
	// The count restarted: failures 1 and 2 are free, the 3rd waits Base.
	for i, w := range []time.Duration{0, 0, 100 * ms} {
		if got := redisFail(t, l, "k"); got != w {
			t.Fatalf("failure %d after the window = %v, want %v", i+1, got, w)
		}
	}
}

func TestRedisReset(t *testing.T) {
	l, c, prefix := newRedisTest(t, redisPolicy)
	for range 6 {
		redisFail(t, l, "k")
	}
	if err := l.Reset(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	if c.Exists(context.Background(), prefix+"k").Val() != 0 {
		t.Fatal("Reset left the key")
	}
	if got := redisCheck(t, l, "k"); got != 0 {
		t.Fatalf("Check after Reset = %v", got)
	}
	if got := redisFail(t, l, "k"); got != 0 {
		t.Fatalf("Fail after Reset = %v, want a free failure", got)
	}
	if err := l.Reset(context.Background(), "never-seen"); err != nil {
		t.Fatal(err)
	}
}

func TestRedisFreeZero(t *testing.T) {
	l, _, _ := newRedisTest(t, Policy{Free: 0, Base: 100 * ms, Max: time.Minute, Window: time.Hour})
	if got := redisCheck(t, l, "k"); got != 0 {
		t.Fatalf("Check before any failure = %v", got)
	}
	if got := redisFail(t, l, "k"); got != 200*ms {
		t.Fatalf("first Fail with Free=0 = %v, want Base*2^1", got)
	}
}

func TestRedisSharedByInstances(t *testing.T) {
	a, c, prefix := newRedisTest(t, redisPolicy)
	b := NewRedis(c, prefix, redisPolicy) // a second instance of the server
	other := NewRedis(c, prefix+"other:", redisPolicy)
	for range 3 {
		redisFail(t, a, "k")
	}
	if got := redisCheck(t, b, "k"); got <= 0 {
		t.Fatal("B does not see A's failures")
	}
	if got := redisFail(t, b, "k"); got != 200*ms {
		t.Fatalf("B's failure after A's three = %v, want 200ms", got)
	}
	if got := redisCheck(t, other, "k"); got != 0 {
		t.Fatalf("another prefix waits %v", got)
	}
	if err := a.Reset(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	if got := redisCheck(t, b, "k"); got != 0 {
		t.Fatalf("B still waits %v after A's Reset", got)
	}
}

func TestRedisConcurrentFailuresAllCounted(t *testing.T) {
	l, c, prefix := newRedisTest(t, redisPolicy)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := l.Fail(context.Background(), "shared"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, err := c.HGet(context.Background(), prefix+"shared", "n").Int(); err != nil || got != n {
		t.Fatalf("n = %d (%v), want %d", got, err, n)
	}
}

func TestRedisErrorsReturned(t *testing.T) {
	testRedis(t) // same skip rule as the other tests
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * ms})
	defer c.Close()
	l := NewRedis(c, "x:", redisPolicy)
	ctx := context.Background()
	if _, err := l.Check(ctx, "k"); err == nil {
		t.Error("Check without Redis returned no error")
	}
	if _, err := l.Fail(ctx, "k"); err == nil {
		t.Error("Fail without Redis returned no error")
	}
	if err := l.Reset(ctx, "k"); err == nil {
		t.Error("Reset without Redis returned no error")
	}
}

func TestNewRedisRejectsBadPolicy(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewRedis accepted a policy without Window")
		}
	}()
	NewRedis(nil, "x:", Policy{Free: 1, Base: time.Second, Max: time.Minute})
}
