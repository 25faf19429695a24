package store_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// BenchmarkHotColumns reads what the hot paths read of every message of a folder of 2,000 — an
// IMAP SELECT's index (IMAPIndex: uid, flags, size, arrival) and the EAS marks (ItemMarks) — when
// the messages are small (a 1 KB text mail) and when each carries a 96 KB attachment that does
// not deflate (issue 17, goal 4: are bodies in the row a cost to the reads that do not want them?).
// The fill is not counted. On SQLite a column stored after a large value is reached through the
// row's overflow pages; InnoDB moves long values off the row.
func BenchmarkHotColumns(b *testing.B) {
	for _, engine := range []string{"sqlite", "mysql"} {
		for _, size := range []string{"small", "large"} {
			b.Run(engine+"/"+size, func(b *testing.B) {
				s, acct, folder := hotFolder(b, engine, size == "large", 2000)
				ctx := context.Background()
				b.Run("IMAPIndex", func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if got, err := s.IMAPIndex(ctx, acct, folder, 0); err != nil || len(got) != 2000 {
							b.Fatal(len(got), err)
						}
					}
				})
				b.Run("ItemMarks", func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if got, err := s.ItemMarks(ctx, folder); err != nil || len(got) != 2000 {
							b.Fatal(len(got), err)
						}
					}
				})
			})
		}
	}
}

// hotFolder makes a store on engine with one account and a folder of n messages, inserted in
// batches with UIDs and change numbers as deliveries would give them (no search index: not read).
// Not apptest.CopyItems: its batches of 500 rows of ~75 KB are over MariaDB's max_allowed_packet
// (16 MB by default); these are 100.
func hotFolder(b *testing.B, engine string, large bool, n int) (*store.Store, uint64, uint64) {
	b.Helper()
	dsn := filepath.Join(b.TempDir(), "t.db")
	if engine == "mysql" {
		if dsn = storetest.MySQL(b); dsn == "" {
			b.Skip(storetest.EnvMySQL + " not set")
		}
	}
	s, err := store.Open(engine, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	a := benchAccount(b, s)
	f := &store.Folder{AccountID: a.ID, DisplayName: "Archive", Type: 12, Class: "Email"}
	if err := s.CreateFolder(ctx, f); err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Minutes of the meeting, with the figures of the quarter.\r\n", 16)
	var attach string
	if large {
		buf := make([]byte, 72*1024)
		_, _ = rand.Read(buf)
		attach = "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			base64.StdEncoding.EncodeToString(buf) + "\r\n--b--\r\n"
	}
	rows := make([]store.Item, 0, 100)
	base := time.Now().Add(-time.Duration(n) * time.Minute)
	for i := 1; i <= n; i++ {
		mime := fmt.Sprintf("From: a@example.org\r\nSubject: m%d\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"+
			"Content-Type: text/plain\r\n\r\n%s\r\n%s", i, text, attach)
		rows = append(rows, store.Item{AccountID: a.ID, FolderID: f.ID, Class: "Email", ModSeq: int64(i), UID: uint32(i),
			ReceivedAt: base.Add(time.Duration(i) * time.Minute), MessageID: fmt.Sprintf("<m%d@example.org>", i),
			FromAddr: "a@example.org", Subject: fmt.Sprintf("m%d", i), BodyText: text, MIME: []byte(mime), Size: int64(len(mime))})
		if len(rows) == cap(rows) || i == n {
			if err := s.Gorm().CreateInBatches(rows, len(rows)).Error; err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if err := s.Gorm().Model(&store.Folder{}).Where("id = ?", f.ID).Updates(map[string]any{
		"last_seq": n, "uid_next": n + 1}).Error; err != nil {
		b.Fatal(err)
	}
	return s, a.ID, f.ID
}
