package planner

import "math"

// groupViol counts how far group g is outside its size and leader bounds after the given changes.
func (s *state) groupViol(g int32, dSize, dLead int32) int32 {
	m := s.m
	v := int32(0)
	n := s.size[g] + dSize
	if lo := int32(m.size[g].Min); n < lo {
		v += lo - n
	} else if hi := int32(m.size[g].Max); n > hi {
		v += n - hi
	}
	if m.leadOn {
		l := s.lead[g] + dLead
		if lo := int32(m.lead.Min); l < lo {
			v += lo - l
		} else if hi := int32(m.lead.Max); l > hi {
			v += l - hi
		}
	}
	return v
}

// violations counts broken hard rules measured in people (pinned and together hold by construction).
func (s *state) violations() int32 {
	v := int32(0)
	for g := 0; g < s.m.G; g++ {
		v += s.groupViol(int32(g), 0, 0)
	}
	for p, qs := range s.m.apart {
		for _, q := range qs {
			if int(q) > p && s.grp[q] == s.grp[p] {
				v++
			}
		}
	}
	return v
}

// apartIn counts apart partners of unit u's people sitting in group h, ignoring units skip and u.
func (s *state) apartIn(u int32, h int32, skip int32) int32 {
	c := int32(0)
	for _, p := range s.m.units[u] {
		for _, q := range s.m.apart[p] {
			if s.grp[q] == h && s.m.unitOf[q] != skip && s.m.unitOf[q] != u {
				c++
			}
		}
	}
	return c
}

// dViolMove is the change in violations if unit u moves to h.
func (s *state) dViolMove(u int32, h int32) int32 {
	m := s.m
	g := s.unitGroup(u)
	k, l := int32(len(m.units[u])), m.uLead[u]
	d := s.groupViol(g, -k, -l) - s.groupViol(g, 0, 0) + s.groupViol(h, k, l) - s.groupViol(h, 0, 0)
	return d + s.apartIn(u, h, -1) - s.apartIn(u, g, -1)
}

// dViolSwap is the change in violations if units u and v exchange groups.
func (s *state) dViolSwap(u, v int32) int32 {
	m := s.m
	g, h := s.unitGroup(u), s.unitGroup(v)
	dk := int32(len(m.units[v])) - int32(len(m.units[u]))
	dl := m.uLead[v] - m.uLead[u]
	d := s.groupViol(g, dk, dl) - s.groupViol(g, 0, 0) + s.groupViol(h, -dk, -dl) - s.groupViol(h, 0, 0)
	d += s.apartIn(u, h, v) - s.apartIn(u, g, -1) + s.apartIn(v, g, u) - s.apartIn(v, h, -1)
	return d
}

// moveCost counts people of unit u whose group would differ from orig after moving to h, minus
// those already away; with orig nil every moved person costs one.
func (s *state) moveCost(u int32, h int32, orig []int32) float64 {
	if orig == nil {
		return float64(len(s.m.units[u]))
	}
	c := 0
	for _, p := range s.m.units[u] {
		was, now := orig[p] != s.grp[p], orig[p] != h
		switch {
		case now && !was:
			c++
		case was && !now:
			c--
		}
	}
	return float64(c)
}

// repair drives violations to zero with as few moved people as the greedy finds: each step takes
// the move or swap with the best violation reduction per moved person, ties broken by score.
// It returns false if it gets stuck.
func (s *state) repair(orig []int32, maxSteps int) bool {
	m := s.m
	badGroup := make([]bool, m.G)
	for step := 0; step < maxSteps; step++ {
		if s.violations() == 0 {
			return true
		}
		for g := range badGroup {
			badGroup[g] = s.groupViol(int32(g), 0, 0) > 0
		}
		for p, qs := range m.apart {
			for _, q := range qs {
				if s.grp[q] == s.grp[p] {
					badGroup[s.grp[p]] = true
				}
			}
		}
		bestU, bestV, bestH := int32(-1), int32(-1), int32(-1)
		bestRatio, bestScore := 0.0, math.Inf(-1)
		consider := func(dv int32, cost float64, score float64, u, v, h int32) {
			if dv >= 0 {
				return
			}
			r := float64(-dv) / math.Max(cost, 0.5)
			if r > bestRatio+1e-9 || (r > bestRatio-1e-9 && score > bestScore) {
				bestRatio, bestScore, bestU, bestV, bestH = r, score, u, v, h
			}
		}
		for u := int32(0); u < int32(len(m.units)); u++ {
			if m.fixed[u] >= 0 {
				continue
			}
			g := s.unitGroup(u)
			for h := int32(0); h < int32(m.G); h++ {
				if h == g || (!badGroup[g] && !badGroup[h]) {
					continue
				}
				if dv := s.dViolMove(u, h); dv < 0 {
					consider(dv, s.moveCost(u, h, orig), s.deltaUnitMove(u, h), u, -1, h)
				}
			}
			if !badGroup[g] {
				continue
			}
			for v := int32(0); v < int32(len(m.units)); v++ {
				if m.fixed[v] >= 0 || s.unitGroup(v) == g {
					continue
				}
				if dv := s.dViolSwap(u, v); dv < 0 {
					cost := s.moveCost(u, s.unitGroup(v), orig) + s.moveCost(v, g, orig)
					consider(dv, cost, s.deltaUnitSwap(u, v), u, v, -1)
				}
			}
		}
		if bestU < 0 {
			return false
		}
		if bestV >= 0 {
			s.swapUnits(bestU, bestV)
		} else {
			s.moveUnit(bestU, bestH)
		}
	}
	return s.violations() == 0
}
