package store_test

import (
	"sync"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// A burst of more requests than MySQL's max_connections waits for pooled connections instead
// of failing with "Too many connections" (easload pings on MariaDB found this).
func TestMySQLPoolIsBounded(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		if b.Driver != "mysql" {
			t.Skip("the SQLite pool has its own bound")
		}
		s := storetest.Open(t, b)
		sqlDB, err := s.Gorm().DB()
		if err != nil {
			t.Fatal(err)
		}
		if got := sqlDB.Stats().MaxOpenConnections; got != store.MySQLMaxOpenConns {
			t.Fatalf("MaxOpenConnections = %d, want %d", got, store.MySQLMaxOpenConns)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 3*store.MySQLMaxOpenConns)
		for range 3 * store.MySQLMaxOpenConns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var one int
				errs <- s.Gorm().Raw("SELECT SLEEP(0.05) + 1").Scan(&one).Error
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if st := sqlDB.Stats(); st.OpenConnections > store.MySQLMaxOpenConns || st.WaitCount == 0 {
			t.Fatalf("open %d (max %d), waited %d times: the pool did not bound the burst",
				st.OpenConnections, store.MySQLMaxOpenConns, st.WaitCount)
		}
	})
}

// The MySQL driver interpolates arguments client-side (one round trip per query): values with
// quotes, backslashes, NUL and 4-byte UTF-8 must reach the server and come back unchanged, and a
// value must never be read as SQL.
func TestMySQLInterpolatedArguments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, v := range []string{`O'Brien`, `back\slash`, `"double"`, "nul\x00byte", "emoji 😀 ü", `'; DROP TABLE accounts; --`, `\'`, "`tick`"} {
			var got string
			if err := s.Gorm().Raw("SELECT ?", v).Scan(&got).Error; err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			if got != v {
				t.Errorf("sent %q, got %q", v, got)
			}
		}
		var n int64
		if err := s.Gorm().Raw("SELECT COUNT(*) FROM accounts WHERE email = ?", `x' OR '1'='1`).Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("injection attempt counted %d, %v", n, err)
		}
	})
}
