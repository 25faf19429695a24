package pop3_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// QUIT in TRANSACTION deletes what was marked, as tombstones that devices see; a session that
// ends otherwise deletes nothing.
func TestUpdateOnlyOnQuit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		ids := e.deliver(t, msg("one", "1\r\n"), msg("two", "2\r\n"))
		c := e.login(t)
		c.ok("DELE 1")
		c.ok("DELE 2")
		c.conn.Close() // dropped: no UPDATE
		time.Sleep(100 * time.Millisecond)
		if got := e.live(t); !slices.Equal(got, ids) {
			t.Fatalf("after a dropped connection: %v, want %v", got, ids)
		}
		c = e.login(t)
		c.ok("DELE 1")
		c.ok("QUIT")
		if !c.closed() {
			t.Error("connection open after QUIT")
		}
		if got := e.live(t); !slices.Equal(got, ids[1:]) {
			t.Errorf("after QUIT: %v, want %v", got, ids[1:])
		}
		if ts := e.tombstones(t); !ts[ids[0]] || ts[ids[1]] {
			t.Errorf("tombstones %v, want only %d", ts, ids[0])
		}
		// QUIT before login deletes nothing either.
		c = dial(t, e.addr)
		if r := c.ok("QUIT"); !strings.Contains(r, "signing off") {
			t.Errorf("QUIT in AUTHORIZATION: %q", r)
		}
	})
}

// A passcode deleted while a session is open ends it at the next command, before it runs.
func TestRevokedPasscodeEndsSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		ids := e.deliver(t, msg("one", "1\r\n"))
		c := e.login(t)
		c.ok("DELE 1")
		if err := e.creds.Delete(context.Background(), e.acct, e.pcID, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if r := c.cmd("QUIT"); !strings.HasPrefix(r, "-ERR [AUTH]") {
			t.Errorf("QUIT after the passcode was deleted: %q", r)
		}
		if !c.closed() {
			t.Error("connection open after revocation")
		}
		if got := e.live(t); !slices.Equal(got, ids) {
			t.Errorf("a revoked session deleted: live %v, want %v", got, ids)
		}
		c = dial(t, e.addr)
		c.stls(e.clientTLS)
		c.ok("USER " + userEmail)
		if r := c.cmd("PASS " + e.passcode); r != "-ERR [AUTH] Authentication failed" {
			t.Errorf("deleted passcode: %q", r)
		}
	})
}
