package planner

import (
	"math/rand/v2"
	"sort"
)

// construct builds a start that keeps the hard rules whenever a simple greedy can: pinned units
// first, then leader units spread to each group's leader target, then everyone else filled group
// by group in attribute order (so like people start together in the likeness modes). Whatever the
// greedy leaves broken is handed to repair.
func construct(m *model, rng *rand.Rand) *state {
	s := newState(m)
	for u := range m.units {
		if m.fixed[u] >= 0 {
			s.moveUnit(int32(u), m.fixed[u])
		}
	}
	var leaders, others []int32
	for u := range m.units {
		if m.fixed[u] >= 0 {
			continue
		}
		if m.uLead[u] > 0 {
			leaders = append(leaders, int32(u))
		} else {
			others = append(others, int32(u))
		}
	}
	m.order(leaders, rng)
	m.order(others, rng)

	// Size targets: as even as the bounds allow, so sequential filling ends exactly at n.
	target := make([]int32, m.G)
	left := int32(m.n)
	for g := range target {
		target[g] = max(int32(m.size[g].Min), s.size[g])
		left -= target[g]
	}
	for changed := true; left > 0 && changed; {
		changed = false
		for g := range target {
			if left > 0 && target[g] < int32(m.size[g].Max) {
				target[g]++
				left--
				changed = true
			}
		}
	}
	if m.fastPair && m.pairWeight > 0 {
		target = m.pairProfile(target)
	}
	if m.leadOn {
		// Leader targets: raise every group to the minimum, then share the rest evenly.
		lt := make([]int32, m.G)
		total := int32(0)
		for _, u := range leaders {
			total += m.uLead[u]
		}
		for g := range lt {
			lt[g] = max(int32(m.lead.Min), s.lead[g])
			total -= lt[g] - s.lead[g]
		}
		for changed := true; total > 0 && changed; {
			changed = false
			for g := range lt {
				if total > 0 && lt[g] < int32(m.lead.Max) {
					lt[g]++
					total--
					changed = true
				}
			}
		}
		s.fill(leaders, func(g int, u int32) bool {
			return s.lead[g]+m.uLead[u] <= lt[g] && s.size[g]+int32(len(m.units[u])) <= target[g]
		})
	} else {
		s.fill(leaders, nil)
	}
	others = s.joinLeaders(others, target)
	s.fill(others, func(g int, u int32) bool { return s.size[g]+int32(len(m.units[u])) <= target[g] })
	return s
}

// joinLeaders is the block greedy of the likeness modes: after the leaders are placed, the other
// people of each primary value go first to the groups whose leaders share that value (most such
// leaders first), up to the size targets. It returns the units still to place, in their order.
func (s *state) joinLeaders(others []int32, target []int32) []int32 {
	m := s.m
	if m.primary < 0 || !m.leadOn || len(others) == 0 || len(m.units) <= joinLeadersFrom {
		return others
	}
	a := m.attrs[m.primary]
	cnt := s.cnt[m.primary]
	byVal := make([][]int32, a.nv) // groups holding leaders of value v, most first
	for g := 0; g < m.G; g++ {
		for v := 0; v < a.nv; v++ {
			if cnt[g*a.nv+v] > 0 {
				byVal[v] = append(byVal[v], int32(g))
			}
		}
	}
	for v, gs := range byVal {
		sort.SliceStable(gs, func(i, j int) bool { return cnt[int(gs[i])*a.nv+v] > cnt[int(gs[j])*a.nv+v] })
	}
	ptr := make([]int, a.nv)
	rest := others[:0:0]
	for _, u := range others {
		v := a.val[m.units[u][0]]
		k := int32(len(m.units[u]))
		placed := false
		if v >= 0 {
			gs := byVal[v]
			for ptr[v] < len(gs) && !placed {
				g := gs[ptr[v]]
				if s.size[g]+k <= target[g] && s.apartOK(u, g, -1) {
					s.moveUnit(u, g)
					placed = true
				} else if s.size[g]+k > target[g] {
					ptr[v]++
				} else {
					break
				}
			}
		}
		if !placed {
			rest = append(rest, u)
		}
	}
	return rest
}

