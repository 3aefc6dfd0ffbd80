package planner

import (
	"context"
	"math"
	"time"
)

// Move records one person whose group changed.
type Move struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	From     int    `json:"from"`
	To       int    `json:"to"`
}

// ReplanResult is a repaired plan and what changed against the previous one.
type ReplanResult struct {
	Plan       *Plan        `json:"plan"`
	MovedCount int          `json:"moved_count"`
	Moved      []Move       `json:"moved"`  // people who were placed before and changed group
	Placed     []Assignment `json:"placed"` // newcomers and where they went
}

// Replan adapts a previous assignment (person ID → 1-based group) to a changed roster or rule set.
// Lexicographically: first every hard rule holds, with as few people moved as the greedy repair
// finds (pinned people go to their pinned group, which may count as a move); then, if maxMoves > 0,
// the score is improved by moves and swaps while at most maxMoves people in all end up moved.
// Newcomers are placed without counting as moves.
func Replan(ctx context.Context, p *Problem, previous map[int64]int, maxMoves int) (*ReplanResult, error) {
	if err := Validate(p); err != nil {
		return nil, err
	}
	start := time.Now()
	deadline := start.Add(p.timeLimit())
	m := buildModel(p)
	m.quickBound = true
	orig := make([]int32, m.n)
	for i, ps := range m.people {
		orig[i] = -1
		if g, ok := previous[ps.ID]; ok && g >= 1 && g <= m.G {
			orig[i] = int32(g - 1)
		}
	}
	s := newState(m)
	var fresh []int32
	for u, mem := range m.units {
		h := m.fixed[u]
		if h < 0 {
			votes := make([]int, m.G)
			for _, p := range mem {
				if orig[p] >= 0 {
					votes[orig[p]]++
				}
			}
			for g, v := range votes {
				if v > 0 && (h < 0 || v > votes[h]) {
					h = int32(g)
				}
			}
		}
		if h < 0 {
			fresh = append(fresh, int32(u))
			continue
		}
		s.moveUnit(int32(u), h)
	}
	// Newcomers go where they break the least, then where they score the most.
	for _, u := range fresh {
		best, bv, bs := int32(0), int32(math.MaxInt32), math.Inf(-1)
		for h := int32(0); h < int32(m.G); h++ {
			s.moveUnit(u, h)
			v, sc := s.violations(), s.total
			if v < bv || (v == bv && sc > bs+eps) {
				best, bv, bs = h, v, sc
			}
		}
		s.moveUnit(u, best)
	}
	if !s.repair(orig, 20*m.n+100) {
		return nil, &ConflictError{Conflicts: []Conflict{{
			Rules:     []RuleRef{{Kind: RuleSize}, {Kind: RuleLeaders}, {Kind: RuleApart}},
			MessageZH: "在原分组基础上未能调整出满足全部硬性规则的分组，请重新分组。",
			MessageEN: "the previous grouping could not be adjusted to meet every hard rule; plan the groups afresh.",
		}}}
	}
	iters := 0
	timedOut := false
	if maxMoves > 0 {
		iters, timedOut = improveWithin(ctx, s, orig, maxMoves, deadline)
	}
	res := &ReplanResult{Plan: m.makePlan(s, p.Seed, nil), Moved: []Move{}, Placed: []Assignment{}}
	res.Plan.Run = &RunInfo{Iterations: iters, ElapsedMS: time.Since(start).Milliseconds(), TimeLimitHit: timedOut}
	for i, ps := range m.people {
		switch {
		case orig[i] < 0:
			res.Placed = append(res.Placed, Assignment{PersonID: ps.ID, Name: ps.Name, Group: int(s.grp[i]) + 1})
		case orig[i] != s.grp[i]:
			res.Moved = append(res.Moved, Move{PersonID: ps.ID, Name: ps.Name, From: int(orig[i]) + 1, To: int(s.grp[i]) + 1})
		}
	}
	res.MovedCount = len(res.Moved)
	return res, nil
}

// movedCount counts placed-before people now in another group.
func movedCount(s *state, orig []int32) int {
	c := 0
	for i, g := range s.grp {
		if orig[i] >= 0 && orig[i] != g {
			c++
		}
	}
	return c
}

// improveWithin takes the best improving feasible move or swap whose moved-people total stays
// within budget, until none is left.
func improveWithin(ctx context.Context, s *state, orig []int32, budget int, deadline time.Time) (int, bool) {
	m := s.m
	iters := 0
	for {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return iters, true
		}
		iters++
		used := float64(movedCount(s, orig))
		bd, bu, bv, bh := eps, int32(-1), int32(-1), int32(-1)
		for u := int32(0); u < int32(len(m.units)); u++ {
			if m.fixed[u] >= 0 {
				continue
			}
			g := s.unitGroup(u)
			for h := int32(0); h < int32(m.G); h++ {
				if h == g || !s.canMove(u, h) || used+s.moveCost(u, h, orig) > float64(budget) {
					continue
				}
				if d := s.deltaUnitMove(u, h); d > bd {
					bd, bu, bv, bh = d, u, -1, h
				}
			}
			for v := u + 1; v < int32(len(m.units)); v++ {
				h := s.unitGroup(v)
				if h == g || !s.canSwap(u, v) || used+s.moveCost(u, h, orig)+s.moveCost(v, g, orig) > float64(budget) {
					continue
				}
				if d := s.deltaUnitSwap(u, v); d > bd {
					bd, bu, bv, bh = d, u, v, -1
				}
			}
		}
		if bu < 0 {
			return iters, false
		}
		if bv >= 0 {
			s.swapUnits(bu, bv)
		} else {
			s.moveUnit(bu, bh)
		}
	}
}
