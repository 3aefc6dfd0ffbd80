package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

// EditKind names an adjustment the secretariat makes to a plan.
type EditKind string

// The adjustments: move a member, swap two members, swap two months' groups, pin or unpin a
// member to their group, add a rule, and re-plan with at most k moves.
const (
	EditMove       EditKind = "move"
	EditSwap       EditKind = "swap"
	EditSwapMonths EditKind = "swap_months"
	EditPin        EditKind = "pin"
	EditUnpin      EditKind = "unpin"
	EditAddRule    EditKind = "add_rule"
	EditReplan     EditKind = "replan"
)

// Edit is one proposed adjustment.
type Edit struct {
	Kind     EditKind        `json:"kind"`
	MemberID uint64          `json:"member_id,omitempty"`
	OtherID  uint64          `json:"other_id,omitempty"` // swap partner, or the rule's second member
	ToGroup  int             `json:"to_group,omitempty"`
	MonthA   int             `json:"month_a,omitempty"`
	MonthB   int             `json:"month_b,omitempty"`
	Rule     models.RuleKind `json:"rule,omitempty"`
	Reason   string          `json:"reason,omitempty"` // why the rule exists
	MaxMoves int             `json:"max_moves,omitempty"`
}

// Broken is a rule an edit would break, in both languages.
type Broken struct {
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
}

// EditResult is an edit's effect: answered as a preview, and again when applied.
type EditResult struct {
	Edit       Edit                `json:"edit"`
	Terms      []planner.TermDelta `json:"terms"`
	TotalDelta float64             `json:"total_delta"`
	Allowed    bool                `json:"allowed"`
	Broken     []Broken            `json:"broken"`
	Changes    []models.PlanChange `json:"changes"`
	Applied    bool                `json:"applied"`
	Version    int                 `json:"version"`
	MovedCount int                 `json:"moved_count"`
	newScore   *planner.Score
	newHard    *planner.HardCheck
	newGroups  map[int64]int
	monthSwap  [2]int
	pin        *bool
	rule       *models.PlanRule
}

// state is a stored plan loaded back into the planners' terms.
type state struct {
	detail  *models.PlanDetail
	params  PlanParams
	problem *planner.Problem
	groups  map[int64]int // member → group number, for people the planner knows
	names   map[uint64]string
}

func (s *Service) load(ctx context.Context, planID uint64) (*state, error) {
	d, err := s.DB.GetPlanDetail(ctx, planID)
	if err != nil {
		return nil, err
	}
	if d.Plan.Status == models.PlanArchived {
		return nil, models.Errorf(models.EConflict, "plan.archived")
	}
	members, err := s.DB.AllMembers(ctx)
	if err != nil {
		return nil, err
	}
	st := &state{detail: d, names: map[uint64]string{}, groups: map[int64]int{}}
	_ = json.Unmarshal([]byte(d.Plan.ParamsJSON), &st.params)
	for _, m := range members {
		st.names[m.ID] = m.Name
	}
	people := People(members)
	known := map[int64]bool{}
	for _, p := range people {
		known[p.ID] = true
	}
	groupNo := map[uint64]int{}
	for _, g := range d.Groups {
		groupNo[g.ID] = g.Number
	}
	p := &planner.Problem{People: people, Groups: d.Plan.GroupsCount, Mode: planner.Mode(d.Plan.Mode), Seed: d.Plan.Seed,
		MinSize: st.params.MinSize, MaxSize: st.params.MaxSize, Leaders: st.params.Leaders, TimeLimit: s.replanLimit()}
	for _, m := range d.Members {
		if !known[int64(m.MemberID)] {
			continue // left the rota since the plan was made
		}
		st.groups[int64(m.MemberID)] = groupNo[m.GroupID]
		if m.Pinned {
			p.Pinned = append(p.Pinned, planner.Pin{PersonID: int64(m.MemberID), Group: groupNo[m.GroupID]})
		}
	}
	for _, r := range d.Rules {
		addRule(p, r, known)
	}
	st.problem = p
	return st, nil
}

func addRule(p *planner.Problem, r models.PlanRule, known map[int64]bool) {
	a := int64(r.MemberA)
	if !known[a] {
		return
	}
	switch r.Kind {
	case models.RuleExclude:
		p.Excluded = append(p.Excluded, a)
	case models.RuleApart, models.RuleTogether:
		if r.MemberB == nil || !known[int64(*r.MemberB)] {
			return
		}
		pair := planner.Pair{A: a, B: int64(*r.MemberB)}
		if r.Kind == models.RuleApart {
			p.Apart = append(p.Apart, pair)
		} else {
			p.Together = append(p.Together, pair)
		}
	}
}

