package submission_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/submission"
)

// BenchmarkSubmission: messages per second through one real connection (STARTTLS, AUTH PLAIN
// once) into a local account's Inbox, on SQLite, and on MariaDB when TESSERA_TEST_MYSQL_DSN is
// set: the figures of docs/performance.md.
func BenchmarkSubmission(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSubmission(b, "sqlite", filepath.Join(b.TempDir(), "tessera.db")) })
	b.Run("mysql", func(b *testing.B) {
		dsn := storetest.MySQL(b)
		if dsn == "" {
			b.Skip(storetest.EnvMySQL + " not set")
		}
		benchSubmission(b, "mysql", dsn)
	})
}

func benchSubmission(b *testing.B, driver, dsn string) {
	st, err := store.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(); err != nil {
		b.Fatal(err)
	}
	e := newEnv(b, st, submission.Options{}, "")
	c, err := smtp.DialStartTLS(e.addr, clientTLS())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", "alice@example.com", e.passcode["alice@example.com"])); err != nil {
		b.Fatal(err)
	}
	msg := message("Bench", strings.Repeat("A line of a typical short message body.\r\n", 50), "To: bob@example.com")
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if err := c.SendMail("alice@example.com", []string{"bob@example.com"}, strings.NewReader(msg)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	b.StopTimer()
	if got := e.inbox(b, "bob@example.com"); len(got) == 0 {
		b.Fatal("nothing delivered")
	}
}
