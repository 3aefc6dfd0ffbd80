package planner

import (
	"math"
	"sort"
)

// Limits of the configuration-LP bound: above them only the per-value bounds are used.
const (
	lpBoundMaxPeople = 2000
	lpBoundMaxRounds = 400
	pairBoundWork    = 4_000_000
	pairBoundTotal   = 40_000_000 // over all values of all terms of one model
	// The exact count relaxation (exactbound.go) is tried up to these sizes.
	exactBoundMaxPeople = 300
	exactBoundMaxGroups = 24
)

// Bound is an upper bound on the total score, term by term (Value bounds the raw value in the
// direction its weight rewards).
type Bound struct {
	Terms []Term  `json:"terms"`
	Total float64 `json:"total"`
	// Exact is true when every term's bound is valid, so reaching Total proves a plan optimal.
	Exact bool `json:"exact"`
}

// UpperBound bounds the best score any plan can reach. Each term is bounded on its own first;
// Total is the sum of the term bounds, lowered where coupledTotal couples terms (see below).
//
// # The count relaxation
//
// For a same-value pair term (industry, region) the people sharing a value — and, with the leader
// rule on, sharing leader status — are interchangeable: the term only sees the counts n_gc of
// value c in group g. The count relaxation keeps every rule that counts can express: Σ_g n_gc =
// N_c (and Σ_g l_gc = L_c for the leaders), each group's size in [a_g, b_g] and its leaders in
// [lmin, lmax], and maximises Σ_g Σ_c C(n_gc,2). Its optimum bounds every plan's term value.
//
// Solving it exactly is strongly NP-hard, so we do not claim to: take a 3-PARTITION instance
// (a_1…a_3m, Σ = mB, B/4 < a_i < B/2), one value per a_i, m groups of size exactly B and no
// leaders. Since C(x+y,2) > C(x,2) + C(y,2) for x, y ≥ 1, the relaxation reaches Σ_i C(a_i,2)
// iff no value is split iff the 3-partition exists. (Maximising the convex Σ C(n,2) over the
// transportation polytope puts the optimum at a vertex, but finding the best vertex is this
// packing problem.) The bound is the smallest of three bounds on it, all valid:
//
//  1. Per value (pairBound): drop the coupling between values. One value's counts are as
//     concentrated as the largest group allows, q·C(b,2) + C(r,2) for N_c = q·b + r (exchange
//     argument: C is convex, so for cells b ≥ x ≥ y > 0 moving one person from y to x gains
//     x − y + 1 > 0). With the leader rule, a small DP over (people, leaders) left also uses that
//     a group holding j < lmin leaders of the value must seat lmin − j leaders of other values.
//  2. Configuration LP (dualbound.go): a variable per feasible group composition k (counts per
//     value and leader status, size and leaders within bounds), value v_k = Σ_c C(n_kc,2):
//     max Σ v_k y_k s.t. Σ_k n_kt y_k = N_t for every type t, Σ_k y_k = #groups of each bound
//     class, and, for every value c, Σ_k C(n_kc,2) y_k ≤ pairBound(c) (valid for every plan, so
//     the LP stays a relaxation and is never looser than bound 1). Integral y is exactly the
//     count relaxation, so the LP bounds it. We solve it by column generation: a dense simplex on
//     the generated columns, and a DP over values × (size, leaders) that prices the most
//     profitable composition. The number reported is the Lagrangian value
//     Σ_t ν_t N_t + Σ_c π_c·pairBound(c) + Σ_class count·max_k (Σ_c (1−π_c) C(n_kc,2) − ν·n_k)
//     at the final duals (π clamped to ≥ 0), which bounds the LP by weak duality whatever the
//     simplex's rounding, then rounded down because the term is an integer.
//  3. Branch and bound (exactbound.go), up to exactBoundMaxPeople people and exactBoundMaxGroups
//     groups: the relaxation itself, searched over the counts with symmetry breaking and a node
//     budget, started from min(1, 2). Each finished pass proves a smaller upper bound; when a leaf reaches
//     it, it is the relaxation's optimum. Its node bound includes a Lagrangian bound priced by
//     the LP's duals (lagbound.go). On the reference shape it finishes for every synthetic
//     roster and the demo within 0.6M nodes (445, 485, 482, 461, 483 and 438; synthetic 1's 445
//     and synthetic 3's 482 are reached by real plans); elsewhere it stops on its budget,
//     keeping the last proven value. NP-hardness is not contradicted: the search is exponential
//     in the worst case, and only the budget keeps it cheap. It is skipped for the second pair term
//     when the shared-pairs cap of coupledTotal is already below that term's bound
//     (sharedCapBelow), as for region pairs on the reference shape.
//
// Both use the group bounds tightened by the totals (effLeaders, effSizes): Σ_g l_g = L with
// l_h ≤ lmax elsewhere forces l_g ≥ L − (G−1)·lmax, so 36 leaders in 12 groups of 2..3 means
// exactly 3 per group, and a group without leaders of value c holds at most b − 3 people of c.
//
// The LP is used up to lpBoundMaxPeople people (it costs ~10 ms at 132 people) and only with at
// most 3 leaders per group; otherwise only bound 1 is used.
//
// Penalty terms are bounded by their unavoidable minimum: 0 for fair-share and vice-chair excess
// (the vice-chair cap is ceil(count/G)), and max(0, G − #proposers) groups without a proposer.
// The pairwise term is bounded by the Σ_g C(b_g,2) largest scores.
//
// # Coupled total
//
// Total couples some terms (coupledbound.go): the two pair terms share the pairs inside groups,
// the second term's pairs across the primary values are bounded per group (crossbound.go), and
// the vice-chair and missing-proposer penalties trade against the primary pair term. The term
// rows keep their own bounds, so Total can be below their sum. On the reference shape (132 people,
// 12 groups) the whole bound costs about 60–310 ms, most of it the branch and bound.
func UpperBound(p *Problem) Bound {
	if err := Validate(p); err != nil {
		return Bound{}
	}
	return buildModel(p).upperBound()
}

