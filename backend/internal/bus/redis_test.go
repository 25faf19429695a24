package bus

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// redisOptions reads TESSERA_TEST_REDIS_URL (DB 15 by default, away from real data).
func redisOptions(t *testing.T) *redis.Options {
	t.Helper()
	url := os.Getenv("TESSERA_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/15"
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	return opt
}

// testClient connects to the test Redis, skipping when it is absent unless CI demands it.
func testClient(t *testing.T) *redis.Client {
	t.Helper()
	c := redis.NewClient(redisOptions(t))
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	testenv.RequireRedis(t, c.Ping(ctx).Err())
	return c
}

// clientVia connects through addr (a proxy) with short timeouts, so outages show quickly.
func clientVia(t *testing.T, addr string) *redis.Client {
	t.Helper()
	opt := redisOptions(t)
	opt.Addr = addr
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 200*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// testPrefix keeps runs, and tests within a run, from hearing each other.
func testPrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "tessera-test:" + hex.EncodeToString(b[:]) + ":"
}

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.buf.String(), s)
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newBus(t *testing.T, c *redis.Client, prefix string, log *slog.Logger) *Redis {
	t.Helper()
	return newBusPing(t, c, prefix, log, 3*time.Second)
}

func newBusPing(t *testing.T, c *redis.Client, prefix string, log *slog.Logger, pingEvery time.Duration) *Redis {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	b, err := newRedis(ctx, c, prefix, log, pingEvery)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func receive(t *testing.T, ch <-chan mailbox.Change, within time.Duration) mailbox.Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(within):
		t.Fatalf("no change within %v", within)
		return mailbox.Change{}
	}
}

func expectNone(t *testing.T, ch <-chan mailbox.Change) {
	t.Helper()
	select {
	case c := <-ch:
		t.Fatalf("unexpected change %+v", c)
	default:
	}
}

func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func numsub(t *testing.T, c *redis.Client, channel string) int64 {
	t.Helper()
	m, err := c.PubSubNumSub(context.Background(), channel).Result()
	if err != nil {
		t.Fatal(err)
	}
	return m[channel]
}

func TestChangeReachesOtherInstance(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	other := newBus(t, c, testPrefix(), nil) // another deployment on the same Redis
	onA, stop := a.Subscribe(1)
	defer stop()
	onB, stopB := b.Subscribe(1)
	defer stopB()
	onOther, stopOther := other.Subscribe(1)
	defer stopOther()

	b.Publish(mailbox.Change{AccountID: 1, FolderID: 7})
	if got := receive(t, onB, 10*time.Millisecond); got != (mailbox.Change{AccountID: 1, FolderID: 7}) {
		t.Fatalf("local subscriber on B got %+v", got) // local delivery does not wait for Redis
	}
	if got := receive(t, onA, time.Second); got != (mailbox.Change{AccountID: 1, FolderID: 7}) {
		t.Fatalf("A got %+v", got)
	}
	a.Publish(mailbox.Change{AccountID: 1})
	if got := receive(t, onB, time.Second); got != (mailbox.Change{AccountID: 1}) {
		t.Fatalf("B got %+v", got)
	}
	receive(t, onA, 10*time.Millisecond)
	expectNone(t, onOther)
}

func TestOnlyTheAccountsChanges(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	one, stop1 := a.Subscribe(1)
	defer stop1()
	two, stop2 := a.Subscribe(2)
	defer stop2()

	b.Publish(mailbox.Change{AccountID: 2, FolderID: 3})
	if got := receive(t, two, time.Second); got.AccountID != 2 {
		t.Fatalf("account 2 got %+v", got)
	}
	// A handles messages in order, so account 1 would have had it by now.
	expectNone(t, one)
}

func TestOwnMessageDeliveredOnce(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	mine, stop := a.Subscribe(1)
	defer stop()
	sentinel, stopS := a.Subscribe(99)
	defer stopS()
	onB, stopB := b.Subscribe(1)
	defer stopB()

	a.Publish(mailbox.Change{AccountID: 1, FolderID: 5})
	receive(t, mine, 10*time.Millisecond)
	receive(t, onB, time.Second) // A's message is in Redis now, and its echo on its way to A
	// B publishes after that, so Redis sends it to A after the echo, and A handles both in order.
	b.Publish(mailbox.Change{AccountID: 99})
	receive(t, sentinel, time.Second)
	expectNone(t, mine)
}

