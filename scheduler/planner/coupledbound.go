package planner

import (
	"math"
	"sort"
)

// vcSplitMaxExcess is the largest vice-chair excess e whose plans coupledTotal bounds on their own
// (each e costs one branch and bound of the primary term).
const vcSplitMaxExcess = 1

// vcSplitBudget caps the nodes of each of those searches (up to ~250 ms each on the reference
// shape), propSplitBudget the proposer split's branch and bound (~20 ms on the demo roster).
const (
	vcSplitBudget   = 2_000_000
	propSplitBudget = 1_000_000
)

// coupledTotal lowers the term-by-term total of b (b.Total, "Total_sep") with three arguments that
// tie terms together. All apply only when every term bound is valid (b.Exact) and the mode has a
// primary pair term p with a positive weight.
//
// # Shared pairs
//
// With a second pair term q of positive weight (industry and region in the likeness modes), count
// the pairs of people in the same group: S = Σ_g C(s_g,2) of them, of which A share p's value (the
// primary term itself). A pair counted by q either also shares p's value — then it is one of the
// W_max pairs of people who share both values, W_max = Σ over (p, q) value cells of the cell's own
// bound pairBound — or it does not, and there are only S − A such pairs. So in every plan
//
//	B ≤ W_max + S_max − A,   B ≤ Q,   A ≤ P,
//
// for B the q term, Q and P the term bounds and S_max = maxGroupPairs the largest S the size
// bounds allow. The likeness part w_p·A + w_q·B is then at most
// F(P) = max_{0 ≤ a ≤ P} w_p·a + w_q·min(Q, W_max + S_max − a), a concave piecewise linear
// function whose maximum is at a = 0, a = P or the kink. On the reference shape industry is
// near its bound, so most same-group pairs share an industry, which leaves few for other regions:
// the region share drops from ~540 to ~300–350.
//
// # The vice-chair split
//
// On its own the vice-chair excess E = Σ_g max(0, v_g − cap) is bounded by 0, but keeping the
// vice-chairs spread can cost pairs of the primary term. Split the plans by their excess: a plan
// with E = e scores at most
//
//	T_e = R + F(P_e) − |w_vc|·e
//
// where R is the sum of the other terms' bounds (valid for every plan) and P_e the bound that the
// branch and bound of exactbound.go proves for the primary term's count relaxation with
// vice-chairs as a third type (they are leaders, so they count in the leader caps too) and the
// extra constraint Σ_g max(0, v_g − cap) ≤ e. Every plan with E = e is a leaf of that search, so
// P_e bounds its primary term; the search starts from P and only ever returns a value it proved
// or P, so P_e ≤ P. A plan with E > K scores at most R + F(P) − |w_vc|·(K+1). So
//
//	Total = max(T_0, …, T_K, R + F(P) − |w_vc|·(K+1)),
//
// with K = vcSplitMaxExcess, stopping early once total − |w_vc|·(e+1) cannot beat the maximum
// so far. The split needs the leader rule (vice-chairs are leaders) and runs with the size limits of
// the exact bound, never for quickBound. On synthetic roster 1 P_0 = 441 < P = 445: every plan
// that reaches 445 industry pairs breaks the vice-chair cap.
//
// # The proposer split
//
// It runs first. The groups-without-proposer term is bounded by 0 on its own when there are at
// least G proposers, but a proposer in every group can cost primary pairs: a value without
// proposers cannot fill a group, and a group built around such a value must take a proposer from
// another. Split the plans. A plan with a group without a proposer scores at most
// total − |w_prop| (propTail), since total bounds the score with that term at 0. A plan with a
// proposer in every group has its primary term bounded by P_prop, the smaller of two bounds:
//
//  1. proposerPairBound: its counts per group, value, leader status and proposer status are an
//     integral solution of the configuration LP whose columns are the compositions holding a
//     proposer, with the rows "value c holds at most pairBoundOthers(c) pairs" (every group seats
//     a proposer, so a value without one leaves a seat of every group to another value). The LP's
//     Lagrangian value at any prices bounds the LP (weak duality: the pricing DP maximises over
//     every composition with a proposer).
//  2. The branch and bound of exactbound.go with room 1 for the values without proposers (no group
//     holds more than b_g − 1 of them), started from bound 1: its leaves include such a plan's
//     counts.
//
// Such a plan scores at most rest + F(P_prop) (F is non-decreasing), so total becomes
// min(total, max(propTail, rest + F(P_prop))). The vice-chair split then runs over the plans with
// a proposer in every group only: its branch and bound keeps the room and starts from P_prop, and
// propTail joins the maximum as one more branch. Every plan is in one branch, so the result is a
// bound. On the demo roster, where three industries (19 people) have no proposer, the LP proves
// 432 against P = 438, and the branch and bound with room, priced by an LP that keeps the room in
// its columns (lagPricesFor), finishes at 428 in ~0.1M nodes: what the search's plans reach.
//
// A vice-chair branch lowers total only if its primary bound falls to the largest a with
// rest + F(a) − |w_vc|·e < total, so its search starts there (solveFrom): a leaf above that ends
// the split, since total is then the answer, and the passes in between are never needed.
// Neither split runs for quickBound.
//
// # Cross pairs
//
// The shared-pairs cap lets every same-group pair that does not share p's value count for q. But a
// person of value i shares q's value with at most M_j people of another value j (M_j: j's largest
// (p, q) cell), so groups made of a few large blocks of p's values hold far fewer such pairs.
// crossPairBound (crossbound.go) bounds w_p·A + w_q·B over a branch's plans with a branch and bound
// on λ2·A + Σ min(n_gc, M_c)·(b − n_gc). That search must first prove the branch's primary bound
// again, which only pays off where it is the relaxation's optimum; so it runs only on the
// vice-chair branches, from the largest branch down while it is above the others, with
// crossBudget nodes where the branch's search finished with the optimum (ok from solveFrom) and
// crossBudgetLoose elsewhere. On synthetic roster 1 it lowers the e = 0 branch (441 is the
// optimum), and with it the total, from 44450 to 44364 in ~10 ms. On synthetic rosters 2–4 it runs
// on the largest branch and proves nothing more; on 5 and the demo the first branch already meets
// the total, so it is not run.
//
// The branches' searches, with the vice-chair prices of vcprices.go, on the reference rosters:
// synthetic 1 proves 441 and 445 (e = 0, 1), 2 proves 464 (budget; 463 is exact) and 475 (exact;
// plans with one excess reach 475), 3 proves 481 (exact, reached) and 4 proves 460 for e = 0
// (budget; 8.7M nodes prove 459, which plans reach) and 461 for e = 1.
func (m *model) coupledTotal(b Bound) float64 {
	p := m.primary
	if !b.Exact || p < 0 || m.attrs[p].weight <= 0 {
		return b.Total
	}
	P := int(b.Terms[p].Value + 1e-9)
	rest := b.Total - b.Terms[p].Weighted
	wp := m.attrs[p].weight
	likeness := func(a int) float64 { return wp * float64(a) }
	if q, c, ok := m.sharedPairs(); ok {
		wq, Q := m.attrs[q].weight, b.Terms[q].Value
		rest -= b.Terms[q].Weighted
		likeness = func(a int) float64 {
			f := func(x float64) float64 { return wp*x + wq*min(Q, c-x) }
			v := max(f(0), f(float64(a)))
			if k := c - Q; k > 0 && k < float64(a) {
				v = max(v, f(k))
			}
			return v
		}
	}
	total := min(b.Total, rest+likeness(P))
	if m.quickBound {
		return total
	}
	exactOK := m.n <= exactBoundMaxPeople && m.G <= exactBoundMaxGroups
	// The proposer split: from here on P and room describe the plans with a proposer in every
	// group; propTail bounds the others.
	var room []int
	propTail := math.Inf(-1)
	for k, a := range m.attrs {
		if a.kind != kindMissing || a.key != TermNoProposer || a.weight >= 0 || b.Terms[k].Value != 0 {
			continue
		}
		pp, r, ok := m.proposerPairBound(a, P)
		if !ok {
			break
		}
		if exactOK {
			er := m.newExactRelaxRoom(m.attrs[p], nil, 0, r)
			er.budget = propSplitBudget
			v, _ := er.solve(pp)
			pp = min(pp, v)
		}
		room, P = r, pp
		propTail = total + a.weight
		total = min(total, max(propTail, rest+likeness(P)))
	}
	kv := -1
	for k, a := range m.attrs {
		if a.kind == kindExcess && a.key == TermViceChairs && a.weight < 0 && b.Terms[k].Value == 0 {
			kv = k
		}
	}
	if kv < 0 || !m.leadOn || !exactOK {
		return total
	}
	vc := m.attrs[kv]
	best := propTail
	// The branches e ≤ vcSplitMaxExcess: the cross pairs bound (crossbound.go) can lower them
	// further; it runs on the largest first.
	type branch struct {
		e, pe int
		v     float64
		exact bool // pe is the relaxation's optimum
	}
	var split []branch
	for e := 0; ; e++ {
		tail := total + vc.weight*float64(e) // every plan with excess ≥ e
		if tail <= best {
			break
		}
		if e > vcSplitMaxExcess {
			best = tail
			break
		}
		// The branch lowers total only if its primary bound drops to goal or below, so the search
		// starts there (solveFrom) and a leaf above it ends the split.
		goal := P
		for goal >= 0 && rest+likeness(goal)+vc.weight*float64(e) >= total {
			goal--
		}
		if goal < 0 {
			return total
		}
		er := m.newExactRelaxRoom(m.attrs[p], vc, e, room)
		er.budget = vcSplitBudget
		pe, ok := er.solveFrom(goal+1, P)
		v := rest + likeness(min(P, pe)) + vc.weight*float64(e)
		if v >= total {
			return total
		}
		split = append(split, branch{e, min(P, pe), v, ok})
	}
	// Every branch bounds its plans, so the answer is the largest; lowering a branch below the
	// others' maximum gains only down to that maximum.
	sort.SliceStable(split, func(i, j int) bool { return split[i].v > split[j].v })
	for i, br := range split {
		if br.v <= best {
			break
		}
		budget := crossBudget
		if !br.exact {
			budget = crossBudgetLoose
		}
		if cv, ok := m.crossPairBound(vc, br.e, room, br.pe, budget); ok {
			split[i].v = min(br.v, rest+cv+vc.weight*float64(br.e))
		}
		best = max(best, split[i].v)
	}
	for _, br := range split {
		best = max(best, br.v)
	}
	return min(total, best)
}

