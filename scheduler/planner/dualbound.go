package planner

import (
	"math"
	"sort"
)

// typeRelax is the count relaxation of one same-value pair term: people of one value (and one
// leader status) are interchangeable, so a plan reduces to counts n_gt per group and type.
//
// With needProp (the proposer split of coupledTotal) the proposers of each value are a type of
// their own, so a value has four types (non-leaders, leaders, proposer non-leaders, proposer
// leaders), and only compositions with at least one proposer are groups: the relaxation of the
// plans in which every group has a proposer.
type typeRelax struct {
	nv       int
	tot      []int // per value: people
	lead     []int // per value: leaders among them
	propN    []int // per value: proposers among the non-leaders (needProp only)
	propL    []int // per value: proposers among the leaders (needProp only)
	needProp bool
	classes  []groupClass
	leadOn   bool
	capPair  []float64 // per value: an integer bound on its own pair count (a valid LP row)
	lmin     int
	lmax     int
	budget   int64 // simplex work allowed (lpWorkBudget unless a test lowers it)
	work     int64 // pricing steps since the LP last took them into its work count
	// room, when set, keeps room[c] seats of every group from value c (the plans with a proposer
	// in every group leave one seat to a proposer of another value; see proposerPairBound).
	room []int
}

// groupClass is a set of groups with the same size bounds.
type groupClass struct {
	b     Bounds
	count int
}

// typesPerValue is 2 (non-leaders, leaders) or, with needProp, 4 (then proposer non-leaders and
// proposer leaders); type t of value c is row tpv·c + t.
func (tr *typeRelax) typesPerValue() int {
	if tr.needProp {
		return 4
	}
	return 2
}

// typeCounts returns the people of each type of value c.
func (tr *typeRelax) typeCounts(c int) [4]int {
	var n [4]int
	n[0], n[1] = tr.tot[c]-tr.lead[c], tr.lead[c]
	if !tr.leadOn {
		n[0], n[1] = tr.tot[c], 0
	}
	if tr.needProp {
		n[2], n[3] = tr.propN[c], tr.propL[c]
		n[0] -= n[2]
		n[1] -= n[3]
	}
	return n
}

// groupBest solves the Lagrangian group subproblem for multipliers nu (per value and type: a
// price): the composition of one group of class gc maximising Σ_c wp_c·C(n_c,2) − Σ prices. It
// returns the value and writes the composition (people per value and type) into comp. The DP runs
// over values with state (seats, leaders, has a proposer).
func (tr *typeRelax) groupBest(nu, wp []float64, gc Bounds, comp []int, dp, tmp []float64, choice []int64) float64 {
	S, L, F := gc.Max+1, 1, 1
	if tr.leadOn {
		L = tr.lmax + 1
	}
	if tr.needProp {
		F = 2
	}
	tpv := tr.typesPerValue()
	ns := S * L * F
	neg := math.Inf(-1)
	for i := range dp[:ns] {
		dp[i] = neg
	}
	dp[0] = 0
	for c := 0; c < tr.nv; c++ {
		for i := range tmp[:ns] {
			tmp[i] = neg
		}
		cnt := tr.typeCounts(c)
		var pr [4]float64
		copy(pr[:tpv], nu[tpv*c:tpv*c+tpv])
		for s := 0; s < S; s++ {
			for l := 0; l < L; l++ {
				for f := 0; f < F; f++ {
					from := (s*L+l)*F + f
					base := dp[from]
					if base == neg {
						continue
					}
					for kp := 0; kp <= cnt[3] && l+kp < L; kp++ {
						for xp := 0; xp <= cnt[2] && s+xp+kp < S; xp++ {
							for k := 0; k <= cnt[1] && l+kp+k < L; k++ {
								tr.work += int64(min(cnt[0], S-1-s-xp-kp-k) + 1)
								for x := 0; x <= cnt[0] && s+xp+kp+k+x < S; x++ {
									n := x + k + xp + kp
									if tr.room != nil && n > gc.Max-tr.room[c] {
										break
									}
									v := base + wp[c]*float64(n*(n-1)/2) - pr[0]*float64(x) - pr[1]*float64(k) - pr[2]*float64(xp) - pr[3]*float64(kp)
									nf := f
									if xp+kp > 0 {
										nf = F - 1
									}
									j := ((s+n)*L+l+k+kp)*F + nf
									if v > tmp[j] {
										tmp[j] = v
										choice[c*ns+j] = int64(from)<<24 | int64(x)<<18 | int64(k)<<12 | int64(xp)<<6 | int64(kp)
									}
								}
							}
						}
					}
				}
			}
		}
		copy(dp[:ns], tmp[:ns])
	}
	best, bj := neg, -1
	for s := gc.Min; s < S; s++ {
		for l := 0; l < L; l++ {
			if tr.leadOn && l < tr.lmin {
				continue
			}
			if j := (s*L+l)*F + F - 1; dp[j] > best {
				best, bj = dp[j], j
			}
		}
	}
	if bj < 0 {
		return neg
	}
	for c := tr.nv - 1; c >= 0; c-- {
		ch := choice[c*ns+bj]
		t := comp[tpv*c : tpv*c+tpv]
		t[0], t[1] = int(ch>>18)&63, int(ch>>12)&63
		if tpv == 4 {
			t[2], t[3] = int(ch>>6)&63, int(ch)&63
		}
		bj = int(ch >> 24)
	}
	return best
}

