package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// FeedKind is whose activities a calendar feed shows.
type FeedKind string

// Feed kinds: one member's activities, one rotation group's, or the whole federation's.
const (
	FeedMember     FeedKind = "member"
	FeedGroup      FeedKind = "group"
	FeedFederation FeedKind = "federation"
)

// FeedScope names one feed: a member's (MemberID), a group's (GroupID, plan_groups.id) or
// the federation's (neither).
type FeedScope struct {
	Kind     FeedKind
	MemberID uint64
	GroupID  uint64
}

// MemberFeedScope is the feed of one member.
func MemberFeedScope(memberID uint64) FeedScope {
	return FeedScope{Kind: FeedMember, MemberID: memberID}
}

// GroupFeedScope is the feed of one rotation group (plan_groups.id).
func GroupFeedScope(groupID uint64) FeedScope { return FeedScope{Kind: FeedGroup, GroupID: groupID} }

// FederationFeedScope is the feed of every activity.
func FederationFeedScope() FeedScope { return FeedScope{Kind: FeedFederation} }

// key is the scope as the active_scope column stores it.
func (s FeedScope) key() string {
	switch s.Kind {
	case FeedMember:
		return "member:" + strconv.FormatUint(s.MemberID, 10)
	case FeedGroup:
		return "group:" + strconv.FormatUint(s.GroupID, 10)
	}
	return string(FeedFederation)
}

// FeedToken is a secret feed URL's record. The token itself is shown once, when issued;
// only its SHA-256 is kept, so a copy of the database does not give working feed URLs.
type FeedToken struct {
	ID          uint64     `gorm:"primaryKey" json:"id"`
	Kind        FeedKind   `json:"kind"`
	MemberID    *uint64    `json:"member_id"`
	GroupID     *uint64    `json:"group_id"`
	TokenHash   string     `json:"-"`
	ActiveScope *string    `json:"-"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
	RevokedBy   string     `json:"revoked_by"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

// TableName is the feed_tokens table.
func (FeedToken) TableName() string { return "feed_tokens" }

// Scope is the feed the token opens.
func (t *FeedToken) Scope() FeedScope {
	s := FeedScope{Kind: t.Kind}
	if t.MemberID != nil {
		s.MemberID = *t.MemberID
	}
	if t.GroupID != nil {
		s.GroupID = *t.GroupID
	}
	return s
}

// feedTokenBytes is the token's entropy: 160 random bits, above the 128 a guess must beat,
// in 32 characters so the URL and its QR code stay small.
const feedTokenBytes = 20

// FeedTokenLength is the length of a feed token in characters.
const FeedTokenLength = feedTokenBytes * 8 / 5

var feedTokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ValidFeedToken reports whether s has the shape of a feed token, so malformed URLs are
// refused without a database query.
func ValidFeedToken(s string) bool {
	if len(s) != FeedTokenLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// HashFeedToken is how a feed token is stored and looked up: SHA-256, hex.
func HashFeedToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newFeedToken() string {
	b := make([]byte, feedTokenBytes)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return feedTokenEncoding.EncodeToString(b)
}

// authorizeFeed: the secretariat (admin) manages every feed; a member manages their own
// feed only. A nil principal is the command line or the system.
func authorizeFeed(p *Principal, s FeedScope) error {
	if p == nil || p.IsAdmin() {
		return nil
	}
	if s.Kind == FeedMember && p.MemberID != nil && *p.MemberID == s.MemberID {
		return nil
	}
	return Errorf(EForbidden, "feed.forbidden")
}

// checkFeedScope confirms the member or group exists.
func checkFeedScope(tx *gorm.DB, s FeedScope) error {
	switch s.Kind {
	case FeedMember:
		m, err := getMember(tx, s.MemberID)
		if err != nil {
			return err
		}
		if !m.Active {
			return Errorf(EInvalid, "feed.member_inactive", m.Name)
		}
	case FeedGroup:
		var n int64
		if err := tx.Model(&PlanGroup{}).Where("id = ?", s.GroupID).Count(&n).Error; err != nil {
			return Internal(err)
		}
		if n == 0 {
			return Errorf(ENotFound, "feed.group_not_found", s.GroupID)
		}
	case FeedFederation:
	default:
		return Errorf(EInvalid, "feed.kind_invalid", string(s.Kind))
	}
	return nil
}

// IssueFeedToken creates a new secret URL for the scope and revokes the one it replaces, in
// one transaction: rotating a leaked link. It returns the token in clear; it is never
// retrievable again.
func (db *DB) IssueFeedToken(ctx context.Context, s FeedScope) (string, *FeedToken, error) {
	if err := authorizeFeed(PrincipalFrom(ctx), s); err != nil {
		return "", nil, err
	}
	token := newFeedToken()
	actor := ActorFrom(ctx).Name
	key := s.key()
	t := &FeedToken{Kind: s.Kind, TokenHash: HashFeedToken(token), ActiveScope: &key, CreatedBy: actor}
	if s.Kind == FeedMember {
		t.MemberID = &s.MemberID
	}
	if s.Kind == FeedGroup {
		t.GroupID = &s.GroupID
	}
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		if err := checkFeedScope(tx, s); err != nil {
			return err
		}
		old, err := revokeActive(tx, db.Now().UTC(), key, actor)
		if err != nil {
			return err
		}
		t.CreatedAt = db.Now().UTC()
		if err := tx.Create(t).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return Errorf(EConflict, "feed.concurrent")
			}
			return Internal(err)
		}
		action := "feed_token.issue"
		if old != nil {
			action = "feed_token.rotate"
		}
		return db.Audit(tx, action, "feed_token", t.ID, old, t)
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// revokeActive revokes the live token of the scope, if any, and returns it as it was.
func revokeActive(tx *gorm.DB, now time.Time, key, actor string) (*FeedToken, error) {
	var cur FeedToken
	err := tx.Where("active_scope = ?", key).Take(&cur).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, Internal(err)
	}
	if err := tx.Model(&FeedToken{}).Where("id = ?", cur.ID).
		Updates(map[string]any{"active_scope": nil, "revoked_at": now, "revoked_by": actor}).Error; err != nil {
		return nil, Internal(err)
	}
	return &cur, nil
}

