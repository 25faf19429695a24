package eas_test

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// FolderSync likewise: a retry of the previous key is the same answer with the same key; a
// folder made since comes with the next FolderSync.
func TestEASFolderSyncRetryKeepsTheKey(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		must := eastest.OK(t)
		p, _ := eastest.Provisioned(t, s, "dev1")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		k1 := must(p.FolderSync("0")).Body.TextOf("SyncKey")
		newFolder := func(name string) {
			t.Helper()
			if _, err := s.App.Mailbox.CreateFolder(t.Context(), acct.ID, 0, name, 12); err != nil {
				t.Fatal(err)
			}
		}
		names := func(fs *wbxml.Node) string {
			var out []string
			for _, a := range fs.Child("Changes").All("Add") {
				out = append(out, a.TextOf("DisplayName"))
			}
			return strings.Join(out, ",")
		}
		newFolder("Projects")
		fs := must(p.FolderSync(k1)).Body
		k2 := fs.TextOf("SyncKey")
		if names(fs) != "Projects" || k2 == k1 {
			t.Fatalf("k1: %s", fs)
		}
		newFolder("Later")
		for i := 0; i < 2; i++ {
			fs = must(p.FolderSync(k1)).Body
			if fs.TextOf("Status") != "1" || fs.TextOf("SyncKey") != k2 || names(fs) != "Projects" || fs.Child("Changes").TextOf("Count") != "1" {
				t.Fatalf("retry %d of k1: %s", i, fs)
			}
		}
		fs = must(p.FolderSync(k2)).Body
		if names(fs) != "Later" || fs.TextOf("SyncKey") == k2 {
			t.Fatalf("k2: %s", fs)
		}
	})
}

// A phone's most common cheap request, FolderSync with its current key, is on the EAS hot
// path: count the statements it costs, so that one more query per request does not slip in
// unnoticed (docs/performance.md: each one costs MariaDB a round trip). Warm, the credential
// check and the folder tree come from memory: the device with its hierarchy state is left
// (store.DeviceWithState: one statement on MySQL, two on SQLite).
func TestFolderSyncQueryBudget(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		sqls := folderSyncStatements(t, apptest.Start(t, b))
		budget := 2
		if b.Driver == "mysql" {
			budget = 1
		}
		if len(sqls) > budget {
			t.Errorf("a FolderSync with the current key ran %d statements, budget %d:\n%s", len(sqls), budget, strings.Join(sqls, "\n"))
		}
		t.Logf("%d statements", len(sqls))
	})
}

// Without the kept grants (TESSERA_AUTH_CACHE_TTL=0) the credential is checked in the
// database every time: one statement more on MySQL (account and credential joined), two on SQLite.
func TestFolderSyncQueryBudgetCold(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		sqls := folderSyncStatements(t, apptest.Start(t, b, apptest.Options{NoAuthCache: true}))
		budget := 4
		if b.Driver == "mysql" {
			budget = 2
		}
		if len(sqls) > budget || !strings.Contains(strings.Join(sqls, "\n"), "credentials") {
			t.Errorf("a FolderSync with the current key and no kept grant ran %d statements, budget %d, one on credentials:\n%s",
				len(sqls), budget, strings.Join(sqls, "\n"))
		}
	})
}

// folderSyncStatements provisions a phone, runs FolderSync twice and returns the statements
// of a third one.
func folderSyncStatements(t *testing.T, s *apptest.Server) []string {
	p := eastest.NewPhone(t, s, "14.1", "budget")
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}
	fs, err := p.FolderSync("0")
	if err != nil {
		t.Fatal(err)
	}
	key := fs.Body.TextOf("SyncKey")
	if _, err := p.FolderSync(key); err != nil { // the credential's last use is now recent
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sqls []string
	count := func(db *gorm.DB) {
		mu.Lock()
		sqls = append(sqls, db.Statement.SQL.String())
		mu.Unlock()
	}
	cb := s.App.Store.Gorm().Callback()
	cb.Query().After("gorm:query").Register("budget:query", count)
	cb.Row().After("gorm:row").Register("budget:row", count)
	cb.Raw().After("gorm:raw").Register("budget:raw", count)
	cb.Create().After("gorm:create").Register("budget:create", count)
	cb.Update().After("gorm:update").Register("budget:update", count)
	r, err := p.FolderSync(key)
	if err != nil || r.Body.TextOf("Status") != "1" {
		t.Fatalf("FolderSync: %v %+v", err, r)
	}
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(sqls)
}

// BenchmarkFolderSync: a FolderSync with the current key through the whole HTTP stack, the
// request easload eas-rps repeats (go test -bench FolderSync -cpuprofile to see where it goes).
func BenchmarkFolderSync(b *testing.B) {
	backends := []storetest.Backend{{Driver: "sqlite", DSN: filepath.Join(b.TempDir(), "tessera.db")}}
	if dsn := storetest.MySQL(b); dsn != "" {
		backends = append(backends, storetest.Backend{Driver: "mysql", DSN: dsn})
	}
	for _, backend := range backends {
		b.Run(backend.Driver, func(b *testing.B) {
			s := apptest.Start(b, backend)
			_, pw := eastest.EASPassword(b, eastest.AdminClient(b, s), "Bench")
			p := &easclient.Client{BaseURL: s.URL, User: admin, Pass: pw, DeviceID: "bench", DeviceType: "iPhone", Version: "14.1"}
			if _, err := p.Provision(); err != nil {
				b.Fatal(err)
			}
			fs, err := p.FolderSync("0")
			if err != nil {
				b.Fatal(err)
			}
			key := fs.Body.TextOf("SyncKey")
			for b.Loop() {
				if r, err := p.FolderSync(key); err != nil || r.Body.TextOf("Status") != "1" {
					b.Fatalf("FolderSync: %v", err)
				}
			}
		})
	}
}
