package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database handle every repository method hangs off.
type Store struct {
	db      *gorm.DB
	dialect string
	// likeOnly makes SearchMail and SearchCandidates scan as before the search index (see
	// UseSearchIndex): what the tests and benchmarks compare the index with.
	likeOnly bool
}

// Errors the services test for; GORM's own errors never cross this package's boundary.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
	ErrLimit    = errors.New("limit reached")
)

// now is the clock for rows: UTC, millisecond precision, so SQLite and MySQL (datetime(3)) agree.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Open connects to SQLite (creating its directory) or MySQL. It does not migrate.
func Open(driver, dsn string) (*Store, error) {
	cfg := &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        now,
		TranslateError: true,
	}
	var dialector gorm.Dialector
	switch driver {
	case "sqlite":
		if dir := filepath.Dir(dsn); dsn != ":memory:" && !strings.HasPrefix(dsn, "file:") {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		// WAL lets readers run beside the writer; busy_timeout makes concurrent writers wait
		// instead of failing; foreign keys are off by default in SQLite.
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dialector = sqlite.Open(dsn + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	case "mysql":
		c, err := gomysql.ParseDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("TESSERA_DB_DSN: %w", err)
		}
		c.ParseTime = true
		c.Loc = time.UTC
		if c.Params == nil {
			c.Params = map[string]string{}
		}
		c.Params["charset"] = "utf8mb4"
		c.Collation = "utf8mb4_unicode_ci"
		// Arguments are escaped by the driver (safe with utf8mb4) instead of a server-side
		// prepare, execute and close for every query: one round trip instead of three. Measured
		// with easload eas-rps on MariaDB: see docs/performance.md.
		c.InterpolateParams = true
		dialector = mysql.Open(c.FormatDSN())
	default:
		return nil, fmt.Errorf("unknown database driver %q", driver)
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	if err := db.Use(newKnownWords(knownWordsMax)); err != nil {
		return nil, err
	}
	if driver == "mysql" {
		// Session() after Set(): every later query starts from a copy of this statement
		// instead of sharing (and polluting) one.
		db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci").Session(&gorm.Session{})
		// Unbounded, a burst of phones opened more connections than the server allows
		// (MariaDB's max_connections is 151) and requests failed with "Too many connections";
		// with database/sql's 2 idle connections the rest were re-dialled on every burst.
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.SetMaxOpenConns(MySQLMaxOpenConns)
			sqlDB.SetMaxIdleConns(MySQLMaxOpenConns)
			sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		}
	} else {
		// One SQLite writer at a time; a small pool avoids "database is locked" storms.
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.SetMaxOpenConns(4)
		}
	}
	return &Store{db: db, dialect: driver}, nil
}

// MySQLMaxOpenConns bounds one instance's MySQL connections: enough for two cores, and several
// instances stay under a default max_connections of 151.
const MySQLMaxOpenConns = 40

// Migrate brings the schema to the newest version.
func (s *Store) Migrate() error { return newMigrator(s.db, migrations()).Migrate() }

// MigrateTo brings the schema up to and including the migration with the given ID (tests, upgrades).
func (s *Store) MigrateTo(id string) error { return newMigrator(s.db, migrations()).MigrateTo(id) }

// AppliedMigrations lists the IDs of the migrations already run.
func (s *Store) AppliedMigrations(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Table("schema_migrations").Order("id").Pluck("id", &ids).Error
	return ids, err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Dialect is "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.dialect }

// Gorm exposes the handle to tests in other packages that need to look at raw rows.
func (s *Store) Gorm() *gorm.DB { return s.db }

func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	}
	return err
}
