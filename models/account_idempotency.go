package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// IdempotencyTTL is how long a stored response answers a repeated Idempotency-Key.
const IdempotencyTTL = 24 * time.Hour

// IdempotentResponse is a stored response, replayed when the same request comes again.
type IdempotentResponse struct {
	Status      int
	ContentType string
	Location    string
	ETag        string
	Body        string
}

type idempotencyKey struct {
	ID           uint64 `gorm:"primaryKey"`
	AccountID    uint64
	IdemKey      string
	RequestHash  string
	Status       int
	ContentType  string
	Location     string
	Etag         string
	ResponseBody string
	CreatedAt    time.Time
}

func (idempotencyKey) TableName() string { return "idempotency_keys" }

// BeginIdempotent claims key for the account's request with hash. It returns the stored
// response when the same request was already answered, nil when this request should run
// (and FinishIdempotent or AbandonIdempotent must follow), and a conflict when the key was
// used for a different request or the first request with it is still running.
func (db *DB) BeginIdempotent(ctx context.Context, accountID uint64, key, hash string) (*IdempotentResponse, error) {
	g := db.Gorm.WithContext(ctx)
	now := db.Now().UTC()
	if err := g.Where("created_at < ?", now.Add(-IdempotencyTTL)).Delete(&idempotencyKey{}).Error; err != nil {
		return nil, Internal(err)
	}
	row := idempotencyKey{AccountID: accountID, IdemKey: key, RequestHash: hash, CreatedAt: now}
	err := g.Create(&row).Error
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, Internal(err)
	}
	var got idempotencyKey
	if err := g.Where("account_id = ? AND idem_key = ?", accountID, key).First(&got).Error; err != nil {
		return nil, Internal(err)
	}
	switch {
	case got.RequestHash != hash:
		return nil, Errorf(EConflict, "idempotency.key_reused")
	case got.Status == 0:
		return nil, Errorf(EConflict, "idempotency.in_progress")
	}
	return &IdempotentResponse{Status: got.Status, ContentType: got.ContentType, Location: got.Location, ETag: got.Etag, Body: got.ResponseBody}, nil
}

// FinishIdempotent stores the response of a request claimed with BeginIdempotent.
func (db *DB) FinishIdempotent(ctx context.Context, accountID uint64, key string, r IdempotentResponse) error {
	err := db.Gorm.WithContext(ctx).Model(&idempotencyKey{}).Where("account_id = ? AND idem_key = ?", accountID, key).
		Updates(map[string]any{"status": r.Status, "content_type": truncate(r.ContentType, 100), "location": truncate(r.Location, 255),
			"etag": truncate(r.ETag, 64), "response_body": r.Body}).Error
	if err != nil {
		return Internal(err)
	}
	return nil
}

// AbandonIdempotent releases a claimed key whose request failed, so the client may retry with it.
func (db *DB) AbandonIdempotent(ctx context.Context, accountID uint64, key string) error {
	err := db.Gorm.WithContext(ctx).Where("account_id = ? AND idem_key = ? AND status = 0", accountID, key).Delete(&idempotencyKey{}).Error
	if err != nil {
		return Internal(err)
	}
	return nil
}
