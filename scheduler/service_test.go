package scheduler_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
	"github.com/gsl/rota/models/modelstest"
	"github.com/gsl/rota/scheduler"
	"github.com/gsl/rota/scheduler/duty"
)

func demoService(t *testing.T, db *models.DB) (*scheduler.Service, context.Context) {
	t.Helper()
	ctx := models.WithActor(context.Background(), models.Actor{Name: "秘书处小王"})
	if _, err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	// Plans are made in 2026 for 2027; a fixed clock keeps "future activities" stable.
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) }
	return &scheduler.Service{DB: db}, ctx
}

func draft(t *testing.T, s *scheduler.Service, ctx context.Context) *models.PlanDetail {
	t.Helper()
	d, yp, err := s.CreateDraft(ctx, scheduler.DraftOptions{Year: 2027, Seed: 7, TimeLimit: 300 * time.Millisecond,
		NoDuty: []duty.NoDutyMonth{}})
	if err != nil {
		t.Fatal(err)
	}
	if !yp.Groups.Hard.Satisfied {
		t.Fatalf("draft breaks hard rules: %+v", yp.Groups.Hard)
	}
	return d
}

func TestDraftPlanFromRoster(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		s, ctx := demoService(t, db)
		d := draft(t, s, ctx)
		if d.Plan.Status != models.PlanDraft || d.Plan.Version != 1 || len(d.Groups) != 12 {
			t.Fatalf("draft: %+v groups=%d", d.Plan, len(d.Groups))
		}
		// 129 people are in the rota: the chair and the two officers are not.
		if len(d.Members) != 129 {
			t.Fatalf("want 129 members placed, got %d", len(d.Members))
		}
		sizes, leaders := map[uint64]int{}, map[uint64]int{}
		for _, m := range d.Members {
			sizes[m.GroupID]++
			if m.IsLeader {
				leaders[m.GroupID]++
			}
		}
		for _, g := range d.Groups {
			if sizes[g.ID] < 10 || sizes[g.ID] > 11 || leaders[g.ID] < 2 || leaders[g.ID] > 3 {
				t.Errorf("%s: %d people, %d leaders", g.Name, sizes[g.ID], leaders[g.ID])
			}
		}
		seen := map[uint64]bool{}
		for _, m := range d.Months {
			if m.GroupID == nil || m.Category == "" || m.ProposedDate.IsZero() {
				t.Fatalf("month %d has no group, category or date: %+v", m.Month, m)
			}
			seen[*m.GroupID] = true
		}
		if len(seen) != 12 {
			t.Fatalf("12 groups should lead one month each, %d did", len(seen))
		}
		entries, _, _ := db.ListAudit(ctx, models.AuditFilter{Entity: "plan"})
		if len(entries) != 1 || entries[0].Actor != "秘书处小王" {
			t.Fatalf("plan creation must be audited with who: %+v", entries)
		}
	})
}

