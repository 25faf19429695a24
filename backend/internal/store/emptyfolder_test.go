package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// DeleteFolderItems tombstones every live item of the folder, over more than one batch, each
// with a change number of its own right after the folder's last one; the search index drops
// them; another folder and another account keep theirs.
func TestDeleteFolderItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := seedAccount(t, s, "empty-a@example.com"), seedAccount(t, s, "empty-b@example.com")
		folder := func(acct uint64) uint64 {
			f := &store.Folder{AccountID: acct, DisplayName: "Deleted Items", Type: 4, Class: "Email"}
			if err := s.CreateFolder(ctx, f); err != nil {
				t.Fatal(err)
			}
			return f.ID
		}
		fa, fa2, fb := folder(a.ID), folder(a.ID), folder(b.ID)
		mail := func(acct, f uint64, i int) *store.Item {
			raw := []byte(fmt.Sprintf("Subject: m%d\r\n\r\nzebracorn %d", i, i))
			return &store.Item{AccountID: acct, FolderID: f, Class: "Email", Subject: fmt.Sprintf("m%d", i), MIME: raw,
				Size: int64(len(raw)), BodyText: fmt.Sprintf("zebracorn %d", i)}
		}
		const n = 450
		var items []*store.Item
		for i := 0; i < n; i++ {
			items = append(items, mail(a.ID, fa, i))
		}
		items = append(items, mail(a.ID, fa2, n), mail(b.ID, fb, n+1))
		if err := s.AddItems(ctx, items); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteItem(ctx, a.ID, items[0].ID); err != nil { // a tombstone already
			t.Fatal(err)
		}
		before, _ := s.ItemsSince(ctx, fa, 0, 1000)
		last := before[len(before)-1].ModSeq

		if _, err := s.DeleteFolderItems(ctx, b.ID, fa); err != nil {
			t.Fatal(err) // another account's folder: nothing of it is touched
		}
		if live, _, _ := s.CountItemsSince(ctx, fa, 0); live != n-1 {
			t.Fatalf("another account emptied the folder: %d live", live)
		}
		got, err := s.DeleteFolderItems(ctx, a.ID, fa)
		if err != nil || got != n-1 {
			t.Fatalf("DeleteFolderItems: %d %v, want %d", got, err, n-1)
		}
		changed, _ := s.ItemsSince(ctx, fa, last, 1000)
		if len(changed) != n-1 {
			t.Fatalf("%d changes after %d, want %d", len(changed), last, n-1)
		}
		for i, it := range changed {
			if !it.Deleted || it.ModSeq != last+int64(i)+1 || len(it.MIME) != 0 || it.BodyText != "" {
				t.Fatalf("change %d: deleted %v, mod_seq %d (want %d), %d bytes", i, it.Deleted, it.ModSeq, last+int64(i)+1, len(it.MIME))
			}
		}
		if _, total, err := s.SearchMail(ctx, a.ID, store.MailQuery{Text: "zebracorn"}, 0, 1000); err != nil || total != 1 {
			t.Fatalf("search after emptying: %d %v, want only the other folder's mail", total, err)
		}
		if live, _, _ := s.CountItemsSince(ctx, fa2, 0); live != 1 {
			t.Fatalf("the other folder lost its mail")
		}
		if live, _, _ := s.CountItemsSince(ctx, fb, 0); live != 1 {
			t.Fatalf("the other account lost its mail")
		}
		if got, err := s.DeleteFolderItems(ctx, a.ID, fa); err != nil || got != 0 {
			t.Fatalf("emptying an empty folder: %d %v", got, err)
		}
	})
}
