package planner

import (
	"fmt"
	"math"
	"sort"
)

// Attribute term kinds. Each kind is a function f(value, n) of one per-group count; a term is
// Σ_g Σ_v f(v, n_gv), which is what lets every move be scored from two table cells.
const (
	kindPairs   = iota // C(n,2): same-value pairs inside a group
	kindFair           // distance of n from the fair share [lo_v, hi_v]
	kindExcess         // max(0, n-cap): too many of one kind in a group
	kindMissing        // 1 if n == 0: a group lacks someone of this kind
)

// attr is one categorical term: a value per person (-1 = does not count) and a per-group count table.
type attr struct {
	key, zh, en string
	kind        int
	weight      float64
	val         []int32 // per person
	nv          int
	lo, hi      []int32 // per value, kindFair only
	cap         int32   // kindExcess only
	names       []string
}

// f is the per-cell contribution; kept branchy but inlined-friendly because it is the inner loop.
func (a *attr) f(v int32, n int32) float64 {
	switch a.kind {
	case kindPairs:
		return float64(n) * float64(n-1) / 2
	case kindFair:
		if n < a.lo[v] {
			return float64(a.lo[v] - n)
		}
		if n > a.hi[v] {
			return float64(n - a.hi[v])
		}
		return 0
	case kindExcess:
		if n > a.cap {
			return float64(n - a.cap)
		}
		return 0
	default:
		if n == 0 {
			return 1
		}
		return 0
	}
}

// model is the normalised problem: dense person indices, units (together-blocks), bounds, terms.
type model struct {
	prob     *Problem
	mode     Mode
	people   []Person // placed people, in input order minus the excluded
	excluded []int64
	idx      map[int64]int32
	n, G     int
	size     []Bounds
	lead     Bounds
	leadOn   bool
	isLeader []bool

	units  [][]int32 // together-blocks; singletons for everyone else
	unitOf []int32
	uLead  []int32 // leaders per unit
	fixed  []int32 // unit → pinned group (0-based) or -1
	apart  [][]int32

	attrs      []*attr
	pairOn     bool
	pairWeight float64
	dist       []float64 // n*n, pairwise mode only
	minDist    float64   // smallest and largest off-diagonal score
	maxDist    float64
	primary    int    // attr index used to aim candidate groups, -1 none
	fastPair   bool   // pure MDGP: pairwise term only, single people, no apart or leader rules
	singles    bool   // every unit is one person (unit u is person u) and there are no apart rules
	bound      *Bound // cached upperBound
	// quickBound skips the exact branch and bound (100–250 ms on reference rosters) for
	// re-plans and edit previews, which a secretary waits for; the bound stays valid, only looser.
	quickBound bool
	lpBudget   int64 // the configuration LPs' simplex work; 0 means lpWorkBudget
	boundWork  int   // DP steps spent by pairBound so far
	// relaxLeaf is the best leaf of the exact count relaxation of the primary attribute (set by
	// computeBound on reference-size instances): per value, per group, non-leaders<<8 | leaders.
	relaxLeaf [][]int
	relaxVals []int
	// lagNu caches lagPricesFor per attribute and room (the branch and bound's Lagrangian prices).
	lagNu map[lagKey][]*lagPrices
	vcNu  map[vcPriceKey]*lagPrices // vcPricesFor per attribute and vice-chair excess
	// boundPrices are the duals of computeBound's configuration LP per attribute, which
	// lagPricesFor reuses as its prices with the cap rows.
	boundPrices map[*attr]*lagPrices
}

// buildModel assumes validate() passed.
func buildModel(p *Problem) *model {
	m := &model{prob: p, mode: p.effectiveMode(), idx: map[int64]int32{}, G: p.groupCount(), primary: -1}
	excl := map[int64]bool{}
	for _, id := range p.Excluded {
		excl[id] = true
	}
	for _, ps := range p.People {
		if excl[ps.ID] {
			m.excluded = append(m.excluded, ps.ID)
			continue
		}
		m.idx[ps.ID] = int32(len(m.people))
		m.people = append(m.people, ps)
	}
	m.n = len(m.people)
	m.size = p.sizeBounds(m.n)
	m.lead, m.leadOn = p.leaderBounds()
	m.isLeader = make([]bool, m.n)
	for i, ps := range m.people {
		m.isLeader[i] = m.leadOn && ps.IsLeader()
	}
	m.buildUnits()
	m.apart = make([][]int32, m.n)
	for _, pr := range p.Apart {
		a, oka := m.idx[pr.A]
		b, okb := m.idx[pr.B]
		if oka && okb {
			m.apart[a] = append(m.apart[a], b)
			m.apart[b] = append(m.apart[b], a)
		}
	}
	m.buildTerms()
	m.singles = len(m.units) == m.n
	for _, a := range m.apart {
		m.singles = m.singles && len(a) == 0
	}
	m.fastPair = m.pairOn && len(m.attrs) == 0 && !m.leadOn && m.singles
	return m
}

