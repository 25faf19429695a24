package imap_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// idle starts IDLE and waits for the continuation.
func (c *client) idle() {
	c.t.Helper()
	c.n++
	c.send("i" + itoa(c.n) + " IDLE")
	if l := c.line(); !strings.HasPrefix(l, "+") {
		c.t.Fatalf("IDLE: %q", l)
	}
}

// done ends IDLE and returns its tagged status.
func (c *client) done() string {
	c.t.Helper()
	c.send("DONE")
	_, st := c.until("i" + itoa(c.n))
	return st
}

// An IDLE session hears at once of a delivery, a flag change and a delete made elsewhere
// (another IMAP session here; EAS in crossdoor_test.go).
func TestIdle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		first := e.deliver("a@example.org", "one", "x")
		c := e.login()
		c.ok("SELECT INBOX")
		c.idle()
		e.waitIdle(1)
		if g := e.waitGauge("tessera_imap_idle_held", 1); g != 1 {
			t.Fatalf("gauge = %v while one IDLE is held", g)
		}
		e.deliver("b@example.org", "two", "y")
		if l := c.line(); l != "* 2 EXISTS" {
			t.Fatalf("after delivery: %q", l)
		}
		other := e.login()
		other.ok("SELECT INBOX")
		other.ok(`STORE 1 +FLAGS.SILENT (\Seen)`)
		if l := c.line(); !strings.Contains(l, "* 1 FETCH") || !strings.Contains(l, `\Seen`) {
			t.Fatalf("after flag change: %q", l)
		}
		if err := e.app.Mailbox.Delete(context.Background(), e.acct.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if l := c.line(); l != "* 1 EXPUNGE" {
			t.Fatalf("after delete: %q", l)
		}
		if st := c.done(); !strings.HasPrefix(st, "OK") {
			t.Fatalf("DONE: %s", st)
		}
		if n, g := e.srv.IdleSessions(), e.waitGauge("tessera_imap_idle_held", 0); n != 0 || g != 0 {
			t.Fatalf("after DONE: idle sessions %d, gauge %v", n, g)
		}
		mustHave(t, c.ok("FETCH 1 UID"), "* 1 FETCH")
	})
}

// Past the bound, IDLE answers NO; Close ends held IDLEs at once.
func TestIdleBoundAndClose(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.login()
		a.idle()
		e.waitIdle(1)
		b := e.login()
		b.idle()
		if st := b.done(); !strings.HasPrefix(st, "NO") {
			t.Fatalf("second IDLE past a bound of 1: %s", st)
		}
		start := time.Now()
		e.srv.Close()
		a.readAll()
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Close took %v", d)
		}
	}, envOpts{maxIdle: 1})
}

// An application passcode deleted while IDLE is held ends it with BYE.
func TestIdleEndsOnRevocation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login()
		c.ok("SELECT INBOX")
		c.idle()
		if err := e.app.Credentials.Delete(context.Background(), e.acct, e.credID, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if rest := c.readAll(); !strings.Contains(rest, "* BYE") {
			t.Fatalf("IDLE after revocation got %q", rest)
		}
	})
}

// waitIdle waits until n IDLE commands are held (the session's IDLE starts just after "+").
func (e *env) waitIdle(n int) {
	e.t.Helper()
	for i := 0; i < 200 && e.srv.IdleSessions() != n; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if got := e.srv.IdleSessions(); got != n {
		e.t.Fatalf("idle sessions = %d, want %d", got, n)
	}
}

// waitGauge reads a gauge until it shows want, for up to two seconds: the session counts
// itself as idle a moment before it moves the gauge, so waitIdle alone does not imply it.
func (e *env) waitGauge(name string, want float64) float64 {
	e.t.Helper()
	g := e.gauge(name)
	for i := 0; i < 200 && g != want; i++ {
		time.Sleep(10 * time.Millisecond)
		g = e.gauge(name)
	}
	return g
}

// gauge reads a gauge of the App's metrics registry (-1 when absent).
func (e *env) gauge(name string) float64 {
	e.t.Helper()
	mfs, err := e.app.Metrics.Registry.Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	return -1
}

// A held IDLE ends when its credential's expiry passes, though no change tells it (an expiry
// passing is no change): a timer at the expiry makes it look again.
func TestIdleEndsAtExpiry(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		at := time.Now().Add(2 * time.Second)
		if err := e.app.Store.UpdateCredential(context.Background(), e.credID,
			store.CredentialPatch{ExpiresAt: &store.Nullable[time.Time]{Value: &at}}); err != nil {
			t.Fatal(err)
		}
		c := e.login()
		c.ok("SELECT INBOX")
		c.idle()
		start := time.Now()
		if rest := c.readAll(); !strings.Contains(rest, "* BYE") {
			t.Fatalf("IDLE at expiry got %q", rest)
		}
		// Well before IdleRecheck (ten minutes): the expiry timer ended it.
		if d := time.Since(start); d > 8*time.Second {
			t.Fatalf("IDLE ended after %s", d)
		}
	})
}
