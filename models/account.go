package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
)

// AccountRole is what a signed-in person may do. It is not the committee role (Role):
// a vice-chair's account is usually a leader, a secretary's an admin.
type AccountRole string

// Account roles.
const (
	// AccountAdmin is the secretariat: everything.
	AccountAdmin AccountRole = "admin"
	// AccountLeader is a group leader: edits their own group's activities and attendance, reads the rest.
	AccountLeader AccountRole = "leader"
	// AccountMember reads their own group and activities and checks in themselves.
	AccountMember AccountRole = "member"
	// AccountViewer reads, never writes.
	AccountViewer AccountRole = "viewer"
)

// AccountRoles lists the roles, most powerful first.
var AccountRoles = []AccountRole{AccountAdmin, AccountLeader, AccountMember, AccountViewer}

// Valid reports whether r is a known account role.
func (r AccountRole) Valid() bool {
	return r == AccountAdmin || r == AccountLeader || r == AccountMember || r == AccountViewer
}

// Account is a person who signs in.
type Account struct {
	ID           uint64      `gorm:"primaryKey" json:"id"`
	Username     string      `json:"username"`
	DisplayName  string      `json:"display_name"`
	Role         AccountRole `json:"role"`
	MemberID     *uint64     `json:"member_id"`
	PasswordHash string      `json:"-"`
	Active       bool        `json:"active"`
	Version      int         `json:"version"`
	LastLoginAt  *time.Time  `json:"last_login_at"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Principal is who a request acts as: the account, its role and the member it is linked to.
type Principal struct {
	AccountID uint64
	Username  string
	Role      AccountRole
	MemberID  *uint64
}

// IsAdmin reports whether p is the secretariat.
func (p *Principal) IsAdmin() bool { return p != nil && p.Role == AccountAdmin }

type principalKey struct{}

// WithPrincipal attaches the signed-in principal to ctx and makes it the audit actor.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	a := ActorFrom(ctx)
	a.Name = p.Username
	return context.WithValue(WithActor(ctx, a), principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, or nil for an anonymous request or the command line.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Field names of account validation errors.
const (
	FieldUsername    = "username"
	FieldDisplayName = "display_name"
	FieldPassword    = "password"
	FieldMemberID    = "member_id"
	FieldAccountRole = "role"
)

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// Password length bounds: long enough to resist guessing, short enough that hashing cannot be abused.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// NormalizeUsername folds a username to the stored form.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Normalize cleans the account's fields in place.
func (a *Account) Normalize() {
	a.Username = NormalizeUsername(a.Username)
	a.DisplayName = cleanText(a.DisplayName)
}

// Validate checks a normalised account.
func (a *Account) Validate() []FieldError {
	var errs []FieldError
	if !usernameRe.MatchString(a.Username) {
		errs = append(errs, FieldError{Field: FieldUsername, Key: "account.username.invalid"})
	}
	if utf8.RuneCountInString(a.DisplayName) > 64 {
		errs = append(errs, FieldError{Field: FieldDisplayName, Key: "field.too_long", Args: []any{64}})
	}
	if !a.Role.Valid() {
		errs = append(errs, FieldError{Field: FieldAccountRole, Key: "account.role.invalid", Args: []any{string(a.Role)}})
	}
	return errs
}

// checkPassword returns the problem with a new password, if any.
func checkPassword(pw string) []FieldError {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength || n > MaxPasswordLength {
		return []FieldError{{Field: FieldPassword, Key: "account.password.length", Args: []any{MinPasswordLength, MaxPasswordLength}}}
	}
	return nil
}

// argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane), which keeps a sign-in
// under ~50 ms on a small office server. They are stored in each hash, so raising them
// later does not invalidate existing passwords.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword hashes pw with argon2id into the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks pw against a hash made by HashPassword, in constant time.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username does not exist, so a wrong username
// takes as long as a wrong password and sign-in does not reveal which accounts exist.
var dummyHash = func() string { h, _ := HashPassword("not a password of anyone"); return h }()

// RandomSecret returns n random bytes, URL-safe base64 encoded.
func RandomSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random password that is easy to read aloud and type:
// 16 characters from an alphabet without look-alikes (about 90 bits).
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(out[:4]) + "-" + string(out[4:8]) + "-" + string(out[8:12]) + "-" + string(out[12:])
}

// hashToken is how session and API tokens are stored: SHA-256, hex. The tokens carry 256
// random bits, so a fast hash is enough; a stolen table does not give working tokens.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewAccount is what creating an account needs. An empty Password generates one,
// which is returned once and never stored in clear.
type NewAccount struct {
	Username    string
	DisplayName string
	Role        AccountRole
	MemberID    *uint64
	Password    string
}

// CreateAccount validates and stores an account, audited, and returns it with the password
// that was set (the generated one when none was given).
func (db *DB) CreateAccount(ctx context.Context, na NewAccount) (*Account, string, error) {
	a := &Account{Username: na.Username, DisplayName: na.DisplayName, Role: na.Role, MemberID: na.MemberID, Active: true, Version: 1}
	a.Normalize()
	errs := a.Validate()
	pw := na.Password
	if pw == "" {
		pw = GeneratePassword()
	} else {
		errs = append(errs, checkPassword(pw)...)
	}
	if len(errs) > 0 {
		return nil, "", Invalid(errs...)
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return nil, "", Internal(err)
	}
	a.PasswordHash = hash
	err = db.Tx(ctx, func(tx *gorm.DB) error {
		if err := checkAccountRefs(tx, a); err != nil {
			return err
		}
		if err := tx.Create(a).Error; err != nil {
			return accountUniqueOrInternal(err)
		}
		return db.Audit(tx, "account.create", "account", a.ID, nil, a)
	})
	if err != nil {
		return nil, "", err
	}
	return a, pw, nil
}

// checkAccountRefs refuses a taken username and a member link that does not exist or is taken.
func checkAccountRefs(tx *gorm.DB, a *Account) error {
	var other Account
	if err := tx.Where("username = ? AND id <> ?", a.Username, a.ID).Limit(1).Find(&other).Error; err != nil {
		return Internal(err)
	}
	if other.ID != 0 {
		return &Error{Code: EConflict, Key: "error.validation", Fields: []FieldError{{Field: FieldUsername, Key: "account.username.taken", Args: []any{a.Username}}}}
	}
	if a.MemberID == nil {
		return nil
	}
	if _, err := getMember(tx, *a.MemberID); err != nil {
		if ErrorCode(err) == ENotFound {
			return Invalid(FieldError{Field: FieldMemberID, Key: "member.not_found", Args: []any{*a.MemberID}})
		}
		return err
	}
	other = Account{}
	if err := tx.Where("member_id = ? AND id <> ?", *a.MemberID, a.ID).Limit(1).Find(&other).Error; err != nil {
		return Internal(err)
	}
	if other.ID != 0 {
		return &Error{Code: EConflict, Key: "error.validation", Fields: []FieldError{{Field: FieldMemberID, Key: "account.member.taken", Args: []any{other.Username}}}}
	}
	return nil
}

func accountUniqueOrInternal(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(EConflict, "account.duplicate")
	}
	return Internal(err)
}

// GetAccount returns one account or not_found.
func (db *DB) GetAccount(ctx context.Context, id uint64) (*Account, error) {
	return getAccount(db.Gorm.WithContext(ctx), id)
}

func getAccount(tx *gorm.DB, id uint64) (*Account, error) {
	var a Account
	err := tx.First(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "account.not_found", id)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &a, nil
}

// GetAccountByUsername returns one account or not_found.
func (db *DB) GetAccountByUsername(ctx context.Context, username string) (*Account, error) {
	var a Account
	err := db.Gorm.WithContext(ctx).Where("username = ?", NormalizeUsername(username)).First(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "account.username_not_found", username)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &a, nil
}

// ListAccounts returns every account, by username.
func (db *DB) ListAccounts(ctx context.Context) ([]Account, error) {
	var out []Account
	if err := db.Gorm.WithContext(ctx).Order("username").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// CountAccounts returns how many accounts exist; serve creates the first admin when it is zero.
func (db *DB) CountAccounts(ctx context.Context) (int64, error) {
	var n int64
	if err := db.Gorm.WithContext(ctx).Model(&Account{}).Count(&n).Error; err != nil {
		return 0, Internal(err)
	}
	return n, nil
}

// AccountChange is an admin's edit of an account; nil fields are left as they are.
type AccountChange struct {
	DisplayName *string
	Role        *AccountRole
	MemberID    **uint64 // set to a nil *uint64 to unlink
	Active      *bool
}

// UpdateAccount applies an admin's change if the account is still at version. Demoting or
// deactivating the last active admin is refused: nobody could manage accounts afterwards.
// Deactivating an account or changing its role ends its sessions, so the change takes effect now.
func (db *DB) UpdateAccount(ctx context.Context, id uint64, version int, ch AccountChange) (*Account, error) {
	var out *Account
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		cur, err := getAccount(db.forUpdate(tx), id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		next := *cur
		if ch.DisplayName != nil {
			next.DisplayName = *ch.DisplayName
		}
		if ch.Role != nil {
			next.Role = *ch.Role
		}
		if ch.MemberID != nil {
			next.MemberID = *ch.MemberID
		}
		if ch.Active != nil {
			next.Active = *ch.Active
		}
		next.Normalize()
		if errs := next.Validate(); len(errs) > 0 {
			return Invalid(errs...)
		}
		if err := checkAccountRefs(tx, &next); err != nil {
			return err
		}
		if cur.Role == AccountAdmin && cur.Active && (next.Role != AccountAdmin || !next.Active) {
			var admins int64
			if err := tx.Model(&Account{}).Where("role = ? AND active = ? AND id <> ?", AccountAdmin, true, id).Count(&admins).Error; err != nil {
				return Internal(err)
			}
			if admins == 0 {
				return Errorf(EConflict, "account.last_admin")
			}
		}
		next.Version = cur.Version + 1
		res := tx.Model(&Account{}).Where("id = ? AND version = ?", id, cur.Version).
			Select("display_name", "role", "member_id", "active", "version", "updated_at").Updates(&next)
		if res.Error != nil {
			return accountUniqueOrInternal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		if next.Role != cur.Role || !next.Active || !ptrEqual(next.MemberID, cur.MemberID) {
			if err := tx.Where("account_id = ?", id).Delete(&Session{}).Error; err != nil {
				return Internal(err)
			}
		}
		out = &next
		return db.Audit(tx, "account.update", "account", id, cur, next)
	})
	return out, err
}

// SetPassword replaces an account's password (a generated one when pw is empty), ends its
// sessions and revokes its API tokens: a reset is usually because something leaked.
// When current is non-nil it must match the present password (a person changing their own).
func (db *DB) SetPassword(ctx context.Context, id uint64, current *string, pw string) (string, error) {
	if pw == "" {
		pw = GeneratePassword()
	} else if errs := checkPassword(pw); len(errs) > 0 {
		return "", Invalid(errs...)
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", Internal(err)
	}
	err = db.Tx(ctx, func(tx *gorm.DB) error {
		a, err := getAccount(db.forUpdate(tx), id)
		if err != nil {
			return err
		}
		if current != nil && !VerifyPassword(a.PasswordHash, *current) {
			return Invalid(FieldError{Field: "current_password", Key: "account.password.wrong"})
		}
		if err := tx.Model(&Account{}).Where("id = ?", id).
			Updates(map[string]any{"password_hash": hash, "version": a.Version + 1, "updated_at": db.Now().UTC()}).Error; err != nil {
			return Internal(err)
		}
		if current == nil {
			if err := tx.Where("account_id = ?", id).Delete(&Session{}).Error; err != nil {
				return Internal(err)
			}
			if err := tx.Model(&APIToken{}).Where("account_id = ? AND revoked_at IS NULL", id).
				Update("revoked_at", db.Now().UTC()).Error; err != nil {
				return Internal(err)
			}
		}
		return db.Audit(tx, "account.password", "account", id, nil, map[string]any{"reset": current == nil})
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// EnsureFirstAdmin creates the admin account "admin" with a random password when there are
// no accounts at all, and returns the password to show once; ("", nil) when accounts exist.
func (db *DB) EnsureFirstAdmin(ctx context.Context) (string, string, error) {
	n, err := db.CountAccounts(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	a, pw, err := db.CreateAccount(ctx, NewAccount{Username: "admin", DisplayName: "秘书处管理员", Role: AccountAdmin})
	if err != nil {
		// Another server started at the same time and created it first.
		if ErrorCode(err) == EConflict {
			return "", "", nil
		}
		return "", "", err
	}
	return a.Username, pw, nil
}

func ptrEqual[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// ERateLimited is the code of a refused attempt after too many failures (HTTP 429).
const ERateLimited = "rate_limited"