// order sorts units by the primary then secondary attribute in likeness modes, and shuffles otherwise.
func (m *model) order(units []int32, rng *rand.Rand) {
	rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	if m.primary < 0 {
		return
	}
	key := func(u int32) (int32, int32) {
		p := m.units[u][0]
		a := m.attrs[m.primary].val[p]
		b := int32(0)
		if len(m.attrs) > 1 {
			b = m.attrs[1].val[p]
		}
		return a, b
	}
	sort.SliceStable(units, func(i, j int) bool {
		a1, b1 := key(units[i])
		a2, b2 := key(units[j])
		if a1 != a2 {
			return a1 < a2
		}
		return b1 < b2
	})
}

// fill walks the groups in order and places each unit in the first group that fits; it falls back
// to any group within the hard bounds, then to the least full group (repair fixes that case).
func (s *state) fill(units []int32, fits func(g int, u int32) bool) {
	m := s.m
	ptr := 0
	for _, u := range units {
		k := int32(len(m.units[u]))
		placed := false
		if fits != nil {
			for i := 0; i < m.G && !placed; i++ {
				g := (ptr + i) % m.G
				if fits(g, u) && s.apartOK(u, int32(g), -1) {
					s.moveUnit(u, int32(g))
					placed = true
					ptr = g
				}
			}
		}
		for g := 0; g < m.G && !placed; g++ {
			if s.size[g]+k <= int32(m.size[g].Max) && (!m.leadOn || s.lead[g]+m.uLead[u] <= int32(m.lead.Max)) && s.apartOK(u, int32(g), -1) {
				s.moveUnit(u, int32(g))
				placed = true
			}
		}
		if !placed {
			best := 0
			for g := 1; g < m.G; g++ {
				if s.size[g]-int32(m.size[g].Max) < s.size[best]-int32(m.size[best].Max) {
					best = g
				}
			}
			s.moveUnit(u, int32(best))
		}
	}
}

// joinLeadersFrom is the unit count above which the block greedy is used; small instances are
// left to the tabu search, which does better from the plain sorted start.
var joinLeadersFrom = smallLimit

// pairProfile returns the group sizes within bounds, summing to n, that maximise Σ_g C(s_g,2):
// with positive pairwise scores every extra pair counts, and the number of pairs is convex in the
// sizes, so good MDGP plans fill some groups to their maximum and leave others at their minimum.
// Which ones is a global choice single moves hardly revisit, so the start takes the profile with
// the most pairs (an exact DP over groups × people placed). It falls back to def if the bounds
// cannot hold n.
func (m *model) pairProfile(def []int32) []int32 {
	n, G := m.n, m.G
	neg := int64(-1) << 62
	f := make([][]int64, G+1)
	from := make([][]int32, G+1)
	for g := range f {
		f[g] = make([]int64, n+1)
		from[g] = make([]int32, n+1)
		for k := range f[g] {
			f[g][k] = neg
		}
	}
	f[0][0] = 0
	for g := 0; g < G; g++ {
		for k := 0; k <= n; k++ {
			if f[g][k] == neg {
				continue
			}
			for sz := m.size[g].Min; sz <= m.size[g].Max && k+sz <= n; sz++ {
				if v := f[g][k] + int64(sz*(sz-1)/2); v > f[g+1][k+sz] {
					f[g+1][k+sz], from[g+1][k+sz] = v, int32(sz)
				}
			}
		}
	}
	if f[G][n] == neg {
		return def
	}
	out := make([]int32, G)
	for g, k := G, n; g > 0; g-- {
		out[g-1] = from[g][k]
		k -= int(from[g][k])
	}
	return out
}
