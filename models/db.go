// Package models holds the GORM models, the migrations and the queries that read and write them.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/ncruces/go-sqlite3/embed" // the SQLite engine, compiled to WebAssembly: no cgo
	"github.com/ncruces/go-sqlite3/gormlite"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Database drivers.
const (
	DriverSQLite = "sqlite"
	DriverMySQL  = "mysql"
)

// DBConfig says which database to open.
type DBConfig struct {
	Driver string // sqlite or mysql
	DSN    string // sqlite: a file path; mysql: a go-sql-driver DSN
	// MaxOpenConns caps the pool; 0 keeps the driver's default.
	MaxOpenConns int
	// Location is the time zone people's dates are in ("today", a member's leaving date);
	// nil means Asia/Shanghai.
	Location *time.Location
}

// DB is the product's storage: a GORM handle plus the clock every timestamp comes from.
type DB struct {
	Gorm   *gorm.DB
	Driver string
	// Now is the clock; tests replace it so stored times are predictable.
	Now func() time.Time
	// Location is the time zone people's dates are in.
	Location *time.Location
	Log      *slog.Logger
}

// Open connects to the database and checks it answers; it does not migrate.
func Open(ctx context.Context, cfg DBConfig, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{Driver: cfg.Driver, Log: log, Now: func() time.Time { return time.Now().UTC() }, Location: cfg.Location}
	if db.Location == nil {
		db.Location = ChinaTime
	}
	gcfg := &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return db.Now().UTC() },
		TranslateError:                           true,
		DisableForeignKeyConstraintWhenMigrating: true,
	}
	var dial gorm.Dialector
	switch cfg.Driver {
	case DriverSQLite:
		dsn, err := sqliteDSN(cfg.DSN)
		if err != nil {
			return nil, err
		}
		dial = gormlite.Open(dsn)
	case DriverMySQL:
		dsn, err := mysqlDSN(cfg.DSN)
		if err != nil {
			return nil, err
		}
		dial = gormmysql.Open(dsn)
	default:
		return nil, fmt.Errorf("database.driver %q: must be sqlite or mysql", cfg.Driver)
	}
	g, err := gorm.Open(dial, gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", cfg.Driver, err)
	}
	db.Gorm = g
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if cfg.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	}
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	if err := db.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", cfg.Driver, err)
	}
	return db, nil
}

// sqliteDSN turns a file path into a DSN with the settings every connection needs:
// WAL so readers do not block the writer, foreign keys, a busy timeout, and
// immediate transactions so two writers queue instead of failing mid-transaction.
func sqliteDSN(path string) (string, error) {
	if path == "" {
		return "", errors.New("database.dsn: the SQLite file path is empty")
	}
	if strings.HasPrefix(path, "file:") {
		return path, nil
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("database.dsn: cannot create directory %s: %w", dir, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	q.Set("_txlock", "immediate")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode(), nil
}

// mysqlDSN forces the settings the schema relies on: utf8mb4 for Chinese text and
// emoji, parsed times, and UTC so both engines store the same instants.
func mysqlDSN(dsn string) (string, error) {
	c, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("database.dsn: %w", err)
	}
	c.ParseTime = true
	c.Loc = time.UTC
	c.Collation = "utf8mb4_unicode_ci"
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	c.Params["charset"] = "utf8mb4"
	c.Params["time_zone"] = "'+00:00'"
	return c.FormatDSN(), nil
}

// ChinaTime is Asia/Shanghai, with a fixed UTC+8 fallback for systems without tzdata.
var ChinaTime = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Today is the current date where people are.
func (db *DB) Today() Date { return DateOf(db.Now().In(db.Location)) }

// SQL returns the underlying *sql.DB.
func (db *DB) SQL() *sql.DB {
	s, _ := db.Gorm.DB()
	return s
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return db.SQL().PingContext(ctx)
}

// Close releases the connections.
func (db *DB) Close() error { return db.SQL().Close() }

// Tx runs fn in one transaction: everything or nothing.
func (db *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.Gorm.WithContext(ctx).Transaction(fn)
}