// RevokeFeedToken turns the scope's secret URL off: subscribed calendars get 404 from then on.
func (db *DB) RevokeFeedToken(ctx context.Context, s FeedScope) error {
	if err := authorizeFeed(PrincipalFrom(ctx), s); err != nil {
		return err
	}
	actor := ActorFrom(ctx).Name
	return db.Tx(ctx, func(tx *gorm.DB) error {
		old, err := revokeActive(tx, db.Now().UTC(), s.key(), actor)
		if err != nil {
			return err
		}
		if old == nil {
			return Errorf(ENotFound, "feed.no_token")
		}
		return db.Audit(tx, "feed_token.revoke", "feed_token", old.ID, old, nil)
	})
}

// ActiveFeedToken returns the scope's live token record (never the token), or not_found.
func (db *DB) ActiveFeedToken(ctx context.Context, s FeedScope) (*FeedToken, error) {
	if err := authorizeFeed(PrincipalFrom(ctx), s); err != nil {
		return nil, err
	}
	var t FeedToken
	err := db.Gorm.WithContext(ctx).Where("active_scope = ?", s.key()).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "feed.no_token")
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &t, nil
}

// FeedSubscription is a live token with what naming its calendar needs.
type FeedSubscription struct {
	Token       FeedToken
	MemberName  string // member feeds
	GroupNumber int    // group feeds
	GroupName   string
	PlanYear    int
}

// ResolveFeedToken finds the live feed a token opens. A malformed, unknown or revoked
// token, a member who has left and a group that no longer exists are all not_found: the
// caller answers 404 and says nothing more.
func (db *DB) ResolveFeedToken(ctx context.Context, token string) (*FeedSubscription, error) {
	notFound := Errorf(ENotFound, "feed.not_found")
	if !ValidFeedToken(token) {
		return nil, notFound
	}
	var row struct {
		FeedToken
		MemberName   *string
		MemberActive *bool
		GroupNumber  *int
		GroupName    *string
		PlanYear     *int
	}
	err := db.Gorm.WithContext(ctx).Table("feed_tokens t").
		Select("t.*, m.name AS member_name, m.active AS member_active, g.number AS group_number, g.name AS group_name, p.year AS plan_year").
		Joins("LEFT JOIN members m ON m.id = t.member_id").
		Joins("LEFT JOIN plan_groups g ON g.id = t.group_id").
		Joins("LEFT JOIN plans p ON p.id = g.plan_id").
		Where("t.token_hash = ? AND t.revoked_at IS NULL", HashFeedToken(token)).
		Limit(1).Scan(&row).Error
	if err != nil {
		return nil, Internal(err)
	}
	if row.ID == 0 {
		return nil, notFound
	}
	sub := &FeedSubscription{Token: row.FeedToken}
	switch row.Kind {
	case FeedMember:
		if row.MemberActive == nil || !*row.MemberActive {
			return nil, notFound
		}
		sub.MemberName = deref(row.MemberName)
	case FeedGroup:
		if row.GroupNumber == nil {
			return nil, notFound
		}
		sub.GroupNumber, sub.GroupName, sub.PlanYear = *row.GroupNumber, deref(row.GroupName), deref(row.PlanYear)
	}
	return sub, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// TouchFeedToken records that the feed was fetched. Callers throttle it (once an hour is
// plenty): it is a write, and feeds are polled.
func (db *DB) TouchFeedToken(ctx context.Context, id uint64) error {
	err := db.Gorm.WithContext(ctx).Model(&FeedToken{}).Where("id = ?", id).
		UpdateColumn("last_used_at", db.Now().UTC()).Error
	if err != nil {
		return Internal(err)
	}
	return nil
}

// feedVersionSQL reads, in one round trip, everything whose change can change a feed's
// bytes: activities (rows and edits), group membership and leaders, group and plan edits,
// member names, category labels, and token revocations made by another server process.
// Every part is an aggregate over a small table or an index, so polling it is cheap.
const feedVersionSQL = `SELECT
 (SELECT COUNT(*) FROM activities), (SELECT MAX(updated_at) FROM activities),
 (SELECT COUNT(*) FROM plan_group_members),
 (SELECT COALESCE(SUM(group_id * 1000003 + member_id * (2 + is_leader)), 0) FROM plan_group_members),
 (SELECT COUNT(*) FROM plan_groups), (SELECT MAX(updated_at) FROM plans),
 (SELECT MAX(updated_at) FROM members), (SELECT MAX(updated_at) FROM categories),
 (SELECT COUNT(*) FROM feed_tokens), (SELECT COUNT(revoked_at) FROM feed_tokens)`

// FeedVersion returns a string that changes whenever any feed's content may have changed.
// The API keeps rendered feeds until it does, so a poll costs this one query at most.
func (db *DB) FeedVersion(ctx context.Context) (string, error) {
	var parts [10]*string
	dest := make([]any, len(parts))
	for i := range parts {
		dest[i] = &parts[i]
	}
	if err := db.SQL().QueryRowContext(ctx, feedVersionSQL).Scan(dest...); err != nil {
		return "", Internal(err)
	}
	b := make([]byte, 0, 160)
	for _, p := range parts {
		if p != nil {
			b = append(b, *p...)
		}
		b = append(b, '|')
	}
	return string(b), nil
}