// dual solves the configuration LP of the count relaxation by column generation and returns the
// Lagrangian value at the final prices, which bounds every plan from above whatever rounding the
// simplex suffered (weak duality holds for any prices).
func (tr *typeRelax) dual(maxCols int) float64 {
	v, _ := tr.dualPrices(maxCols)
	return v
}

// dualPrices is dual that also returns the prices (one per LP row: types, classes, value caps) at
// which the reported Lagrangian value was reached. With capPair nil the LP has no value-cap rows.
func (tr *typeRelax) dualPrices(maxCols int) (float64, []float64) {
	tpv := tr.typesPerValue()
	nt := tpv * tr.nv
	ncap := len(tr.capPair)
	rows := nt + len(tr.classes) + ncap
	rhs := make([]float64, rows)
	for c := 0; c < tr.nv; c++ {
		cnt := tr.typeCounts(c)
		for t := 0; t < tpv; t++ {
			rhs[tpv*c+t] = float64(cnt[t])
		}
	}
	for k, gc := range tr.classes {
		rhs[nt+k] = float64(gc.count)
	}
	for c := 0; c < ncap; c++ {
		rhs[nt+len(tr.classes)+c] = tr.capPair[c]
	}
	maxS := 0
	for _, gc := range tr.classes {
		maxS = max(maxS, gc.b.Max+1)
	}
	ns := maxS * (tr.lmax + 1) * 2
	dp, tmp := make([]float64, ns), make([]float64, ns)
	choice := make([]int64, tr.nv*ns)
	comp := make([]int, nt)
	nc := len(tr.classes)
	wp := make([]float64, tr.nv)
	lagrange := func(nu []float64, add func(k int, v float64, comp []int)) float64 {
		val := 0.0
		for t := 0; t < nt; t++ {
			val += nu[t] * rhs[t]
		}
		for c := 0; c < tr.nv; c++ {
			wp[c] = 1
		}
		for c := 0; c < ncap; c++ {
			pi := max(0, nu[nt+nc+c]) // rows "pairs of value c ≤ capPair[c]"
			wp[c] = 1 - pi
			val += pi * tr.capPair[c]
		}
		for k, gc := range tr.classes {
			v := tr.groupBest(nu, wp, gc.b, comp, dp, tmp, choice)
			if math.IsInf(v, -1) {
				return math.Inf(1)
			}
			val += float64(gc.count) * v
			if add != nil {
				raw := 0.0
				for c := 0; c < tr.nv; c++ {
					n := valueCount(comp, tpv, c)
					raw += float64(n * (n - 1) / 2)
				}
				add(k, raw, comp)
			}
		}
		return val
	}
	lp := newColumnLP(rhs)
	lp.budget = tr.budget
	for c := 0; c < ncap; c++ { // slack of "pairs of c ≤ capPair[c]"
		col := make([]float64, rows)
		col[nt+nc+c] = 1
		lp.addColumn(col, 0)
	}
	return lp.generate(maxCols, func(nu []float64, first bool) (float64, bool) {
		added := false
		val := lagrange(nu, func(k int, raw float64, comp []int) {
			col := make([]float64, rows)
			red := raw
			for t := 0; t < nt; t++ {
				col[t] = float64(comp[t])
				red -= nu[t] * col[t]
			}
			col[nt+k] = 1
			for c := 0; c < ncap; c++ {
				n := valueCount(comp, tpv, c)
				col[nt+nc+c] = float64(n * (n - 1) / 2)
				red -= nu[nt+nc+c] * col[nt+nc+c]
			}
			if red-nu[nt+k] > 1e-7 || first {
				added = lp.addColumn(col, raw) || added
			}
		})
		lp.work += tr.work // the pricing DP counts against the same budget as the simplex
		tr.work = 0
		return val, added
	})
}

