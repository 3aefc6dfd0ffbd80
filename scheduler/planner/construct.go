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
	s.fill(others, func(g int, u int32) bool { return s.size[g]+int32(len(m.units[u])) <= target[g] })
	return s
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
