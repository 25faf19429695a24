package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// FolderOfType finds the account's first folder of a type, never another account's, and says
// ErrNotFound when there is none.
func TestFolderOfType(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := seedAccount(t, s, "types-a@example.com"), seedAccount(t, s, "types-b@example.com")
		mk := func(acct uint64, name string, typ int) uint64 {
			f := &store.Folder{AccountID: acct, DisplayName: name, Type: typ, Class: "Email"}
			if err := s.CreateFolder(ctx, f); err != nil {
				t.Fatal(err)
			}
			return f.ID
		}
		mk(b.ID, "Inbox", 2) // another account's Inbox first
		first := mk(a.ID, "Projects", 12)
		inbox := mk(a.ID, "Inbox", 2)
		mk(a.ID, "Later", 12)
		if f, err := s.FolderOfType(ctx, a.ID, 2); err != nil || f.ID != inbox {
			t.Errorf("Inbox: %+v %v, want folder %d", f, err, inbox)
		}
		if f, err := s.FolderOfType(ctx, a.ID, 12); err != nil || f.ID != first {
			t.Errorf("first user folder: %+v %v, want folder %d", f, err, first)
		}
		if _, err := s.FolderOfType(ctx, a.ID, 4); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no Deleted Items: %v, want ErrNotFound", err)
		}
	})
}
