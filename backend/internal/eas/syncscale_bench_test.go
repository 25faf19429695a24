package eas_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// fillInbox puts n messages into the account's Inbox fast: one delivered the ordinary way, then
// copies of its row (apptest.CopyItems).
func fillInbox(b *testing.B, s *apptest.Server, accountID uint64, n int) {
	b.Helper()
	first, err := s.App.Mailbox.Deliver(b.Context(), accountID, eastest.Mail(0))
	if err != nil {
		b.Fatal(err)
	}
	apptest.CopyItems(b, s.App.Store, first, n)
}

// syncAll brings a phone's collection from key 0 to the end in windows of 512, the way a phone's
// first sync does, and returns the key and how many Adds it got.
func syncAll(b *testing.B, p *eastest.Phone, coll string) (string, int) {
	b.Helper()
	sy := &eastest.Syncer{T: b, P: p, Coll: coll, Key: eastest.InitialKey(b, p, coll)}
	adds := 0
	window := wbxml.NewText("AirSync:WindowSize", "512")
	for {
		col := sy.Sync(window)
		if col == nil {
			return sy.Key, adds
		}
		adds += len(eastest.Adds(col))
		if !col.Has("AirSync:MoreAvailable") {
			return sy.Key, adds
		}
	}
}

// BenchmarkEASSyncScale measures what a phone's most frequent requests cost on an Inbox of
// 1,000, 10,000 and 100,000 synced messages (issue 17, goal 1; apptest.ScaleSizes): a Sync that finds nothing, a
// Sync that brings one new message, GetItemEstimate and a Ping's look at its folders (the work
// of a wake) with one message waiting, and the initial sync (messages/s). The state's size is
// reported as state-B.
func BenchmarkEASSyncScale(b *testing.B) {
	backends := []storetest.Backend{{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "tessera.db")}}
	if dsn := storetest.MySQL(b); dsn != "" {
		backends = append(backends, storetest.Backend{Driver: "mysql", DSN: dsn})
	}
	for _, backend := range backends {
		for _, n := range apptest.ScaleSizes() {
			b.Run(fmt.Sprintf("%s/n=%d", backend.Driver, n), func(b *testing.B) {
				be := backend
				if be.Driver == "sqlite" {
					dir := b.TempDir()
					if keep := os.Getenv("TESSERA_BENCH_KEEP_DIR"); keep != "" {
						dir = keep // to look at the database afterwards
					}
					be.DSN = filepath.Join(dir, fmt.Sprintf("tessera-%d.db", n))
				} else {
					be.DSN = storetest.MySQL(b)
				}
				benchSyncScale(b, be, n)
			})
		}
	}
}

func benchSyncScale(b *testing.B, backend storetest.Backend, n int) {
	s := apptest.Start(b, backend)
	ctx := b.Context()
	acct, err := s.App.Accounts.Get(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	p, inbox := eastest.Provisioned(b, s, "scale")
	fillInbox(b, s, acct.ID, n)
	key, adds := syncAll(b, p, inbox)
	if adds != n {
		b.Fatalf("initial sync: %d adds of %d", adds, n)
	}
	must := eastest.OK(b)
	// One more phone syncs the whole Inbox from key 0 again and again (key 0 replaces its state):
	// an account has only so many devices and EAS passwords.
	fresh, _ := eastest.Provisioned(b, s, "initial")
	b.Run("initial", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			start := time.Now()
			if _, got := syncAll(b, fresh, inbox); got != n {
				b.Fatalf("initial sync: %d adds of %d", got, n)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
		}
	})
	b.Run("nochange", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := must(p.SyncOne(inbox, key)); easclient.Collection(r.Body, inbox) != nil {
				b.Fatalf("no-change Sync answered %s", r.Body)
			}
		}
	})
	b.Run("onenew", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(i)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			col := easclient.Collection(must(p.SyncOne(inbox, key)).Body, inbox)
			if len(eastest.Adds(col)) != 1 {
				b.Fatalf("one-new Sync answered %s", col)
			}
			key = col.TextOf("AirSync:SyncKey")
		}
		// The size of the state that answer left, the last answer's list (one Add) included.
		var row store.SyncState
		if err := s.App.Store.Gorm().Where("collection_id = ? AND sync_key = ?", inbox, key).Take(&row).Error; err == nil {
			b.ReportMetric(float64(len(row.State)), "state-B")
		}
	})
	// One message waits from here on: the estimate counts it, the Ping's first look finds it.
	if _, err := s.App.Mailbox.Deliver(ctx, acct.ID, eastest.Mail(n)); err != nil {
		b.Fatal(err)
	}
	b.Run("estimate", func(b *testing.B) {
		est := wbxml.New("GetItemEstimate:GetItemEstimate", wbxml.New("Collections", wbxml.New("Collection",
			wbxml.NewText("AirSync:SyncKey", key), wbxml.NewText("CollectionId", inbox))))
		for i := 0; i < b.N; i++ {
			if r := must(p.Do("GetItemEstimate", est)); r.Body.Child("Response").Child("Collection").TextOf("Estimate") != "1" {
				b.Fatalf("GetItemEstimate: %s", r.Body)
			}
		}
	})
	b.Run("pingwake", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := must(p.Do("Ping", eastest.PingBody("300", inbox))); r.Body.TextOf("Status") != "2" {
				b.Fatalf("Ping: %s", r.Body)
			}
		}
	})
}