// proposerPairBound bounds the primary term over the plans in which every group holds a proposer
// (a person of pr): the configuration LP of the count relaxation (dualbound.go) with each value's
// proposers as types of their own and only groups with a proposer as columns (typeRelax.needProp),
// and with the per-value rows of pairBoundOthers (a value without proposers leaves one seat of
// every group to another value's proposer). It returns min(P, that bound), the room of each value
// (1 for a value without proposers) and whether the split applies: the LP is only solved when the
// proposers can bind (some value of two or more people has none, or there are fewer than two per
// group); on rosters with proposers in every value it costs 60–180 ms and proves nothing.
func (m *model) proposerPairBound(pr *attr, P int) (int, []int, bool) {
	pa := m.attrs[m.primary]
	tot, lead, propN, propL := make([]int, pa.nv), make([]int, pa.nv), make([]int, pa.nv), make([]int, pa.nv)
	props := 0
	for i, v := range pa.val {
		if v < 0 {
			continue
		}
		tot[v]++
		if m.isLeader[i] {
			lead[v]++
		}
		if pr.val[i] >= 0 {
			props++
			if m.isLeader[i] {
				propL[v]++
			} else {
				propN[v]++
			}
		}
	}
	room := make([]int, pa.nv) // seats of each group that a value leaves to another value's proposer
	binds := props < 2*m.G
	for c := range tot {
		if propN[c]+propL[c] == 0 {
			room[c] = 1
			binds = binds || tot[c] > 1
		}
	}
	tr := m.typeRelaxFor(pa)
	if !binds || tr == nil || m.n > lpBoundMaxPeople {
		return P, nil, false
	}
	capMax := 0
	for _, sb := range m.effSizes() {
		capMax = max(capMax, sb.Max)
	}
	tr.needProp, tr.propN, tr.propL = true, propN, propL
	tr.capPair = make([]float64, pa.nv)
	for c := range tot {
		tr.capPair[c] = m.pairBoundOthers(tot[c], lead[c], capMax, room[c])
	}
	v := tr.dual(lpBoundMaxRounds)
	if math.IsInf(v, 0) || math.IsNaN(v) { // no group can hold a proposer: nothing to prove here
		return P, nil, false
	}
	return min(P, int(math.Floor(v+1e-6))), room, true
}

