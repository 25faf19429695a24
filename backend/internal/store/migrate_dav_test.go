package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Items a DAV client PUT before 0017 (their name only in Props) get the name in dav_name and
// are found by it; mail (Props "", not JSON), items without a name, names too long for the
// column and tombstones are left alone. Folders get an empty dav_name.
func TestUpgradeGivesDAVNames(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0016_imap_uids"); err != nil {
			t.Fatal(err)
		}
		g := old.Gorm()
		if err := g.Exec("INSERT INTO folders (id, account_id, parent_id, display_name, type, class, last_seq, uid_validity, uid_next, created_at, updated_at) VALUES (9, 1, 0, 'Contacts', 9, 'Contacts', 9, 9, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error; err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("y", 200) + ".vcf"
		rows := []struct {
			id      int
			deleted bool
			props   string
		}{
			{20, false, `{"fileAs":"Carla","dav":{"name":"carla-uuid.vcf","raw":"BEGIN:VCARD"}}`},
			{21, false, `{"fileAs":"Dora","dav":{"uid":"d@test"}}`},
			{22, false, ``},
			{23, false, `{"fileAs":"Long","dav":{"name":"` + long + `"}}`},
			{24, true, `{"fileAs":"Gone","dav":{"name":"gone.vcf"}}`},
			{25, false, `not json "dav": at all`},
		}
		for i, r := range rows {
			if err := g.Exec("INSERT INTO items (id, account_id, folder_id, mod_seq, deleted, class, message_id, from_addr, `read`, flagged, importance, size, props, uid, imap_flags, received_at, created_at, updated_at) VALUES (?, 1, 9, ?, ?, 'Contacts', '', '', true, false, 1, 0, ?, ?, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
				r.id, i+1, r.deleted, r.props, r.id).Error; err != nil {
				t.Fatal(err)
			}
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		it, err := s.ItemByDAVName(ctx, 1, 9, "carla-uuid.vcf")
		if err != nil || it.ID != 20 || it.DAVName != "carla-uuid.vcf" {
			t.Fatalf("ItemByDAVName after upgrade = %+v, %v", it, err)
		}
		for _, name := range []string{"gone.vcf", "", long} {
			if _, err := s.ItemByDAVName(ctx, 1, 9, name); err != store.ErrNotFound {
				t.Errorf("ItemByDAVName(%.20q) = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.ItemByDAVName(ctx, 2, 9, "carla-uuid.vcf"); err != store.ErrNotFound {
			t.Errorf("another account's lookup: %v", err)
		}
		for _, id := range []uint64{21, 22, 23, 25} {
			if it, err := s.ItemOf(ctx, 1, id); err != nil || it.DAVName != "" {
				t.Errorf("item %d after upgrade = %q, %v", id, it.DAVName, err)
			}
		}
		f, err := s.FolderOf(ctx, 1, 9)
		if err != nil || f.DAVName != "" {
			t.Fatalf("folder after upgrade = %+v, %v", f, err)
		}
		nf := &store.Folder{AccountID: 1, DisplayName: "Work", Type: 13, Class: "Calendar", DAVName: "5f0c7a1e"}
		if err := s.CreateFolder(ctx, nf); err != nil {
			t.Fatal(err)
		}
		tree, err := s.FolderTreeOf(ctx, 1)
		if err != nil || len(tree) != 2 || tree[1].DAVName != "5f0c7a1e" {
			t.Fatalf("folder tree = %+v, %v", tree, err)
		}
		name := "later.vcf"
		if _, err := s.UpdateItem(ctx, 1, 21, store.ItemPatch{DAVName: &name}); err != nil {
			t.Fatal(err)
		}
		if it, err := s.ItemByDAVName(ctx, 1, 9, name); err != nil || it.ID != 21 {
			t.Fatalf("after the patch: %+v, %v", it, err)
		}
	})
}
