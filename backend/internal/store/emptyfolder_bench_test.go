package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// BenchmarkEmptyFolder empties a folder of 1,000 mails on SQLite item by item (DeleteItem, a
// transaction each, as IMAP EXPUNGE does) and in batches (DeleteFolderItems, as EAS
// EmptyFolderContents does). The time to fill the folder is not counted.
func BenchmarkEmptyFolder(b *testing.B) {
	const n = 1000
	for _, mode := range []string{"one-by-one", "batched"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			s, err := store.Open("sqlite", filepath.Join(b.TempDir(), "tessera.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(); err != nil {
				b.Fatal(err)
			}
			a := benchAccount(b, s)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := &store.Folder{AccountID: a.ID, DisplayName: fmt.Sprintf("Trash %d", i), Type: 4, Class: "Email"}
				if err := s.CreateFolder(ctx, f); err != nil {
					b.Fatal(err)
				}
				var items []*store.Item
				for j := 0; j < n; j++ {
					raw := []byte(fmt.Sprintf("Subject: m%d\r\n\r\nbody of mail %d", j, j))
					items = append(items, &store.Item{AccountID: a.ID, FolderID: f.ID, Class: "Email", Subject: fmt.Sprintf("m%d", j),
						MIME: raw, Size: int64(len(raw)), BodyText: fmt.Sprintf("body of mail %d", j)})
				}
				if err := s.AddItems(ctx, items); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if mode == "batched" {
					if got, err := s.DeleteFolderItems(ctx, a.ID, f.ID); err != nil || got != n {
						b.Fatal(got, err)
					}
					continue
				}
				for _, it := range items {
					if err := s.DeleteItem(ctx, a.ID, it.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// benchAccount makes the domain example.com and an account in it, for a benchmark's store.
func benchAccount(b *testing.B, s *store.Store) *store.Account {
	b.Helper()
	ctx := context.Background()
	d, err := s.CreateDomain(ctx, "example.com")
	if err != nil {
		b.Fatal(err)
	}
	a := &store.Account{Email: "bench@example.com", DomainID: d.ID, PasswordHash: "h1", Role: store.RoleUser, Status: store.StatusActive}
	if err := s.CreateAccount(ctx, a); err != nil {
		b.Fatal(err)
	}
	return a
}