// current is the stored assignment as a scored planner plan.
func (st *state) current() *planner.Plan {
	pl := &planner.Plan{Groups: st.problem.Groups, Seed: st.problem.Seed}
	for _, p := range st.problem.People {
		if g, ok := st.groups[p.ID]; ok {
			pl.Assignments = append(pl.Assignments, planner.Assignment{PersonID: p.ID, Name: p.Name, Group: g})
		}
	}
	return pl
}

// Preview answers what an edit would do without changing anything.
func (s *Service) Preview(ctx context.Context, planID uint64, e Edit) (*EditResult, error) {
	st, err := s.load(ctx, planID)
	if err != nil {
		return nil, err
	}
	return s.evaluate(ctx, st, e)
}

// Apply applies an edit if version is still the plan's version. An edit that breaks a hard
// rule is applied only with an override reason, which is recorded with the change.
func (s *Service) Apply(ctx context.Context, planID uint64, version int, e Edit, override string) (*EditResult, error) {
	st, err := s.load(ctx, planID)
	if err != nil {
		return nil, err
	}
	if st.detail.Plan.Version != version {
		return nil, models.Errorf(models.EConflict, "error.stale_version", st.detail.Plan.Version)
	}
	res, err := s.evaluate(ctx, st, e)
	if err != nil {
		return nil, err
	}
	if !res.Allowed && override == "" {
		zh, en := make([]string, len(res.Broken)), make([]string, len(res.Broken))
		for i, b := range res.Broken {
			zh[i], en[i] = b.MessageZH, b.MessageEN
		}
		return res, models.Errorf(models.EConflict, "plan.edit.needs_override",
			locale.Text{ZH: strings.Join(zh, ""), EN: strings.Join(en, " ")})
	}
	ch := models.PlanEdit{Version: version, Changes: res.Changes, Override: override, Pin: res.pin, Rule: res.rule, MonthSwap: res.monthSwap}
	if res.newScore != nil {
		ch.ScoreJSON, ch.CheckJSON = mustJSON(res.newScore), mustJSON(res.newHard)
	}
	newVersion, err := s.DB.ApplyPlanEdit(ctx, planID, ch)
	if err != nil {
		return nil, err
	}
	res.Applied, res.Version = true, newVersion
	return res, nil
}

func (s *Service) evaluate(ctx context.Context, st *state, e Edit) (*EditResult, error) {
	res := &EditResult{Edit: e, Allowed: true, Broken: []Broken{}, Changes: []models.PlanChange{}, Terms: []planner.TermDelta{}, Version: st.detail.Plan.Version}
	cur := st.current()
	switch e.Kind {
	case EditMove, EditSwap:
		var pv *planner.Preview
		var err error
		if e.Kind == EditMove {
			pv, err = planner.PreviewMove(st.problem, cur, int64(e.MemberID), e.ToGroup)
		} else {
			pv, err = planner.PreviewSwap(st.problem, cur, int64(e.MemberID), int64(e.OtherID))
		}
		if err != nil {
			return nil, plannerError(err)
		}
		res.Terms, res.TotalDelta, res.Allowed = pv.Terms, pv.TotalDelta, pv.Allowed
		res.Broken = brokenOf(pv.Broken)
		next := cloneGroups(st.groups)
		for _, mv := range pv.Moves {
			next[mv.PersonID] = mv.Group
		}
		s.finishMoves(st, res, next)
		for i := range res.Changes {
			res.Changes[i].Pinned = true // a hand move is a decision a re-plan must keep
		}
	case EditReplan:
		rr, err := planner.Replan(ctx, st.problem, st.groups, e.MaxMoves)
		if err != nil {
			return nil, plannerError(err)
		}
		before := planner.ScoreAssignment(st.problem, st.groups)
		res.Terms, res.TotalDelta = termDeltas(before, rr.Plan.Score), rr.Plan.Score.Total-before.Total
		res.Allowed = rr.Plan.Hard.Satisfied
		res.Broken = brokenOf(rr.Plan.Hard.Violations)
		next := map[int64]int{}
		for _, a := range rr.Plan.Assignments {
			next[a.PersonID] = a.Group
		}
		s.finishMoves(st, res, next)
	case EditSwapMonths:
		if err := s.swapMonths(st, res, e); err != nil {
			return nil, err
		}
	case EditPin, EditUnpin:
		g, ok := st.groups[int64(e.MemberID)]
		if !ok {
			return nil, models.Errorf(models.ENotFound, "plan.member_not_in_plan", e.MemberID)
		}
		pin := e.Kind == EditPin
		res.pin = &pin
		kind := "member_pinned"
		if !pin {
			kind = "member_unpinned"
		}
		res.Changes = append(res.Changes, models.PlanChange{Kind: kind, MemberID: e.MemberID, Name: st.names[e.MemberID], From: g, To: g})
	case EditAddRule:
		if err := s.addRuleEdit(st, res, e); err != nil {
			return nil, err
		}
	default:
		return nil, models.Invalid(models.FieldError{Field: "kind", Key: "plan.edit.kind"})
	}
	return res, nil
}

