package planner

import (
	"math"
	"sort"
)

// typeRelax is the count relaxation of one same-value pair term: people of one value (and one
// leader status) are interchangeable, so a plan reduces to counts n_gt per group and type.
type typeRelax struct {
	nv      int
	tot     []int // per value: people
	lead    []int // per value: leaders among them
	classes []groupClass
	leadOn  bool
	capPair []float64 // per value: an integer bound on its own pair count (a valid LP row)
	lmin    int
	lmax    int
}

// groupClass is a set of groups with the same size bounds.
type groupClass struct {
	b     Bounds
	count int
}

// groupBest solves the Lagrangian group subproblem for multipliers nu (per value: [non-leader,
// leader] price): the composition of one group of class gc maximising Σ_c C(n_c,2) − Σ prices.
// It returns the value and writes the composition (non-leaders, leaders per value) into comp.
func (tr *typeRelax) groupBest(nu, wp []float64, gc Bounds, comp []int, dp, tmp []float64, choice []int32) float64 {
	S, L := gc.Max+1, 1
	if tr.leadOn {
		L = tr.lmax + 1
	}
	ns := S * L
	neg := math.Inf(-1)
	for i := range dp[:ns] {
		dp[i] = neg
	}
	dp[0] = 0
	for c := 0; c < tr.nv; c++ {
		for i := range tmp[:ns] {
			tmp[i] = neg
		}
		cn, cl := tr.tot[c]-tr.lead[c], tr.lead[c]
		if !tr.leadOn {
			cn, cl = tr.tot[c], 0
		}
		pn, pl := nu[2*c], nu[2*c+1]
		for s := 0; s < S; s++ {
			for l := 0; l < L; l++ {
				base := dp[s*L+l]
				if base == neg {
					continue
				}
				for k := 0; k <= cl && l+k < L; k++ {
					for x := 0; x <= cn && s+x+k < S; x++ {
						n := x + k
						v := base + wp[c]*float64(n*(n-1)/2) - pn*float64(x) - pl*float64(k)
						j := (s+n)*L + l + k
						if v > tmp[j] {
							tmp[j] = v
							choice[c*ns+j] = int32((s*L+l)<<8 | x<<2 | k)
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
			if dp[s*L+l] > best {
				best, bj = dp[s*L+l], s*L+l
			}
		}
	}
	if bj < 0 {
		return neg
	}
	for c := tr.nv - 1; c >= 0; c-- {
		ch := choice[c*ns+bj]
		comp[2*c], comp[2*c+1] = int(ch>>2)&63, int(ch)&3
		bj = int(ch >> 8)
	}
	return best
}

// dual solves the configuration LP of the count relaxation by column generation and returns the
// Lagrangian value at the final prices, which bounds every plan from above whatever rounding the
// simplex suffered (weak duality holds for any prices).
func (tr *typeRelax) dual(maxCols int) float64 {
	nt := 2 * tr.nv
	rows := nt + len(tr.classes) + tr.nv
	rhs := make([]float64, rows)
	for c := 0; c < tr.nv; c++ {
		if tr.leadOn {
			rhs[2*c], rhs[2*c+1] = float64(tr.tot[c]-tr.lead[c]), float64(tr.lead[c])
		} else {
			rhs[2*c] = float64(tr.tot[c])
		}
	}
	for k, gc := range tr.classes {
		rhs[nt+k] = float64(gc.count)
	}
	for c := 0; c < tr.nv; c++ {
		rhs[nt+len(tr.classes)+c] = tr.capPair[c]
	}
	maxS := 0
	for _, gc := range tr.classes {
		maxS = max(maxS, gc.b.Max+1)
	}
	ns := maxS * (tr.lmax + 1)
	dp, tmp := make([]float64, ns), make([]float64, ns)
	choice := make([]int32, tr.nv*ns)
	comp := make([]int, nt)
	nc := len(tr.classes)
	wp := make([]float64, tr.nv)
	lagrange := func(nu []float64, add func(k int, v float64, comp []int)) float64 {
		val := 0.0
		for t := 0; t < nt; t++ {
			val += nu[t] * rhs[t]
		}
		for c := 0; c < tr.nv; c++ {
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
					n := comp[2*c] + comp[2*c+1]
					raw += float64(n * (n - 1) / 2)
				}
				add(k, raw, comp)
			}
		}
		return val
	}
	lp := newColumnLP(rhs)
	nu := make([]float64, rows)
	for c := 0; c < tr.nv; c++ { // slack of "pairs of c ≤ capPair[c]"
		col := make([]float64, rows)
		col[nt+nc+c] = 1
		lp.addColumn(col, 0)
	}
	best := math.Inf(1)
	for round := 0; round < maxCols; round++ {
		added := false
		val := lagrange(nu, func(k int, raw float64, comp []int) {
			col := make([]float64, rows)
			red := raw
			for t := 0; t < nt; t++ {
				col[t] = float64(comp[t])
				red -= nu[t] * col[t]
			}
			col[nt+k] = 1
			for c := 0; c < tr.nv; c++ {
				n := comp[2*c] + comp[2*c+1]
				col[nt+nc+c] = float64(n * (n - 1) / 2)
				red -= nu[nt+nc+c] * col[nt+nc+c]
			}
			if red-nu[nt+k] > 1e-7 || round == 0 {
				added = lp.addColumn(col, raw) || added
			}
		})
		best = math.Min(best, val)
		if !added {
			break
		}
		lp.solve()
		copy(nu, lp.duals())
	}
	return best
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
}

const bigM = 1e5

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
	for iter := 0; iter < 50*len(lp.tab); iter++ {
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
	tr := &typeRelax{nv: a.nv, tot: make([]int, a.nv), lead: make([]int, a.nv), leadOn: m.leadOn}
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
