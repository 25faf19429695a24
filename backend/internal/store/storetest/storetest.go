// Package storetest runs a test against every database Tessera supports: SQLite always, MySQL
// when TESSERA_TEST_MYSQL_DSN is set. Each run gets a fresh, empty database of its own.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// EnvMySQL names the variable with a DSN of a MySQL/MariaDB server the tests may create databases on.
const EnvMySQL = testenv.EnvMySQL

// Backend is one database a test can run against.
type Backend struct {
	Driver string
	DSN    string
}

// Each runs fn as a subtest per backend with a migrated, empty store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	EachRaw(t, func(t *testing.T, b Backend) {
		s := openStore(t, b)
		if err := s.Migrate(); err != nil {
			t.Fatalf("migrate %s: %v", b.Driver, err)
		}
		fn(t, s)
	})
}

// EachRaw runs fn per backend with a fresh empty database that is not migrated.
func EachRaw(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, Backend{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "tessera.db")})
	})
	t.Run("mysql", func(t *testing.T) {
		dsn := testenv.RequireMySQL(t)
		fn(t, Backend{Driver: "mysql", DSN: freshMySQL(t, dsn)})
	})
}

// Open opens b as a store closed at the end of the test.
func Open(t *testing.T, b Backend) *store.Store { return openStore(t, b) }

func openStore(t *testing.T, b Backend) *store.Store {
	t.Helper()
	s, err := store.Open(b.Driver, b.DSN)
	if err != nil {
		t.Fatalf("open %s: %v", b.Driver, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// freshMySQL creates a uniquely named database on the server of dsn and drops it after the test.
func freshMySQL(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvMySQL, err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("mysql: %v", err)
	}
	defer admin.Close()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "tessera_t_" + hex.EncodeToString(buf)
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("mysql", cfg.FormatDSN()); err == nil {
			_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
			db.Close()
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// MySQL returns the DSN of a fresh MySQL database that lives as long as t, or "" when
// TESSERA_TEST_MYSQL_DSN is not set.
func MySQL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvMySQL)
	if dsn == "" {
		return ""
	}
	return freshMySQL(t, dsn)
}
