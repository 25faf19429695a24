package store_test

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Items stored before 0016 get UIDs in arrival order, their folders a UIDVALIDITY and a
// UIDNEXT above them; what is added, moved or copied afterwards takes UIDs above those.
func TestUpgradeGivesIMAPUIDs(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0015_known_clients"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		for _, q := range []string{
			"INSERT INTO folders (id, account_id, parent_id, display_name, type, class, last_seq, created_at, updated_at) VALUES (3, 1, 0, 'Inbox', 2, 'Email', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
			"INSERT INTO folders (id, account_id, parent_id, display_name, type, class, last_seq, created_at, updated_at) VALUES (4, 1, 0, 'Other', 12, 'Email', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
		} {
			if err := g.Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range []int{10, 11, 15} {
			if err := g.Exec("INSERT INTO items (id, account_id, folder_id, mod_seq, deleted, class, message_id, from_addr, `read`, flagged, importance, size, received_at, created_at, updated_at) VALUES (?, 1, 3, ?, false, 'Email', '', '', false, false, 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", id, i+1).Error; err != nil {
				t.Fatal(err)
			}
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		inbox, err := s.FolderOf(ctx, 1, 3)
		if err != nil || inbox.UIDValidity != 3 || inbox.UIDNext != 16 {
			t.Fatalf("inbox after upgrade = %+v, %v", inbox, err)
		}
		other, err := s.FolderOf(ctx, 1, 4)
		if err != nil || other.UIDValidity != 4 || other.UIDNext != 1 {
			t.Fatalf("empty folder after upgrade = %+v, %v", other, err)
		}
		idx, err := s.IMAPIndex(ctx, 1, 3, 0)
		if err != nil || len(idx) != 3 || idx[0].UID != 10 || idx[2].UID != 15 {
			t.Fatalf("index = %+v, %v", idx, err)
		}
		it := &store.Item{AccountID: 1, FolderID: 3, Class: "Email"}
		if err := s.AddItem(ctx, it); err != nil || it.UID != 16 {
			t.Fatalf("new item uid = %d, %v", it.UID, err)
		}
		moved, err := s.MoveItem(ctx, 1, 10, 4)
		if err != nil || moved.UID != 1 {
			t.Fatalf("moved uid = %+v, %v", moved, err)
		}
		back, err := s.MoveItem(ctx, 1, moved.ID, 3)
		if err != nil || back.UID != 17 {
			t.Fatalf("moved back: uid %d (want 17 above every earlier one), %v", back.UID, err)
		}
		c, err := s.CopyItem(ctx, 1, 11, 4)
		if err != nil || c.UID != 2 {
			t.Fatalf("copy uid = %d, %v", c.UID, err)
		}
		if _, err := s.CopyItem(ctx, 2, 11, 4); err != store.ErrNotFound {
			t.Fatalf("copy of another account's item: %v", err)
		}
		f := &store.Folder{AccountID: 1, DisplayName: "New", Type: 12, Class: "Email"}
		if err := s.CreateFolder(ctx, f); err != nil || f.UIDValidity != uint32(f.ID) || f.UIDNext != 1 {
			t.Fatalf("new folder = %+v, %v", f, err)
		}
	})
}