// upperBound is computed once per model (the column generation costs tens of milliseconds).
func (m *model) upperBound() Bound {
	if m.bound == nil {
		b := m.computeBound()
		m.bound = &b
	}
	b := *m.bound
	b.Terms = append([]Term(nil), b.Terms...)
	return b
}

func (m *model) computeBound() Bound {
	b := Bound{Terms: m.termInfo(), Exact: true}
	capMax := 0
	for _, sb := range m.effSizes() {
		capMax = max(capMax, sb.Max)
	}
	for k, a := range m.attrs {
		tot := make([]int, a.nv)
		for _, v := range a.val {
			if v >= 0 {
				tot[v]++
			}
		}
		var v float64
		switch {
		case a.kind == kindPairs && a.weight > 0:
			leaders := make([]int, a.nv)
			for p, x := range a.val {
				if x >= 0 && m.isLeader[p] {
					leaders[x]++
				}
			}
			caps := make([]float64, a.nv)
			for c, t := range tot {
				caps[c] = m.pairBound(t, leaders[c], capMax)
				v += caps[c]
			}
			// The configuration LP couples the values through the groups; either bound is valid,
			// so take the smaller. The term is an integer, so its bound rounds down.
			if m.n <= lpBoundMaxPeople {
				if tr := m.typeRelaxFor(a); tr != nil {
					tr.capPair = caps
					lv, nu := tr.dualPrices(lpBoundMaxRounds)
					v = min(v, math.Floor(lv+1e-6))
					if !math.IsInf(lv, 0) { // the branch and bound prices its nodes with these duals
						if m.boundPrices == nil {
							m.boundPrices = map[*attr]*lagPrices{}
						}
						m.boundPrices[a] = tr.pricesOf(nu)
					}
				}
			}
			// Reference-size instances: solve the count relaxation by branch and bound
			// (exactbound.go), starting from the bound so far; it only ever lowers v to a proven
			// bound, and keeps v when its node budget runs out before the first pass ends.
			if !m.quickBound && m.n <= exactBoundMaxPeople && m.G <= exactBoundMaxGroups && !m.sharedCapBelow(k, b, v) {
				ev, _ := m.exactPairBound(a, int(v+1e-9))
				v = min(v, float64(ev))
			}
		case a.kind == kindMissing && a.weight < 0:
			have := 0
			for _, t := range tot {
				have += t
			}
			v = float64(max(0, m.G-have))
		case a.weight < 0:
			v = 0 // every other term is a non-negative count
		default:
			b.Exact = false
			v = float64(m.n * m.G)
		}
		b.Terms[k].Value = v
	}
	if m.pairOn {
		pairs := 0
		for _, sb := range m.size {
			pairs += sb.Max * (sb.Max - 1) / 2
		}
		ds := make([]float64, 0, m.n*(m.n-1)/2)
		for i := 0; i < m.n; i++ {
			ds = append(ds, m.dist[i*m.n+i+1:(i+1)*m.n]...)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ds)))
		v := 0.0
		for i := 0; i < pairs && i < len(ds); i++ {
			v += ds[i]
		}
		if m.pairWeight < 0 {
			v, b.Exact = 0, false
		}
		b.Terms[len(m.attrs)].Value = v
	}
	for i := range b.Terms {
		b.Terms[i].Weighted = b.Terms[i].Value * b.Terms[i].Weight
		b.Total += b.Terms[i].Weighted
	}
	b.Total = m.coupledTotal(b)
	return b
}

