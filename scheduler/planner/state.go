package planner

// state is an assignment plus the incremental tables that score a move in O(terms):
// per-group counts per attribute value (n_gc) and, for the pairwise term, per-person-per-group
// sums S[p][g] = Σ_{q in g} d_pq (the standard MDGP bookkeeping).
type state struct {
	m     *model
	grp   []int32 // person → group (0-based), -1 unplaced
	size  []int32
	lead  []int32
	cnt   [][]int32 // attr → G*nv
	tv    []float64 // raw term values, attrs then pairwise
	sum   []float64 // n*G
	total float64
	// members per group with positions, for sampling partners in large instances.
	mem [][]int32
	pos []int32
}

func newState(m *model) *state {
	s := &state{m: m, grp: make([]int32, m.n), size: make([]int32, m.G), lead: make([]int32, m.G),
		tv: make([]float64, len(m.attrs)+1), mem: make([][]int32, m.G), pos: make([]int32, m.n)}
	for i := range s.grp {
		s.grp[i] = -1
	}
	s.cnt = make([][]int32, len(m.attrs))
	for k, a := range m.attrs {
		s.cnt[k] = make([]int32, m.G*a.nv)
		// kindMissing counts empty groups from the start.
		for g := 0; g < m.G; g++ {
			for v := 0; v < a.nv; v++ {
				s.tv[k] += a.f(int32(v), 0)
			}
		}
	}
	if m.pairOn {
		s.sum = make([]float64, m.n*m.G)
	}
	s.recomputeTotal()
	return s
}

func (s *state) recomputeTotal() {
	t := 0.0
	for k, a := range s.m.attrs {
		t += a.weight * s.tv[k]
	}
	if s.m.pairOn {
		t += s.m.pairWeight * s.tv[len(s.m.attrs)]
	}
	s.total = t
}

func (s *state) clone() *state {
	c := *s
	c.grp = append([]int32(nil), s.grp...)
	c.size = append([]int32(nil), s.size...)
	c.lead = append([]int32(nil), s.lead...)
	c.tv = append([]float64(nil), s.tv...)
	c.sum = append([]float64(nil), s.sum...)
	c.pos = append([]int32(nil), s.pos...)
	c.cnt = make([][]int32, len(s.cnt))
	for k := range s.cnt {
		c.cnt[k] = append([]int32(nil), s.cnt[k]...)
	}
	c.mem = make([][]int32, len(s.mem))
	for g := range s.mem {
		c.mem[g] = append([]int32(nil), s.mem[g]...)
	}
	return &c
}

// copyFrom overwrites s with o without allocating (both from the same model).
func (s *state) copyFrom(o *state) {
	copy(s.grp, o.grp)
	copy(s.size, o.size)
	copy(s.lead, o.lead)
	copy(s.tv, o.tv)
	copy(s.sum, o.sum)
	copy(s.pos, o.pos)
	for k := range s.cnt {
		copy(s.cnt[k], o.cnt[k])
	}
	for g := range s.mem {
		s.mem[g] = append(s.mem[g][:0], o.mem[g]...)
	}
	s.total = o.total
}

// deltaPerson is the weighted total change of moving person p from its group to h (p not in h).
func (s *state) deltaPerson(p int32, h int32) float64 {
	g := s.grp[p]
	m := s.m
	d := 0.0
	for k, a := range m.attrs {
		v := a.val[p]
		if v < 0 {
			continue
		}
		c := s.cnt[k]
		ng, nh := c[int(g)*a.nv+int(v)], c[int(h)*a.nv+int(v)]
		d += a.weight * (a.f(v, ng-1) - a.f(v, ng) + a.f(v, nh+1) - a.f(v, nh))
	}
	if m.pairOn {
		row := s.sum[int(p)*m.G:]
		d += m.pairWeight * (row[h] - row[g])
	}
	return d
}

