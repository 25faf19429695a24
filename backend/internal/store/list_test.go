package store_test

import (
	"context"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// LiveMessages lists one folder of one account, live items only, oldest first, without bodies.
func TestLiveMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := seedAccount(t, s, "list-a@example.com"), seedAccount(t, s, "list-b@example.com")
		folder := func(acct uint64) uint64 {
			f := &store.Folder{AccountID: acct, DisplayName: "Inbox", Type: 2, Class: "Email"}
			if err := s.CreateFolder(ctx, f); err != nil {
				t.Fatal(err)
			}
			return f.ID
		}
		fa, fa2, fb := folder(a.ID), folder(a.ID), folder(b.ID)
		add := func(acct, f uint64, mid string) uint64 {
			raw := []byte("Subject: " + mid + "\r\n\r\nbody")
			it := &store.Item{AccountID: acct, FolderID: f, Class: "Email", MessageID: mid, MIME: raw, Size: int64(len(raw)), BodyText: "body"}
			if err := s.AddItem(ctx, it); err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		first, gone, last := add(a.ID, fa, "<1@x>"), add(a.ID, fa, "<2@x>"), add(a.ID, fa, "<3@x>")
		add(a.ID, fa2, "<other folder@x>")
		add(b.ID, fb, "<other account@x>")
		if err := s.DeleteItem(ctx, a.ID, gone); err != nil {
			t.Fatal(err)
		}
		got, err := s.LiveMessages(ctx, a.ID, fa)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != first || got[1].ID != last {
			t.Fatalf("LiveMessages: %+v, want items %d and %d", got, first, last)
		}
		if got[1].MessageID != "<3@x>" || got[1].Size != int64(len("Subject: <3@x>\r\n\r\nbody")) {
			t.Errorf("fields: %+v", got[1])
		}
		if got[0].MIME != nil || got[0].BodyText != "" {
			t.Errorf("bodies were loaded: %+v", got[0])
		}
		if other, err := s.LiveMessages(ctx, b.ID, fa); err != nil || len(other) != 0 {
			t.Errorf("another account's folder: %v %v", other, err)
		}
	})
}