func TestAdjustPublishAndVersion(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		s, ctx := demoService(t, db)
		d := draft(t, s, ctx)
		// Pick a standing member and a group that is not theirs.
		mover := standingMember(d)
		from := d.GroupOf(mover.MemberID)
		to := from%12 + 1
		move := scheduler.Edit{Kind: scheduler.EditMove, MemberID: mover.MemberID, ToGroup: to}

		pv, err := s.Preview(ctx, d.Plan.ID, move)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Applied || len(pv.Changes) != 1 || pv.Changes[0].From != from || pv.Changes[0].To != to {
			t.Fatalf("preview: %+v", pv)
		}
		after, _ := db.GetPlanDetail(ctx, d.Plan.ID)
		if after.GroupOf(mover.MemberID) != from || after.Plan.Version != 1 {
			t.Fatal("a preview must change nothing")
		}
		// Sizes are 10–11, so moving one person into an 11-person group can break the size rule:
		// such an edit needs an override with a reason.
		res, err := s.Apply(ctx, d.Plan.ID, 1, move, "")
		if !pv.Allowed {
			if models.ErrorCode(err) != models.EConflict {
				t.Fatalf("a rule-breaking edit without override: want conflict, got %v", err)
			}
			res, err = s.Apply(ctx, d.Plan.ID, 1, move, "本人申请调组")
		}
		if err != nil || !res.Applied || res.Version != 2 {
			t.Fatalf("apply: %+v %v", res, err)
		}
		if _, err := s.Apply(ctx, d.Plan.ID, 1, move, "x"); models.ErrorCode(err) != models.EConflict {
			t.Fatalf("stale version must be refused, got %v", err)
		}

		// Swap two months, then publish: one activity per duty month, organised by the group's leaders.
		if _, err := s.Apply(ctx, d.Plan.ID, 2, scheduler.Edit{Kind: scheduler.EditSwapMonths, MonthA: 3, MonthB: 4}, "测试"); err != nil {
			t.Fatal(err)
		}
		v, err := db.PublishPlan(ctx, d.Plan.ID, 3)
		if err != nil || v != 4 {
			t.Fatalf("publish: %d %v", v, err)
		}
		var acts []models.Activity
		db.Gorm.Where("plan_id = ?", d.Plan.ID).Order("month").Find(&acts)
		if len(acts) != 12 {
			t.Fatalf("publishing should create 12 duty activities, got %d", len(acts))
		}

		// A change to the published plan is version 5 with its change list, and the activity follows.
		cur, _ := db.GetPlanDetail(ctx, d.Plan.ID)
		march := acts[2]
		res, err = s.Apply(ctx, d.Plan.ID, 4, scheduler.Edit{Kind: scheduler.EditSwapMonths, MonthA: 3, MonthB: 5}, "5月展会冲突")
		if err != nil || res.Version != 5 {
			t.Fatalf("edit after publishing: %+v %v", res, err)
		}
		versions, _ := db.PlanVersions(ctx, d.Plan.ID)
		var changes []models.PlanChange
		_ = json.Unmarshal([]byte(versions[0].ChangesJSON), &changes)
		if versions[0].Version != 5 || len(changes) < 2 || changes[0].Kind != "month_changed" || versions[0].CreatedBy != "秘书处小王" {
			t.Fatalf("version 5 change list: %+v %+v", versions[0], changes)
		}
		var march2 models.Activity
		db.Gorm.First(&march2, march.ID)
		var may models.DutyMonth
		for _, m := range cur.Months {
			if m.Month == 5 {
				may = m
			}
		}
		if *march2.GroupID != *may.GroupID || march2.Sequence != march.Sequence+1 {
			t.Fatalf("March's activity should now belong to May's old group with a new sequence: %+v", march2)
		}
	})
}

// Two secretaries adjusting the same plan at once: exactly one edit lands, the other is told.
func TestConcurrentPlanEdits(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		s, ctx := demoService(t, db)
		d := draft(t, s, ctx)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, months := range [][2]int{{1, 2}, {6, 7}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Apply(ctx, d.Plan.ID, 1, scheduler.Edit{Kind: scheduler.EditSwapMonths, MonthA: months[0], MonthB: months[1]}, "测试")
			}()
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch models.ErrorCode(err) {
			case "":
				ok++
			case models.EConflict:
				conflicts++
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("want one success and one conflict, got %d and %d (%v)", ok, conflicts, errs)
		}
		p, _ := db.GetPlan(ctx, d.Plan.ID)
		if p.Version != 2 {
			t.Fatalf("plan version after the race: %d", p.Version)
		}
	})
}

