package models

import "context"

// Swept is what one housekeeping run removed.
type Swept struct {
	Sessions        int64
	LoginFailures   int64
	IdempotencyKeys int64
}

// Housekeep removes what has expired: sessions past their expiry, sign-in failures older than
// the rate-limit window (they can no longer lock anyone out), and idempotency records older
// than their retention. Nothing a person wrote is removed.
func (db *DB) Housekeep(ctx context.Context) (Swept, error) {
	now := db.Now()
	var out Swept
	g := db.Gorm.WithContext(ctx)
	res := g.Where("expires_at < ?", now).Delete(&Session{})
	if res.Error != nil {
		return out, Internal(res.Error)
	}
	out.Sessions = res.RowsAffected
	res = g.Where("at < ?", now.Add(-LoginWindow)).Delete(&loginFailure{})
	if res.Error != nil {
		return out, Internal(res.Error)
	}
	out.LoginFailures = res.RowsAffected
	res = g.Where("created_at < ?", now.Add(-IdempotencyTTL)).Delete(&idempotencyKey{})
	if res.Error != nil {
		return out, Internal(res.Error)
	}
	out.IdempotencyKeys = res.RowsAffected
	return out, nil
}