// generate runs column generation on lp, whose slack columns are already in: each round calls
// round(nu, first), which returns the Lagrangian value at the prices nu (an upper bound on the LP
// whatever nu is) and adds the columns it prices, reporting whether any was new. It stops when a
// round adds none, after maxRounds or at the work budget, and returns the smallest value and the
// prices it was reached at.
func (lp *columnLP) generate(maxRounds int, round func(nu []float64, first bool) (float64, bool)) (float64, []float64) {
	nu, bestNu := make([]float64, lp.m), make([]float64, lp.m)
	best := math.Inf(1)
	for r := 0; r < maxRounds; r++ {
		val, added := round(nu, r == 0)
		if val < best {
			best = val
			copy(bestNu, nu)
		}
		if !added || lp.work >= lp.budget {
			break
		}
		lp.solve()
		copy(nu, lp.duals())
	}
	return best, bestNu
}

// valueCount is the people of value c in a composition with tpv types per value.
func valueCount(comp []int, tpv, c int) int {
	n := 0
	for _, x := range comp[tpv*c : tpv*c+tpv] {
		n += x
	}
	return n
}

// columnLP is a small dense simplex for max c·y, A y = b ≥ 0, y ≥ 0, started from big-M
// artificials. The tableau is kept column by column with the artificials first, so their columns
// hold B⁻¹: a new column enters as B⁻¹a and the simplex goes on from the current basis.
type columnLP struct {
	m     int
	cost  []float64   // per tableau column (artificials first)
	tab   [][]float64 // per column: B⁻¹ times the original column
	raw   [][]float64 // original columns, to drop duplicates
	rhs   []float64   // B⁻¹b
	basis []int
	// work counts tableau entries the simplex has visited; solve stops once it passes budget
	// (lpWorkBudget, see there).
	work, budget int64
}

const bigM = 1e5

// lpWorkBudget caps the simplex work of one column generation, in tableau entries visited
// (about a nanosecond each). Degenerate LPs (many types, e.g. the proposer split of an unusual
// roster) can otherwise pivot for minutes. Stopping early keeps the bound valid: dual reports
// the smallest Lagrangian value over the rounds, and each round's value bounds the LP whatever
// the duals it was computed at. The reference shape stays far below the budget.
const lpWorkBudget = 150_000_000

func newColumnLP(b []float64) *columnLP {
	m := len(b)
	lp := &columnLP{m: m, rhs: append([]float64(nil), b...), basis: make([]int, m)}
	for i := 0; i < m; i++ {
		col := make([]float64, m)
		col[i] = 1
		lp.tab = append(lp.tab, col)
		lp.raw = append(lp.raw, nil)
		lp.cost = append(lp.cost, -bigM)
		lp.basis[i] = i
	}
	return lp
}

