package planner

// The swap scans of tabuPhase: each offers every swap a tabu step may take to a take function,
// scored without applying it. They are most of a tabu step's time on the reference shape.

// unitSwaps offers every feasible swap of two units to take (tabu ones only if they beat aspire).
func (sr *searcher) unitSwaps(units []int32, mg []float64, tabu []int, it int, aspire float64, take func(float64, int32, int32, int32)) {
	m, s := sr.m, sr.s
	G := m.G
	for i, u := range units {
		g := s.unitGroup(u)
		for _, v := range units[i+1:] {
			h := s.unitGroup(v)
			if h == g || !s.canSwap(u, v) {
				continue
			}
			var d float64
			if len(m.units[u]) == 1 && len(m.units[v]) == 1 {
				d = mg[int(u)*G+int(h)] + mg[int(v)*G+int(g)] + s.swapCorrection(m.units[u][0], m.units[v][0])
			} else {
				d = s.deltaUnitSwap(u, v)
			}
			if (tabu[int(u)*G+int(h)] > it || tabu[int(v)*G+int(g)] > it) && s.total+d <= aspire+eps {
				continue
			}
			take(d, u, v, -1)
		}
	}
}

// singleSwaps is unitSwaps for models whose units are all single people (unit u is person u)
// and that have no apart rules, the common case: a swap keeps both sizes, so only the leader
// rule can forbid it, and a same-value pair term corrects the two move gains by a constant.
// Leaders and the rest are scanned apart, so that when no group can give up a leader while
// another takes one (every group at the leader maximum, as on the reference shape) the mixed
// pairs are not scanned at all.
// Swaps scoring below *cur (the best so far) are not offered to take.
func (sr *searcher) singleSwaps(units []int32, mg []float64, tabu []int, it int, aspire float64, cur *float64, take func(float64, int32, int32, int32)) {
	m, s := sr.m, sr.s
	K := len(m.attrs)
	if sr.vals == nil {
		sr.vals = make([]int32, m.n*K)
		sr.pairCorr = make([]float64, K)
		sr.kinkAt = make([]int32, K)
		for k, a := range m.attrs {
			for p, v := range a.val {
				sr.vals[p*K+k] = v
			}
			sr.kinkAt[k] = -1
			switch a.kind {
			case kindPairs:
				sr.pairCorr[k] = -2 * a.weight
			case kindExcess:
				sr.kinkAt[k] = a.cap
			case kindMissing:
				sr.kinkAt[k] = 1
			}
		}
	}
	sr.lds, sr.oth = sr.lds[:0], sr.oth[:0]
	for _, u := range units {
		if m.isLeader[u] {
			sr.lds = append(sr.lds, u)
		} else {
			sr.oth = append(sr.oth, u)
		}
	}
	sr.scanSwaps(sr.lds, sr.lds, false, mg, tabu, it, aspire, cur, take)
	sr.scanSwaps(sr.oth, sr.oth, false, mg, tabu, it, aspire, cur, take)
	give, get := false, false
	for g := 0; g < m.G && m.leadOn; g++ {
		give = give || s.lead[g] > int32(m.lead.Min)
		get = get || s.lead[g] < int32(m.lead.Max)
	}
	if give && get && len(sr.lds) > 0 && len(sr.oth) > 0 {
		sr.scanSwaps(sr.lds, sr.oth, true, mg, tabu, it, aspire, cur, take)
	}
}

// scanSwaps offers the swaps of singleSwaps between people of a and b: all pairs of a leader
// in a with a non-leader in b when mixed, else the pairs of a (b == a) in order.
func (sr *searcher) scanSwaps(a, b []int32, mixed bool, mg []float64, tabu []int, it int, aspire float64, cur *float64, take func(float64, int32, int32, int32)) {
	m, s := sr.m, sr.s
	G, K := m.G, len(m.attrs)
	lo, hi := int32(m.lead.Min), int32(m.lead.Max)
	vals, corr := sr.vals, sr.pairCorr
	for i, p := range a {
		g := s.grp[p]
		rp := mg[int(p)*G : int(p)*G+G]
		tp := tabu[int(p)*G : int(p)*G+G]
		vp := vals[int(p)*K : int(p)*K+K]
		rest := b
		if !mixed {
			rest = b[i+1:]
		}
		for _, q := range rest {
			h := s.grp[q]
			if h == g || mixed && (s.lead[g]-1 < lo || s.lead[h]+1 > hi) {
				continue
			}
			d := rp[h] + mg[int(q)*G+int(g)]
			vq := vals[int(q)*K : int(q)*K+K]
			for k, v := range vp {
				if v >= 0 && v == vq[k] {
					if c := corr[k]; c != 0 {
						d += c
					} else if at := sr.kinkAt[k]; at >= 0 {
						// Excess and missing terms are linear but for one kink: the exchange
						// undoes −weight for each of the two groups whose count sits there.
						atr, cnt := m.attrs[k], s.cnt[k]
						if cnt[int(g)*atr.nv+int(v)] == at {
							d -= atr.weight
						}
						if cnt[int(h)*atr.nv+int(v)] == at {
							d -= atr.weight
						}
					} else {
						d += s.sameValueCorrection(k, v, g, h)
					}
				}
			}
			if m.pairOn {
				d -= 2 * m.pairWeight * m.dist[int(p)*m.n+int(q)]
			}
			if d <= *cur-eps {
				continue
			}
			if (tp[h] > it || tabu[int(q)*G+int(g)] > it) && s.total+d <= aspire+eps {
				continue
			}
			take(d, p, q, -1)
		}
	}
}

