package planner

import "math"

// vcRelax is the configuration LP of the primary pair term with vice-chairs as a type of their
// own, for the plans of one vice-chair branch (excess ≤ ex): the types are value × {non-leader,
// other leader, vice-chair}, a column is a group composition with its size and leaders within
// bounds and at most capV + ex vice-chairs, and the rows are the type counts, the groups per size
// class, "value c holds at most cap_c pairs" and, for ex > 0, "the columns' excess over capV sums
// to at most ex". Only its prices are used: they are the vice-chair branch's Lagrangian prices
// (lagbound.go), which know that vice-chairs of one value must spread, where the prices of the
// two-type LP treat them as any other leader. On synthetic roster 2 the root bound of the e = 0
// branch drops from 492 to 472.
type vcRelax struct {
	nv         int
	cnt        [][3]int // per value: non-leaders, other leaders, vice-chairs
	classes    []groupClass
	lmin, lmax int
	capV, ex   int
	cap        []float64
	budget     int64
}

// vcPricesFor returns the prices of the vice-chair branch with excess ≤ ex for a's pair term, or
// nil when the LP does not apply (no leader rule, more than 3 leaders per group, too many people).
func (m *model) vcPricesFor(a, vc *attr, ex int) *lagPrices {
	key := vcPriceKey{a, ex}
	if p, ok := m.vcNu[key]; ok {
		return p
	}
	if m.vcNu == nil {
		m.vcNu = map[vcPriceKey]*lagPrices{}
	}
	var out *lagPrices
	tr := m.typeRelaxFor(a)
	if m.leadOn && tr != nil && m.n <= lpBoundMaxPeople {
		eff := m.effLeaders()
		r := &vcRelax{nv: a.nv, cnt: make([][3]int, a.nv), classes: tr.classes, lmin: eff.Min, lmax: eff.Max,
			capV: int(vc.cap), ex: ex, cap: make([]float64, a.nv), budget: m.lpBudget}
		if r.budget == 0 {
			r.budget = lpWorkBudget
		}
		r.budget = min(r.budget, lpPriceBudget)
		for p, v := range a.val {
			switch {
			case v < 0:
			case vc.val[p] >= 0:
				r.cnt[v][2]++
			case m.isLeader[p]:
				r.cnt[v][1]++
			default:
				r.cnt[v][0]++
			}
		}
		capMax := 0
		for _, sb := range m.effSizes() {
			capMax = max(capMax, sb.Max)
		}
		for c := range r.cap {
			r.cap[c] = m.pairBound(r.cnt[c][0]+r.cnt[c][1]+r.cnt[c][2], r.cnt[c][1]+r.cnt[c][2], capMax)
		}
		out = r.prices(lpBoundMaxRounds)
	}
	m.vcNu[key] = out
	return out
}

type vcPriceKey struct {
	a  *attr
	ex int
}

// vMax is the most vice-chairs a column holds.
func (r *vcRelax) vMax() int { return min(r.lmax, r.capV+r.ex) }

// best solves the pricing problem for one class: the composition maximising Σ_c (1 − π_c)·C(n_c,2)
// − prices − pe·excess, by a DP over the values with state (people, leaders, vice-chairs). It
// returns the value and writes the composition (3 counts per value) into comp.
func (r *vcRelax) best(nu, pi []float64, pe float64, gc Bounds, comp []int) float64 {
	S, L, V := gc.Max+1, r.lmax+1, r.vMax()+1
	ns := S * L * V
	neg := math.Inf(-1)
	dp, tmp := make([]float64, ns), make([]float64, ns)
	choice := make([]int32, r.nv*ns)
	for i := range dp {
		dp[i] = neg
	}
	dp[0] = 0
	for c := 0; c < r.nv; c++ {
		for i := range tmp {
			tmp[i] = neg
		}
		n := r.cnt[c]
		for from, base := range dp {
			if base == neg {
				continue
			}
			s, l, v := from/(L*V), from/V%L, from%V
			for w := 0; w <= n[2] && v+w < V && l+w < L; w++ {
				for k := 0; k <= n[1] && l+w+k < L; k++ {
					for x := 0; x <= n[0] && s+x+k+w < S; x++ {
						t := x + k + w
						val := base + (1-pi[c])*float64(c2i(t)) - nu[3*c]*float64(x) - nu[3*c+1]*float64(k) - nu[3*c+2]*float64(w)
						if j := ((s+t)*L+l+k+w)*V + v + w; val > tmp[j] {
							tmp[j] = val
							choice[c*ns+j] = int32(from)<<12 | int32(x)<<8 | int32(k)<<4 | int32(w)
						}
					}
				}
			}
		}
		dp, tmp = tmp, dp
	}
	best, bj := neg, -1
	for j, val := range dp {
		s, l, v := j/(L*V), j/V%L, j%V
		if val == neg || s < gc.Min || l < r.lmin {
			continue
		}
		if val -= pe * float64(max(0, v-r.capV)); val > best {
			best, bj = val, j
		}
	}
	if bj < 0 {
		return neg
	}
	for c := r.nv - 1; c >= 0; c-- {
		ch := choice[c*ns+bj]
		comp[3*c], comp[3*c+1], comp[3*c+2] = int(ch>>8&15), int(ch>>4&15), int(ch&15)
		bj = int(ch >> 12)
	}
	return best
}

