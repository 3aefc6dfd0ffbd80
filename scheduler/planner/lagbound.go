package planner

import "math"

// The Lagrangian node bound of the branch and bound (exactbound.go).
//
// At a node of the search, the people still to place are the rest of value c (the value being
// placed: ra non-leaders, rl other leaders and rv vice-chairs, which may only go to the groups at
// positions ≥ i of c's order), every person of the later values and the people outside the search
// (values of one person, people without a value). Relax the constraints "every one of them is
// seated exactly once" with a price ν_t per type t (value × non-leader / leader / vice-chair; any
// sign, the constraints are equalities), relax "value d holds at most cap_d pairs" (pairBound, true
// of every plan) with a price π_d ≥ 0, and relax the vice-chair allowance "the excess still to come
// is at most exLeft" with a price pe ≥ 0. Each group then completes itself on its own, and
//
//	what is still to come ≤ Σ_t ν_t·R_t + Σ_{d > c} π_d·cap_d + π_c·(cap_c − placed_c) + pe·exLeft
//	                        + Σ_g max_{completion of g} (Σ_d (gain_d − π_d·C(n_d,2)) − ν·completion − pe·excess)
//
// for R_t the people of type t still to place and placed_c the pairs of c seated so far (weak
// duality: a plan's completions are feasible for every group at once, its price terms cancel
// against Σ ν_t·R_t, and each relaxed inequality it keeps only adds a non-negative slack times a
// non-negative price). A completion of group g respects g's caps given what it seats already:
// people ≤ b_g, leaders ≤ lmax, non-leaders ≤ b_g − lmin, vice-chairs ≤ capV + the allowance, at
// most b_g − room_d people of value d, and it takes values ≥ c when g comes at or after position
// i, values > c otherwise. It also keeps the size and leader minimums (people ≥ a_g, leaders ≥
// lmin), which every plan keeps; the people without a value are a pool any group may draw from at
// price 0 (which only loosens the bound), the values of one person are priced like the others.
//
// So per group the best completion depends only on (first value it may take, seated non-leaders,
// seated leaders, seated vice-chairs, the group's caps): tables computed once per search (a DP
// over the values from the last, for every group class), read in O(1) per group. The search keeps
// the sum over groups and updates it for the one group a step changes, so the bound costs O(1) per
// node, and the search carries up to maxLags such bounds, one per set of prices, and uses the
// smallest.
//
// The prices are LP duals, fixed at the root: the two-type configuration LP (dualbound.go) with
// and without its value-cap rows (lagPricesFor; with the proposer split's room in its columns when
// the search has room), and for a vice-chair branch the LP with vice-chairs as a type of their own
// (vcprices.go). At the root a bound equals its LP's Lagrangian value (within the completion's
// extra caps); below the root it tightens as the groups fill. With the cross-pairs gain
// (crossbound.go) the prices are scaled by λ2. Any prices give a valid bound, so an LP stopped on
// its work budget costs pruning, never validity.
type lagBound struct {
	nuN, nuL []float64 // per value index: the prices of a non-leader and a leader
	nuV      []float64 // per value index: the price of a vice-chair (nuL without vcPricesFor)
	pi, cap  []float64 // per value index: the price of its pair cap row, and the cap
	K        []float64 // K[i] = Σ_{d ≥ i} (ν·(people of value index d) + π_d·cap_d), singles in K[nv]
	// best[i][s] is the best completion of a group in state s from the values ≥ i (math.Inf(-1)
	// when none exists); s is the group's class and seated non-leaders, leaders and vice-chairs.
	best  [][]float64
	class []int   // per group: index of its (capT, capN, min size) class
	nN    int     // non-leader dimension: capN + 1 of the largest class
	nL    int     // leader dimension
	nV    int     // vice-chair dimension (1 without the vice-chair split)
	pe    float64 // the price of one vice-chair of excess (the allowance row)
}

