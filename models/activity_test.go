package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// feedFixture is a plan with two groups and three activities: group 1's in March, group 2's in
// April, and a federation-wide one in May that group 2's leader organises.
type feedFixture struct {
	db                *models.DB
	leader1, member1  *models.Member
	leader2           *models.Member
	group1, group2    uint64
	march, april, may *models.Activity
}

func newFeedFixture(t *testing.T, db *models.DB) *feedFixture {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	f := &feedFixture{db: db}
	f.leader1 = modelstest.MustCreateMember(t, db, models.Member{Name: "陈志远", Role: models.RoleVicePresident})
	f.member1 = modelstest.MustCreateMember(t, db, models.Member{Name: "吴晓梅"})
	f.leader2 = modelstest.MustCreateMember(t, db, models.Member{Name: "林建华", Role: models.RoleViceChair})
	d, err := db.CreatePlan(ctx, &models.NewPlan{
		Plan: models.Plan{Year: 2026, Mode: "industry", GroupsCount: 2, ParamsJSON: "{}", ScoreJSON: "{}", CheckJSON: "{}"},
		Groups: []models.NewPlanGroup{
			{Number: 1, Name: "第1轮值组", Members: []models.PlanGroupMember{{MemberID: f.leader1.ID, IsLeader: true}, {MemberID: f.member1.ID}}},
			{Number: 2, Name: "第2轮值组", Members: []models.PlanGroupMember{{MemberID: f.leader2.ID, IsLeader: true}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.group1, f.group2 = d.Groups[0].ID, d.Groups[1].ID
	mk := func(a models.Activity) *models.Activity {
		t.Helper()
		if a.Kind == models.KindDuty {
			a.PlanID = &d.Plan.ID
		}
		a.EndsAt = a.StartsAt.Add(2 * time.Hour)
		if err := db.CreateActivity(ctx, &a); err != nil {
			t.Fatal(err)
		}
		return &a
	}
	f.march = mk(models.Activity{Kind: models.KindDuty, GroupID: &f.group1, Month: ptr(3), Title: "三月活动", StartsAt: time.Date(2026, 3, 14, 6, 0, 0, 0, time.UTC), Status: models.StatusScheduled})
	f.april = mk(models.Activity{Kind: models.KindDuty, GroupID: &f.group2, Month: ptr(4), Title: "四月活动", StartsAt: time.Date(2026, 4, 18, 6, 0, 0, 0, time.UTC), Invited: []uint64{f.member1.ID}})
	f.may = mk(models.Activity{Kind: models.KindFederation, Title: "全会", StartsAt: time.Date(2026, 5, 20, 1, 0, 0, 0, time.UTC), Organisers: []uint64{f.leader2.ID}})
	return f
}

func titles(as []models.ActivityWithGroup) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Title)
	}
	return out
}

func TestActivitiesForFeed(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFeedFixture(t, db)
		all, err := db.ActivitiesForFeed(ctx, models.FeedQuery{})
		if err != nil || len(all) != 3 {
			t.Fatalf("all: %v %v", err, titles(all))
		}
		m := all[0]
		if m.GroupNumber != 1 || m.GroupName != "第1轮值组" || len(m.LeaderNames) != 1 || m.LeaderNames[0] != "陈志远" ||
			len(m.OrganiserNames) != 1 || m.OrganiserNames[0] != "陈志远" || m.Sequence != 0 {
			t.Fatalf("march decoration: %+v", m)
		}
		if all[2].GroupNumber != 0 || all[2].OrganiserNames[0] != "林建华" {
			t.Fatalf("federation activity: %+v", all[2])
		}
		byGroup, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{GroupID: &f.group2})
		if got := titles(byGroup); len(got) != 1 || got[0] != "四月活动" {
			t.Fatalf("group 2: %v", got)
		}
		// Member 1: their group's March activity, April's where they are invited, and the federation's.
		byMember, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{MemberID: &f.member1.ID})
		if got := titles(byMember); len(got) != 3 {
			t.Fatalf("member 1: %v", got)
		}
		both, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{MemberID: &f.leader1.ID, GroupID: &f.group2})
		if len(both) != 0 {
			t.Fatalf("member and group must both hold: %v", titles(both))
		}
		window, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{From: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
		if got := titles(window); len(got) != 1 || got[0] != "四月活动" {
			t.Fatalf("April window: %v", got)
		}

		// Cancelling raises the sequence; cancelled activities appear only when cancelled since the given instant.
		cancelAt := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return cancelAt }
		if _, err := db.UpdateActivity(ctx, f.april.ID, 1, func(a *models.Activity) []models.FieldError {
			a.Status, a.CancelReason = models.StatusCancelled, "台风"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for since, want := range map[time.Time]int{{}: 2, cancelAt.Add(-time.Hour): 3, cancelAt.Add(time.Hour): 2} {
			got, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{IncludeCancelledSince: since})
			if len(got) != want {
				t.Errorf("IncludeCancelledSince %v: %v, want %d", since, titles(got), want)
			}
		}
		got, _ := db.ActivitiesForFeed(ctx, models.FeedQuery{GroupID: &f.group2, IncludeCancelledSince: cancelAt})
		if len(got) != 1 || got[0].Status != models.StatusCancelled || got[0].Sequence != 1 {
			t.Fatalf("cancelled April: %+v", got)
		}
	})
}

func TestDeactivationLeavesPastActivities(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFeedFixture(t, db)
		// On 1 April the March activity is past; April's and May's are to come.
		db.Now = func() time.Time { return time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }
		if _, err := db.DeactivateMember(ctx, f.member1.ID, 1, models.Date{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DeactivateMember(ctx, f.leader1.ID, 1, models.Date{}); err != nil {
			t.Fatal(err)
		}
		march, _ := db.GetActivity(ctx, f.march.ID)
		april, _ := db.GetActivity(ctx, f.april.ID)
		if len(march.Organisers) != 1 || march.Organisers[0] != f.leader1.ID {
			t.Fatalf("past activity lost its organiser: %v", march.Organisers)
		}
		if len(april.Invited) != 0 || april.Version != 2 {
			t.Fatalf("future activity still invites the member who left: %v (version %d)", april.Invited, april.Version)
		}
		entries, n, _ := db.ListAudit(ctx, models.AuditFilter{Entity: "activity", EntityID: "2"})
		if n != 2 || entries[0].Action != "activity.remove_member" {
			t.Fatalf("removal not audited: %+v", entries)
		}
	})
}

func TestCategoryInUse(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFeedFixture(t, db)
		if _, err := db.UpdateActivity(ctx, f.march.ID, 1, func(a *models.Activity) []models.FieldError {
			a.Category = ptr("charity")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		err := db.DeleteCategory(ctx, "charity")
		var e *models.Error
		if models.ErrorCode(err) != models.EConflict || !asErr(err, &e) || e.Message("zh-CN") != "类别“热心公益”正被 1 场活动使用，不能删除；请先修改这些活动的类别" {
			t.Fatalf("delete in use: %v", err)
		}
		if err := db.DeleteCategory(ctx, "lecture"); err != nil {
			t.Fatalf("delete unused: %v", err)
		}
	})
}
