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