func (m *model) buildUnits() {
	uf := newUnionFind(m.n)
	for _, pr := range m.prob.Together {
		a, oka := m.idx[pr.A]
		b, okb := m.idx[pr.B]
		if oka && okb {
			uf.union(int(a), int(b))
		}
	}
	root := map[int]int32{}
	m.unitOf = make([]int32, m.n)
	for i := 0; i < m.n; i++ {
		r := uf.find(i)
		u, ok := root[r]
		if !ok {
			u = int32(len(m.units))
			root[r] = u
			m.units = append(m.units, nil)
		}
		m.units[u] = append(m.units[u], int32(i))
		m.unitOf[i] = u
	}
	m.uLead = make([]int32, len(m.units))
	m.fixed = make([]int32, len(m.units))
	for u, mem := range m.units {
		m.fixed[u] = -1
		for _, p := range mem {
			if m.isLeader[p] {
				m.uLead[u]++
			}
		}
	}
	for _, pin := range m.prob.Pinned {
		if i, ok := m.idx[pin.PersonID]; ok {
			m.fixed[m.unitOf[i]] = int32(pin.Group - 1)
		}
	}
}

// categorical builds an attribute over a string key per person.
func (m *model) categorical(key, zh, en string, kind int, of func(Person) (string, bool)) *attr {
	a := &attr{key: key, zh: zh, en: en, kind: kind, val: make([]int32, m.n)}
	ids := map[string]int32{}
	var names []string
	for _, ps := range m.people {
		if s, ok := of(ps); ok {
			if _, seen := ids[s]; !seen {
				ids[s] = 0
				names = append(names, s)
			}
		}
	}
	sort.Strings(names) // value numbering must not depend on map order
	for i, s := range names {
		ids[s] = int32(i)
	}
	for i, ps := range m.people {
		a.val[i] = -1
		if s, ok := of(ps); ok {
			a.val[i] = ids[s]
		}
	}
	a.nv, a.names = len(names), names
	if kind == kindFair {
		tot := make([]int32, a.nv)
		for _, v := range a.val {
			if v >= 0 {
				tot[v]++
			}
		}
		a.lo, a.hi = make([]int32, a.nv), make([]int32, a.nv)
		for v, t := range tot {
			a.lo[v] = t / int32(m.G)
			a.hi[v] = (t + int32(m.G) - 1) / int32(m.G)
		}
	}
	return a
}

func always(s string) (string, bool) { return s, true }

