package planner

import "math"

// The Lagrangian node bound of the branch and bound (exactbound.go).
//
// At a node of the search, the people still to place are the rest of value c (the value being
// placed: ra non-leaders and rl + rv leaders, which may only go to the groups at positions ≥ i of
// c's order) and every person of the later values. Relax the constraints "every one of them is
// seated" with a price ν_t per type t (value × leader status; any sign, the constraints are
// equalities): each group then completes itself on its own, and
//
//	what is still to come ≤ Σ_t ν_t·R_t + Σ_g max_{completion of g} (gain(completion) − ν·completion)
//
// for R_t the people of type t still to place (weak duality: a plan's completion is feasible for
// every group at once, and its price terms cancel against Σ ν_t·R_t). A completion of group g
// respects g's caps given what it seats already: people ≤ b_g, leaders ≤ lmax, non-leaders ≤
// b_g − lmin, at most b_g − room_c people of value c, and it takes values ≥ c when g comes at or
// after position i, values > c otherwise. People outside the search (values of one person, no
// value) are a filler pool any group may draw from at price 0 and gain 0, which only loosens the
// bound; with every search person seated exactly once, a group's completion also keeps the size
// and leader minimums (people ≥ a_g, leaders ≥ lmin), since every plan does.
//
// So per group the best completion depends only on (first value it may take, seated non-leaders,
// seated leaders, the group's caps): tables computed once per search (a DP over the values from
// the last, for every group class), read in O(1) per group. The search keeps the sum over groups
// and updates it for the one group a step changes, so the bound costs O(1) per node.
//
// The prices are the duals of the configuration LP (dualbound.go) of the same term, with its value
// caps switched off, so at the root the bound equals that LP's Lagrangian value (within the
// completion's extra caps); the prices stay fixed below the root, where the bound still tightens
// as the groups fill. With the cross-pairs gain (crossbound.go) the prices are scaled by λ2. The
// vice-chair allowance is not in the tables (a relaxation), so the bound stays valid there.
type lagBound struct {
	nuN, nuL []float64 // per value index: the prices of a non-leader and a leader
	K        []float64 // K[i] = Σ_{d ≥ i} ν·(people of value index d)
	// best[i][s] is the best completion of a group in state s from the values ≥ i (math.Inf(-1)
	// when none exists); s = stateOf(g).
	best  [][]float64
	class []int // per group: index of its (capT, capN, min size) class
	nN    int   // non-leader dimension: capN + 1 of the largest class
	nL    int
}

// lagPrices returns the per-value (non-leader, leader) prices for a's pair term, ν[2c] and
// ν[2c+1], from the configuration LP without its value-cap rows; nil when the LP does not apply.
// The LP is solved once per model and attribute.
func (m *model) lagPrices(a *attr) []float64 {
	if m.lagNu == nil {
		m.lagNu = map[*attr][]float64{}
	}
	if nu, ok := m.lagNu[a]; ok {
		return nu
	}
	var out []float64
	if m.n <= lpBoundMaxPeople {
		if tr := m.typeRelaxFor(a); tr != nil {
			tr.capPair = make([]float64, a.nv)
			for c := range tr.capPair {
				tr.capPair[c] = 1e9 // never binding: the node bound has no such rows
			}
			if v, nu := tr.dualPrices(lpBoundMaxRounds); !math.IsInf(v, 0) {
				out = make([]float64, 2*a.nv)
				for c := 0; c < a.nv; c++ {
					t := tr.typesPerValue() * c
					out[2*c], out[2*c+1] = nu[t], nu[t+1]
					if !tr.leadOn {
						out[2*c+1] = nu[t]
					}
				}
			}
		}
	}
	m.lagNu[a] = out
	return out
}

