package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// 0036 makes SQLite's items table again with the hot columns first and the bodies last: every
// item comes through whole, the indexes are there, and a new item's
// id stays above every id ever given (the highest was purged before the upgrade).
func TestUpgradeHotColumnsFirst(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0035_search_postings_order"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		insertOldMail(t, g)
		top := uint64(10 + len(searchCorpus) - 1)
		if err := g.Exec("DELETE FROM items WHERE id = ?", top).Error; err != nil { // a purged tombstone
			t.Fatal(err)
		}
		if err := g.Exec("UPDATE items SET imap_flags = '\\Answered $Work', size = id * 7, mime = ? WHERE id = 12", largeMIME()).Error; err != nil {
			t.Fatal(err)
		}
		var before []store.Item
		if err := g.Order("id").Find(&before).Error; err != nil {
			t.Fatal(err)
		}

		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		var after []store.Item
		if err := s.Gorm().Order("id").Find(&after).Error; err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) || len(after) == 0 {
			t.Fatalf("%d items after the upgrade, %d before", len(after), len(before))
		}
		for i := range before {
			if fmt.Sprintf("%+v", after[i]) != fmt.Sprintf("%+v", before[i]) {
				t.Errorf("item %d changed:\n%+v\n%+v", before[i].ID, before[i], after[i])
			}
		}
		m := s.Gorm().Migrator()
		for _, idx := range []string{"idx_items_folder_seq", "idx_items_account_id", "idx_items_folder_uid", "idx_items_folder_dav_name", "idx_items_folder_arrival"} {
			if !m.HasIndex("items", idx) {
				t.Errorf("items has no index %s after the upgrade", idx)
			}
		}
		if b.Driver == "sqlite" {
			types, err := m.ColumnTypes("items")
			if err != nil {
				t.Fatal(err)
			}
			order := map[string]int{}
			for i, c := range types {
				order[c.Name()] = i
			}
			if order["mime"] != len(types)-1 || order["imap_flags"] > order["body_text"] || order["size"] > order["body_text"] || order["uid"] > order["subject"] {
				t.Errorf("column order %v: hot columns not before the bodies", order)
			}
		}
		it := &store.Item{AccountID: 1, FolderID: 3, Class: "Email", Subject: "after", MIME: []byte("Subject: after\r\n\r\nx")}
		if err := s.AddItems(ctx, []*store.Item{it}); err != nil {
			t.Fatal(err)
		}
		if it.ID <= top {
			t.Errorf("new item got id %d, an id given before (highest %d)", it.ID, top)
		}
	})
}

// largeMIME is a message of about 64 KB that deflate cannot shrink: its stored value spills
// over many SQLite pages.
func largeMIME() []byte {
	out := []byte("Subject: big\r\n\r\n")
	x := uint32(2463534242)
	for len(out) < 64*1024 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out = append(out, byte(x))
	}
	return out
}
