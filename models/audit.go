package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditEntry is one recorded change: who, when, what, before and after.
type AuditEntry struct {
	ID         uint64 `gorm:"primaryKey"`
	At         time.Time
	Actor      string
	Action     string // e.g. member.create, member.update, roster.import
	Entity     string // e.g. member
	EntityID   string
	BeforeJSON *string
	AfterJSON  *string
	RequestID  string
}

// TableName keeps the table name singular-agnostic.
func (AuditEntry) TableName() string { return "audit_log" }

// Actor is who makes a change: a signed-in account, the command line, or the system itself.
type Actor struct {
	Name      string
	RequestID string
}

type actorKey struct{}

// WithActor attaches the actor to ctx so every write below it is audited under that name.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or "system" when none was set.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Name != "" {
		return a
	}
	return Actor{Name: "system"}
}

// Audit records a change inside tx, so the record and the change commit together or not at all.
func (db *DB) Audit(tx *gorm.DB, action, entity string, id any, before, after any) error {
	a := ActorFrom(tx.Statement.Context)
	e := AuditEntry{At: db.Now().UTC(), Actor: a.Name, Action: action, Entity: entity,
		EntityID: fmt.Sprint(id), RequestID: a.RequestID}
	var err error
	if e.BeforeJSON, err = snapshot(before); err != nil {
		return err
	}
	if e.AfterJSON, err = snapshot(after); err != nil {
		return err
	}
	return tx.Create(&e).Error
}

func snapshot(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit snapshot: %w", err)
	}
	s := string(b)
	return &s, nil
}

// AuditFilter narrows an audit query.
type AuditFilter struct {
	Entity   string
	EntityID string
	Actor    string
	Since    time.Time
	Limit    int
	Offset   int
}

// ListAudit returns matching entries, newest first, and the total count.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int64, error) {
	q := db.Gorm.WithContext(ctx).Model(&AuditEntry{})
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, Internal(err)
	}
	var out []AuditEntry
	if err := q.Order("id DESC").Limit(clampLimit(f.Limit)).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, 0, Internal(err)
	}
	return out, total, nil
}

// clampLimit keeps page sizes sane: default 50, at most 500.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}
