package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// Term is one line of the score breakdown. Weighted = Value × Weight; Total is the sum of Weighted.
type Term struct {
	Key      string  `json:"key"`
	LabelZH  string  `json:"label_zh"`
	LabelEN  string  `json:"label_en"`
	Value    float64 `json:"value"`
	Weight   float64 `json:"weight"`
	Weighted float64 `json:"weighted"`
}

// Score is the objective broken down term by term; larger Total is better.
type Score struct {
	Terms []Term  `json:"terms"`
	Total float64 `json:"total"`
}

// Violation is one broken hard rule found by Check.
type Violation struct {
	Rule      RuleRef `json:"rule"`
	MessageZH string  `json:"message_zh"`
	MessageEN string  `json:"message_en"`
}

// HardCheck is the result of checking every hard rule from scratch.
type HardCheck struct {
	Satisfied  bool        `json:"satisfied"`
	Violations []Violation `json:"violations"`
}

// Assignment places one person in a group (1-based).
type Assignment struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Group    int    `json:"group"`
}

// RunInfo describes how the search went; it depends on the machine and the clock, so it is kept
// apart from the deterministic part of a Plan.
type RunInfo struct {
	Iterations   int   `json:"iterations"`
	ElapsedMS    int64 `json:"elapsed_ms"`
	TimeLimitHit bool  `json:"time_limit_hit"`
}

// Plan is the output of Solve and Replan. Its JSON (without Run) is byte-identical for the same
// input and seed when the search ends by iteration limit, stagnation or proven optimality.
type Plan struct {
	Mode         Mode         `json:"mode"`
	Groups       int          `json:"groups"`
	Seed         uint64       `json:"seed"`
	Assignments  []Assignment `json:"assignments"` // input order
	Excluded     []int64      `json:"excluded"`
	GroupSizes   []int        `json:"group_sizes"`
	GroupLeaders []int        `json:"group_leaders"`
	Score        Score        `json:"score"`
	UpperBound   *float64     `json:"upper_bound,omitempty"`
	GapPercent   *float64     `json:"gap_percent,omitempty"`
	Hard         HardCheck    `json:"hard"`
	Run          *RunInfo     `json:"run,omitempty"`
}

// DeterministicJSON encodes the plan without the run information (elapsed time, iterations).
func (p *Plan) DeterministicJSON() ([]byte, error) {
	c := *p
	c.Run = nil
	return json.MarshalIndent(&c, "", "  ")
}

// GroupOf returns the 1-based group of a person, or 0 if the person is not placed.
func (p *Plan) GroupOf(id int64) int {
	for _, a := range p.Assignments {
		if a.PersonID == id {
			return a.Group
		}
	}
	return 0
}

// Solve validates the problem, builds a start that keeps every hard rule and improves it until
// the time limit, the iteration limit, stagnation or a proven optimum. On infeasible input it
// returns a *ConflictError and no plan.
func Solve(ctx context.Context, p *Problem) (*Plan, error) {
	if err := Validate(p); err != nil {
		return nil, err
	}
	start := time.Now()
	m := buildModel(p)
	rng := rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	s := construct(m, rng)
	if !s.repair(nil, 20*m.n+100) {
		return nil, &ConflictError{Conflicts: []Conflict{{
			Rules:     []RuleRef{{Kind: RuleSize}, {Kind: RuleLeaders}, {Kind: RuleApart}},
			MessageZH: "未能找到同时满足人数、组长人数和“不同组”要求的分组，请减少“不同组”规则或放宽人数范围。",
			MessageEN: "no grouping was found that meets the size, leader and apart rules together; remove some apart rules or widen the size range.",
		}}}
	}
	if m.leafSeedOn() {
		sr := solveSeeded(ctx, m, s, rng, p, start)
		return m.makePlan(sr.best, p.Seed, &RunInfo{Iterations: sr.iters, ElapsedMS: time.Since(start).Milliseconds(), TimeLimitHit: sr.timedOut}), nil
	}
	sr := newSearcher(ctx, m, s, rng, p, start)
	sr.run()
	return m.makePlan(sr.best, p.Seed, &RunInfo{Iterations: sr.iters, ElapsedMS: time.Since(start).Milliseconds(), TimeLimitHit: sr.timedOut}), nil
}

