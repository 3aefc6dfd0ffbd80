// Package scheduler turns the roster into a year's rota. Its sub-packages are pure: planner forms
// the groups and duty gives out the months and proposes themes; this package composes them,
// stores the result through models, and runs the jobs that drive them.
package scheduler

import (
	"context"
	"fmt"
	"slices"

	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

// YearInput is everything needed to plan a year without a database.
type YearInput struct {
	Year    int
	Problem planner.Problem // People, Groups, rules, mode, seed, time limit
	NoDuty  []duty.NoDutyMonth
	History duty.History
	// LastYear[g] lists what group g (0-based) did last year, so themes do not repeat.
	LastYear map[int][]duty.PastActivity
	Holidays *duty.HolidayCalendar
	Dates    duty.DateRule
}

// YearPlan is a planned year: the groups, the month each group leads, and the proposals.
type YearPlan struct {
	Year      int            `json:"year"`
	Groups    *planner.Plan  `json:"groups"`
	Months    duty.Plan      `json:"months"`
	Proposals duty.Proposals `json:"proposals"`
	Members   []GroupRoster  `json:"rosters"`
}

// GroupRoster lists a group's people, leaders first, for people to read.
type GroupRoster struct {
	Number     int            `json:"number"`
	Label      string         `json:"label"`
	Leaders    []string       `json:"leaders"`
	Members    []string       `json:"members"`
	Industries map[string]int `json:"industries"`
}

// PlanYear forms the groups, then gives out the months and proposes themes for them.
func PlanYear(ctx context.Context, in YearInput) (*YearPlan, error) {
	groups, err := planner.Solve(ctx, &in.Problem)
	if err != nil {
		return nil, err
	}
	return MonthsFor(in, groups)
}

// MonthsFor gives out the months of an already formed set of groups.
func MonthsFor(in YearInput, groups *planner.Plan) (*YearPlan, error) {
	rosters := Rosters(in.Problem.People, groups)
	ai := duty.AssignInput{Year: in.Year, NoDuty: in.NoDuty, History: in.History, Groups: make([]duty.Group, groups.Groups)}
	byID := map[int64]planner.Person{}
	for _, p := range in.Problem.People {
		byID[p.ID] = p
	}
	for _, a := range groups.Assignments {
		if a.Group < 1 {
			continue
		}
		p := byID[a.PersonID]
		if p.IsLeader() {
			g := &ai.Groups[a.Group-1]
			g.Leaders = append(g.Leaders, duty.Leader{Name: p.Name, UnavailableMonths: p.UnavailableMonths})
		}
	}
	months, err := duty.Assign(ai)
	if err != nil {
		return nil, err
	}
	pi := duty.ProposeInput{Plan: months, Dates: in.Dates, Groups: make([]duty.GroupProfile, groups.Groups)}
	for g := range pi.Groups {
		pi.Groups[g] = duty.GroupProfile{Industries: rosters[g].Industries, LastYear: in.LastYear[g]}
	}
	props, err := duty.Propose(pi, in.Holidays)
	if err != nil {
		return nil, err
	}
	return &YearPlan{Year: in.Year, Groups: groups, Months: months, Proposals: props, Members: rosters}, nil
}

// Rosters lists each group's people by name, leaders first, with the group's industry counts.
func Rosters(people []planner.Person, plan *planner.Plan) []GroupRoster {
	out := make([]GroupRoster, plan.Groups)
	for g := range out {
		out[g] = GroupRoster{Number: g + 1, Label: duty.GroupLabel(g), Leaders: []string{}, Members: []string{}, Industries: map[string]int{}}
	}
	byID := map[int64]planner.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	for _, a := range plan.Assignments {
		if a.Group < 1 || a.Group > plan.Groups {
			continue
		}
		p, r := byID[a.PersonID], &out[a.Group-1]
		if p.IsLeader() {
			r.Leaders = append(r.Leaders, p.Name)
		} else {
			r.Members = append(r.Members, p.Name)
		}
		if p.Industry != "" {
			r.Industries[p.Industry]++
		}
	}
	return out
}

// MonthOf returns the month group number g (1-based) leads, or 0.
func (y *YearPlan) MonthOf(g int) int {
	i := slices.IndexFunc(y.Months.Months, func(m duty.MonthAssignment) bool { return m.Group == g-1 })
	if i < 0 {
		return 0
	}
	return y.Months.Months[i].Month
}

// String summarises the plan for logs.
func (y *YearPlan) String() string {
	return fmt.Sprintf("%d年 %d个轮值组 得分%.0f", y.Year, y.Groups.Groups, y.Groups.Score.Total)
}