// finishMoves records who moves and the score and check of the resulting assignment.
func (s *Service) finishMoves(st *state, res *EditResult, next map[int64]int) {
	ids := make([]int64, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if from := st.groups[id]; from != next[id] {
			res.Changes = append(res.Changes, models.PlanChange{Kind: "member_moved", MemberID: uint64(id),
				Name: st.names[uint64(id)], From: from, To: next[id]})
			if from != 0 {
				res.MovedCount++
			}
		}
	}
	score := planner.ScoreAssignment(st.problem, next)
	hard := planner.Check(st.problem, next)
	res.newScore, res.newHard, res.newGroups = &score, &hard, next
}

func (s *Service) swapMonths(st *state, res *EditResult, e Edit) error {
	dp := st.dutyPlan()
	_, warns, err := duty.SwapMonths(dp, e.MonthA, e.MonthB)
	if err != nil {
		var de *duty.Error
		if errors.As(err, &de) {
			return models.Errorf(models.EInvalid, "plan.duty_invalid", locale.Text{ZH: de.Message, EN: de.MessageEN})
		}
		return models.Internal(err)
	}
	before := map[string]bool{}
	for _, w := range duty.CheckPlan(dp) {
		before[w.MessageEN] = true
	}
	for _, w := range warns {
		if !before[w.MessageEN] {
			res.Broken = append(res.Broken, Broken{MessageZH: w.Message, MessageEN: w.MessageEN})
		}
	}
	res.Allowed = len(res.Broken) == 0
	ga, gb := dp.Months[e.MonthA-1].Group+1, dp.Months[e.MonthB-1].Group+1
	res.monthSwap = [2]int{e.MonthA, e.MonthB}
	res.Changes = append(res.Changes,
		models.PlanChange{Kind: "month_changed", Month: e.MonthA, From: ga, To: gb},
		models.PlanChange{Kind: "month_changed", Month: e.MonthB, From: gb, To: ga})
	return nil
}

// dutyPlan rebuilds the year's month assignment with today's leaders and their availability.
func (st *state) dutyPlan() duty.Plan {
	d := st.detail
	groupNo := map[uint64]int{}
	for _, g := range d.Groups {
		groupNo[g.ID] = g.Number
	}
	groups := make([]duty.Group, d.Plan.GroupsCount)
	for _, p := range st.problem.People {
		if g := st.groups[p.ID]; g >= 1 && g <= len(groups) && p.IsLeader() {
			groups[g-1].Leaders = append(groups[g-1].Leaders, duty.Leader{Name: p.Name, UnavailableMonths: p.UnavailableMonths})
		}
	}
	noDuty := map[int]bool{}
	for _, nd := range st.params.NoDuty {
		noDuty[nd.Month] = true
	}
	plan := duty.Plan{Year: d.Plan.Year, GroupCount: len(groups), Months: make([]duty.MonthAssignment, 12)}
	for m := 1; m <= 12; m++ {
		ma := duty.MonthAssignment{Month: m, Group: duty.NoGroup, NoDuty: noDuty[m], Available: []int{}}
		for g, grp := range groups {
			if available(grp, m) {
				ma.Available = append(ma.Available, g)
			}
		}
		plan.Months[m-1] = ma
	}
	for _, dm := range d.Months {
		if dm.GroupID != nil && dm.Month >= 1 && dm.Month <= 12 {
			plan.Months[dm.Month-1].Group = groupNo[*dm.GroupID] - 1
		}
	}
	return plan
}

