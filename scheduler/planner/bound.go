package planner

import "sort"

// Bound is an upper bound on the total score, term by term (Value bounds the raw value in the
// direction its weight rewards).
type Bound struct {
	Terms []Term  `json:"terms"`
	Total float64 `json:"total"`
	// Exact is true when every term's bound is valid, so reaching Total proves a plan optimal.
	Exact bool `json:"exact"`
}

// UpperBound bounds the best score any plan can reach, ignoring how terms compete.
//
// Same-value pair terms (industry, region) use the relaxation in which people sharing a value are
// interchangeable and the groups only cap how many of them can sit together: with cap b = the
// largest group's maximum, Σ_g C(n_gc,2) over groups with Σ_g n_gc = N_c and n_gc ≤ b is largest
// when the counts are as concentrated as possible, q·C(b,2) + C(r,2) with N_c = q·b + r. Proof
// (exchange argument): C(x,2) is convex, so for two cells with b ≥ x ≥ y > 0, moving one person
// from the smaller to the larger changes the sum by x − (y − 1) > 0; repeated, every cell is
// either b or 0 except one. Because the relaxation also drops "groups hold other values too",
// this bound is at least the transportation relaxation's optimum and usually equal to it when the
// leftovers r_c pack into the remaining groups. Each term is bounded on its own.
//
// When the leader rule is on, pairBound also uses that a group short of leaders of one value must
// seat leaders of other values, which keeps all-one-industry groups without leaders out.
//
// Penalty terms are bounded by their unavoidable minimum: 0 for fair-share and vice-chair excess
// (the vice-chair cap is ceil(count/G)), and max(0, G − #proposers) groups without a proposer.
// The pairwise term is bounded by the Σ_g C(b_g,2) largest scores.
func UpperBound(p *Problem) Bound {
	if err := Validate(p); err != nil {
		return Bound{}
	}
	return buildModel(p).upperBound()
}

func (m *model) upperBound() Bound {
	b := Bound{Terms: m.termInfo(), Exact: true}
	capMax := 0
	for _, sb := range m.size {
		capMax = max(capMax, sb.Max)
	}
	for k, a := range m.attrs {
		tot := make([]int, a.nv)
		for _, v := range a.val {
			if v >= 0 {
				tot[v]++
			}
		}
		var v float64
		switch {
		case a.kind == kindPairs && a.weight > 0:
			leaders := make([]int, a.nv)
			for p, x := range a.val {
				if x >= 0 && m.isLeader[p] {
					leaders[x]++
				}
			}
			for c, t := range tot {
				v += m.pairBound(t, leaders[c], capMax)
			}
		case a.kind == kindMissing && a.weight < 0:
			have := 0
			for _, t := range tot {
				have += t
			}
			v = float64(max(0, m.G-have))
		case a.weight < 0:
			v = 0 // every other term is a non-negative count
		default:
			b.Exact = false
			v = float64(m.n * m.G)
		}
		b.Terms[k].Value = v
	}
	if m.pairOn {
		pairs := 0
		for _, sb := range m.size {
			pairs += sb.Max * (sb.Max - 1) / 2
		}
		ds := make([]float64, 0, m.n*(m.n-1)/2)
		for i := 0; i < m.n; i++ {
			ds = append(ds, m.dist[i*m.n+i+1:(i+1)*m.n]...)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ds)))
		v := 0.0
		for i := 0; i < pairs && i < len(ds); i++ {
			v += ds[i]
		}
		if m.pairWeight < 0 {
			v, b.Exact = 0, false
		}
		b.Terms[len(m.attrs)].Value = v
	}
	for i := range b.Terms {
		b.Terms[i].Weighted = b.Terms[i].Value * b.Terms[i].Weight
		b.Total += b.Terms[i].Weighted
	}
	return b
}

// pairBound bounds Σ_g C(n_g,2) for t people sharing a value, l of them leaders, groups of at most
// capMax. Without the leader rule the counts are as concentrated as possible (see UpperBound).
// With it, a group holding j of these leaders (j < lmin) must seat lmin−j leaders from elsewhere,
// so it holds at most capMax−(lmin−j) of these people, and at most lmax of their leaders; a small
// DP over (people, leaders) left finds the best split. Big values (t·l > 1e6) fall back to the
// plain bound, which is also valid.
func (m *model) pairBound(t, l, capMax int) float64 {
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	if !m.leadOn || t*(l+1) > 1_000_000 {
		q, r := t/capMax, t%capMax
		return float64(q)*c2(capMax) + c2(r)
	}
	lmin, lmax := m.lead.Min, m.lead.Max
	// f[x][y]: best value for x people of whom y leaders.
	f := make([][]float64, t+1)
	for x := range f {
		f[x] = make([]float64, l+1)
		for y := range f[x] {
			f[x][y] = -1
		}
	}
	f[0][0] = 0
	for x := 1; x <= t; x++ {
		for y := 0; y <= l && y <= x; y++ {
			best := -1.0
			for j := 0; j <= min(y, lmax); j++ {
				limit := capMax - max(0, lmin-j)
				for s := max(1, j); s <= min(x, limit); s++ {
					if s-j > x-y || f[x-s][y-j] < 0 {
						continue
					}
					best = max(best, f[x-s][y-j]+c2(s))
				}
			}
			f[x][y] = best
		}
	}
	return max(f[t][l], 0)
}
