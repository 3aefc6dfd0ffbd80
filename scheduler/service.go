package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

// Service plans years against the database: it reads the roster and last year's plan,
// runs the pure planners, and stores the result as a draft.
type Service struct {
	DB       *models.DB
	Holidays *duty.HolidayCalendar
	Log      *slog.Logger
}

// DraftOptions are the secretariat's choices for a new plan.
type DraftOptions struct {
	Year      int
	Mode      planner.Mode
	Groups    int
	Seed      uint64
	TimeLimit time.Duration
	NoDuty    []duty.NoDutyMonth
	MinSize   int
	MaxSize   int
	Leaders   planner.Bounds
	// Rules, when set, carries the secretariat's pins, pairs, exclusions and weights
	// (People is ignored: the roster comes from the database).
	Rules *planner.Problem
}

// PlanParams is what a stored plan remembers of how it was made, so it can be re-planned
// and next year's rotation can continue where this one stopped.
type PlanParams struct {
	Mode         planner.Mode       `json:"mode"`
	Groups       int                `json:"groups"`
	MinSize      int                `json:"min_size,omitempty"`
	MaxSize      int                `json:"max_size,omitempty"`
	Leaders      planner.Bounds     `json:"leaders"`
	NoDuty       []duty.NoDutyMonth `json:"no_duty"`
	History      duty.History       `json:"history_before"`
	HistoryAfter duty.History       `json:"history_after"`
	Warnings     []duty.Warning     `json:"warnings"`
}

// RotaRoles are the roles placed in rotation groups; the chair, the full-time officers and
// ordinary members are not.
var RotaRoles = []models.Role{models.RoleViceChair, models.RoleVicePresident, models.RoleStandingMember}

// People converts the active rota members of the roster into the planner's people.
func People(members []models.Member) []planner.Person {
	out := make([]planner.Person, 0, len(members))
	for _, m := range members {
		if !m.Active || !slices.Contains(RotaRoles, m.Role) {
			continue
		}
		out = append(out, planner.Person{
			ID: int64(m.ID), Name: m.Name, Role: string(m.Role), Industry: m.Industry, Region: m.Region,
			Deputy: m.IsDeputy(), CPPCC: m.IsCPPCC(), UnavailableMonths: slices.Clone([]int(m.UnavailableMonths)),
		})
	}
	return out
}

