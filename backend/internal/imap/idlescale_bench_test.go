package imap_test

import (
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// fillFast puts n messages into the Inbox fast: one delivered the ordinary way, then copies of
// its row (apptest.CopyItems, as the EAS Sync-scale benchmark fills its Inbox).
func (e *env) fillFast(n int) {
	first := e.deliver("sender@example.org", "message 0", "body of the message")
	apptest.CopyItems(e.t, e.app.Store, first, n)
}

// BenchmarkIdleWakeScale measures an IMAP IDLE wake on a selected Inbox of 1,000, 10,000 and
// 100,000 messages (issue 17, goal 1): "wake" is a delivery and the "* N EXISTS" the idling
// client then reads (the session, held by the front, reads the changes after its MODSEQ and
// writes what changed); "select" is SELECT of the folder, which reads every UID by nature.
func BenchmarkIdleWakeScale(b *testing.B) {
	for _, n := range apptest.ScaleSizes() {
		b.Run("n="+itoa(n), func(b *testing.B) {
			eachBench(b, func(b *testing.B, be storetest.Backend) {
				e := start(b, be)
				e.fillFast(n)
				total := n
				b.Run("wake", func(b *testing.B) {
					c := e.login()
					c.ok("SELECT INBOX")
					c.idle()
					e.waitHeld(1)
					var delivering, telling time.Duration
					b.ResetTimer() // not the login, nor the SELECT (linear in the folder: measured below)
					for i := 0; i < b.N; i++ {
						t0 := time.Now()
						e.deliver("sender@example.org", "new "+itoa(i), "a new message")
						t1 := time.Now()
						total++
						want := "* " + itoa(total) + " EXISTS"
						for l := c.line(); l != want; l = c.line() {
						}
						delivering, telling = delivering+t1.Sub(t0), telling+time.Since(t1)
					}
					b.StopTimer()
					// The two parts of a wake: the delivery (stored, indexed, published) and the
					// rest until the client has read EXISTS (the session's read of the changes).
					b.ReportMetric(float64(delivering.Microseconds())/float64(b.N), "deliver-µs/op")
					b.ReportMetric(float64(telling.Microseconds())/float64(b.N), "tell-µs/op")
					c.done()
				})
				// SELECT of a folder whose index the server keeps (from 2,000 messages: every
				// SELECT after the first reads only the changes since), and the first SELECT on a
				// server that keeps nothing yet, which reads and numbers every message.
				b.Run("select", func(b *testing.B) {
					c := e.login()
					want := "* " + itoa(total) + " EXISTS"
					for i := 0; i < b.N; i++ {
						if u := c.ok("SELECT INBOX"); !has(u, want) {
							b.Fatalf("SELECT: %q", u)
						}
					}
				})
				b.Run("select-first", func(b *testing.B) {
					want := "* " + itoa(total) + " EXISTS"
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						c := e.fresh().login()
						b.StartTimer()
						if u := c.ok("SELECT INBOX"); !has(u, want) {
							b.Fatalf("SELECT: %q", u)
						}
					}
				})
			})
		})
	}
}
