package cache

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTest(ttl time.Duration, max int) (*Cache[string, int], *clock) {
	c := New[string, int](ttl, max)
	clk := &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	c.now = clk.now
	return c, clk
}

func TestGetPutExpire(t *testing.T) {
	c, clk := newTest(10*time.Second, 0)
	c.Put(c.Epoch(), 1, "a", 42)
	if v, ok := c.Get("a"); !ok || v != 42 {
		t.Fatalf("Get after Put = %d, %v; want 42, true", v, ok)
	}
	clk.t = clk.t.Add(9 * time.Second)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("expired before its TTL")
	}
	clk.t = clk.t.Add(time.Second)
	if _, ok := c.Get("a"); ok {
		t.Fatal("still there at its TTL")
	}
	if c.Len() != 0 {
		t.Fatalf("an expired entry that was read stays stored: %d", c.Len())
	}
}

func TestForgetDropsOnlyThatAccount(t *testing.T) {
	c, _ := newTest(time.Minute, 0)
	e := c.Epoch()
	c.Put(e, 1, "a1", 1)
	c.Put(e, 1, "a2", 2)
	c.Put(e, 2, "b", 3)
	c.Forget(1)
	for _, k := range []string{"a1", "a2"} {
		if _, ok := c.Get(k); ok {
			t.Errorf("%s survived Forget of its account", k)
		}
	}
	if v, ok := c.Get("b"); !ok || v != 3 {
		t.Errorf("another account's value went: %d, %v", v, ok)
	}
	c.ForgetAll()
	if _, ok := c.Get("b"); ok || c.Len() != 0 {
		t.Errorf("ForgetAll left %d entries", c.Len())
	}
}

// A value loaded before a Forget must not be stored after it: it may be what the change replaced.
func TestPutAfterForgetIsDropped(t *testing.T) {
	c, _ := newTest(time.Minute, 0)
	e := c.Epoch()
	c.Forget(7) // any account: the epoch is shared
	c.Put(e, 1, "stale", 1)
	if _, ok := c.Get("stale"); ok {
		t.Fatal("a value loaded before a Forget was stored")
	}
	c.Put(c.Epoch(), 1, "fresh", 2)
	if _, ok := c.Get("fresh"); !ok {
		t.Fatal("a value loaded after the Forget was not stored")
	}
	e = c.Epoch()
	c.ForgetAll()
	c.Put(e, 1, "stale2", 1)
	if _, ok := c.Get("stale2"); ok {
		t.Fatal("a value loaded before ForgetAll was stored")
	}
}

func TestUpdateKeepsExpiry(t *testing.T) {
	c, clk := newTest(10*time.Second, 0)
	c.Put(c.Epoch(), 1, "a", 1)
	clk.t = clk.t.Add(5 * time.Second)
	c.Update("a", func(v int) int { return v + 1 })
	c.Update("missing", func(v int) int { t.Fatal("called for a missing key"); return v })
	if v, _ := c.Get("a"); v != 2 {
		t.Fatalf("after Update: %d, want 2", v)
	}
	clk.t = clk.t.Add(5 * time.Second)
	if _, ok := c.Get("a"); ok {
		t.Fatal("Update extended the entry's life")
	}
}

func TestMaxBoundsEntries(t *testing.T) {
	c, clk := newTest(10*time.Second, 3)
	c.Put(c.Epoch(), 1, "old", 1)
	clk.t = clk.t.Add(6 * time.Second)
	c.Put(c.Epoch(), 2, "b", 2)
	c.Put(c.Epoch(), 3, "c", 3)
	clk.t = clk.t.Add(5 * time.Second) // "old" has expired, b and c have not
	c.Put(c.Epoch(), 4, "d", 4)
	if c.Len() != 3 {
		t.Fatalf("after making room by expiry: %d entries, want 3", c.Len())
	}
	if _, ok := c.Get("b"); !ok {
		t.Fatal("a live entry went although an expired one made room")
	}
	c.Put(c.Epoch(), 5, "e", 5) // full of live entries: everything goes, then e is stored
	if c.Len() != 1 {
		t.Fatalf("full cache: %d entries after Put, want 1", c.Len())
	}
	if _, ok := c.Get("e"); !ok {
		t.Fatal("the new entry was not stored")
	}
}

func TestDisabled(t *testing.T) {
	for _, c := range []*Cache[string, int]{nil, New[string, int](0, 0)} {
		c.Put(c.Epoch(), 1, "a", 1)
		if _, ok := c.Get("a"); ok || c.Enabled() || c.Len() != 0 {
			t.Fatal("a disabled cache stored something")
		}
		c.Forget(1)
		c.ForgetAll()
		c.Update("a", func(v int) int { return v })
	}
}

// Storing a key again replaces its value without keeping the key twice for its account.
func TestPutReplaces(t *testing.T) {
	c, _ := newTest(time.Minute, 0)
	c.Put(c.Epoch(), 1, "a", 1)
	c.Put(c.Epoch(), 1, "a", 2)
	c.Put(c.Epoch(), 2, "a", 3) // the key moved to another account
	if v, _ := c.Get("a"); v != 3 || c.Len() != 1 {
		t.Fatalf("after replacing: %d, %d entries", v, c.Len())
	}
	c.Forget(1)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("Forget of the key's old account dropped it")
	}
	c.Forget(2)
	if _, ok := c.Get("a"); ok || len(c.byAcct) != 0 {
		t.Fatalf("Forget of its account left it, or its index: %v", c.byAcct)
	}
}