// A member leaves: re-planning keeps everyone else where they are.
func TestReplanAfterLeaving(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	s, ctx := demoService(t, db)
	d := draft(t, s, ctx)
	leaver := standingMember(d)
	m, _ := db.GetMember(ctx, leaver.MemberID)
	if _, err := db.DeactivateMember(ctx, m.ID, m.Version, models.Date{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Preview(ctx, d.Plan.ID, scheduler.Edit{Kind: scheduler.EditReplan})
	if err != nil {
		t.Fatal(err)
	}
	if res.MovedCount >= 3 || !res.Allowed {
		t.Fatalf("one leaver should move fewer than 3 people and satisfy every rule: %+v", res)
	}
	res, err = s.Preview(ctx, d.Plan.ID, scheduler.Edit{Kind: scheduler.EditReplan, MaxMoves: 2})
	if err != nil || res.MovedCount > 2 {
		t.Fatalf("at most 2 moves: %+v %v", res, err)
	}
}

// Holidays the secretariat enters for a year the library does not cover move proposed dates,
// and the "holidays missing" warning goes away.
func TestDraftUsesStoredHolidays(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	s, ctx := demoService(t, db)
	first := draft(t, s, ctx)
	var march models.DutyMonth
	for _, m := range first.Months {
		if m.Month == 3 {
			march = m
		}
	}
	var params scheduler.PlanParams
	_ = json.Unmarshal([]byte(first.Plan.ParamsJSON), &params)
	if !hasWarning(params.Warnings, "holidays_missing") {
		t.Fatalf("2027 is not in the holiday library: the draft should warn, got %+v", params.Warnings)
	}
	if err := db.ReplaceHolidayOverrides(ctx, 2027, []models.HolidayOverride{{Day: march.ProposedDate, Name: "测试假日", Kind: "holiday"}}); err != nil {
		t.Fatal(err)
	}
	second := draft(t, s, ctx)
	for _, m := range second.Months {
		if m.Month == 3 && m.ProposedDate == march.ProposedDate {
			t.Fatalf("March is still proposed on the entered holiday %s", m.ProposedDate)
		}
	}
	_ = json.Unmarshal([]byte(second.Plan.ParamsJSON), &params)
	if hasWarning(params.Warnings, "holidays_missing") {
		t.Fatal("with 2027 entered the draft should not warn that holidays are missing")
	}
}

func hasWarning(ws []duty.Warning, code string) bool {
	for _, w := range ws {
		if string(w.Code) == code {
			return true
		}
	}
	return false
}

// Next year's proposals avoid what each group actually did this year, as recorded on the
// activities (the leaders' own theme), and the rotation continues where it stopped.
func TestNextYearAvoidsWhatGroupsDid(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	s, ctx := demoService(t, db)
	d := draft(t, s, ctx)
	if _, err := db.PublishPlan(ctx, d.Plan.ID, 1); err != nil {
		t.Fatal(err)
	}
	var acts []models.Activity
	db.Gorm.Where("plan_id = ?", d.Plan.ID).Find(&acts)
	did := map[uint64]models.Activity{}
	for i, a := range acts {
		theme := fmt.Sprintf("本组自定主题%d", i)
		db.Gorm.Model(&models.Activity{}).Where("id = ?", a.ID).Update("theme", theme)
		a.Theme = theme
		did[*a.GroupID] = a
	}
	groupOf := map[uint64]int{}
	for _, g := range d.Groups {
		groupOf[g.ID] = g.Number
	}
	byNumber := map[int]models.Activity{}
	for gid, a := range did {
		byNumber[groupOf[gid]] = a
	}
	next, yp, err := s.CreateDraft(ctx, scheduler.DraftOptions{Year: 2028, Seed: 7, TimeLimit: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	repeated := map[int]bool{}
	for _, w := range yp.Proposals.Warnings {
		if w.Code == "category_repeated" {
			repeated[w.Month] = true
		}
	}
	for _, p := range yp.Proposals.Months {
		before := byNumber[p.Group+1]
		if string(p.Category) == *before.Category && !repeated[p.Month] {
			t.Errorf("%s repeats last year's category %s without a warning", p.GroupLabel, p.Category)
		}
		for _, th := range p.Themes {
			if th.Text == before.Theme {
				t.Errorf("%s is offered last year's own theme %q again", p.GroupLabel, th.Text)
			}
		}
	}
	var params scheduler.PlanParams
	_ = json.Unmarshal([]byte(next.Plan.ParamsJSON), &params)
	if len(params.History.Counts) != 12 {
		t.Fatalf("2028 should continue 2027's rotation history, got %+v", params.History)
	}
}

// A member the secretariat moved by hand is pinned there: a re-plan keeps the decision.
func TestReplanKeepsHandMoves(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	s, ctx := demoService(t, db)
	d := draft(t, s, ctx)
	mover := standingMember(d)
	to := d.GroupOf(mover.MemberID)%12 + 1
	if _, err := s.Apply(ctx, d.Plan.ID, 1, scheduler.Edit{Kind: scheduler.EditMove, MemberID: mover.MemberID, ToGroup: to}, "本人申请"); err != nil {
		t.Fatal(err)
	}
	after, _ := db.GetPlanDetail(ctx, d.Plan.ID)
	for _, m := range after.Members {
		if m.MemberID == mover.MemberID && !m.Pinned {
			t.Fatal("the hand-moved member should be pinned to the new group")
		}
	}
	res, err := s.Preview(ctx, d.Plan.ID, scheduler.Edit{Kind: scheduler.EditReplan})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.MemberID == mover.MemberID {
			t.Fatalf("the re-plan moves the hand-moved member back: %+v", c)
		}
	}
	if !res.Allowed {
		t.Fatalf("the re-plan should restore every rule around the pinned member: %+v", res.Broken)
	}
}

// standingMember is the first member of the plan who is not a group leader.
func standingMember(d *models.PlanDetail) models.PlanGroupMember {
	for _, m := range d.Members {
		if !m.IsLeader {
			return m
		}
	}
	panic("the demo plan has standing members")
}
