package imap_test

import (
	"path/filepath"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// What a desktop client does on opening a folder of 1000 messages: SELECT, the UIDs, flags and
// sizes of all, then the headers it lists (SQLite).
func BenchmarkOpenFolder(b *testing.B) {
	e := start(b, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "t.db")})
	for i := 0; i < 1000; i++ {
		e.deliver("sender@example.org", "message "+itoa(i), "body of the message")
	}
	c := e.login()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if u := c.ok("SELECT INBOX"); !has(u, "* 1000 EXISTS") {
			b.Fatalf("SELECT: %q", u)
		}
		if u := c.ok("UID FETCH 1:* (UID FLAGS RFC822.SIZE)"); len(u) != 1000 {
			b.Fatalf("%d flags", len(u))
		}
		if u := c.ok("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])"); len(u) != 1000 {
			b.Fatalf("%d headers", len(u))
		}
	}
}
