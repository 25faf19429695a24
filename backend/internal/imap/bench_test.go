package imap_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// eachBench runs fn on SQLite, and on MariaDB when TESSERA_TEST_MYSQL_DSN is set (a fresh
// database each): the figures of docs/performance.md, section "Mail doors".
func eachBench(b *testing.B, fn func(b *testing.B, be storetest.Backend)) {
	b.Run("sqlite", func(b *testing.B) {
		fn(b, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "t.db")})
	})
	b.Run("mysql", func(b *testing.B) {
		dsn := storetest.MySQL(b)
		if dsn == "" {
			b.Skip(storetest.EnvMySQL + " not set")
		}
		fn(b, storetest.Backend{Driver: "mysql", DSN: dsn})
	})
}

// fill stores n messages in the Inbox the way a delivery does (no LMTP dialogue: set-up only).
func (e *env) fill(n int) {
	ctx := context.Background()
	inbox := e.inbox()
	for i := 0; i < n; i++ {
		raw := fmt.Sprintf("From: sender@example.org\r\nTo: %s\r\nSubject: message %d\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n"+
			"Message-ID: <fill%d@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody of the message\r\n", userEmail, i, i)
		if _, err := e.app.Mailbox.Store(ctx, e.acct.ID, inbox.ID, []byte(raw), false); err != nil {
			e.t.Fatal(err)
		}
	}
}

// What a desktop client does on opening a folder: SELECT, the UIDs, flags and sizes of all,
// then the headers it lists; for 1,000 and 10,000 messages.
func BenchmarkOpenFolder(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(itoa(n), func(b *testing.B) {
			eachBench(b, func(b *testing.B, be storetest.Backend) {
				e := start(b, be)
				e.fill(n)
				c := e.login()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if u := c.ok("SELECT INBOX"); !has(u, "* "+itoa(n)+" EXISTS") {
						b.Fatalf("SELECT: %q", u)
					}
					if u := c.ok("UID FETCH 1:* (UID FLAGS RFC822.SIZE)"); len(u) != n {
						b.Fatalf("%d flags", len(u))
					}
					if u := c.ok("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])"); len(u) != n {
						b.Fatalf("%d headers", len(u))
					}
				}
			})
		})
	}
}

// BenchmarkFetchFlags10k: a client resynchronising the flags of a selected 10,000-message
// folder, one UID FETCH 1:* (UID FLAGS) per iteration.
func BenchmarkFetchFlags10k(b *testing.B) {
	eachBench(b, func(b *testing.B, be storetest.Backend) {
		e := start(b, be)
		e.fill(10000)
		c := e.login()
		c.ok("SELECT INBOX")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if u := c.ok("UID FETCH 1:* (UID FLAGS)"); len(u) != 10000 || !strings.Contains(u[9999], "FLAGS") {
				b.Fatalf("%d answers", len(u))
			}
		}
	})
}

// BenchmarkAppend: APPEND of a 2 KB message over one connection (LITERAL+), as a desktop
// client saves Sent and Drafts.
func BenchmarkAppend(b *testing.B) {
	eachBench(b, func(b *testing.B, be storetest.Backend) {
		e := start(b, be)
		c := e.login()
		body := strings.Repeat("A line of a typical short message body, about 2 KB in all.\r\n", 32)
		b.SetBytes(int64(len(body) + 200))
		b.ResetTimer()
		t0 := time.Now()
		for i := 0; i < b.N; i++ {
			msg := fmt.Sprintf("From: %s\r\nTo: bob@example.org\r\nSubject: append %d\r\nMessage-ID: <append%d@example.com>\r\n\r\n%s",
				userEmail, i, i, body)
			c.n++
			tag := "a" + itoa(c.n)
			c.send(fmt.Sprintf("%s APPEND INBOX (\\Seen) {%d+}\r\n%s", tag, len(msg), msg))
			if u, st := c.until(tag); !strings.HasPrefix(st, "OK") {
				b.Fatalf("APPEND: %s %q", st, u)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "msgs/s")
		b.StopTimer()
		if u := c.ok("STATUS INBOX (MESSAGES)"); !has(u, "MESSAGES "+itoa(b.N)) {
			b.Fatalf("STATUS: %q", u)
		}
	})
}
