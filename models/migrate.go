package models

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// migrationsFS holds the versioned migrations, one folder per dialect, so the same
// numbered steps run on SQLite and MySQL/MariaDB.
//
//go:embed migrations/sqlite/*.sql migrations/mysql/*.sql
var migrationsFS embed.FS

// migrationTable records which migrations have run.
const migrationTable = "schema_migrations"

func (db *DB) provider() (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithTableName(migrationTable), goose.WithDisableGlobalRegistry(true)}
	if db.Driver == DriverMySQL {
		dialect = goose.DialectMySQL
		// goose's own locking is PostgreSQL-only; two servers starting at once against
		// one MySQL must not both migrate, so take a named lock on a pinned connection.
		opts = append(opts, goose.WithSessionLocker(mysqlLocker{}))
	}
	sub, err := fs.Sub(migrationsFS, "migrations/"+db.Driver)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, db.SQL(), sub, opts...)
}

// Migrate applies every pending migration in order and returns how many ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	for _, r := range res {
		if r.Error == nil {
			db.Log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
		}
	}
	if err != nil && !errors.Is(err, goose.ErrNoNextVersion) {
		return len(res), fmt.Errorf("migrations: %w", err)
	}
	return len(res), nil
}

// SchemaVersion returns the applied version and the newest version this binary knows.
// Start-up refuses a database newer than the binary: an old binary must not write to a newer schema.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if n := len(srcs); n > 0 {
		latest = srcs[n-1].Version
	}
	return current, latest, nil
}

// mysqlLocker serialises migrations across processes with MySQL's GET_LOCK.
type mysqlLocker struct{}

const mysqlLockName = "rota_schema_migrations"

func (mysqlLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 60)", mysqlLockName).Scan(&got); err != nil {
		return err
	}
	if got.Int64 != 1 {
		return errors.New("another process is migrating the database (lock not acquired within 60s)")
	}
	return nil
}

func (mysqlLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", mysqlLockName)
	return err
}
