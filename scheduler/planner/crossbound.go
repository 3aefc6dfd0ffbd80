package planner

// crossBudget caps the nodes of one cross-pairs search (crossPairBound) where the branch's primary
// bound is the relaxation's optimum (synthetic roster 1 finishes in ~110K nodes); crossBudgetLoose
// where it is not (each 100K nodes is ~8 ms on the reference shape).
const (
	crossBudget      = 1_000_000
	crossBudgetLoose = 400_000
)

// crossRelax builds the branch and bound of exactbound.go for the joint objective
//
//	D = λ2·A + Σ_g Σ_c min(n_gc, M_c)·(b − n_gc)   (+ a constant, see below)
//
// over the plans of newExactRelaxRoom(primary, vc, excess, room), for λ2 = 2·w_p/w_q and b the
// largest group size. It returns the search, that constant and whether the shape fits.
//
// # Cross pairs
//
// Let X be the pairs of one plan that share the second term's value (region) but not the primary
// value (industry), and M_c the largest (c, region) cell of primary value c. In group g of size
// s_g, a person of value i and region r has at most min(n_gj, M_j) partners of another value j in
// region r (they lie in the cell (j, r)). Summing over the group's people counts each such pair
// twice, once from each end, so
//
//	2·X_g ≤ Σ_p Σ_{j ≠ i(p)} min(n_gj, M_j) = Σ_j min(n_gj, M_j)·(s_g − n_gj) ≤ Σ_j min(n_gj, M_j)·(b − n_gj).
//
// People without a primary value count as values of their own (n ≤ 1, M = 1 when they have a
// region, else 0); they, and values of one person, add a constant M·(b − 1) each and stay out of
// the search. The bound is separable over (value, group), so the branch and bound places it as it
// places C(n,2): the gain of s people of value c is h_c(s) = λ2·C(s,2) + min(s, M_c)·(b − s).
// With B the second term and W the pairs sharing both values (W ≤ W_max, see coupledTotal),
// B ≤ W + X, so for weights w_p, w_q > 0
//
//	w_p·A + w_q·B ≤ w_q·(W_max + (λ2·A + 2·X)/2) ≤ w_q·(W_max + D/2),
//
// and every plan's D is a leaf of the search plus the constant.
//
// Validity of the node bounds with h_c in place of C(·,2): the greedy fill (exactbound.go) needs h_c
// convex with h_c(0) = 0 and non-decreasing, which crossRelax checks (the second differences are
// λ2 minus at most b + 1, so λ2 = 200 passes). The own bound of value c concentrates its N people
// into groups of b − room (the same exchange argument), or λ2·pairBound + N·(b − 1), since
// min(n, M)·(b − n) ≤ n·(b − 1). The seat bound uses H(f) = λ2·C(f,2) + f·(b − f): h_c(n) ≤ H(n)
// and H is superadditive for λ2 ≥ 2 (H(x+y) − H(x) − H(y) = (λ2 − 2)·x·y), so the values still to
// come in a group with f free seats add at most H(f).
func (m *model) crossRelax(vc *attr, excess int, room []int) (*exactRelax, int, bool) {
	q, _, ok := m.sharedPairs()
	if !ok {
		return nil, 0, false
	}
	ap, aq := m.attrs[m.primary], m.attrs[q]
	l2 := 2 * ap.weight / aq.weight
	lam := int(l2 + 0.5)
	if lam < 2 || float64(lam) != l2 {
		return nil, 0, false
	}
	b := 0
	for _, sb := range m.effSizes() {
		b = max(b, sb.Max)
	}
	cell := map[[2]int32]int{}
	M := make([]int, ap.nv)
	tot := make([]int, ap.nv)
	konst := 0
	for i := 0; i < m.n; i++ {
		vp, vq := ap.val[i], aq.val[i]
		switch {
		case vp < 0 && vq >= 0:
			konst += b - 1
		case vp >= 0:
			tot[vp]++
			if vq >= 0 {
				k := [2]int32{vp, vq}
				cell[k]++
				M[vp] = max(M[vp], cell[k])
			}
		}
	}
	for c, t := range tot {
		if t == 1 {
			konst += min(1, M[c]) * (b - 1)
		}
	}
	h := func(c, s int) int { return lam*c2i(s) + min(s, M[c])*(b-s) }
	e := m.newExactRelaxOrder(ap, vc, excess, room, true)
	e.lagScale = float64(lam)
	e.gain = make([][]int, len(e.vals))
	for d, c := range e.vals {
		g := make([]int, b+1)
		for s := range g {
			g[s] = h(c, s)
			if s >= 1 && g[s] < g[s-1] || s >= 2 && g[s]-g[s-1] < g[s-1]-g[s-2] {
				return nil, 0, false // not convex and non-decreasing: the fill would not bound
			}
		}
		e.gain[d] = g
		n := e.na[d] + e.nl[d] + e.nv[d]
		cap := b - e.room[d]
		conc := 0
		if cap > 0 {
			conc = n/cap*g[cap] + g[n%cap]
		}
		e.ub[d] = min(conc, lam*e.ub[d]+n*(b-1))
	}
	e.seatGain = make([]int, b+1)
	for f := range e.seatGain {
		e.seatGain[f] = lam*c2i(f) + f*(b-f)
	}
	return e, konst, true
}

// crossPairBound bounds w_p·A + w_q·B over the plans of the relaxation (vice-chair excess ≤ excess,
// room per value) by w_q·(W_max + D/2), for D the bound that the branch and bound of crossRelax
// proves (starting from the sum of the values' own bounds, at most (λ2 − 2)·P + (b − 1)·N for P a
// bound on A), within budget nodes; when the budget runs out it keeps the last proven D. It
// returns false when the shape does not fit (no second pair term, 2·w_p/w_q not an integer ≥ 2,
// or some h_c not convex).
func (m *model) crossPairBound(vc *attr, excess int, room []int, P, budget int) (float64, bool) {
	e, konst, ok := m.crossRelax(vc, excess, room)
	if !ok {
		return 0, false
	}
	e.budget = budget
	q, c, _ := m.sharedPairs()
	wMax := c - m.maxGroupPairs()
	lam := int(2*m.attrs[m.primary].weight/m.attrs[q].weight + 0.5)
	b, N, hi := 0, 0, 0
	for _, sb := range m.effSizes() {
		b = max(b, sb.Max)
	}
	for d := range e.vals {
		N += e.na[d] + e.nl[d] + e.nv[d]
		hi += e.ub[d]
	}
	hi = min(hi, (lam-2)*P+(b-1)*N)
	d, _ := e.solve(hi)
	half := float64(d+konst) / 2
	if lam%2 == 0 { // λ2/2·A + X is then an integer
		half = float64((d + konst) / 2)
	}
	return m.attrs[q].weight * (wMax + half), true
}