// lagPrices are the prices of the Lagrangian node bound for one pair term: per attribute value
// c, nu[2c] and nu[2c+1] for a non-leader and a leader, and pi[c] ≥ 0 for the row "value c holds
// at most cap[c] pairs" (cap is pairBound, valid for every plan).
type lagPrices struct {
	nu, pi, cap []float64
	// nuV, when set (vcPricesFor), prices each value's vice-chairs apart from its other leaders,
	// and pe is the price of the vice-chair allowance.
	nuV []float64
	pe  float64
}

// lpPriceBudget caps the simplex work of the LPs that only price the node bound (lagPricesFor,
// vcPricesFor): any prices give a valid bound, so stopping early costs pruning, never validity.
// The reference shape stays below it; a 300-person roster in 18 groups needed ~600 ms for the
// vice-chair LP alone without it.
const lpPriceBudget = 20_000_000

type lagKey struct {
	a    *attr
	room bool
}

// lagPricesFor solves the configuration LP of a's pair term (dualbound.go) once per model and
// attribute and keeps the duals of its best Lagrangian round: once with the value-cap rows and
// once without. Neither set of prices gives the smaller bound at every node (the cap rows tighten
// the root, but a cap says little once its value is partly seated), so the search uses both.
// With room (the proposer split: value c leaves room[c] seats of every group to other values) the
// LP's columns keep that room too, and its caps are pairBoundOthers; a model has at most one room,
// so the cache keys only on whether there is one. Empty when the LP does not apply.
func (m *model) lagPricesFor(a *attr, room []int) []*lagPrices {
	if m.lagNu == nil {
		m.lagNu = map[lagKey][]*lagPrices{}
	}
	key := lagKey{a, room != nil}
	if lp, ok := m.lagNu[key]; ok {
		return lp
	}
	var out []*lagPrices
	capMax := 0
	for _, sb := range m.effSizes() {
		capMax = max(capMax, sb.Max)
	}
	for _, caps := range []bool{true, false} {
		if lp := m.boundPrices[a]; caps && room == nil && lp != nil {
			out = append(out, lp) // computeBound solved this very LP already
			continue
		}
		tr := m.typeRelaxFor(a)
		if m.n > lpBoundMaxPeople || tr == nil {
			break
		}
		tr.room = room
		tr.budget = min(tr.budget, lpPriceBudget)
		if caps {
			tr.capPair = make([]float64, a.nv)
			for c := range tr.capPair {
				r := 0
				if room != nil {
					r = room[c]
				}
				tr.capPair[c] = m.pairBoundOthers(tr.tot[c], tr.lead[c], capMax, r)
			}
		}
		v, nu := tr.dualPrices(lpBoundMaxRounds)
		if math.IsInf(v, 0) {
			break
		}
		out = append(out, tr.pricesOf(nu))
	}
	m.lagNu[key] = out
	return out
}

// pricesOf turns the duals of tr's LP (dualPrices) into node-bound prices; the cap rows' prices
// only when the LP had them.
func (tr *typeRelax) pricesOf(nu []float64) *lagPrices {
	lp := &lagPrices{nu: make([]float64, 2*tr.nv), pi: make([]float64, tr.nv), cap: make([]float64, tr.nv)}
	tpv, capRow := tr.typesPerValue(), tr.typesPerValue()*tr.nv+len(tr.classes)
	for c := 0; c < tr.nv; c++ {
		t := tpv * c
		lp.nu[2*c], lp.nu[2*c+1] = nu[t], nu[t+1]
		if !tr.leadOn {
			lp.nu[2*c+1] = nu[t]
		}
		if tr.capPair != nil {
			lp.pi[c], lp.cap[c] = max(0, nu[capRow+c]), tr.capPair[c]
		}
	}
	return lp
}