// solveSeeded is Solve's search on reference-size likeness instances. The greedy start is searched
// at once, while a second goroutine computes the upper bound (its branch and bound takes
// 100–250 ms) and then searches from the start that the relaxation's best leaf gives (leafStart),
// if there is one and it beats the greedy start. The better of the two is returned (the greedy
// one on ties). Each search depends only on its start and its own random stream, so the result
// stays deterministic whenever both end by iteration limit, stagnation or proven optimality (a
// bound published late only makes the greedy search stop later, never change its best).
func solveSeeded(ctx context.Context, m *model, s *state, rng *rand.Rand, p *Problem, start time.Time) *searcher {
	sr := &searcher{m: m, s: s, best: s.clone(), rng: rng, ctx: ctx, deadline: start.Add(p.timeLimit()),
		maxIter: p.MaxIterations, target: 1e300, stagn: p.Stagnation, shared: new(atomic.Uint64)}
	sr.shared.Store(math.Float64bits(1e300))
	if sr.stagn == 0 {
		sr.stagn = max(3000, 30*len(m.units))
	}
	done := make(chan *searcher, 1)
	greedy := s.total // s itself belongs to the greedy search from here on
	go func() {
		b := m.upperBound()
		if b.Exact {
			sr.shared.Store(math.Float64bits(b.Total))
		}
		rng2 := rand.New(rand.NewPCG(p.Seed^0x2545f4914f6cdd1d, p.Seed))
		ls := m.leafStart()
		if ls == nil || ls.total <= greedy {
			// No useful leaf: a second greedy start from another random order still adds diversity.
			if ls = construct(m, rng2); !ls.repair(nil, 20*m.n+100) {
				done <- nil
				return
			}
		}
		sr2 := newSearcher(ctx, m, ls, rng2, p, start)
		sr2.run()
		done <- sr2
	}()
	sr.run()
	sr2 := <-done
	if sr2 != nil {
		sr.iters += sr2.iters
		sr.timedOut = sr.timedOut || sr2.timedOut
		if sr2.best.total > sr.best.total+eps {
			sr.best = sr2.best
		}
	}
	return sr
}

// leafSeedOn reports whether Solve seeds a second search from the count relaxation's best leaf.
func (m *model) leafSeedOn() bool {
	return m.primary >= 0 && !m.fastPair && !m.quickBound && m.n <= exactBoundMaxPeople &&
		m.G <= exactBoundMaxGroups && m.G <= 64 && len(m.units) <= smallLimit
}

func newSearcher(ctx context.Context, m *model, s *state, rng *rand.Rand, p *Problem, start time.Time) *searcher {
	sr := &searcher{m: m, s: s, best: s.clone(), rng: rng, ctx: ctx, deadline: start.Add(p.timeLimit()),
		maxIter: p.MaxIterations, target: 1e300, stagn: p.Stagnation}
	if b := m.upperBound(); b.Exact {
		sr.target = b.Total
	}
	if sr.stagn == 0 && len(m.units) <= smallLimit {
		sr.stagn = max(3000, 30*len(m.units))
	}
	return sr
}

// makePlan turns a state into the public Plan, scoring it from scratch.
func (m *model) makePlan(s *state, seed uint64, run *RunInfo) *Plan {
	pl := &Plan{Mode: m.mode, Groups: m.G, Seed: seed, Excluded: append([]int64{}, m.excluded...),
		GroupSizes: make([]int, m.G), GroupLeaders: make([]int, m.G), Run: run}
	groupOf := map[int64]int{}
	for i, ps := range m.people {
		g := int(s.grp[i]) + 1
		groupOf[ps.ID] = g
		pl.GroupSizes[g-1]++
		if ps.IsLeader() {
			pl.GroupLeaders[g-1]++
		}
	}
	for _, ps := range m.prob.People {
		if g, ok := groupOf[ps.ID]; ok {
			pl.Assignments = append(pl.Assignments, Assignment{PersonID: ps.ID, Name: ps.Name, Group: g})
		}
	}
	pl.Score = ScoreAssignment(m.prob, groupOf)
	pl.Hard = Check(m.prob, groupOf)
	if b := m.upperBound(); b.Total != 0 {
		ub := round6(b.Total)
		gap := round6(100 * (b.Total - pl.Score.Total) / absf(b.Total))
		pl.UpperBound, pl.GapPercent = &ub, &gap
	}
	return pl
}

func absf(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// groupsFromPlan maps person ID to 1-based group.
func groupsFromPlan(pl *Plan) map[int64]int {
	out := make(map[int64]int, len(pl.Assignments))
	for _, a := range pl.Assignments {
		out[a.PersonID] = a.Group
	}
	return out
}

// stateFrom loads an assignment (ID → 1-based group) into a fresh state; people without a group stay unplaced.
func (m *model) stateFrom(groups map[int64]int) (*state, error) {
	s := newState(m)
	for i, ps := range m.people {
		g, ok := groups[ps.ID]
		if !ok {
			continue
		}
		if g < 1 || g > m.G {
			return nil, fmt.Errorf("%s的组号%d无效 / invalid group %d for person %d", m.personLabel(ps.ID), g, g, ps.ID)
		}
		s.place(int32(i), int32(g-1))
	}
	return s, nil
}
