package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A database at 0017 upgrades to IMAP subscriptions; names differing only in case are kept
// apart (MySQL's collation would merge them), a second SUBSCRIBE updates, and an account keeps
// MaxSubscriptions names at most.
func TestUpgradeIMAPSubscriptions(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		old := storetest.Open(t, b)
		if err := old.MigrateTo("0017_dav_names"); err != nil {
			t.Fatal(err)
		}
		s := storetest.Open(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		for _, c := range []struct {
			name string
			on   bool
		}{{"Projects", true}, {"projects", false}, {"Projects", false}, {"Café/Ünïcode", true}} {
			if err := s.SetIMAPSubscription(ctx, 1, c.name, c.on); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetIMAPSubscription(ctx, 2, "Projects", true); err != nil {
			t.Fatal(err)
		}
		rows, err := s.IMAPSubscriptions(ctx, 1)
		if err != nil || len(rows) != 3 {
			t.Fatalf("rows = %+v, %v", rows, err)
		}
		got := map[string]bool{}
		for _, r := range rows {
			got[r.Name] = r.Subscribed
		}
		if got["Projects"] || got["projects"] || !got["Café/Ünïcode"] {
			t.Fatalf("subscriptions = %v", got)
		}
		if err := s.SetIMAPSubscription(ctx, 1, strings.Repeat("x", store.MaxSubscriptionName+1), true); !errors.Is(err, store.ErrLimit) {
			t.Fatalf("long name: %v", err)
		}
		var fill []store.IMAPSubscription // up to the limit in one statement
		for i := len(rows); i < store.MaxSubscriptions; i++ {
			fill = append(fill, store.IMAPSubscription{AccountID: 1, NameKey: fmt.Sprintf("k%d", i), Name: fmt.Sprintf("f%d", i), Subscribed: true})
		}
		if err := s.Gorm().Create(&fill).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.SetIMAPSubscription(ctx, 1, "one more", true); !errors.Is(err, store.ErrLimit) {
			t.Fatalf("past the limit: %v", err)
		}
		if err := s.SetIMAPSubscription(ctx, 1, "Projects", true); err != nil { // an existing name still changes
			t.Fatal(err)
		}
	})
}
