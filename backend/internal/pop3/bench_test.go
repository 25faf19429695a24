package pop3_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// BenchmarkLoginUIDL10k is a POP3 login (STLS, USER/PASS with a passcode: the snapshot of the
// Inbox) and a UIDL of a 10,000-message Inbox on SQLite: what a client polling with keep
// does every few minutes.
func BenchmarkLoginUIDL10k(b *testing.B) {
	st, err := store.Open("sqlite", filepath.Join(b.TempDir(), "tessera.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(); err != nil {
		b.Fatal(err)
	}
	e := newEnvFree(b, st, pop3.Options{}, 1<<30)
	ctx := context.Background()
	const n = 10000
	for i := range n {
		raw := []byte(fmt.Sprintf("Subject: m%d\r\nMessage-ID: <%d@x>\r\n\r\n%0200d\r\n", i, i, i))
		it := &store.Item{AccountID: e.acct.ID, FolderID: e.inbox, Class: "Email", MessageID: fmt.Sprintf("<%d@x>", i),
			MIME: raw, Size: int64(len(raw))}
		if err := st.AddItem(ctx, it); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		c := e.login(b)
		c.ok("UIDL")
		if got := len(c.multi()); got != n {
			b.Fatalf("UIDL: %d lines", got)
		}
		c.send("QUIT")
		c.conn.Close()
	}
}
