package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// Words this process knows committed are not asked about again (searchknown.go): a second
// message of the same words reads no suffix row. A word met only by a transaction that rolled
// back is not known, so a later message with it still writes its suffixes, and a substring
// search finds that message.
func TestKnownWordsSkipTheSuffixRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		acct := seedAccount(t, s, "known-words@example.com")
		f := &store.Folder{AccountID: acct.ID, DisplayName: "Inbox", Type: 2, Class: "Email"}
		if err := s.CreateFolder(ctx, f); err != nil {
			t.Fatal(err)
		}
		reads := 0
		if err := s.Gorm().Callback().Query().Before("gorm:query").Register("test:suffix-reads", func(db *gorm.DB) {
			if db.Statement.Table == "search_suffixes" {
				reads++
			}
		}); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("refused after indexing")
		if err := s.Gorm().Callback().Create().After("gorm:after_create").Register("test:fail", func(db *gorm.DB) {
			if it, ok := db.Statement.Dest.(*store.Item); ok && it.Subject == "Rolled back" {
				db.AddError(boom)
			}
		}); err != nil {
			t.Fatal(err)
		}
		add := func(subject, text string) error {
			mime := "Subject: " + subject + "\r\n\r\n" + text + "\r\n"
			return s.AddItem(ctx, &store.Item{AccountID: acct.ID, FolderID: f.ID, Class: "Email", ReceivedAt: time.Now().UTC(),
				Subject: subject, FromAddr: "harbor@example.org", BodyText: text, MIME: []byte(mime), Size: int64(len(mime))})
		}
		found := func(q string) []uint64 {
			items, _, err := s.SearchMail(ctx, acct.ID, store.MailQuery{Text: q}, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			var ids []uint64
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			slices.Sort(ids)
			return ids
		}

		if err := add("Lantern notes", "the harbor lantern is lit"); err != nil {
			t.Fatal(err)
		}
		if reads == 0 {
			t.Fatal("the first message read no suffix row: the test counts nothing")
		}
		before := reads
		if err := add("Lantern notes", "the harbor lantern is lit"); err != nil {
			t.Fatal(err)
		}
		if reads != before {
			t.Errorf("a message of known words read suffix rows %d times", reads-before)
		}
		if got := found("antern"); len(got) != 2 {
			t.Errorf("antern: %v, want both messages", got)
		}

		if err := add("Rolled back", "a quixotic zeppelin"); !errors.Is(err, boom) {
			t.Fatalf("the refused message: %v", err)
		}
		before = reads
		if err := add("Airship", "a quixotic zeppelin"); err != nil {
			t.Fatal(err)
		}
		if reads == before {
			t.Error("words of a rolled back message were taken as known")
		}
		if got := found("eppeli"); len(got) != 1 {
			t.Errorf("eppeli: %v, want the message stored after the rollback", got)
		}
	})
}