// initLag builds e.lag from the prices (per attribute value, see lagPrices) times scale; sizeMin
// and lmin are the groups' minimums, filler the non-leaders and leaders outside the search.
func (e *exactRelax) initLag(prices []float64, scale float64, sizeMin []int, lmin int, fillN, fillL int) {
	nv := len(e.na)
	lb := &lagBound{nuN: make([]float64, nv), nuL: make([]float64, nv), K: make([]float64, nv+1), class: make([]int, e.G)}
	for d, c := range e.vals {
		lb.nuN[d], lb.nuL[d] = scale*prices[2*c], scale*prices[2*c+1]
	}
	for d := nv - 1; d >= 0; d-- {
		lb.K[d] = lb.K[d+1] + lb.nuN[d]*float64(e.na[d]) + lb.nuL[d]*float64(e.nl[d]+e.nv[d])
	}
	type key struct{ capT, capN, min int }
	var classes []key
	for g := 0; g < e.G; g++ {
		k := key{e.capT[g], e.capN[g], sizeMin[g]}
		lb.class[g] = -1
		for i, o := range classes {
			if o == k {
				lb.class[g] = i
			}
		}
		if lb.class[g] < 0 {
			lb.class[g] = len(classes)
			classes = append(classes, k)
		}
		lb.nN = max(lb.nN, e.capN[g]+1)
	}
	lb.nL = e.capL + 1
	neg := math.Inf(-1)
	per := lb.nN * lb.nL
	lb.best = make([][]float64, nv+1)
	for i := range lb.best {
		lb.best[i] = make([]float64, len(classes)*per)
	}
	for ci, k := range classes {
		U, L := k.capT+1, lb.nL
		// d[u][l]: the best gain − price of u people, l of them leaders, from values ≥ i (and the
		// filler pool).
		d := make([]float64, U*L)
		for i := range d {
			d[i] = neg
		}
		for u := 0; u <= fillN+fillL && u < U; u++ {
			for l := 0; l <= min(u, fillL) && l < L; l++ {
				if u-l <= fillN {
					d[u*L+l] = 0
				}
			}
		}
		next := make([]float64, U*L)
		for i := nv; i >= 0; i-- {
			if i < nv {
				for j := range next {
					next[j] = neg
				}
				sMax := k.capT - e.room[i]
				for u := 0; u < U; u++ {
					for l := 0; l < L; l++ {
						base := d[u*L+l]
						if base == neg {
							continue
						}
						for kk := 0; kk <= e.nl[i]+e.nv[i] && l+kk < L; kk++ {
							for x := 0; x <= e.na[i] && u+x+kk < U && x+kk <= sMax; x++ {
								v := base + float64(e.gainOf(i, x+kk)) - lb.nuN[i]*float64(x) - lb.nuL[i]*float64(kk)
								if j := (u+x+kk)*L + l + kk; v > next[j] {
									next[j] = v
								}
							}
						}
					}
				}
				d, next = next, d
			}
			// best over the completions that keep the group's caps and minimums.
			for un := 0; un < lb.nN; un++ {
				for ul := 0; ul < L; ul++ {
					b := neg
					if un <= k.capN {
						for u := 0; un+ul+u <= k.capT; u++ {
							if un+ul+u < k.min {
								continue
							}
							for l := max(0, lmin-ul); ul+l < L && l <= u; l++ {
								if un+u-l <= k.capN && d[u*L+l] > b {
									b = d[u*L+l]
								}
							}
						}
					}
					lb.best[i][ci*per+un*L+ul] = b
				}
			}
		}
	}
	e.lag = lb
}

// at is the best completion of group g from the values ≥ i.
func (lb *lagBound) at(i, g, un, ul int) float64 {
	return lb.best[i][(lb.class[g]*lb.nN+un)*lb.nL+ul]
}

// sum is Σ_g at(i, g) in the current state.
func (e *exactRelax) lagSum(i int) float64 {
	s := 0.0
	for g := 0; g < e.G; g++ {
		s += e.lag.at(i, g, e.un[g], e.ul[g])
	}
	return s
}

// lagNode is the node bound on what is still to come while value c is being placed, with ra, rl
// and rv of it left and ls the current sum of the groups' best completions.
func (e *exactRelax) lagNode(c, ra, rl, rv int, ls float64) float64 {
	lb := e.lag
	return lb.K[c+1] + lb.nuN[c]*float64(ra) + lb.nuL[c]*float64(rl+rv) + ls
}