func TestManySubscribersOneSubscription(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	const n = 1000
	chans := make([]<-chan mailbox.Change, n)
	for i := range chans {
		var stop func()
		chans[i], stop = a.Subscribe(42)
		defer stop()
	}
	if got := numsub(t, c, prefix+"changes"); got != 2 {
		t.Fatalf("PUBSUB NUMSUB = %d with two instances and %d waiters, want 2", got, n)
	}
	b.Publish(mailbox.Change{AccountID: 42, FolderID: 1})
	deadline := time.After(time.Second)
	for i, ch := range chans {
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("subscriber %d of %d got nothing within 1s", i, n)
		}
	}
}

func TestClose(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	onA, stop := a.Subscribe(1)
	defer stop()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	eventually(t, time.Second, "A's subscription is gone", func() bool { return numsub(t, c, prefix+"changes") == 1 })

	// Only B hears B now; the sentinel on B proves the message went round Redis.
	sentinel, stopS := b.Subscribe(1)
	defer stopS()
	b.Publish(mailbox.Change{AccountID: 1})
	receive(t, sentinel, time.Second)
	time.Sleep(100 * time.Millisecond)
	expectNone(t, onA)

	// Publish after Close still serves this process and does not panic.
	a.Publish(mailbox.Change{AccountID: 1, FolderID: 2})
	receive(t, onA, 10*time.Millisecond)
	if n := len(a.queue); n != 0 {
		t.Fatalf("%d changes queued after Close", n)
	}
}

func TestNewRedisFailsWhenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // now a closed port
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if b, err := NewRedis(ctx, clientVia(t, addr), testPrefix(), nil); err == nil {
		_ = b.Close()
		t.Fatal("NewRedis succeeded without Redis")
	}
}

func TestPublishDoesNotWaitForRedis(t *testing.T) {
	for _, mode := range []string{"closed port", "silent"} {
		t.Run(mode, func(t *testing.T) {
			c := testClient(t)
			p := startProxy(t, c.Options().Addr)
			logs := &logBuffer{}
			a := newBus(t, clientVia(t, p.addr), testPrefix(), logs.logger())
			local, stop := a.Subscribe(1)
			defer stop()
			if mode == "closed port" {
				p.down()
			} else {
				p.silent.Store(true)
			}
			// Three times the queue: the rest must be dropped, not waited for.
			var slowest time.Duration
			for i := range 3 * queueSize {
				start := time.Now()
				a.Publish(mailbox.Change{AccountID: 1, FolderID: uint64(i)})
				slowest = max(slowest, time.Since(start))
			}
			if slowest > 50*time.Millisecond {
				t.Fatalf("slowest Publish took %v with Redis away", slowest)
			}
			if got := receive(t, local, 10*time.Millisecond); got.FolderID != 0 {
				t.Fatalf("local subscriber got %+v first", got)
			}
			if mode == "silent" {
				// The publisher is stuck on a reply that never comes, so the queue must fill.
				if !logs.has("publish queue full") {
					t.Fatal("dropped changes were not logged")
				}
			}
			// go-redis retries the dial and the command, so a failed publish takes seconds to report.
			eventually(t, 10*time.Second, "publish failure logged", func() bool {
				return logs.has(`level=WARN msg="bus: publishing to`)
			})
			start := time.Now()
			_ = a.Close()
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Close took %v", d)
			}
		})
	}
}