// available mirrors duty's rule: one leader able to serve is enough; no leaders on record means available.
func available(g duty.Group, month int) bool {
	if len(g.Leaders) == 0 {
		return true
	}
	for _, l := range g.Leaders {
		if !slices.Contains(l.UnavailableMonths, month) {
			return true
		}
	}
	return false
}

func (s *Service) addRuleEdit(st *state, res *EditResult, e Edit) error {
	if e.Rule != models.RuleApart && e.Rule != models.RuleTogether && e.Rule != models.RuleExclude {
		return models.Invalid(models.FieldError{Field: "rule", Key: "plan.rule.kind"})
	}
	r := models.PlanRule{Kind: e.Rule, MemberA: e.MemberID, Reason: e.Reason}
	if e.Rule != models.RuleExclude {
		if e.OtherID == 0 || e.OtherID == e.MemberID {
			return models.Invalid(models.FieldError{Field: "other_id", Key: "plan.rule.pair"})
		}
		other := e.OtherID
		r.MemberB = &other
	}
	for _, id := range []uint64{e.MemberID, e.OtherID} {
		if _, ok := st.names[id]; id != 0 && !ok {
			return models.Errorf(models.ENotFound, "member.not_found", id)
		}
	}
	p2 := *st.problem
	known := map[int64]bool{}
	for _, p := range p2.People {
		known[p.ID] = true
	}
	p2.Apart, p2.Together, p2.Excluded = slices.Clone(p2.Apart), slices.Clone(p2.Together), slices.Clone(p2.Excluded)
	addRule(&p2, r, known)
	if err := planner.Validate(&p2); err != nil {
		return plannerError(err)
	}
	// Only what the rule newly breaks: a violation already accepted with an override (a group
	// left one short by a move) must not make every later rule need an override too.
	before := map[string]bool{}
	for _, v := range planner.Check(st.problem, st.groups).Violations {
		before[v.MessageEN] = true
	}
	var broken []planner.Violation
	for _, v := range planner.Check(&p2, st.groups).Violations {
		if !before[v.MessageEN] {
			broken = append(broken, v)
		}
	}
	res.Broken = brokenOf(broken)
	res.Allowed = len(res.Broken) == 0
	res.rule = &r
	res.Changes = append(res.Changes, models.PlanChange{Kind: "rule_added", MemberID: e.MemberID, Name: st.names[e.MemberID],
		OtherID: e.OtherID, OtherName: st.names[e.OtherID], Rule: string(e.Rule), Reason: e.Reason})
	return nil
}

func brokenOf(vs []planner.Violation) []Broken {
	out := make([]Broken, len(vs))
	for i, v := range vs {
		out[i] = Broken{MessageZH: v.MessageZH, MessageEN: v.MessageEN}
	}
	return out
}

func termDeltas(before, after planner.Score) []planner.TermDelta {
	out := make([]planner.TermDelta, 0, len(after.Terms))
	for i, t := range after.Terms {
		var b planner.Term
		if i < len(before.Terms) {
			b = before.Terms[i]
		}
		out = append(out, planner.TermDelta{Key: t.Key, LabelZH: t.LabelZH, LabelEN: t.LabelEN,
			ValueDelta: t.Value - b.Value, WeightedDelta: t.Weighted - b.Weighted})
	}
	return out
}

func cloneGroups(m map[int64]int) map[int64]int {
	out := make(map[int64]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// plannerError turns the planner's errors, written in both languages, into invalid-input errors.
func plannerError(err error) error {
	var ce *planner.ConflictError
	if errors.As(err, &ce) {
		return conflictError(ce)
	}
	return models.Errorf(models.EInvalid, "plan.edit.invalid", locale.Text{ZH: err.Error(), EN: err.Error()})
}

// replanLimit bounds a re-plan the secretariat waits for in the browser.
func (s *Service) replanLimit() time.Duration { return 2 * time.Second }

// Explain answers "why is this person in this group" for a stored plan: for every other group,
// how each score term would change and which rules would break if they moved there.
func (s *Service) Explain(ctx context.Context, planID, memberID uint64) (*planner.Explanation, error) {
	st, err := s.load(ctx, planID)
	if err != nil {
		return nil, err
	}
	if _, ok := st.groups[int64(memberID)]; !ok {
		return nil, models.Errorf(models.ENotFound, "plan.member_not_in_plan", memberID)
	}
	ex, err := planner.Explain(st.problem, st.current(), int64(memberID))
	if err != nil {
		return nil, plannerError(err)
	}
	return ex, nil
}
