package planner

import (
	"context"
	"math/rand/v2"
	"time"
)

const (
	eps = 1e-9
	// smallLimit is the unit count up to which every iteration scans the full move and swap
	// neighbourhood (O(n²)); above it the search samples aimed candidates instead.
	smallLimit = 800
)

// searcher runs iterated tabu search (small instances) or aimed randomized descent (large ones),
// keeping the best state seen. It only ever applies moves that keep every hard rule.
type searcher struct {
	m        *model
	s, best  *state
	rng      *rand.Rand
	ctx      context.Context
	deadline time.Time
	maxIter  int
	iters    int
	timedOut bool
	target   float64 // an upper bound: reaching it proves optimality, so stop
	stagn    int
	lastImp  int
}

func (sr *searcher) stop() bool {
	if sr.maxIter > 0 && sr.iters >= sr.maxIter {
		return true
	}
	if sr.best.total >= sr.target-eps {
		return true
	}
	if sr.stagn > 0 && sr.iters-sr.lastImp > sr.stagn {
		return true
	}
	// Reading the clock every iteration costs little next to an O(n²) scan, but not next to a sampled step.
	if sr.iters&15 == 0 {
		if time.Now().After(sr.deadline) || sr.ctx.Err() != nil {
			sr.timedOut = true
		}
	}
	return sr.timedOut
}

func (sr *searcher) noteBest() {
	if sr.s.total > sr.best.total+eps {
		sr.best.copyFrom(sr.s)
		sr.lastImp = sr.iters
	}
}

func (sr *searcher) run() {
	if len(sr.movable()) == 0 {
		return
	}
	if len(sr.m.units) <= smallLimit {
		sr.iteratedTabu()
	} else {
		sr.sampledDescent()
	}
}

func (sr *searcher) movable() []int32 {
	var out []int32
	for u := range sr.m.units {
		if sr.m.fixed[u] < 0 {
			out = append(out, int32(u))
		}
	}
	return out
}

// iteratedTabu alternates tabu search phases with perturbations of the best state (an iterated
// local search in the spirit of Lai & Hao's iterated maxima search for the MDGP).
func (sr *searcher) iteratedTabu() {
	m := sr.m
	U := len(m.units)
	tabu := make([]int, U*m.G)
	phase := max(200, 30*U)
	for !sr.stop() {
		sr.tabuPhase(tabu, phase)
		if sr.stop() {
			return
		}
		sr.s.copyFrom(sr.best)
		sr.perturb(max(2, U/20+sr.rng.IntN(max(1, U/10))))
	}
}

// tabuPhase runs best-improvement tabu search until phaseLen iterations pass without a new phase best.
func (sr *searcher) tabuPhase(tabu []int, phaseLen int) {
	m, s := sr.m, sr.s
	G := int32(m.G)
	units := sr.movable()
	phaseBest, since := s.total, 0
	for since < phaseLen && !sr.stop() {
		sr.iters++
		it := sr.iters
		bd, ties := -1e300, 0
		bu, bv, bh := int32(-1), int32(-1), int32(-1)
		take := func(d float64, u, v, h int32) {
			if d > bd+eps {
				bd, ties, bu, bv, bh = d, 1, u, v, h
			} else if d > bd-eps {
				ties++
				if sr.rng.IntN(ties) == 0 {
					bu, bv, bh = u, v, h
				}
			}
		}
		aspire := sr.best.total
		for _, u := range units {
			g := s.unitGroup(u)
			for h := int32(0); h < G; h++ {
				if h == g || !s.canMove(u, h) {
					continue
				}
				d := s.deltaUnitMove(u, h)
				if tabu[int(u)*m.G+int(h)] > it && s.total+d <= aspire+eps {
					continue
				}
				take(d, u, -1, h)
			}
		}
		if m.fastPair {
			sr.fastSwaps(units, tabu, it, aspire, take)
		}
		for i, u := range units {
			if m.fastPair {
				break
			}
			g := s.unitGroup(u)
			for _, v := range units[i+1:] {
				h := s.unitGroup(v)
				if h == g || !s.canSwap(u, v) {
					continue
				}
				d := s.deltaUnitSwap(u, v)
				if (tabu[int(u)*m.G+int(h)] > it || tabu[int(v)*m.G+int(g)] > it) && s.total+d <= aspire+eps {
					continue
				}
				take(d, u, v, -1)
			}
		}
		if bu < 0 {
			return
		}
		tenure := func() int { return it + 2 + sr.rng.IntN(max(3, len(units)/8)) }
		g := s.unitGroup(bu)
		if bv >= 0 {
			h := s.unitGroup(bv)
			s.swapUnits(bu, bv)
			tabu[int(bu)*m.G+int(g)] = tenure()
			tabu[int(bv)*m.G+int(h)] = tenure()
		} else {
			s.moveUnit(bu, bh)
			tabu[int(bu)*m.G+int(g)] = tenure()
		}
		sr.noteBest()
		if s.total > phaseBest+eps {
			phaseBest, since = s.total, 0
		} else {
			since++
		}
	}
}