// initLag builds a Lagrangian bound from the prices (per attribute value, see lagPrices) times
// scale, for e's groups (their minimums e.sizeMin and e.lmin) and free pool (e.fillN, e.fillL: the
// people without a value, see above). With the vice-chair split the tables also track the
// group's vice-chairs (at most capV plus the whole allowance), and the allowance is relaxed with a
// price pe ≥ 0 per vice-chair of excess: the LP's dual for vcPricesFor's prices, otherwise the
// candidate that gives the smallest root bound (see the end).
func (e *exactRelax) initLag(prices *lagPrices, scale float64) *lagBound {
	fillN, fillL, lmin := e.fillN, e.fillL, e.lmin
	nv := len(e.na)
	lb := &lagBound{nuN: make([]float64, nv), nuL: make([]float64, nv), pi: make([]float64, nv), cap: make([]float64, nv),
		K: make([]float64, nv+1), class: make([]int, e.G)}
	lb.nuV = make([]float64, nv)
	for d, c := range e.vals {
		lb.nuN[d], lb.nuL[d] = scale*prices.nu[2*c], scale*prices.nu[2*c+1]
		lb.nuV[d] = lb.nuL[d]
		if prices.nuV != nil {
			lb.nuV[d] = scale * prices.nuV[c]
		}
		lb.pi[d], lb.cap[d] = scale*prices.pi[c], prices.cap[c]
	}
	// singlePrice is the price of the one person of value c with role r (0 non-leader, 1 leader,
	// 2 vice-chair).
	singlePrice := func(c, r int) float64 {
		if r == 2 && prices.nuV != nil {
			return scale * prices.nuV[c]
		}
		return scale * prices.nu[2*c+min(r, 1)]
	}
	for _, sv := range e.single {
		lb.K[nv] += singlePrice(sv[0], sv[1])
	}
	for d := nv - 1; d >= 0; d-- {
		lb.K[d] = lb.K[d+1] + lb.nuN[d]*float64(e.na[d]) + lb.nuL[d]*float64(e.nl[d]) + lb.nuV[d]*float64(e.nv[d]) + lb.pi[d]*lb.cap[d]
	}
	type key struct{ capT, capN, min int }
	var classes []key
	for g := 0; g < e.G; g++ {
		k := key{e.capT[g], e.capN[g], e.sizeMin[g]}
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
	vMax := 0
	for _, x := range e.nv {
		if x > 0 {
			vMax = min(e.capL, e.capV+e.exLeft)
		}
	}
	lb.nV = vMax + 1
	build := func(pe float64) {
		lb.pe = pe
		neg := math.Inf(-1)
		per := lb.nN * lb.nL * lb.nV
		lb.best = make([][]float64, nv+1)
		for i := range lb.best {
			lb.best[i] = make([]float64, len(classes)*per)
		}
		for ci, k := range classes {
			U, L, V := k.capT+1, lb.nL, lb.nV
			// d[u][l][v]: the best gain − price of u people, l of them leaders and v of those
			// vice-chairs, from values ≥ i (and the filler pool).
			idx := func(u, l, v int) int { return (u*L+l)*V + v }
			d := make([]float64, U*L*V)
			for i := range d {
				d[i] = neg
			}
			for u := 0; u <= fillN+fillL && u < U; u++ {
				for l := 0; l <= min(u, fillL) && l < L; l++ {
					if u-l <= fillN {
						d[idx(u, l, 0)] = 0
					}
				}
			}
			next := make([]float64, U*L*V)
			// The values of one person: taken or not, at their price.
			for _, sv := range e.single {
				copy(next, d)
				price := singlePrice(sv[0], sv[1])
				dl, dv := min(sv[1], 1), 0
				if sv[1] == 2 && V > 1 {
					dv = 1
				}
				for j := len(d) - 1; j >= 0; j-- {
					u, l, v := j/(L*V), j/V%L, j%V
					if d[j] == neg || u+1 >= U || l+dl >= L || v+dv >= V {
						continue
					}
					if t := idx(u+1, l+dl, v+dv); d[j]-price > next[t] {
						next[t] = d[j] - price
					}
				}
				d, next = next, d
			}
			for i := nv; i >= 0; i-- {
				if i < nv {
					for j := range next {
						next[j] = neg
					}
					sMax := k.capT - e.room[i]
					for u := 0; u < U; u++ {
						for l := 0; l < L; l++ {
							for v := 0; v < V; v++ {
								base := d[idx(u, l, v)]
								if base == neg {
									continue
								}
								for w := 0; w <= e.nv[i] && v+w < V && l+w < L; w++ {
									for kk := 0; kk <= e.nl[i] && l+w+kk < L; kk++ {
										for x := 0; x <= e.na[i] && u+x+kk+w < U && x+kk+w <= sMax; x++ {
											s := x + kk + w
											val := base + float64(e.gainOf(i, s)) - lb.pi[i]*float64(c2i(s)) - lb.nuN[i]*float64(x) - lb.nuL[i]*float64(kk) - lb.nuV[i]*float64(w)
											if j := idx(u+s, l+kk+w, v+w); val > next[j] {
												next[j] = val
											}
										}
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
						for uv := 0; uv < V && uv <= ul; uv++ {
							b := neg
							if un <= k.capN {
								for u := 0; un+ul+u <= k.capT; u++ {
									if un+ul+u < k.min {
										continue
									}
									for l := max(0, lmin-ul); ul+l < L && l <= u; l++ {
										if un+u-l > k.capN {
											continue
										}
										for v := 0; uv+v < V && v <= l; v++ {
											x := d[idx(u, l, v)]
											if x == neg {
												continue
											}
											x -= pe * float64(max(0, uv+v-e.capV)-max(0, uv-e.capV))
											b = max(b, x)
										}
									}
								}
							}
							lb.best[i][((ci*lb.nN+un)*L+ul)*V+uv] = b
						}
					}
				}
			}
		}
	}
	if prices.nuV != nil {
		build(scale * prices.pe)
		return lb
	}
	build(0)
	if e.exLeft == 0 || lb.nV == 1 {
		return lb
	}
	// The excess price: the one of a few candidates that gives the smallest root bound.
	root := func() float64 { return lb.K[0] + lb.pe*float64(e.exLeft) + lb.sum(e, 0) }
	bestPe, bestV := 0.0, root()
	for _, pe := range []float64{0.5, 1, 2, 3, 5, 8} {
		build(pe * scale)
		if v := root(); v < bestV {
			bestPe, bestV = pe*scale, v
		}
	}
	build(bestPe)
	return lb
}

// at is the best completion of group g from the values ≥ i.
func (lb *lagBound) at(i, g, un, ul, uv int) float64 {
	return lb.best[i][((lb.class[g]*lb.nN+un)*lb.nL+ul)*lb.nV+uv]
}

// sum is Σ_g at(i, g) in e's current state.
func (lb *lagBound) sum(e *exactRelax, i int) float64 {
	s := 0.0
	for g := 0; g < e.G; g++ {
		s += lb.at(i, g, e.un[g], e.ul[g], e.uv[g])
	}
	return s
}

// node is the bound on what is still to come while value c is being placed, with ra, rl and rv of
// it left, placed of its pairs seated already and ls the current sum of the groups' best
// completions.
func (lb *lagBound) node(e *exactRelax, c, ra, rl, rv, placed int, ls float64) float64 {
	return lb.K[c+1] + lb.nuN[c]*float64(ra) + lb.nuL[c]*float64(rl) + lb.nuV[c]*float64(rv) + lb.pi[c]*(lb.cap[c]-float64(placed)) +
		lb.pe*float64(e.exLeft) + ls
}

// maxLags is the most Lagrangian bounds one search carries (lagPricesFor gives two, and a
// vice-chair branch adds vcPricesFor).
const maxLags = 3

// lagSums is the per-bound sum of the groups' best completions, carried down the search.
type lagSums [maxLags]float64
