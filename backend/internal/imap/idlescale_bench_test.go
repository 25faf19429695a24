package imap_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// scaleSizes are the Inbox sizes of BenchmarkIdleWakeScale: TESSERA_BENCH_SYNC_SIZES (as for
// the EAS Sync-scale benchmark; make perf-sync runs 1000,10000,100000), else 1,000 and 10,000.
func scaleSizes() []int {
	v := os.Getenv("TESSERA_BENCH_SYNC_SIZES")
	if v == "" {
		v = "1000,10000"
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// fillFast puts n messages into the Inbox quickly: one delivered the ordinary way, then copies
// of its row in batches with the change numbers and UIDs a delivery would have given them, and
// the folder's counters moved past them (as the EAS Sync-scale benchmark fills its Inbox).
func (e *env) fillFast(n int) {
	first := e.deliver("sender@example.org", "message 0", "body of the message")
	db := e.app.Store.Gorm()
	rows := make([]store.Item, 0, 500)
	flush := func() {
		if len(rows) > 0 {
			if err := db.CreateInBatches(rows, 500).Error; err != nil {
				e.t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	base := time.Now().Add(-time.Duration(n) * time.Minute)
	for i := 1; i < n; i++ {
		it := *first
		it.ID = 0
		it.ModSeq, it.UID = first.ModSeq+int64(i), first.UID+uint32(i)
		it.Subject, it.MessageID = fmt.Sprintf("message %d", i), fmt.Sprintf("<fill%d@example.org>", i)
		it.ReceivedAt = base.Add(time.Duration(i) * time.Minute)
		if rows = append(rows, it); len(rows) == 500 {
			flush()
		}
	}
	flush()
	if err := db.Model(&store.Folder{}).Where("id = ?", first.FolderID).Updates(map[string]any{
		"last_seq": first.ModSeq + int64(n-1), "uid_next": first.UID + uint32(n)}).Error; err != nil {
		e.t.Fatal(err)
	}
}

// BenchmarkIdleWakeScale measures an IMAP IDLE wake on a selected Inbox of 1,000, 10,000 and
// 100,000 messages (issue 17, goal 1): "wake" is a delivery and the "* N EXISTS" the idling
// client then reads (the session, held by the front, reads the changes after its MODSEQ and
// writes what changed); "select" is SELECT of the folder, which reads every UID by nature.
func BenchmarkIdleWakeScale(b *testing.B) {
	for _, n := range scaleSizes() {
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
					for i := 0; i < b.N; i++ {
						e.deliver("sender@example.org", "new "+itoa(i), "a new message")
						total++
						want := "* " + itoa(total) + " EXISTS"
						for l := c.line(); l != want; l = c.line() {
						}
					}
					b.StopTimer()
					c.done()
				})
				b.Run("select", func(b *testing.B) {
					c := e.login()
					want := "* " + itoa(total) + " EXISTS"
					for i := 0; i < b.N; i++ {
						if u := c.ok("SELECT INBOX"); !has(u, want) {
							b.Fatalf("SELECT: %q", u)
						}
					}
				})
			})
		})
	}
}