// moveGains keeps the searcher's table of move gains, unit × group: a swap of two single people
// is then scored from two cells and a same-value correction instead of from every term, which
// makes the O(n²) swap scan several times cheaper. A gain depends only on the unit's group and
// the target group, so after a step between groups a and b only units in a or b and the columns
// a and b change; a < 0 refills the whole table.
func (sr *searcher) moveGains(units []int32, a, b int32) []float64 {
	m, s := sr.m, sr.s
	G := m.G
	if len(sr.mg) != len(m.units)*G {
		sr.mg = make([]float64, len(m.units)*G)
	}
	for _, u := range units {
		g := s.unitGroup(u)
		row := sr.mg[int(u)*G : int(u)*G+G]
		if a < 0 || g == a || g == b {
			for h := range row {
				if int32(h) == g {
					row[h] = 0
				} else {
					row[h] = s.deltaUnitMove(u, int32(h))
				}
			}
			continue
		}
		row[a] = s.deltaUnitMove(u, a)
		row[b] = s.deltaUnitMove(u, b)
	}
	return sr.mg
}

// fastSwaps scans the swap neighbourhood of a pure MDGP instance (pairwise term only, single
// people, no apart or leader rules) straight from the S table: a swap keeps both sizes, so it is
// always feasible and its gain is mg(p→h) + mg(q→g) − 2w·d_pq with mg(p→h) = w(S[p][h]−S[p][g]).
// Group pairs are pruned first: the best gain between groups g and h is at most
// max_{p∈g} mg(p→h) + max_{q∈h} mg(q→g) − 2w·d_min, so pairs whose bound cannot reach the best
// move found so far are skipped (exactly: the scan still returns a best non-tabu move).
func (sr *searcher) fastSwaps(tabu []int, it int, aspire float64, cur *float64, take func(float64, int32, int32, int32)) {
	m, s := sr.m, sr.s
	G, n := m.G, m.n
	w := m.pairWeight
	if len(sr.mx) != G*G {
		sr.mx = make([]float64, G*G)
	}
	mx := sr.mx
	for i := range mx {
		mx[i] = -1e300
	}
	for g := 0; g < G; g++ {
		row := mx[g*G : g*G+G]
		for _, p := range s.mem[g] {
			rp := s.sum[int(p)*G : int(p)*G+G]
			base := rp[g]
			for h, v := range rp {
				if x := w * (v - base); x > row[h] {
					row[h] = x
				}
			}
		}
	}
	dTerm := -2 * w * m.minDist
	if w < 0 {
		dTerm = -2 * w * m.maxDist
	}
	for g := 0; g < G; g++ {
		for h := g + 1; h < G; h++ {
			if mx[g*G+h]+mx[h*G+g]+dTerm < *cur-eps {
				continue
			}
			for _, p := range s.mem[g] {
				if m.fixed[p] >= 0 { // units are single people here, so p is also its unit
					continue
				}
				rp := s.sum[int(p)*G : int(p)*G+G]
				mp := w * (rp[h] - rp[g])
				if mp+mx[h*G+g]+dTerm < *cur-eps {
					continue
				}
				dp := m.dist[int(p)*n : int(p)*n+n]
				tp := tabu[int(p)*G+h] > it
				for _, q := range s.mem[h] {
					if m.fixed[q] >= 0 {
						continue
					}
					rq := s.sum[int(q)*G : int(q)*G+G]
					d := mp + w*(rq[g]-rq[h]-2*dp[q])
					if d < *cur-eps {
						continue
					}
					if (tp || tabu[int(q)*G+g] > it) && s.total+d <= aspire+eps {
						continue
					}
					a, b := p, q
					if b < a {
						a, b = b, a
					}
					take(d, a, b, -1)
				}
			}
		}
	}
}
