package planner

import "sort"

// leafBudget caps the extra branch and bound pass of leafStart (about 60 ms at the reference shape).
const (
	leafBudget     = 400_000
	leafScanStep   = 20_000
	leafScanBudget = 200_000
)

// leafStart builds a start from the best leaf of the primary attribute's exact count relaxation
// (exactbound.go): the people of each value go to the groups the leaf gives them, leaders and
// non-leaders apart; everyone else fills the free seats. The rules the relaxation drops (minimum
// sizes and leaders, pins, apart, the other terms) are left to repair. It returns nil when there
// is no leaf or repair fails.
func (m *model) leafStart() *state {
	if m.primary < 0 || m.quickBound || m.n > exactBoundMaxPeople || m.G > exactBoundMaxGroups {
		return nil
	}
	if m.relaxLeaf == nil {
		// The bound's passes can use up the node budget before reaching a leaf; one more pass at
		// the proven bound, with a fresh (smaller) budget, often reaches one: the relaxation optimum.
		// Failing that, short passes at lower thresholds often reach a good leaf quickly.
		ub := int(m.upperBound().Terms[m.primary].Value + 1e-9)
		spent := 0
		for T, b := ub, leafBudget; T > 0 && spent < leafBudget+leafScanBudget; T, b = min(T, ub-10)-5, leafScanStep {
			e := m.newExactRelax(m.attrs[m.primary])
			e.budget = b
			_, ok := e.solve(T)
			spent += e.nodes
			if ok && e.leaf != nil {
				m.relaxLeaf, m.relaxVals = e.leaf, e.vals
				break
			}
		}
		if m.relaxLeaf == nil {
			return nil
		}
	}
	a := m.attrs[m.primary]
	vi := make(map[int]int, len(m.relaxVals))
	for i, c := range m.relaxVals {
		vi[c] = i
	}
	// quota[(value index, leader)][g]
	quota := make([][]int, 2*len(m.relaxVals))
	for i := range m.relaxVals {
		quota[2*i], quota[2*i+1] = make([]int, m.G), make([]int, m.G)
		for g := 0; g < m.G; g++ {
			quota[2*i][g] = m.relaxLeaf[i][g] >> 8
			quota[2*i+1][g] = m.relaxLeaf[i][g] & 255
		}
	}
	class := func(p int32) int {
		v := a.val[p]
		if v < 0 {
			return -1
		}
		i, ok := vi[int(v)]
		if !ok {
			return -1
		}
		if m.isLeader[p] {
			return 2*i + 1
		}
		return 2 * i
	}
	s := newState(m)
	take := func(u int32, g int32) {
		for _, p := range m.units[u] {
			if c := class(p); c >= 0 && quota[c][g] > 0 {
				quota[c][g]--
			}
		}
		s.moveUnit(u, g)
	}
	var rest []int32
	for u := range m.units {
		if m.fixed[u] >= 0 {
			take(int32(u), m.fixed[u])
		} else {
			rest = append(rest, int32(u))
		}
	}
	// other is the change of every other term if unit u joined group g: among the groups the leaf
	// allows, it steers vice-chairs and proposers apart and like regions together.
	other := func(u int32, g int) float64 {
		d := 0.0
		for k, b := range m.attrs {
			if k == m.primary {
				continue
			}
			for _, p := range m.units[u] {
				if v := b.val[p]; v >= 0 {
					n := s.cnt[k][g*b.nv+int(v)]
					d += b.weight * (b.f(v, n+1) - b.f(v, n))
				}
			}
		}
		return d
	}
	soft := func(u int32) bool {
		for k, b := range m.attrs {
			if k != m.primary && b.weight < 0 {
				for _, p := range m.units[u] {
					if b.val[p] >= 0 {
						return true
					}
				}
			}
		}
		return false
	}
	// Bigger units first, then units that carry a penalty term (they need the choice of group), then input order.
	sort.SliceStable(rest, func(i, j int) bool {
		if li, lj := len(m.units[rest[i]]), len(m.units[rest[j]]); li != lj {
			return li > lj
		}
		return soft(rest[i]) && !soft(rest[j])
	})
	room := func(u int32, g int) bool {
		if s.size[g]+int32(len(m.units[u])) > int32(m.size[g].Max) {
			return false
		}
		return !m.leadOn || s.lead[g]+m.uLead[u] <= int32(m.lead.Max)
	}
	var left []int32
	for _, u := range rest {
		bg, bs, bo := -1, 0, 0.0
		for g := 0; g < m.G; g++ {
			sc := 0
			for _, p := range m.units[u] {
				if c := class(p); c >= 0 && quota[c][g] > 0 {
					sc++
				}
			}
			if sc == 0 || sc < bs || !room(u, g) {
				continue
			}
			if o := other(u, g); sc > bs || o > bo+eps {
				bg, bs, bo = g, sc, o
			}
		}
		if bg < 0 {
			left = append(left, u)
			continue
		}
		take(u, int32(bg))
	}
	// Leaders first, each to the group with the fewest leaders (then fewest people) that has room.
	sort.SliceStable(left, func(i, j int) bool { return m.uLead[left[i]] > m.uLead[left[j]] })
	for _, u := range left {
		bg := -1
		for g := 0; g < m.G; g++ {
			if !room(u, g) {
				continue
			}
			if bg < 0 || m.uLead[u] > 0 && (s.lead[g] < s.lead[bg] || s.lead[g] == s.lead[bg] && s.size[g] < s.size[bg]) ||
				m.uLead[u] == 0 && s.size[g] < s.size[bg] {
				bg = g
			}
		}
		if bg < 0 {
			bg = 0
			for g := 1; g < m.G; g++ {
				if s.size[g] < s.size[bg] {
					bg = g
				}
			}
		}
		take(u, int32(bg))
	}
	if !s.repair(nil, 20*m.n+100) {
		return nil
	}
	return s
}