// HolidayCalendar is the holiday library with the secretariat's stored overrides on top
// (and, below them, any overrides the service was built with, e.g. from plan.yaml).
func (s *Service) HolidayCalendar(ctx context.Context) (*duty.HolidayCalendar, error) {
	cal := duty.NewHolidayCalendar()
	for _, d := range s.Holidays.Overrides() {
		cal.Override(d)
	}
	stored, err := s.DB.AllHolidayOverrides(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range stored {
		t := o.Day.Time()
		cal.Override(duty.HolidayDay{Date: duty.NewDate(t.Year(), t.Month(), t.Day()), Name: o.Name, Kind: duty.DayKind(o.Kind)})
	}
	return cal, nil
}

// CreateDraft plans the year from the stored roster and stores the plan as a draft.
func (s *Service) CreateDraft(ctx context.Context, opts DraftOptions) (*models.PlanDetail, *YearPlan, error) {
	if opts.Year < duty.MinYear || opts.Year > duty.MaxYear {
		return nil, nil, models.Invalid(models.FieldError{Field: "year", Key: "plan.year.range", Args: []any{duty.MinYear, duty.MaxYear}})
	}
	members, err := s.DB.AllMembers(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal, err := s.HolidayCalendar(ctx)
	if err != nil {
		return nil, nil, err
	}
	in := YearInput{
		Year: opts.Year, NoDuty: opts.NoDuty, Holidays: cal,
		Problem: planner.Problem{People: People(members), Groups: opts.Groups, Mode: opts.Mode, Seed: opts.Seed,
			TimeLimit: opts.TimeLimit, MinSize: opts.MinSize, MaxSize: opts.MaxSize, Leaders: opts.Leaders},
	}
	if r := opts.Rules; r != nil {
		in.Problem.Pinned, in.Problem.Apart, in.Problem.Together, in.Problem.Excluded = r.Pinned, r.Apart, r.Together, r.Excluded
		in.Problem.Weights, in.Problem.NoSoftSpread, in.Problem.Stagnation = r.Weights, r.NoSoftSpread, r.Stagnation
	}
	in.History, in.LastYear, err = s.lastYear(ctx, opts.Year)
	if err != nil {
		return nil, nil, err
	}
	yp, err := PlanYear(ctx, in)
	if err != nil {
		var ce *planner.ConflictError
		if errors.As(err, &ce) {
			return nil, nil, conflictError(ce)
		}
		var de *duty.Error
		if errors.As(err, &de) {
			return nil, nil, models.Errorf(models.EInvalid, "plan.duty_invalid", locale.Text{ZH: de.Message, EN: de.MessageEN})
		}
		return nil, nil, models.Internal(err)
	}
	params := PlanParams{Mode: yp.Groups.Mode, Groups: yp.Groups.Groups, MinSize: opts.MinSize, MaxSize: opts.MaxSize,
		Leaders: opts.Leaders, NoDuty: opts.NoDuty, History: in.History, HistoryAfter: yp.Months.History,
		Warnings: append(slices.Clone(yp.Months.Warnings), yp.Proposals.Warnings...)}
	np := &models.NewPlan{Plan: models.Plan{Year: opts.Year, Mode: string(yp.Groups.Mode), GroupsCount: yp.Groups.Groups,
		Seed: yp.Groups.Seed, ParamsJSON: mustJSON(params), ScoreJSON: mustJSON(yp.Groups.Score), CheckJSON: mustJSON(yp.Groups.Hard)}}
	np.Groups = newGroups(in.Problem.People, yp.Groups, in.Problem.Pinned)
	np.Months = newMonths(yp)
	np.Rules = storedRules(&in.Problem)
	d, err := s.DB.CreatePlan(ctx, np)
	if err != nil {
		return nil, nil, err
	}
	return d, yp, nil
}

func newGroups(people []planner.Person, plan *planner.Plan, pins []planner.Pin) []models.NewPlanGroup {
	leader := map[int64]bool{}
	for _, p := range people {
		leader[p.ID] = p.IsLeader()
	}
	pinned := map[int64]bool{}
	for _, p := range pins {
		pinned[p.PersonID] = true
	}
	out := make([]models.NewPlanGroup, plan.Groups)
	for g := range out {
		out[g] = models.NewPlanGroup{Number: g + 1, Name: duty.GroupLabel(g)}
	}
	for _, a := range plan.Assignments {
		if a.Group >= 1 && a.Group <= plan.Groups {
			out[a.Group-1].Members = append(out[a.Group-1].Members,
				models.PlanGroupMember{MemberID: uint64(a.PersonID), IsLeader: leader[a.PersonID], Pinned: pinned[a.PersonID]})
		}
	}
	return out
}

// storedRules keeps the plan's pair rules and exclusions with it, so every later edit and
// re-plan honours them; pins are kept on the group members.
func storedRules(p *planner.Problem) []models.PlanRule {
	var out []models.PlanRule
	pair := func(kind models.RuleKind, pr planner.Pair) {
		b := uint64(pr.B)
		out = append(out, models.PlanRule{Kind: kind, MemberA: uint64(pr.A), MemberB: &b})
	}
	for _, pr := range p.Apart {
		pair(models.RuleApart, pr)
	}
	for _, pr := range p.Together {
		pair(models.RuleTogether, pr)
	}
	for _, id := range p.Excluded {
		out = append(out, models.PlanRule{Kind: models.RuleExclude, MemberA: uint64(id)})
	}
	return out
}

func newMonths(yp *YearPlan) []models.NewDutyMonth {
	props := map[int]duty.Proposal{}
	for _, p := range yp.Proposals.Months {
		props[p.Month] = p
	}
	out := make([]models.NewDutyMonth, 0, 12)
	for _, ma := range yp.Months.Months {
		nm := models.NewDutyMonth{DutyMonth: models.DutyMonth{Month: ma.Month, ProposalJSON: "{}"}}
		if ma.Group == duty.NoGroup {
			nm.NoDutyReason = ma.Reason
		} else {
			nm.GroupNumber = ma.Group + 1
		}
		if p, ok := props[ma.Month]; ok {
			nm.Category = string(p.Category)
			nm.ProposalJSON = mustJSON(p)
			nm.ProposedDate = models.NewDate(p.Date.Year, p.Date.Month, p.Date.Day)
		}
		out = append(out, nm)
	}
	return out
}

// lastYear reads the previous year's plan (published first, else the newest draft): the rotation
// history to continue and what each group did, so themes do not repeat.
func (s *Service) lastYear(ctx context.Context, year int) (duty.History, map[int][]duty.PastActivity, error) {
	plans, err := s.DB.ListPlans(ctx, year-1)
	if err != nil || len(plans) == 0 {
		return duty.History{}, nil, err
	}
	prev := plans[0]
	for _, p := range plans {
		if p.Status == models.PlanPublished {
			prev = p
			break
		}
	}
	var params PlanParams
	_ = json.Unmarshal([]byte(prev.ParamsJSON), &params) // an unreadable old plan just means no history
	d, err := s.DB.GetPlanDetail(ctx, prev.ID)
	if err != nil {
		return duty.History{}, nil, err
	}
	groupNo := map[uint64]int{}
	for _, g := range d.Groups {
		groupNo[g.ID] = g.Number
	}
	last := map[int][]duty.PastActivity{}
	// What the groups actually did comes first: the theme and category their leaders chose.
	// A plan that was never published has only the planner's proposals.
	acts, _, err := s.DB.ListActivities(ctx, models.ActivityFilter{Year: year - 1, Limit: 1000})
	if err != nil {
		return duty.History{}, nil, err
	}
	for _, a := range acts {
		if a.Kind != models.KindDuty || a.GroupID == nil || a.Category == nil || a.Status == models.StatusCancelled {
			continue
		}
		if g, ok := groupNo[*a.GroupID]; ok {
			last[g-1] = append(last[g-1], duty.PastActivity{Category: duty.Category(*a.Category), Theme: a.Theme})
		}
	}
	if len(last) > 0 {
		return params.HistoryAfter, last, nil
	}
	for _, m := range d.Months {
		if m.GroupID == nil || m.Category == "" {
			continue
		}
		var p duty.Proposal
		_ = json.Unmarshal([]byte(m.ProposalJSON), &p)
		theme := ""
		if len(p.Themes) > 0 {
			theme = p.Themes[0].Text
		}
		g := groupNo[*m.GroupID] - 1
		last[g] = append(last[g], duty.PastActivity{Category: duty.Category(m.Category), Theme: theme})
	}
	return params.HistoryAfter, last, nil
}

// conflictError turns the planner's explanation of conflicting rules into an application error.
func conflictError(ce *planner.ConflictError) error {
	var zh, en []string
	for _, c := range ce.Conflicts {
		zh, en = append(zh, c.MessageZH), append(en, c.MessageEN)
	}
	return models.Errorf(models.EInvalid, "plan.infeasible", locale.Text{ZH: strings.Join(zh, ""), EN: strings.Join(en, " ")})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain data structs are encoded here
	}
	return string(b)
}
