package pop3_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// STAT, LIST and UIDL over a snapshot: numbers in arrival order, sizes as stored, ids the
// item ids.
func TestStatListUidl(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		raws := []string{msg("one", "first\r\n"), msg("two", "second body\r\n"), msg("three", "x\r\n")}
		ids := e.deliver(t, raws...)
		c := e.login(t)
		total := 0
		for _, r := range raws {
			total += len(r)
		}
		if r := c.ok("STAT"); r != fmt.Sprintf("+OK 3 %d", total) {
			t.Errorf("STAT: %q", r)
		}
		c.ok("LIST")
		var wantList, wantUIDL []string
		for i, r := range raws {
			wantList = append(wantList, fmt.Sprintf("%d %d", i+1, len(r)))
			wantUIDL = append(wantUIDL, fmt.Sprintf("%d %d", i+1, ids[i]))
		}
		if got := c.multi(); !slices.Equal(got, wantList) {
			t.Errorf("LIST: %q, want %q", got, wantList)
		}
		c.ok("UIDL")
		if got := c.multi(); !slices.Equal(got, wantUIDL) {
			t.Errorf("UIDL: %q, want %q", got, wantUIDL)
		}
		if r := c.ok("LIST 2"); r != "+OK "+wantList[1] {
			t.Errorf("LIST 2: %q", r)
		}
		if r := c.ok("UIDL 3"); r != "+OK "+wantUIDL[2] {
			t.Errorf("UIDL 3: %q", r)
		}
		for _, bad := range []string{"LIST 0", "LIST 4", "UIDL 99999999999", "LIST x", "LIST -1", "LIST +1", "STAT 1", "LIST 1 2"} {
			if r := c.cmd(bad); !strings.HasPrefix(r, "-ERR") {
				t.Errorf("%s: %q", bad, r)
			}
		}
		// Mail delivered after login is not in the snapshot.
		e.deliver(t, msg("four", "late\r\n"))
		if r := c.ok("STAT"); !strings.HasPrefix(r, "+OK 3 ") {
			t.Errorf("STAT after a delivery: %q", r)
		}
		c.ok("NOOP")
		c.ok("QUIT")
		// The ids are the same in the next session, which sees the fourth too.
		c = e.login(t)
		c.ok("UIDL")
		if got := c.multi(); len(got) != 4 || !slices.Equal(got[:3], wantUIDL) {
			t.Errorf("UIDL of the next session: %q", got)
		}
	})
}

// RETR sends CRLF lines, dot-stuffed; TOP the header and n lines.
func TestRetrTop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		lf := "From: a@example.org\nSubject: bare LF\n\nline 1\n.dot line\n..two dots\nline 4\n.\nlast without newline"
		e.deliver(t, msg("crlf", "body 1\r\nbody 2\r\n"), lf)
		c := e.login(t)
		if r := c.ok("RETR 1"); r != "+OK "+strconv.Itoa(len(msg("crlf", "body 1\r\nbody 2\r\n")))+" octets" {
			t.Errorf("RETR 1: %q", r)
		}
		want := strings.Split(strings.TrimSuffix(msg("crlf", "body 1\r\nbody 2\r\n"), "\r\n"), "\r\n")
		if got := c.multi(); !slices.Equal(got, want) {
			t.Errorf("RETR 1: %q, want %q", got, want)
		}
		c.ok("RETR 2")
		wantLF := []string{"From: a@example.org", "Subject: bare LF", "", "line 1", "..dot line", "...two dots", "line 4", "..", "last without newline"}
		if got := c.multi(); !slices.Equal(got, wantLF) {
			t.Errorf("RETR 2: %q, want %q", got, wantLF)
		}
		c.ok("TOP 2 0")
		if got := c.multi(); !slices.Equal(got, wantLF[:3]) {
			t.Errorf("TOP 2 0: %q", got)
		}
		c.ok("TOP 2 2")
		if got := c.multi(); !slices.Equal(got, wantLF[:5]) {
			t.Errorf("TOP 2 2: %q", got)
		}
		c.ok("TOP 2 100")
		if got := c.multi(); !slices.Equal(got, wantLF) {
			t.Errorf("TOP 2 100: %q", got)
		}
		for _, bad := range []string{"RETR", "RETR 3", "RETR 1 2", "TOP 1", "TOP 1 -1", "TOP 1 x", "TOP 0 1"} {
			if r := c.cmd(bad); !strings.HasPrefix(r, "-ERR") {
				t.Errorf("%s: %q", bad, r)
			}
		}
	})
}

// DELE marks (the message is gone from STAT, LIST, RETR), RSET unmarks; a message another door
// deleted meanwhile answers -ERR and the session goes on.
func TestDeleRsetAndDeletedElsewhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, pop3.Options{})
		ids := e.deliver(t, msg("one", "1\r\n"), msg("two", "2\r\n"), msg("three", "3\r\n"))
		c := e.login(t)
		c.ok("DELE 2")
		for _, line := range []string{"DELE 2", "RETR 2", "LIST 2", "TOP 2 0", "UIDL 2"} {
			if r := c.cmd(line); !strings.HasPrefix(r, "-ERR") {
				t.Errorf("%s after DELE: %q", line, r)
			}
		}
		if r := c.ok("STAT"); !strings.HasPrefix(r, "+OK 2 ") {
			t.Errorf("STAT after DELE: %q", r)
		}
		c.ok("LIST")
		if got := c.multi(); len(got) != 2 || !strings.HasPrefix(got[0], "1 ") || !strings.HasPrefix(got[1], "3 ") {
			t.Errorf("LIST after DELE: %q", got)
		}
		if r := c.ok("RSET"); !strings.Contains(r, "3 messages") {
			t.Errorf("RSET: %q", r)
		}
		c.ok("RETR 2")
		c.multi()
		// Another door deletes message 3.
		if err := e.mb.Delete(context.Background(), e.acct.ID, ids[2]); err != nil {
			t.Fatal(err)
		}
		if r := c.cmd("RETR 3"); !strings.HasPrefix(r, "-ERR") {
			t.Errorf("RETR of a message deleted elsewhere: %q", r)
		}
		c.ok("NOOP")
		c.ok("DELE 3") // marking it is harmless; QUIT counts it as done
		c.ok("DELE 1")
		if r := c.ok("QUIT"); !strings.Contains(r, "1 messages left") {
			t.Errorf("QUIT: %q", r)
		}
		if got := e.live(t); !slices.Equal(got, []uint64{ids[1]}) {
			t.Errorf("live after QUIT: %v, want [%d]", got, ids[1])
		}
	})
}