// deltaSwap scores exchanging p (group g) and q (group h), g != h, for single people.
func (s *state) deltaSwap(p, q int32) float64 {
	g, h := s.grp[p], s.grp[q]
	m := s.m
	d := 0.0
	for k, a := range m.attrs {
		vp, vq := a.val[p], a.val[q]
		if vp == vq {
			continue
		}
		c := s.cnt[k]
		if vp >= 0 {
			ng, nh := c[int(g)*a.nv+int(vp)], c[int(h)*a.nv+int(vp)]
			d += a.weight * (a.f(vp, ng-1) - a.f(vp, ng) + a.f(vp, nh+1) - a.f(vp, nh))
		}
		if vq >= 0 {
			ng, nh := c[int(g)*a.nv+int(vq)], c[int(h)*a.nv+int(vq)]
			d += a.weight * (a.f(vq, nh-1) - a.f(vq, nh) + a.f(vq, ng+1) - a.f(vq, ng))
		}
	}
	if m.pairOn {
		G := m.G
		d += m.pairWeight * (s.sum[int(p)*G+int(h)] - s.sum[int(p)*G+int(g)] +
			s.sum[int(q)*G+int(g)] - s.sum[int(q)*G+int(h)] - 2*m.dist[int(p)*m.n+int(q)])
	}
	return d
}

// swapCorrection is deltaSwap(p, q) minus the gains of moving p alone to q's group and q alone to
// p's: the two moves touch distinct count cells except where p and q share a value, and the
// pairwise term counts their own pair twice.
func (s *state) swapCorrection(p, q int32) float64 {
	g, h := s.grp[p], s.grp[q]
	m := s.m
	d := 0.0
	for k, a := range m.attrs {
		if v := a.val[p]; v >= 0 && v == a.val[q] {
			d += s.sameValueCorrection(k, v, g, h)
		}
	}
	if m.pairOn {
		d -= 2 * m.pairWeight * m.dist[int(p)*m.n+int(q)]
	}
	return d
}

// sameValueCorrection undoes attribute k's share of the gains of moving one person of value v from
// g to h and another from h to g: together they leave the counts as they were. For a pair term
// it is always −2·weight.
func (s *state) sameValueCorrection(k int, v int32, g, h int32) float64 {
	a := s.m.attrs[k]
	c := s.cnt[k]
	ng, nh := c[int(g)*a.nv+int(v)], c[int(h)*a.nv+int(v)]
	return -a.weight * (a.f(v, ng-1) - a.f(v, ng) + a.f(v, nh+1) - a.f(v, nh) +
		a.f(v, nh-1) - a.f(v, nh) + a.f(v, ng+1) - a.f(v, ng))
}

// place puts person p into group h (p unplaced or in another group) and updates every table.
func (s *state) place(p int32, h int32) {
	m := s.m
	g := s.grp[p]
	if g == h {
		return
	}
	for k, a := range m.attrs {
		v := a.val[p]
		if v < 0 {
			continue
		}
		c := s.cnt[k]
		if g >= 0 {
			i := int(g)*a.nv + int(v)
			s.tv[k] += a.f(v, c[i]-1) - a.f(v, c[i])
			c[i]--
		}
		i := int(h)*a.nv + int(v)
		s.tv[k] += a.f(v, c[i]+1) - a.f(v, c[i])
		c[i]++
	}
	if m.pairOn {
		G, n := m.G, m.n
		pi := len(m.attrs)
		if g >= 0 {
			s.tv[pi] -= s.sum[int(p)*G+int(g)]
		}
		if h >= 0 {
			s.tv[pi] += s.sum[int(p)*G+int(h)]
		}
		drow := m.dist[int(p)*n : int(p)*n+n]
		for q := 0; q < n; q++ {
			d := drow[q]
			if g >= 0 {
				s.sum[q*G+int(g)] -= d
			}
			s.sum[q*G+int(h)] += d
		}
	}
	if g >= 0 {
		s.size[g]--
		if m.isLeader[p] {
			s.lead[g]--
		}
		// O(1) removal from the member list.
		last := s.mem[g][len(s.mem[g])-1]
		s.mem[g][s.pos[p]] = last
		s.pos[last] = s.pos[p]
		s.mem[g] = s.mem[g][:len(s.mem[g])-1]
	}
	s.size[h]++
	if m.isLeader[p] {
		s.lead[h]++
	}
	s.pos[p] = int32(len(s.mem[h]))
	s.mem[h] = append(s.mem[h], p)
	s.grp[p] = h
	s.recomputeTotal()
}

