package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

func TestFeedTokenLifecycle(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		m := modelstest.MustCreateMember(t, db, models.Member{Name: "王强"})
		scope := models.MemberFeedScope(m.ID)

		token, rec, err := db.IssueFeedToken(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) != models.FeedTokenLength || len(token) < 26 || !models.ValidFeedToken(token) {
			t.Fatalf("token %q: want %d base32 characters (≥128 bits)", token, models.FeedTokenLength)
		}
		if rec.TokenHash != models.HashFeedToken(token) || strings.Contains(rec.TokenHash, token) {
			t.Fatal("only the SHA-256 of the token may be stored")
		}
		assertTokenNotStored(t, db, token)

		sub, err := db.ResolveFeedToken(ctx, token)
		if err != nil || sub.Token.ID != rec.ID || sub.MemberName != "王强" {
			t.Fatalf("resolve: %+v %v", sub, err)
		}

		// Rotating cuts the old URL off at once.
		token2, _, err := db.IssueFeedToken(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		if token2 == token {
			t.Fatal("rotation returned the same token")
		}
		if _, err := db.ResolveFeedToken(ctx, token); models.ErrorCode(err) != models.ENotFound {
			t.Fatalf("the rotated-out token still works: %v", err)
		}
		if _, err := db.ResolveFeedToken(ctx, token2); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActiveFeedToken(ctx, scope); err != nil {
			t.Fatal(err)
		}

		// Revoking turns it off; revoking again says there is nothing to revoke.
		if err := db.RevokeFeedToken(ctx, scope); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ResolveFeedToken(ctx, token2); models.ErrorCode(err) != models.ENotFound {
			t.Fatalf("the revoked token still works: %v", err)
		}
		if err := db.RevokeFeedToken(ctx, scope); models.ErrorCode(err) != models.ENotFound {
			t.Fatalf("second revoke: %v", err)
		}
		entries, _, err := db.ListAudit(ctx, models.AuditFilter{Entity: "feed_token"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "feed_token.revoke,feed_token.rotate,feed_token.issue" {
			t.Errorf("audit trail %v", actions)
		}
		assertTokenNotStored(t, db, token2)
	})
}

// assertTokenNotStored searches every text column that could hold it.
func assertTokenNotStored(t *testing.T, db *models.DB, token string) {
	t.Helper()
	var n int64
	db.Gorm.Table("audit_log").Where("after_json LIKE ? OR before_json LIKE ?", "%"+token+"%", "%"+token+"%").Count(&n)
	var m int64
	db.Gorm.Table("feed_tokens").Where("token_hash = ? OR active_scope = ?", token, token).Count(&m)
	if n+m > 0 {
		t.Fatalf("the clear token is stored (%d audit rows, %d token rows)", n, m)
	}
}

func TestFeedTokenPermissions(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	ctx := context.Background()
	a := modelstest.MustCreateMember(t, db, models.Member{Name: "林建华"})
	b := modelstest.MustCreateMember(t, db, models.Member{Name: "陈美玲"})
	asMember := models.WithPrincipal(ctx, &models.Principal{AccountID: 1, Username: "lin", Role: models.AccountMember, MemberID: &a.ID})
	asLeader := models.WithPrincipal(ctx, &models.Principal{AccountID: 2, Username: "chen", Role: models.AccountLeader, MemberID: &b.ID})
	asAdmin := models.WithPrincipal(ctx, &models.Principal{AccountID: 3, Username: "sec", Role: models.AccountAdmin})

	if _, _, err := db.IssueFeedToken(asMember, models.MemberFeedScope(a.ID)); err != nil {
		t.Fatalf("a member must manage their own feed: %v", err)
	}
	for name, try := range map[string]func() error{
		"issue another member's":  func() error { _, _, err := db.IssueFeedToken(asMember, models.MemberFeedScope(b.ID)); return err },
		"revoke another member's": func() error { return db.RevokeFeedToken(asLeader, models.MemberFeedScope(a.ID)) },
		"see another member's":    func() error { _, err := db.ActiveFeedToken(asLeader, models.MemberFeedScope(a.ID)); return err },
		"issue the federation's":  func() error { _, _, err := db.IssueFeedToken(asLeader, models.FederationFeedScope()); return err },
	} {
		if err := try(); models.ErrorCode(err) != models.EForbidden {
			t.Errorf("%s: got %v, want forbidden", name, err)
		}
	}
	if err := db.RevokeFeedToken(asAdmin, models.MemberFeedScope(a.ID)); err != nil {
		t.Errorf("an admin must revoke any feed: %v", err)
	}
	if _, _, err := db.IssueFeedToken(asAdmin, models.FederationFeedScope()); err != nil {
		t.Errorf("an admin must issue the federation feed: %v", err)
	}
	if _, _, err := db.IssueFeedToken(asAdmin, models.GroupFeedScope(999)); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("a feed for a missing group: %v", err)
	}
}

func TestFeedTokenOfMemberWhoLeftStopsWorking(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	ctx := context.Background()
	m := modelstest.MustCreateMember(t, db, models.Member{Name: "王强"})
	token, _, err := db.IssueFeedToken(ctx, models.MemberFeedScope(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeactivateMember(ctx, m.ID, m.Version, models.Date{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResolveFeedToken(ctx, token); models.ErrorCode(err) != models.ENotFound {
		t.Fatalf("a member who left keeps a working feed: %v", err)
	}
	for _, bad := range []string{"", "short", strings.Repeat("A", models.FeedTokenLength), strings.Repeat("a", models.FeedTokenLength)} {
		if _, err := db.ResolveFeedToken(ctx, bad); models.ErrorCode(err) != models.ENotFound {
			t.Errorf("token %q: %v", bad, err)
		}
	}
}

func TestFeedVersionMovesWithData(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	ctx := context.Background()
	v0, err := db.FeedVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.FeedVersion(ctx); again != v0 {
		t.Fatalf("version moved with no change: %q → %q", v0, again)
	}
	m := modelstest.MustCreateMember(t, db, models.Member{Name: "王强"})
	v1, _ := db.FeedVersion(ctx)
	if v1 == v0 {
		t.Error("a member change (names appear in feeds) must move the version")
	}
	if _, _, err := db.IssueFeedToken(ctx, models.MemberFeedScope(m.ID)); err != nil {
		t.Fatal(err)
	}
	v2, _ := db.FeedVersion(ctx)
	if err := db.RevokeFeedToken(ctx, models.MemberFeedScope(m.ID)); err != nil {
		t.Fatal(err)
	}
	if v3, _ := db.FeedVersion(ctx); v3 == v2 {
		t.Error("a revocation must move the version, so other servers drop their cached feed")
	}
}
