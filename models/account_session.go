package models

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SessionTTL is how long a browser stays signed in. Sessions do not slide: a fixed week keeps
// every request free of a write, and the secretariat signs in on Monday mornings anyway.
const SessionTTL = 7 * 24 * time.Hour

// Sign-in throttling: after this many failures within the window, further attempts are refused
// until the oldest failure leaves the window. A success clears the account's failures.
const (
	LoginWindow          = 15 * time.Minute
	MaxFailuresAccount   = 5
	MaxFailuresAddress   = 20
	TokenPrefix          = "rota_"
	MaxTokenLifetimeDays = 366
)

// Session is a browser's signed-in state. Only the token's hash is stored.
type Session struct {
	ID        uint64 `gorm:"primaryKey"`
	TokenHash string
	AccountID uint64
	CSRFToken string `gorm:"column:csrf_token"`
	Address   string
	UserAgent string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// APIToken is a personal token for scripts and calendar tools (Authorization: Bearer).
type APIToken struct {
	ID         uint64     `gorm:"primaryKey" json:"id"`
	AccountID  uint64     `json:"account_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	Prefix     string     `json:"prefix"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// TableName matches the migration.
func (APIToken) TableName() string { return "api_tokens" }

type loginFailure struct {
	ID       uint64 `gorm:"primaryKey"`
	Username string
	Address  string
	At       time.Time
}

func (loginFailure) TableName() string { return "login_failures" }

// NewSession is what a successful sign-in returns: the cookie value and the CSRF token,
// both shown to the browser once.
type NewSession struct {
	Account   *Account
	Token     string
	CSRFToken string
	ExpiresAt time.Time
}

// Login checks a username and password and opens a session. Failures are throttled per
// account and per client address; a throttled attempt is refused before the password is
// checked, so guessing cannot continue at full speed.
func (db *DB) Login(ctx context.Context, username, password, address, userAgent string) (*NewSession, error) {
	username = NormalizeUsername(username)
	address = truncate(address, 64)
	now := db.Now().UTC()
	if wait, err := db.loginWait(ctx, username, address, now); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, Errorf(ERateLimited, "auth.rate_limited", int((wait+time.Minute-1)/time.Minute))
	}
	var a Account
	err := db.Gorm.WithContext(ctx).Where("username = ?", username).Limit(1).Find(&a).Error
	if err != nil {
		return nil, Internal(err)
	}
	hash := a.PasswordHash
	if a.ID == 0 {
		hash = dummyHash
	}
	if !VerifyPassword(hash, password) || a.ID == 0 || !a.Active {
		f := loginFailure{Username: truncate(username, 64), Address: address, At: now}
		if err := db.Gorm.WithContext(ctx).Create(&f).Error; err != nil {
			return nil, Internal(err)
		}
		return nil, Errorf(EUnauthorized, "auth.bad_credentials")
	}
	s := &NewSession{Account: &a, Token: RandomSecret(32), CSRFToken: RandomSecret(24), ExpiresAt: now.Add(SessionTTL)}
	err = db.Tx(ctx, func(tx *gorm.DB) error {
		row := Session{TokenHash: hashToken(s.Token), AccountID: a.ID, CSRFToken: s.CSRFToken, Address: address,
			UserAgent: truncate(userAgent, 255), ExpiresAt: s.ExpiresAt, CreatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return Internal(err)
		}
		if err := tx.Where("username = ?", username).Delete(&loginFailure{}).Error; err != nil {
			return Internal(err)
		}
		return tx.Model(&Account{}).Where("id = ?", a.ID).UpdateColumn("last_login_at", now).Error
	})
	if err != nil {
		return nil, err
	}
	// Expired sessions of anyone are swept after the sign-in, outside its transaction: on MariaDB
	// the sweep scans the table and, inside the transaction, deadlocked with other sign-ins
	// inserting their sessions (a room of members signing in to check in at once).
	if err := db.Gorm.WithContext(ctx).Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
		db.Log.Warn("sweeping expired sessions", "err", err)
	}
	return s, nil
}