// sharedPairs finds the second pair term q (see coupledTotal) and returns it with
// W_max + S_max, the bound on q's pairs plus the pairs not sharing the primary value.
func (m *model) sharedPairs() (q int, c float64, ok bool) {
	p := m.primary
	q = -1
	for k, a := range m.attrs {
		if k != p && a.kind == kindPairs && a.weight > 0 {
			if q >= 0 {
				return 0, 0, false // a third pair term: not a shape the argument covers
			}
			q = k
		}
	}
	if q < 0 {
		return 0, 0, false
	}
	ap, aq := m.attrs[p], m.attrs[q]
	type cell struct{ vp, vq int32 }
	tot, lead := map[cell]int{}, map[cell]int{}
	var cells []cell // in first-seen order, so pairBound's work budget is spent deterministically
	for i := 0; i < m.n; i++ {
		if ap.val[i] < 0 || aq.val[i] < 0 {
			continue
		}
		k := cell{ap.val[i], aq.val[i]}
		if tot[k] == 0 {
			cells = append(cells, k)
		}
		tot[k]++
		if m.isLeader[i] {
			lead[k]++
		}
	}
	capMax := 0
	for _, sb := range m.effSizes() {
		capMax = max(capMax, sb.Max)
	}
	for _, k := range cells {
		c += m.pairBound(tot[k], lead[k], capMax)
	}
	return q, c + m.maxGroupPairs(), true
}

