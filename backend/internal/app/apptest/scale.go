package apptest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// ScaleSizes are the folder sizes of the scale benchmarks (EAS Sync, IMAP IDLE wake):
// TESSERA_BENCH_SYNC_SIZES (comma-separated; make perf-sync runs 1000,10000,100000), else 1,000
// and 10,000.
func ScaleSizes() []int {
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

// CopyItems fills first's folder up to n messages fast: copies of first's row inserted in
// batches of 500 with the change numbers and UIDs a delivery would have given them, arrivals a
// minute apart, and the folder's counters moved past them in one update. first is a message
// delivered the ordinary way.
func CopyItems(tb testing.TB, st *store.Store, first *store.Item, n int) {
	tb.Helper()
	db := st.Gorm()
	const batch = 500
	rows := make([]store.Item, 0, batch)
	flush := func() {
		if len(rows) > 0 {
			if err := db.CreateInBatches(rows, batch).Error; err != nil {
				tb.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	base := time.Now().Add(-time.Duration(n) * time.Minute)
	for i := 1; i < n; i++ {
		it := *first
		it.ID = 0
		it.ModSeq, it.UID = first.ModSeq+int64(i), first.UID+uint32(i)
		it.Subject, it.MessageID = fmt.Sprintf("Hello %d", i), fmt.Sprintf("<fill%d@example.org>", i)
		it.ReceivedAt = base.Add(time.Duration(i) * time.Minute)
		if rows = append(rows, it); len(rows) == batch {
			flush()
		}
	}
	flush()
	if err := db.Model(&store.Folder{}).Where("id = ?", first.FolderID).Updates(map[string]any{
		"last_seq": first.ModSeq + int64(n-1), "uid_next": first.UID + uint32(n)}).Error; err != nil {
		tb.Fatal(err)
	}
}
