package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// Housekeeping removes only what has expired, on both engines.
func TestHousekeep(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a, _, err := db.CreateAccount(ctx, models.NewAccount{Username: "housekeeper", Role: models.AccountViewer, Password: "a-long-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		insert := func(table string, row map[string]any) {
			t.Helper()
			if err := db.Gorm.Table(table).Create(row).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range []struct {
			hash    string
			expires time.Time
		}{{"old", now.Add(-time.Minute)}, {"live", now.Add(time.Hour)}} {
			insert("sessions", map[string]any{"token_hash": s.hash, "account_id": a.ID, "csrf_token": s.hash, "address": "", "user_agent": "",
				"expires_at": s.expires, "created_at": now.Add(-time.Hour)})
		}
		for _, at := range []time.Time{now.Add(-models.LoginWindow - time.Minute), now.Add(-time.Minute)} {
			insert("login_failures", map[string]any{"username": "x", "address": "127.0.0.1", "at": at})
		}
		for i, at := range []time.Time{now.Add(-models.IdempotencyTTL - time.Minute), now} {
			insert("idempotency_keys", map[string]any{"account_id": a.ID, "idem_key": []string{"old", "new"}[i], "request_hash": "h", "response_body": "", "created_at": at})
		}
		swept, err := db.Housekeep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if swept != (models.Swept{Sessions: 1, LoginFailures: 1, IdempotencyKeys: 1}) {
			t.Fatalf("swept %+v, want one of each", swept)
		}
		var n int64
		db.Gorm.Table("sessions").Where("token_hash = ?", "live").Count(&n)
		if n != 1 {
			t.Fatal("a live session was removed")
		}
	})
}
