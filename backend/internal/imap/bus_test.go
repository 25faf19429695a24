package imap_test

import (
	"context"
	"net"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Two instances on one database and one Redis: a delivery through one reaches an IDLE session
// held by the other at once (the change bus carries it, as it does for Pings).
func TestIdleAcrossInstances(t *testing.T) {
	url := os.Getenv("TESSERA_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/15"
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	testenv.RequireRedis(t, rc.Ping(ctx).Err())
	cancel()
	rc.Close()
	each(t, func(t *testing.T, e *env) {
		second, err := app.Open(e.cfg, testLog())
		if err != nil {
			t.Fatal(err)
		}
		srv := second.NewIMAPServer(nil)
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close(); second.Close() })
		other := *e
		other.addr, other.srv = ln.Addr().String(), srv
		c := other.login()
		c.ok("SELECT INBOX")
		c.idle()
		other.waitIdle(1)
		time.Sleep(100 * time.Millisecond) // the Redis subscription of the second instance
		start := time.Now()
		e.deliver("a@example.org", "through the bus", "x")
		if l := c.line(); l != "* 1 EXISTS" {
			t.Fatalf("IDLE on the other instance: %q", l)
		}
		t.Logf("delivery to IDLE on another instance: %v", time.Since(start))
	}, envOpts{cfg: func(c *config.Config) { c.RedisURL = url }})
}
