package mailbox_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// treeCounter is the real store, counting folder-tree reads.
type treeCounter struct {
	*store.Store
	reads atomic.Int64
}

func (c *treeCounter) FolderTreeOf(ctx context.Context, accountID uint64) ([]store.Folder, error) {
	c.reads.Add(1)
	return c.Store.FolderTreeOf(ctx, accountID)
}

// The folder tree is read once and kept; a hierarchy change, here or announced by another
// instance, drops it; a delivery into a folder does not.
func TestFolderTreeKeptUntilTheHierarchyChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		id := seedAccount(t, s)
		st := &treeCounter{Store: s}
		n := mailbox.NewLocalNotifier()
		mb := mailbox.New(st, n)
		first, err := mb.FolderTree(ctx, id)
		if err != nil || len(first) != 9 {
			t.Fatalf("first tree: %d folders, %v", len(first), err)
		}
		first[0].DisplayName = "changed by a caller" // the caller's copy only
		again, _ := mb.FolderTree(ctx, id)
		if st.reads.Load() != 1 { // a new account's empty tree; its defaults came from Folders
			t.Fatalf("reads after two calls: %d, want 1 (the second from memory)", st.reads.Load())
		}
		if again[0].DisplayName == "changed by a caller" {
			t.Fatal("a caller's change reached the kept tree")
		}
		n.Publish(mailbox.Change{AccountID: id, FolderID: first[0].ID}) // new mail: the tree stands
		mb.FolderTree(ctx, id)
		if st.reads.Load() != 1 {
			t.Fatalf("a delivery dropped the tree: %d reads", st.reads.Load())
		}
		if _, err := mb.CreateFolder(ctx, id, 0, "Projects", mailbox.TypeUserMail); err != nil {
			t.Fatal(err)
		}
		after, _ := mb.FolderTree(ctx, id)
		if len(after) != 10 {
			t.Fatalf("after CreateFolder: %d folders, want 10", len(after))
		}
		// Another instance's change arrives as a Change with FolderID 0; Change{} drops all.
		mb.FolderTree(ctx, id)
		reads := st.reads.Load()
		n.Publish(mailbox.Change{AccountID: id})
		mb.FolderTree(ctx, id)
		n.Publish(mailbox.Change{})
		mb.FolderTree(ctx, id)
		if got := st.reads.Load() - reads; got != 2 {
			t.Fatalf("reads after two hierarchy notices: %d, want 2", got)
		}
	})
}

// A notifier that cannot tell of every change (the CLI's) gets no kept tree.
func TestFolderTreeNotKeptWithoutObservableNotifier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		id := seedAccount(t, s)
		st := &treeCounter{Store: s}
		mb := mailbox.New(st, blindNotifier{})
		mb.FolderTree(ctx, id)
		mb.FolderTree(ctx, id)
		mb.FolderTree(ctx, id)
		if st.reads.Load() != 3 {
			t.Fatalf("reads: %d, want 3 (every call from the database)", st.reads.Load())
		}
	})
}

type blindNotifier struct{}

func (blindNotifier) Publish(mailbox.Change) {}
func (blindNotifier) Subscribe(uint64) (<-chan mailbox.Change, func()) {
	return make(chan mailbox.Change), func() {}
}
