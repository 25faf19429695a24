package httpapi_test

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

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
	p := phone(t, s, "14.1", "budget")
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
			c := s.Client()
			c.Login(admin, apptest.AdminPassword)
			r := c.Do("POST", "/api/v1/credentials", map[string]string{"kind": "eas", "label": "Bench"})
			var created createdCredential
			r.JSON(b, &created)
			p := &easclient.Client{BaseURL: s.URL, User: admin, Pass: created.Secret.Password, DeviceID: "bench", DeviceType: "iPhone", Version: "14.1"}
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
