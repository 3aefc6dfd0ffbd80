// Package modelstest opens real databases for tests: a temp-file SQLite always, and a
// fresh MariaDB/MySQL database whenever ROTA_TEST_MYSQL_DSN is set.
package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/gsl/rota/models"
)

// MySQLEnv names the variable holding the DSN of a MySQL/MariaDB server tests may use.
const MySQLEnv = "ROTA_TEST_MYSQL_DSN"

// Backend is one database engine tests run against.
type Backend struct {
	Name string // "sqlite" or "mysql"
	Open func(t testing.TB) *models.DB
}

// Backends returns SQLite and, when ROTA_TEST_MYSQL_DSN is set, MySQL. Under CI the DSN
// must be set: a MySQL-only failure must fail CI, never be skipped.
func Backends(t testing.TB) []Backend {
	out := []Backend{{Name: models.DriverSQLite, Open: MustOpenSQLite}}
	if os.Getenv(MySQLEnv) != "" {
		out = append(out, Backend{Name: models.DriverMySQL, Open: MustOpenMySQL})
	} else if os.Getenv("CI") != "" {
		t.Fatalf("%s is not set under CI: the MySQL tests would silently not run", MySQLEnv)
	}
	return out
}

// ForEach runs fn as a subtest against every backend, each with a fresh, migrated database.
func ForEach(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.Open(t)) })
	}
}

// MustOpenDB opens a fresh, migrated SQLite database in a temp directory.
func MustOpenDB(t testing.TB) *models.DB { return MustOpenSQLite(t) }

// MustOpenSQLite opens a fresh, migrated SQLite database in a temp directory.
func MustOpenSQLite(t testing.TB) *models.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rota.db")
	return mustOpen(t, models.DBConfig{Driver: models.DriverSQLite, DSN: path})
}

// MustOpenMySQL creates a uniquely named database on the server of ROTA_TEST_MYSQL_DSN,
// migrates it, and drops it when the test ends, so tests never see each other's rows.
func MustOpenMySQL(t testing.TB) *models.DB {
	t.Helper()
	base, err := mysql.ParseDSN(os.Getenv(MySQLEnv))
	if err != nil {
		t.Fatalf("%s: %v", MySQLEnv, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "rota_t_" + hex.EncodeToString(b[:])
	admin := base.Clone()
	admin.DBName = ""
	conn, err := sql.Open("mysql", admin.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("create test database on %s: %v", MySQLEnv, err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec("DROP DATABASE IF EXISTS " + name)
		_ = conn.Close()
	})
	cfg := base.Clone()
	cfg.DBName = name
	return mustOpen(t, models.DBConfig{Driver: models.DriverMySQL, DSN: cfg.FormatDSN()})
}

func mustOpen(t testing.TB, cfg models.DBConfig) *models.DB {
	t.Helper()
	ctx := context.Background()
	db, err := models.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// MustCreateMember stores m (filling a name and role when empty) and returns it.
func MustCreateMember(t testing.TB, db *models.DB, m models.Member) *models.Member {
	t.Helper()
	if m.Name == "" {
		m.Name = "测试成员"
	}
	if m.Role == "" {
		m.Role = models.RoleStandingMember
	}
	if err := db.CreateMember(context.Background(), &m); err != nil {
		t.Fatalf("create member %q: %v", m.Name, err)
	}
	return &m
}