func (lp *columnLP) addColumn(col []float64, c float64) bool {
	for k, o := range lp.raw {
		if o == nil || lp.cost[k] != c {
			continue
		}
		same := true
		for i := range o {
			same = same && o[i] == col[i]
		}
		if same {
			return false
		}
	}
	t := make([]float64, lp.m)
	for i := 0; i < lp.m; i++ { // row i of B⁻¹ is row i of the artificial block
		s := 0.0
		for k := 0; k < lp.m; k++ {
			if a := col[k]; a != 0 {
				s += lp.tab[k][i] * a
			}
		}
		t[i] = s
	}
	lp.tab = append(lp.tab, t)
	lp.raw = append(lp.raw, append([]float64(nil), col...))
	lp.cost = append(lp.cost, c)
	return true
}

func (lp *columnLP) solve() {
	m := lp.m
	cb := make([]float64, m)
	for iter := 0; iter < 50*len(lp.tab) && lp.work < lp.budget; iter++ {
		lp.work += 2 * int64(len(lp.tab)) * int64(m) // pricing every column, then the pivot
		for i := range cb {
			cb[i] = lp.cost[lp.basis[i]]
		}
		enter, bestD := -1, 1e-9
		for j, col := range lp.tab {
			d := lp.cost[j]
			for i, x := range col {
				if x != 0 {
					d -= cb[i] * x
				}
			}
			if d > bestD {
				enter, bestD = j, d
			}
		}
		if enter < 0 {
			return
		}
		ec := lp.tab[enter]
		leave, ratio := -1, math.Inf(1)
		for i := 0; i < m; i++ {
			if a := ec[i]; a > 1e-9 {
				if r := lp.rhs[i] / a; r < ratio-1e-12 {
					leave, ratio = i, r
				}
			}
		}
		if leave < 0 {
			return // cannot happen: the class rows bound every column
		}
		pv := ec[leave]
		piv := append([]float64(nil), ec...)
		update := func(v []float64) {
			f := v[leave] / pv
			if f == 0 {
				return
			}
			for i := range v {
				if i == leave {
					v[i] = f
				} else if piv[i] != 0 {
					v[i] -= f * piv[i]
				}
			}
		}
		for _, col := range lp.tab {
			update(col)
		}
		update(lp.rhs)
		lp.basis[leave] = enter
	}
}

// duals returns y = c_B B⁻¹, read from the artificial columns.
func (lp *columnLP) duals() []float64 {
	m := lp.m
	out := make([]float64, m)
	for k := 0; k < m; k++ {
		s := 0.0
		for i := 0; i < m; i++ {
			s += lp.cost[lp.basis[i]] * lp.tab[k][i]
		}
		out[k] = s
	}
	return out
}

func (m *model) typeRelaxFor(a *attr) *typeRelax {
	tr := &typeRelax{nv: a.nv, tot: make([]int, a.nv), lead: make([]int, a.nv), leadOn: m.leadOn, budget: m.lpBudget}
	if tr.budget == 0 {
		tr.budget = lpWorkBudget
	}
	if m.leadOn {
		eff := m.effLeaders()
		tr.lmin, tr.lmax = eff.Min, eff.Max
		if eff.Max > 3 {
			return nil // the composition encoding keeps up to 3 leaders per value; fall back
		}
	}
	for p, v := range a.val {
		if v >= 0 {
			tr.tot[v]++
			if m.isLeader[p] {
				tr.lead[v]++
			}
		}
	}
	cls := map[Bounds]int{}
	for _, b := range m.effSizes() {
		cls[b]++
	}
	for b, k := range cls {
		if b.Max > 63 {
			return nil
		}
		tr.classes = append(tr.classes, groupClass{b, k})
	}
	sort.Slice(tr.classes, func(i, j int) bool {
		return tr.classes[i].b.Max < tr.classes[j].b.Max || tr.classes[i].b.Max == tr.classes[j].b.Max && tr.classes[i].b.Min < tr.classes[j].b.Min
	})
	return tr
}