// maxGroupPairs bounds Σ_g C(s_g,2), the pairs inside groups, over group sizes within effSizes that
// sum to n: exactly by a DP over groups and people up to exactBoundMaxPeople people, else by
// Σ_g C(b_g,2) (C is increasing).
func (m *model) maxGroupPairs() float64 {
	sizes := m.effSizes()
	if m.n > exactBoundMaxPeople {
		s := 0.0
		for _, sb := range sizes {
			s += float64(c2i(sb.Max))
		}
		return s
	}
	// f[k]: most pairs with k people in the groups so far (-1: impossible).
	f := make([]int, m.n+1)
	for k := range f {
		f[k] = -1
	}
	f[0] = 0
	for _, sb := range sizes {
		next := make([]int, m.n+1)
		for k := range next {
			next[k] = -1
		}
		for k, v := range f {
			if v < 0 {
				continue
			}
			for s := sb.Min; s <= sb.Max && k+s <= m.n; s++ {
				next[k+s] = max(next[k+s], v+c2i(s))
			}
		}
		f = next
	}
	if f[m.n] < 0 { // sizes cannot hold n people: Validate reports it; use the plain bound
		s := 0.0
		for _, sb := range sizes {
			s += float64(c2i(sb.Max))
		}
		return s
	}
	return float64(f[m.n])
}

// sharedCapBelow reports whether the shared-pairs argument already caps term k's share of Total
// below v, its bound so far: k is the second pair term, and W_max + S_max − P < v for P the
// primary term's bound (the primary is attrs[0], so computeBound has it by then). Its branch and
// bound (~100 ms on the reference shape) is then skipped: the row keeps v, and Total could only
// gain if the search lowered v by more than v − (W_max + S_max − P), about 200 pairs of the ~540
// of region pairs on the reference shape, where it lowers them by 0–5.
func (m *model) sharedCapBelow(k int, b Bound, v float64) bool {
	if m.primary < 0 || k <= m.primary {
		return false
	}
	q, c, ok := m.sharedPairs()
	return ok && q == k && c-b.Terms[m.primary].Value < v
}