// prices runs the column generation (as typeRelax.dualPrices does) and returns the prices of its
// best Lagrangian round, or nil if the LP has no feasible column.
func (r *vcRelax) prices(maxCols int) *lagPrices {
	nt, nc := 3*r.nv, len(r.classes)
	exRow := r.ex > 0
	rows := nt + nc + r.nv
	if exRow {
		rows++
	}
	rhs := make([]float64, rows)
	for c, n := range r.cnt {
		for t := 0; t < 3; t++ {
			rhs[3*c+t] = float64(n[t])
		}
		rhs[nt+nc+c] = r.cap[c]
	}
	for k, gc := range r.classes {
		rhs[nt+k] = float64(gc.count)
	}
	if exRow {
		rhs[rows-1] = float64(r.ex)
	}
	lp := newColumnLP(rhs)
	lp.budget = r.budget
	for i := nt + nc; i < rows; i++ { // slacks of the cap rows and the excess row
		col := make([]float64, rows)
		col[i] = 1
		lp.addColumn(col, 0)
	}
	pi := make([]float64, r.nv)
	comp := make([]int, nt)
	best, bestNu := lp.generate(maxCols, func(nu []float64, first bool) (float64, bool) {
		val := 0.0
		for t := 0; t < nt; t++ {
			val += nu[t] * rhs[t]
		}
		for c := range pi {
			pi[c] = max(0, nu[nt+nc+c])
			val += pi[c] * r.cap[c]
		}
		pe := 0.0
		if exRow {
			pe = max(0, nu[rows-1])
			val += pe * rhs[rows-1]
		}
		added := false
		for k, gc := range r.classes {
			v := r.best(nu, pi, pe, gc.b, comp)
			if math.IsInf(v, -1) {
				return math.Inf(1), false // no feasible group of this class
			}
			val += float64(gc.count) * v
			col := make([]float64, rows)
			raw, nvc := 0.0, 0
			for t := 0; t < nt; t++ {
				col[t] = float64(comp[t])
				if t%3 == 2 {
					nvc += comp[t]
				}
			}
			col[nt+k] = 1
			for c := 0; c < r.nv; c++ {
				n := comp[3*c] + comp[3*c+1] + comp[3*c+2]
				col[nt+nc+c] = float64(c2i(n))
				raw += col[nt+nc+c]
			}
			if exRow {
				col[rows-1] = float64(max(0, nvc-r.capV))
			}
			red := raw
			for i := range col {
				red -= nu[i] * col[i]
			}
			if red > 1e-7 || first {
				added = lp.addColumn(col, raw) || added
			}
		}
		return val, added
	})
	if math.IsInf(best, 1) {
		return nil
	}
	out := &lagPrices{nu: make([]float64, 2*r.nv), nuV: make([]float64, r.nv), pi: make([]float64, r.nv), cap: r.cap}
	for c := 0; c < r.nv; c++ {
		out.nu[2*c], out.nu[2*c+1], out.nuV[c] = bestNu[3*c], bestNu[3*c+1], bestNu[3*c+2]
		out.pi[c] = max(0, bestNu[nt+nc+c])
	}
	if exRow {
		out.pe = max(0, bestNu[rows-1])
	}
	return out
}