func (m *model) buildTerms() {
	w := DefaultWeights(m.mode)
	for k, v := range m.prob.Weights {
		w[k] = v
	}
	add := func(a *attr) {
		if a.weight = w[a.key]; a.weight != 0 {
			m.attrs = append(m.attrs, a)
		}
	}
	ind := func(k int) *attr {
		return m.categorical(TermIndustry, "同行业成员对数", "same-industry pairs", k, func(p Person) (string, bool) { return always(p.Industry) })
	}
	reg := func(k int) *attr {
		return m.categorical(TermRegion, "同区域成员对数", "same-region pairs", k, func(p Person) (string, bool) { return always(p.Region) })
	}
	switch m.mode {
	case ModeRegion:
		add(reg(kindPairs))
		add(ind(kindPairs))
	case ModeDiverse:
		for _, a := range []*attr{ind(kindFair), reg(kindFair),
			m.categorical("", "", "", kindFair, func(p Person) (string, bool) { return always(p.Role) }),
			m.categorical("", "", "", kindFair, func(p Person) (string, bool) { return "deputy", p.Deputy }),
			m.categorical("", "", "", kindFair, func(p Person) (string, bool) { return "cppcc", p.CPPCC })} {
			a.key, a.zh, a.en = "", "", ""
			m.attrs = append(m.attrs, a)
		}
		labels := [][3]string{
			{TermFairIndustry, "行业分布偏离均衡的人数", "industry off fair share"},
			{TermFairRegion, "区域分布偏离均衡的人数", "region off fair share"},
			{TermFairRole, "职务分布偏离均衡的人数", "role off fair share"},
			{TermFairDeputy, "人大代表分布偏离均衡的人数", "deputies off fair share"},
			{TermFairCPPCC, "政协委员分布偏离均衡的人数", "CPPCC members off fair share"},
		}
		all := m.attrs
		m.attrs = nil
		for i, a := range all {
			a.key, a.zh, a.en = labels[i][0], labels[i][1], labels[i][2]
			add(a)
		}
	case ModePairwise:
		m.pairOn, m.pairWeight = w[TermPairwise] != 0, w[TermPairwise]
		m.buildDistance()
	default:
		add(ind(kindPairs))
		add(reg(kindPairs))
	}
	if len(m.attrs) > 0 && m.attrs[0].kind == kindPairs {
		m.primary = 0
	}
	if m.prob.NoSoftSpread {
		return
	}
	vc := m.categorical(TermViceChairs, "同组兼职副主席超出人数", "vice-chairs beyond one per group", kindExcess,
		func(p Person) (string, bool) { return "vc", p.Role == RoleViceChair })
	if vc.nv > 0 {
		total := 0
		for _, v := range vc.val {
			if v >= 0 {
				total++
			}
		}
		vc.cap = int32((total + m.G - 1) / m.G) // one per group where numbers allow
		add(vc)
	}
	pr := m.categorical(TermNoProposer, "没有人大代表或政协委员的组数", "groups without a deputy or CPPCC member", kindMissing,
		func(p Person) (string, bool) { return "proposer", p.canPropose() })
	if pr.nv > 0 {
		add(pr)
	}
}

// buildDistance fills the dense pairwise matrix; without one from the input, each differing
// attribute scores a point, which is what "strong with weak" grouping asks for.
func (m *model) buildDistance() {
	n := m.n
	m.dist = make([]float64, n*n)
	orig := make([]int, n) // index into Problem.People
	pos := map[int64]int{}
	for i, ps := range m.prob.People {
		pos[ps.ID] = i
	}
	for i, ps := range m.people {
		orig[i] = pos[ps.ID]
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var d float64
			if m.prob.Distance != nil {
				d = m.prob.Distance[orig[i]][orig[j]]
			} else {
				a, b := m.people[i], m.people[j]
				for _, diff := range []bool{a.Industry != b.Industry, a.Region != b.Region, a.Role != b.Role, a.canPropose() != b.canPropose()} {
					if diff {
						d++
					}
				}
			}
			m.dist[i*n+j], m.dist[j*n+i] = d, d
			if i == 0 && j == 1 || d < m.minDist {
				m.minDist = d
			}
			if i == 0 && j == 1 || d > m.maxDist {
				m.maxDist = d
			}
		}
	}
}

// termInfo lists the terms in output order: attributes first, then pairwise.
func (m *model) termInfo() []Term {
	var out []Term
	for _, a := range m.attrs {
		out = append(out, Term{Key: a.key, LabelZH: a.zh, LabelEN: a.en, Weight: a.weight})
	}
	if m.pairOn {
		out = append(out, Term{Key: TermPairwise, LabelZH: "组内成员两两得分之和", LabelEN: "sum of pairwise scores inside groups", Weight: m.pairWeight})
	}
	return out
}

// personLabel names a person the way a secretary would recognise them.
func (m *model) personLabel(id int64) string { return labelOf(m.prob.People, id) }

func labelOf(people []Person, id int64) string {
	for _, p := range people {
		if p.ID == id {
			if p.Name != "" {
				return fmt.Sprintf("%s（编号%d）", p.Name, id)
			}
			break
		}
	}
	return fmt.Sprintf("编号%d", id)
}

type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int) { u.parent[u.find(a)] = u.find(b) }

// round6 keeps float noise out of reported numbers.
// round6 rounds to six decimals; adding 0 turns −0 (zero times a negative weight) into 0,
// which would otherwise print as "-0" in plans people read.
func round6(x float64) float64 { return math.Round(x*1e6)/1e6 + 0 }