// moveUnit moves every member of unit u to h and returns the weighted total change.
func (s *state) moveUnit(u int32, h int32) float64 {
	before := s.total
	for _, p := range s.m.units[u] {
		s.place(p, h)
	}
	return s.total - before
}

// unitGroup is the group of a unit (all members share it in a feasible state).
func (s *state) unitGroup(u int32) int32 { return s.grp[s.m.units[u][0]] }

// deltaUnitMove scores moving unit u to h without keeping the change.
func (s *state) deltaUnitMove(u int32, h int32) float64 {
	mem := s.m.units[u]
	if len(mem) == 1 {
		return s.deltaPerson(mem[0], h)
	}
	g := s.unitGroup(u)
	d := s.moveUnit(u, h)
	s.moveUnit(u, g)
	return d
}

// deltaUnitSwap scores exchanging units u and v (different groups) without keeping the change.
func (s *state) deltaUnitSwap(u, v int32) float64 {
	mu, mv := s.m.units[u], s.m.units[v]
	if len(mu) == 1 && len(mv) == 1 {
		return s.deltaSwap(mu[0], mv[0])
	}
	g, h := s.unitGroup(u), s.unitGroup(v)
	before := s.total
	s.moveUnit(u, h)
	s.moveUnit(v, g)
	d := s.total - before
	s.moveUnit(v, h)
	s.moveUnit(u, g)
	return d
}

// swapUnits applies the exchange of units u and v.
func (s *state) swapUnits(u, v int32) {
	g, h := s.unitGroup(u), s.unitGroup(v)
	s.moveUnit(u, h)
	s.moveUnit(v, g)
}

// apartOK reports whether unit u may sit in group h given apart rules, ignoring people in unit skip.
func (s *state) apartOK(u int32, h int32, skip int32) bool {
	for _, p := range s.m.units[u] {
		for _, q := range s.m.apart[p] {
			if s.grp[q] == h && s.m.unitOf[q] != skip && s.m.unitOf[q] != u {
				return false
			}
		}
	}
	return true
}

// canMove reports whether moving unit u to h keeps every hard rule.
func (s *state) canMove(u int32, h int32) bool {
	m := s.m
	g := s.unitGroup(u)
	if g == h || m.fixed[u] >= 0 {
		return false
	}
	k := int32(len(m.units[u]))
	if s.size[g]-k < int32(m.size[g].Min) || s.size[h]+k > int32(m.size[h].Max) {
		return false
	}
	if l := m.uLead[u]; l > 0 && m.leadOn {
		if s.lead[g]-l < int32(m.lead.Min) || s.lead[h]+l > int32(m.lead.Max) {
			return false
		}
	}
	return len(m.apart[m.units[u][0]]) == 0 && len(m.units[u]) == 1 || s.apartOK(u, h, -1)
}

// canSwap reports whether exchanging units u and v keeps every hard rule.
func (s *state) canSwap(u, v int32) bool {
	m := s.m
	g, h := s.unitGroup(u), s.unitGroup(v)
	if g == h || m.fixed[u] >= 0 || m.fixed[v] >= 0 {
		return false
	}
	if ku, kv := int32(len(m.units[u])), int32(len(m.units[v])); ku != kv {
		if s.size[g]-ku+kv < int32(m.size[g].Min) || s.size[g]-ku+kv > int32(m.size[g].Max) ||
			s.size[h]-kv+ku < int32(m.size[h].Min) || s.size[h]-kv+ku > int32(m.size[h].Max) {
			return false
		}
	}
	if lu, lv := m.uLead[u], m.uLead[v]; lu != lv && m.leadOn {
		if s.lead[g]-lu+lv < int32(m.lead.Min) || s.lead[g]-lu+lv > int32(m.lead.Max) ||
			s.lead[h]-lv+lu < int32(m.lead.Min) || s.lead[h]-lv+lu > int32(m.lead.Max) {
			return false
		}
	}
	return s.apartOK(u, h, v) && s.apartOK(v, g, u)
}
