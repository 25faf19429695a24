package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// MIME is stored deflated when that pays, read back byte for byte, and rows written before
// (raw MIME) read as they are.
func TestMIMEStoredDeflated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := &store.Folder{AccountID: 1, DisplayName: "Inbox", Type: 2, Class: "Email"}
		if err := s.CreateFolder(ctx, f); err != nil {
			t.Fatal(err)
		}
		big := []byte("From: a@example.org\r\nSubject: Grüße\r\n\r\n" + strings.Repeat("Die Straße ist nass, 東京は晴れ.\r\n", 200))
		small := []byte("Subject: x\r\n\r\nhi\r\n")
		for _, raw := range [][]byte{big, small, nil} {
			it := &store.Item{AccountID: 1, FolderID: f.ID, Class: "Email", MIME: raw, Size: int64(len(raw))}
			if err := s.AddItem(ctx, it); err != nil {
				t.Fatal(err)
			}
			got, err := s.ItemOf(ctx, 1, it.ID)
			if err != nil || !bytes.Equal(got.MIME, raw) {
				t.Fatalf("read back %d bytes, want %d: %v", len(got.MIME), len(raw), err)
			}
			var stored int64
			s.Gorm().Raw("SELECT COALESCE(LENGTH(mime), 0) FROM items WHERE id = ?", it.ID).Scan(&stored)
			if len(raw) == len(big) && stored*4 > int64(len(raw)) || len(raw) == len(small) && stored != int64(len(small)) {
				t.Errorf("%d raw bytes stored as %d", len(raw), stored)
			}
			moved, err := s.MoveItem(ctx, 1, it.ID, f.ID)
			if err != nil || !bytes.Equal(moved.MIME, raw) {
				t.Fatalf("moved: %v", err)
			}
			again, _ := s.ItemsByID(ctx, 1, []uint64{moved.ID})
			if len(again) != 1 || !bytes.Equal(again[0].MIME, raw) {
				t.Fatalf("after a move: %d items", len(again))
			}
		}
		// A row of before: raw MIME in the column.
		if err := s.Gorm().Exec("UPDATE items SET mime = ? WHERE id = (SELECT MAX(id) FROM (SELECT id FROM items) AS t)", big).Error; err != nil {
			t.Fatal(err)
		}
		items, err := s.ItemsByID(ctx, 1, []uint64{6})
		if err != nil || len(items) != 1 || !bytes.Equal(items[0].MIME, big) {
			t.Fatalf("raw row: %d items, %v", len(items), err)
		}
	})
}