func TestResumesAfterRedisReturns(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	p := startProxy(t, c.Options().Addr)
	logs := &logBuffer{}
	a := newBusPing(t, clientVia(t, p.addr), prefix, logs.logger(), 200*time.Millisecond)
	b := newBus(t, c, prefix, nil)
	onA, stop := a.Subscribe(1)
	defer stop()
	missed := observeMissed(a)

	p.down()
	eventually(t, 2*time.Second, "subscription failure logged", func() bool {
		return logs.has(`level=WARN msg="bus: subscription to ` + prefix + `changes failing`)
	})
	// Caches of A drop everything: changes from B may be passing unheard.
	eventually(t, time.Second, "observers told that changes may have been missed", func() bool { return missed.Load() > 0 })
	if got := len(onA); got != 0 {
		t.Fatalf("a waiter of account 1 was woken by the outage notice: %d changes", got)
	}
	eventually(t, time.Second, "Redis dropped A's subscription", func() bool { return numsub(t, c, prefix+"changes") == 1 })
	p.up(t)
	eventually(t, 5*time.Second, "A subscribed again", func() bool { return numsub(t, c, prefix+"changes") == 2 })
	eventually(t, time.Second, "recovery logged", func() bool { return logs.has("changes recovered") })
	b.Publish(mailbox.Change{AccountID: 1, FolderID: 9})
	if got := receive(t, onA, time.Second); got.FolderID != 9 {
		t.Fatalf("A got %+v after the outage", got)
	}
}

func TestDeadConnectionReplaced(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	p := startProxy(t, c.Options().Addr)
	logs := &logBuffer{}
	a := newBusPing(t, clientVia(t, p.addr), prefix, logs.logger(), 200*time.Millisecond)
	b := newBus(t, c, prefix, nil)
	onA, stop := a.Subscribe(1)
	defer stop()
	missed := observeMissed(a)

	// A's connection stays open but carries nothing more; Redis still counts it.
	p.freeze()
	eventually(t, 2*time.Second, "missing pong noticed", func() bool { return logs.has("no reply to ping") })
	eventually(t, time.Second, "observers told that changes may have been missed", func() bool { return missed.Load() > 0 })
	// Changes published before A re-subscribes are lost, as they would be in a real outage,
	// so keep publishing until one arrives; a connection that was never replaced gets none.
	deadline := time.Now().Add(3 * time.Second)
	for {
		b.Publish(mailbox.Change{AccountID: 1, FolderID: 4})
		select {
		case got := <-onA:
			if got.FolderID != 4 {
				t.Fatalf("A got %+v", got)
			}
			if !logs.has("changes recovered") {
				t.Error("recovery not logged")
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("A hears nothing after its connection went silent")
		}
	}
}

// observeMissed counts the notices "changes may have been missed" (Change{}) that r's observers get.
func observeMissed(r *Redis) *atomic.Int64 {
	var n atomic.Int64
	r.Observe(func(c mailbox.Change) {
		if c.AccountID == 0 {
			n.Add(1)
		}
	})
	return &n
}

// Observers hear every change, this instance's and the others', whatever the account.
func TestObserversHearEveryChange(t *testing.T) {
	c, prefix := testClient(t), testPrefix()
	a, b := newBus(t, c, prefix, nil), newBus(t, c, prefix, nil)
	got := make(chan mailbox.Change, 4)
	a.Observe(func(c mailbox.Change) { got <- c })
	a.Publish(mailbox.Change{AccountID: 5})
	b.Publish(mailbox.Change{AccountID: 6, FolderID: 2})
	for _, want := range []mailbox.Change{{AccountID: 5}, {AccountID: 6, FolderID: 2}} {
		if c := receive(t, got, 2*time.Second); c != want {
			t.Fatalf("observer got %+v, want %+v", c, want)
		}
	}
}

func TestDecode(t *testing.T) {
	id, c, err := decode(encode("abc", mailbox.Change{AccountID: 42, FolderID: 7}))
	if err != nil || id != "abc" || c != (mailbox.Change{AccountID: 42, FolderID: 7}) {
		t.Fatalf("round trip: %q %+v %v", id, c, err)
	}
	for _, bad := range []string{"", "x", "a:1", "a:1:2:3", "a:x:1", "a:1:-1"} {
		if _, _, err := decode(bad); err == nil {
			t.Errorf("decode(%q) accepted", bad)
		}
	}
}
