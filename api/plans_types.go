package api

import (
	"encoding/json"
	"time"

	"github.com/gsl/rota/models"
)

// planSummary is a plan in a listing.
type planSummary struct {
	ID          uint64            `json:"id"`
	Year        int               `json:"year"`
	Status      models.PlanStatus `json:"status"`
	Version     int               `json:"version"`
	Mode        string            `json:"mode"`
	GroupsCount int               `json:"groups_count"`
	CreatedBy   string            `json:"created_by"`
	PublishedAt *time.Time        `json:"published_at"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

func newPlanSummary(p *models.Plan) planSummary {
	return planSummary{ID: p.ID, Year: p.Year, Status: p.Status, Version: p.Version, Mode: p.Mode, GroupsCount: p.GroupsCount,
		CreatedBy: p.CreatedBy, PublishedAt: p.PublishedAt, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

// planResponse is a plan with its groups, months, score terms and rule check.
type planResponse struct {
	planSummary
	Seed   uint64              `json:"seed"`
	Score  json.RawMessage     `json:"score"`
	Check  json.RawMessage     `json:"check"`
	Params json.RawMessage     `json:"params"`
	Groups []planGroupResponse `json:"groups"`
	Months []dutyMonthResponse `json:"months"`
	Rules  []planRuleResponse  `json:"rules"`
}

type planGroupResponse struct {
	Number  int                  `json:"number"`
	Name    string               `json:"name"`
	Months  []int                `json:"months"`
	Leaders []planMemberResponse `json:"leaders"`
	Members []planMemberResponse `json:"members"`
}

// planMemberResponse names a member in a plan; contact details stay in the member API.
type planMemberResponse struct {
	MemberID  uint64      `json:"member_id"`
	Name      string      `json:"name"`
	Role      models.Role `json:"role"`
	RoleLabel string      `json:"role_label"`
	Industry  string      `json:"industry"`
	Region    string      `json:"region"`
	Active    bool        `json:"active"`
	Pinned    bool        `json:"pinned"`
}

type dutyMonthResponse struct {
	Month        int             `json:"month"`
	GroupNumber  int             `json:"group_number"`
	GroupName    string          `json:"group_name"`
	NoDutyReason string          `json:"no_duty_reason"`
	Category     string          `json:"category"`
	ProposedDate models.Date     `json:"proposed_date"`
	Proposal     json.RawMessage `json:"proposal"`
}

type planRuleResponse struct {
	ID      uint64          `json:"id"`
	Kind    models.RuleKind `json:"kind"`
	MemberA uint64          `json:"member_a"`
	MemberB *uint64         `json:"member_b"`
	Reason  string          `json:"reason"`
}

func rawJSON(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

func newPlanResponse(d *models.PlanDetail, members []models.Member) planResponse {
	byID := make(map[uint64]*models.Member, len(members))
	for i := range members {
		byID[members[i].ID] = &members[i]
	}
	out := planResponse{planSummary: newPlanSummary(&d.Plan), Seed: d.Plan.Seed, Score: rawJSON(d.Plan.ScoreJSON),
		Check: rawJSON(d.Plan.CheckJSON), Params: rawJSON(d.Plan.ParamsJSON),
		Groups: make([]planGroupResponse, len(d.Groups)), Months: []dutyMonthResponse{}, Rules: []planRuleResponse{}}
	index := map[uint64]int{}
	for i, g := range d.Groups {
		index[g.ID] = i
		out.Groups[i] = planGroupResponse{Number: g.Number, Name: g.Name, Months: []int{}, Leaders: []planMemberResponse{}, Members: []planMemberResponse{}}
	}
	for _, gm := range d.Members {
		i, ok := index[gm.GroupID]
		m := byID[gm.MemberID]
		if !ok || m == nil {
			continue
		}
		pm := planMemberResponse{MemberID: m.ID, Name: m.Name, Role: m.Role, RoleLabel: m.Role.Label(), Industry: m.Industry,
			Region: m.Region, Active: m.Active, Pinned: gm.Pinned}
		if gm.IsLeader {
			out.Groups[i].Leaders = append(out.Groups[i].Leaders, pm)
		} else {
			out.Groups[i].Members = append(out.Groups[i].Members, pm)
		}
	}
	for _, dm := range d.Months {
		r := dutyMonthResponse{Month: dm.Month, NoDutyReason: dm.NoDutyReason, Category: dm.Category,
			ProposedDate: dm.ProposedDate, Proposal: rawJSON(dm.ProposalJSON)}
		if dm.GroupID != nil {
			if i, ok := index[*dm.GroupID]; ok {
				r.GroupNumber, r.GroupName = out.Groups[i].Number, out.Groups[i].Name
				out.Groups[i].Months = append(out.Groups[i].Months, dm.Month)
			}
		}
		out.Months = append(out.Months, r)
	}
	for _, r := range d.Rules {
		out.Rules = append(out.Rules, planRuleResponse{ID: r.ID, Kind: r.Kind, MemberA: r.MemberA, MemberB: r.MemberB, Reason: r.Reason})
	}
	return out
}
