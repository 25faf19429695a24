package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// 0036 makes SQLite's items table again with the hot columns first and the bodies last: every
// item comes through whole, the indexes are there, and a new item's
// id stays above every id ever given (the highest was purged before the upgrade).
func TestUpgradeHotColumnsFirst(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) { upgradeHotColumns(t, b, false) })
}

// An upgrade stopped half-way (the first rows copied and gone from the old table, its indexes
// dropped) starts again where it stopped and loses nothing.
func TestUpgradeHotColumnsResumes(t *testing.T) {
	upgradeHotColumns(t, storetest.Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "t.db")}, true)
}

func upgradeHotColumns(t *testing.T, b storetest.Backend, interrupted bool) {
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
	if interrupted {
		for _, q := range []string{
			"CREATE TABLE items_0036 (`id` integer PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `folder_id` integer NOT NULL, `mod_seq` integer NOT NULL, `uid` integer NOT NULL DEFAULT 0, `deleted` numeric NOT NULL, `read` numeric NOT NULL, `flagged` numeric NOT NULL, `importance` integer NOT NULL, `size` integer NOT NULL, `received_at` datetime NOT NULL, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `class` varchar(16) NOT NULL, `imap_flags` varchar(1000) NOT NULL DEFAULT '', `dav_name` varchar(191) NOT NULL DEFAULT '', `message_id` varchar(191) NOT NULL, `from_addr` varchar(191) NOT NULL, `to_addr` text, `cc_addr` text, `subject` text, `attachments` text, `props` longtext, `body_text` longtext, `body_html` longtext, `mime` longblob)",
			"INSERT INTO items_0036 SELECT id, account_id, folder_id, mod_seq, uid, deleted, `read`, flagged, importance, size, received_at, created_at, updated_at, class, imap_flags, dav_name, message_id, from_addr, to_addr, cc_addr, subject, attachments, props, body_text, body_html, mime FROM items WHERE id <= 12",
			"DELETE FROM items WHERE id <= 12",
			"DROP INDEX idx_items_folder_seq",
			"DROP INDEX idx_items_folder_uid",
		} {
			if err := g.Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
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
