package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// ItemMarksSince lists the same changes as ItemsSince, in the same order and bounded the same,
// tombstones included, with the marks the Sync engine tests and without the content.
func TestItemMarksSinceIsItemsSinceWithoutContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := seedAccount(t, s, "marks@example.com")
		f := &store.Folder{AccountID: a.ID, DisplayName: "Inbox", Type: 2, Class: "Email"}
		if err := s.CreateFolder(ctx, f); err != nil {
			t.Fatal(err)
		}
		var items []*store.Item
		for i := 0; i < 6; i++ {
			raw := []byte(fmt.Sprintf("Subject: m%d\r\n\r\nbody %d", i, i))
			items = append(items, &store.Item{AccountID: a.ID, FolderID: f.ID, Class: "Email", Subject: fmt.Sprintf("m%d", i),
				MIME: raw, Size: int64(len(raw)), BodyText: fmt.Sprintf("body %d", i)})
		}
		if err := s.AddItems(ctx, items); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteItem(ctx, a.ID, items[1].ID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			since int64
			limit int
		}{{0, 100}, {0, 2}, {items[2].ModSeq, 100}} {
			full, err := s.ItemsSince(ctx, f.ID, c.since, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			marks, err := s.ItemMarksSince(ctx, f.ID, c.since, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(marks) != len(full) || len(full) == 0 {
				t.Fatalf("since %d limit %d: %d marks, %d items", c.since, c.limit, len(marks), len(full))
			}
			for i := range full {
				m, it := marks[i], full[i]
				if m.ID != it.ID || m.UID != it.UID || m.ModSeq != it.ModSeq || m.Deleted != it.Deleted || !m.ReceivedAt.Equal(it.ReceivedAt) {
					t.Errorf("since %d, change %d: marks %+v, item id %d uid %d seq %d deleted %v", c.since, i, m, it.ID, it.UID, it.ModSeq, it.Deleted)
				}
				if len(m.MIME) != 0 || m.BodyText != "" || m.Subject != "" {
					t.Errorf("change %d carries content: %d bytes of MIME, %q", i, len(m.MIME), m.Subject)
				}
			}
		}
	})
}