// loginWait returns how long until another attempt is allowed, or 0.
func (db *DB) loginWait(ctx context.Context, username, address string, now time.Time) (time.Duration, error) {
	since := now.Add(-LoginWindow)
	var wait time.Duration
	for _, c := range []struct {
		col, val string
		max      int
	}{{"username", username, MaxFailuresAccount}, {"address", address, MaxFailuresAddress}} {
		var ats []time.Time
		err := db.Gorm.WithContext(ctx).Model(&loginFailure{}).Where(c.col+" = ? AND at > ?", c.val, since).
			Order("at DESC").Limit(c.max).Pluck("at", &ats).Error
		if err != nil {
			return 0, Internal(err)
		}
		if len(ats) >= c.max {
			if w := ats[len(ats)-1].Add(LoginWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait, nil
}

// SessionPrincipal resolves a session cookie to its principal and CSRF token.
// An unknown, expired or deactivated session is unauthorized.
func (db *DB) SessionPrincipal(ctx context.Context, token string) (*Principal, string, error) {
	var s Session
	err := db.Gorm.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Limit(1).Find(&s).Error
	if err != nil {
		return nil, "", Internal(err)
	}
	if s.ID == 0 || !db.Now().Before(s.ExpiresAt) {
		return nil, "", Errorf(EUnauthorized, "auth.session_expired")
	}
	p, err := db.principalOf(ctx, s.AccountID)
	if err != nil {
		return nil, "", err
	}
	return p, s.CSRFToken, nil
}

// Logout ends the session of token.
func (db *DB) Logout(ctx context.Context, token string) error {
	if err := db.Gorm.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error; err != nil {
		return Internal(err)
	}
	return nil
}

func (db *DB) principalOf(ctx context.Context, accountID uint64) (*Principal, error) {
	a, err := db.GetAccount(ctx, accountID)
	if ErrorCode(err) == ENotFound || (err == nil && !a.Active) {
		return nil, Errorf(EUnauthorized, "auth.account_inactive")
	}
	if err != nil {
		return nil, err
	}
	return &Principal{AccountID: a.ID, Username: a.Username, Role: a.Role, MemberID: a.MemberID}, nil
}

// CreateAPIToken issues a personal token for p's account, valid for days days. The token is
// returned once; only its SHA-256 is kept.
func (db *DB) CreateAPIToken(ctx context.Context, accountID uint64, name string, days int) (*APIToken, string, error) {
	name = cleanText(name)
	var errs []FieldError
	if name == "" {
		errs = append(errs, FieldError{Field: FieldName, Key: "field.required"})
	} else if utf8.RuneCountInString(name) > 64 {
		errs = append(errs, FieldError{Field: FieldName, Key: "field.too_long", Args: []any{64}})
	}
	if days < 1 || days > MaxTokenLifetimeDays {
		errs = append(errs, FieldError{Field: "expires_in_days", Key: "auth.token.lifetime", Args: []any{MaxTokenLifetimeDays}})
	}
	if len(errs) > 0 {
		return nil, "", Invalid(errs...)
	}
	secret := RandomSecret(32) // 256 bits
	token := TokenPrefix + secret
	now := db.Now().UTC()
	t := &APIToken{AccountID: accountID, Name: name, TokenHash: hashToken(token), Prefix: TokenPrefix + secret[:6],
		ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour), CreatedAt: now}
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return Internal(err)
		}
		return db.Audit(tx, "token.create", "api_token", t.ID, nil, t)
	})
	if err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// ListAPITokens returns an account's tokens, newest first, revoked ones included.
func (db *DB) ListAPITokens(ctx context.Context, accountID uint64) ([]APIToken, error) {
	var out []APIToken
	if err := db.Gorm.WithContext(ctx).Where("account_id = ?", accountID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// RevokeAPIToken revokes one of the account's tokens. Another account's token is not_found,
// so token ids do not reveal whose they are.
func (db *DB) RevokeAPIToken(ctx context.Context, accountID, tokenID uint64) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		var t APIToken
		err := tx.Where("id = ? AND account_id = ?", tokenID, accountID).First(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENotFound, "auth.token.not_found", tokenID)
		}
		if err != nil {
			return Internal(err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		before := t
		now := db.Now().UTC()
		t.RevokedAt = &now
		if err := tx.Model(&APIToken{}).Where("id = ?", t.ID).Update("revoked_at", now).Error; err != nil {
			return Internal(err)
		}
		return db.Audit(tx, "token.revoke", "api_token", t.ID, before, t)
	})
}

// TokenPrincipal resolves a bearer token. Unknown, revoked and expired tokens are unauthorized.
func (db *DB) TokenPrincipal(ctx context.Context, token string) (*Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, Errorf(EUnauthorized, "auth.token.invalid")
	}
	var t APIToken
	if err := db.Gorm.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Limit(1).Find(&t).Error; err != nil {
		return nil, Internal(err)
	}
	now := db.Now().UTC()
	if t.ID == 0 || t.RevokedAt != nil || !now.Before(t.ExpiresAt) {
		return nil, Errorf(EUnauthorized, "auth.token.invalid")
	}
	// Recording use at most hourly keeps reads from writing on every request.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Hour {
		_ = db.Gorm.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).UpdateColumn("last_used_at", now).Error
	}
	return db.principalOf(ctx, t.AccountID)
}

// forUpdate locks the rows a transaction reads on MySQL, so two edits of one record queue
// instead of both reading the same version. SQLite transactions are already exclusive
// (_txlock=immediate) and have no FOR UPDATE.
func (db *DB) forUpdate(tx *gorm.DB) *gorm.DB {
	if db.Driver == DriverMySQL {
		// A new session, so the clause is a base every query below starts from rather than a
		// statement later queries would pile their conditions onto.
		return tx.Clauses(clause.Locking{Strength: "UPDATE"}).Session(&gorm.Session{})
	}
	return tx
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