// perturb applies k random feasible swaps or moves, ignoring the score.
func (sr *searcher) perturb(k int) {
	m, s := sr.m, sr.s
	units := sr.movable()
	for done, tries := 0, 0; done < k && tries < 50*k; tries++ {
		u := units[sr.rng.IntN(len(units))]
		if sr.rng.IntN(4) == 0 {
			h := int32(sr.rng.IntN(m.G))
			if s.canMove(u, h) {
				s.moveUnit(u, h)
				done++
			}
			continue
		}
		v := units[sr.rng.IntN(len(units))]
		if s.canSwap(u, v) {
			s.swapUnits(u, v)
			done++
		}
	}
}

// sampledDescent is the large-instance search: for each unit, a few candidate groups are aimed at
// groups where people like it already sit (in the likeness modes) plus a random one; the best
// move or swap into them is taken if it does not lose score. Sideways steps let it cross plateaus.
func (sr *searcher) sampledDescent() {
	m, s := sr.m, sr.s
	units := sr.movable()
	var peers [][]int32
	if m.primary >= 0 {
		a := m.attrs[m.primary]
		peers = make([][]int32, a.nv)
		for p, v := range a.val {
			if v >= 0 {
				peers[v] = append(peers[v], int32(p))
			}
		}
	}
	stale := 0
	for !sr.stop() && stale < 3 {
		sr.rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
		before := s.total
		for i, u := range units {
			if i&255 == 0 && sr.stop() {
				break
			}
			sr.iters++
			g := s.unitGroup(u)
			bd, bv, bh := -eps, int32(-1), int32(-1)
			for c := 0; c < 4; c++ {
				var h int32
				if peers != nil && c < 3 {
					ps := peers[m.attrs[m.primary].val[m.units[u][0]]]
					h = s.grp[ps[sr.rng.IntN(len(ps))]]
				} else {
					h = int32(sr.rng.IntN(m.G))
				}
				if h == g {
					continue
				}
				if s.canMove(u, h) {
					if d := s.deltaUnitMove(u, h); d > bd {
						bd, bv, bh = d, -1, h
					}
				}
				for _, q := range s.mem[h] {
					v := m.unitOf[q]
					if !s.canSwap(u, v) {
						continue
					}
					if d := s.deltaUnitSwap(u, v); d > bd {
						bd, bv, bh = d, v, h
					}
				}
			}
			if bh < 0 {
				continue
			}
			if bv >= 0 {
				s.swapUnits(u, bv)
			} else {
				s.moveUnit(u, bh)
			}
			sr.noteBest()
		}
		if s.total > before+eps {
			stale = 0
		} else {
			stale++
		}
	}
	s.copyFrom(sr.best)
}

// fastSwaps scans the swap neighbourhood of a pure MDGP instance (pairwise term only, single
// people, no apart or leader rules) straight from the S table: a swap keeps both sizes, so it is
// always feasible and its gain is S[p][h]−S[p][g]+S[q][g]−S[q][h]−2d_pq.
func (sr *searcher) fastSwaps(units []int32, tabu []int, it int, aspire float64, take func(float64, int32, int32, int32)) {
	m, s := sr.m, sr.s
	G, n := m.G, m.n
	w := m.pairWeight
	for i, p := range units {
		g := s.grp[p]
		rp := s.sum[int(p)*G : int(p)*G+G]
		dp := m.dist[int(p)*n : int(p)*n+n]
		tp := tabu[int(p)*G : int(p)*G+G]
		spg := rp[g]
		for _, q := range units[i+1:] {
			h := s.grp[q]
			if h == g {
				continue
			}
			rq := s.sum[int(q)*G : int(q)*G+G]
			d := w * (rp[h] - spg + rq[g] - rq[h] - 2*dp[q])
			if (tp[h] > it || tabu[int(q)*G+int(g)] > it) && s.total+d <= aspire+eps {
				continue
			}
			take(d, p, q, -1)
		}
	}
}