// pairBound bounds Σ_g C(n_g,2) for t people sharing a value, l of them leaders, groups of at most
// capMax. Without the leader rule the counts are as concentrated as possible (see UpperBound).
// With it, a group holding j of these leaders (j < lmin) must seat lmin−j leaders from elsewhere,
// so it holds at most capMax−(lmin−j) of these people, and at most lmax of their leaders; a small
// DP over (people, leaders) left finds the best split. Big values (t·l > 1e6) fall back to the
// plain bound, which is also valid.
//
// The DP costs about t·l·(lmax+1)·capMax steps; above pairBoundWork per value, or once the
// model has spent pairBoundTotal, the plain bound is used (values are visited in a fixed order).
func (m *model) pairBound(t, l, capMax int) float64 { return m.pairBoundOthers(t, l, capMax, 0) }

// pairBoundOthers is pairBound for plans in which every group holds at least others people of
// other values (others = 1 for a value without proposers when every group has a proposer). A
// group holding j < lmin of these leaders then seats at least max(others, lmin−j) other people
// (one person can be both the other leader and the other-value person), so it holds at most
// capMax − max(others, lmin−j) of these; without the leader rule at most capMax − others.
func (m *model) pairBoundOthers(t, l, capMax, others int) float64 {
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	eff := m.effLeaders()
	work := t * (l + 1) * (eff.Max + 1) * capMax
	if !m.leadOn || work > pairBoundWork || m.boundWork+work > pairBoundTotal {
		capMax -= others
		if capMax < 2 {
			return 0
		}
		q, r := t/capMax, t%capMax
		return float64(q)*c2(capMax) + c2(r)
	}
	m.boundWork += work
	lmin, lmax := eff.Min, eff.Max
	// f[x][y]: best value for x people of whom y leaders.
	f := make([][]float64, t+1)
	for x := range f {
		f[x] = make([]float64, l+1)
		for y := range f[x] {
			f[x][y] = -1
		}
	}
	f[0][0] = 0
	for x := 1; x <= t; x++ {
		for y := 0; y <= l && y <= x; y++ {
			best := -1.0
			for j := 0; j <= min(y, lmax); j++ {
				limit := capMax - max(others, lmin-j)
				for s := max(1, j); s <= min(x, limit); s++ {
					if s-j > x-y || f[x-s][y-j] < 0 {
						continue
					}
					best = max(best, f[x-s][y-j]+c2(s))
				}
			}
			f[x][y] = best
		}
	}
	return max(f[t][l], 0)
}

// effLeaders tightens the per-group leader bounds with the totals: Σ_g l_g = L and every other
// group holds at most lmax (at least lmin), so each group holds at least L − (G−1)·lmax and at
// most L − (G−1)·lmin leaders. With 36 leaders in 12 groups of 2..3 every group has exactly 3.
// Only the bounds use it; the rules stay as stated.
func (m *model) effLeaders() Bounds {
	b := m.lead
	if !m.leadOn {
		return b
	}
	L := 0
	for _, x := range m.isLeader {
		if x {
			L++
		}
	}
	b.Min = max(b.Min, L-(m.G-1)*m.lead.Max)
	b.Max = min(b.Max, L-(m.G-1)*m.lead.Min)
	if b.Min > b.Max { // infeasible totals: Validate reports them; keep the stated bounds
		return m.lead
	}
	return b
}

// effSizes tightens each group's size bounds the same way: a_g' = max(a_g, n − Σ_{h≠g} b_h) and
// b_g' = min(b_g, n − Σ_{h≠g} a_h).
func (m *model) effSizes() []Bounds {
	sumMin, sumMax := 0, 0
	for _, b := range m.size {
		sumMin += b.Min
		sumMax += b.Max
	}
	out := make([]Bounds, len(m.size))
	for g, b := range m.size {
		out[g] = Bounds{max(b.Min, m.n-(sumMax-b.Max)), min(b.Max, m.n-(sumMin-b.Min))}
		if out[g].Min > out[g].Max {
			out[g] = b
		}
	}
	return out
}
