package api_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/gsl/rota/models"
)

// Plans for the role matrix's plan rows, of the fixture's people: a published 2025 plan, a
// 2023 draft, and a fresh 2024 draft for every publication. The planner's bounds are wide, as
// earlier rows add members.

// matrixPlanBody asks the planner for a draft of the fixture's few people: two groups with one
// leader each.
const matrixPlanBody = `{"year":2030,"groups":2,"time_limit_ms":100,"min_size":1,"max_size":100,"leaders":{"min":1,"max":1},"no_duty":[]}`

// fixturePlan stores a plan of the fixture's two groups for year as a draft, without the planner.
func fixturePlan(fx *fixture, year int) *models.PlanDetail {
	fx.t.Helper()
	d, err := fx.db.CreatePlan(context.Background(), &models.NewPlan{
		Plan: models.Plan{Year: year, Mode: "industry", GroupsCount: 2, ScoreJSON: "{}", CheckJSON: "{}",
			ParamsJSON: `{"mode":"industry","groups":2,"min_size":1,"max_size":100,"leaders":{"min":1,"max":1}}`},
		Groups: []models.NewPlanGroup{
			{Number: 1, Name: "第1轮值组", Members: []models.PlanGroupMember{{MemberID: fx.leader1.ID, IsLeader: true}, {MemberID: fx.member1.ID}}},
			{Number: 2, Name: "第2轮值组", Members: []models.PlanGroupMember{{MemberID: fx.leader2.ID, IsLeader: true}}},
		},
		Months: []models.NewDutyMonth{{DutyMonth: models.DutyMonth{Month: 3, ProposalJSON: "{}"}, GroupNumber: 1},
			{DutyMonth: models.DutyMonth{Month: 4, ProposalJSON: "{}"}, GroupNumber: 2}},
	})
	if err != nil {
		fx.t.Fatal(err)
	}
	return d
}

// publishedPlanURL is a path under the published 2025 plan, which is made on first use.
func publishedPlanURL(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		ctx := context.Background()
		p, err := fx.db.PublishedPlan(ctx, 2025)
		if models.ErrorCode(err) == models.ENotFound {
			d := fixturePlan(fx, 2025)
			if _, err := fx.db.PublishPlan(ctx, d.Plan.ID, d.Plan.Version); err != nil {
				fx.t.Fatal(err)
			}
			p = &d.Plan
		} else if err != nil {
			fx.t.Fatal(err)
		}
		return planPath(fx, p.ID, suffix)
	}
}

// draftPlanURL is a path under the 2023 draft, which is made on first use.
func draftPlanURL(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		plans, err := fx.db.ListPlans(context.Background(), 2023)
		if err != nil {
			fx.t.Fatal(err)
		}
		if len(plans) == 0 {
			return planPath(fx, fixturePlan(fx, 2023).Plan.ID, suffix)
		}
		return planPath(fx, plans[0].ID, suffix)
	}
}

// freshDraftURL is a path under a new draft, for a request that uses the draft up.
func freshDraftURL(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		return planPath(fx, fixturePlan(fx, 2024).Plan.ID, suffix)
	}
}

// planPath is the path of a plan with suffix, where %d stands for the fixture's member.
func planPath(fx *fixture, id uint64, suffix string) string {
	if strings.Contains(suffix, "%d") {
		suffix = fmt.Sprintf(suffix, fx.member1.ID)
	}
	return fmt.Sprintf("/api/v1/plans/%d%s", id, suffix)
}

// pinPreview previews pinning the fixture's member: an edit request that changes nothing.
func pinPreview(fx *fixture, _ string) string {
	return fmt.Sprintf(`{"kind":"pin","member_id":%d}`, fx.member1.ID)
}
