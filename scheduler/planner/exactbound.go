package planner

import (
	"encoding/binary"
	"math"
	"sort"
)

// Exact count relaxation by branch and bound (reference-size instances).
//
// The count relaxation of one same-value pair term (see UpperBound) is solved here by a depth-first
// branch and bound over the counts: values are placed one after another (order: see
// newExactRelaxVC), and for each value the search chooses, group by group, how many of its
// non-leaders x_g and leaders k_g go to group g. Every plan satisfies, per group g (with the
// tightened bounds effSizes/effLeaders):
//
//	people ≤ b_g,   leaders ≤ lmax,   non-leaders ≤ b_g − lmin (the group seats ≥ lmin leaders),
//
// so the relaxation keeps these caps (unknown values, pins and the other rules are dropped, which
// can only raise the optimum; the lower bounds on sizes and leaders are kept only by the
// Lagrangian node bound below, which prunes what cannot reach them). Any plan's counts are a leaf
// of the search, so the search maximum bounds the term.
//
// Symmetry: before a value is placed, the groups are sorted by (caps, used seats); groups that are
// identical at that point are interchangeable for the rest of the search, so among a run of
// identical groups only non-increasing (x_g, k_g) (lexicographic) are tried. Any leaf is a
// permutation of such a leaf within runs, with the same value. A pass also skips a value's
// subtree when it met the same seat state before with at least as many pairs (fresh).
//
// Node bound: current value + the smallest of these bounds on the pairs still to come. The first is,
// for the value being placed, its remaining people concentrated into the remaining groups' caps +
// for every later value the smaller of (a) its own per-value bound pairBound (computed for the
// empty plan, so valid at every node) and (b) its people concentrated into the current free caps.
// (b): for a value with a non-leaders and l leaders a group g can take at most
// u_g = min(free_g, freeN_g + min(freeL_g, l), a + min(freeL_g, l)) of them, and since C(·,2) is
// convex and increasing, Σ C(s_g,2) with s_g ≤ u_g and Σ s_g = a + l is at most the greedy fill
// of the largest u_g first (exchange argument, as in pairBound). The second is seatPairs: the
// people still to be seated only pair among themselves, at most C(f_g,2) in a group with f_g free
// seats. Every quantity is an integer. The others are the Lagrangian bounds of lagbound.go (one
// per set of prices, O(1) per node), rounded down; they see how the values compete for the same
// seats, which the first two do not, and cut the nodes by one to two orders of magnitude on the
// reference shape (synthetic roster 4: 36M nodes to the optimum 461 without them, 0.6M with).
//
// Vice-chair split (newExactRelaxVC, used by the bound's vice-chair split): vice-chairs become a
// third type per value, v_g of them per group; they take leader seats, and a group takes at most
// cap of them plus whatever is left of a global excess allowance (Σ_g max(0, v_g − cap) ≤ e). In
// (b) the leaders a group can take become min(freeL_g, l + min(freeV_g, v)). The allowance is
// global and the same for every group, so the symmetry argument below is unchanged (the run key
// includes the seated vice-chairs).
//
// Room (newExactRelaxRoom, used by the proposer split): a value c with room r_c takes at most
// b_g − r_c seats of group g, in the branching and in (b), and its own bound is pairBoundOthers.
// The caps are the same for every group, so the symmetry argument is unchanged.
//
// The search is run as iterative deepening on the threshold T, starting from the existing bound:
// a pass prunes every node whose bound is < T and records the largest pruned bound and the best
// leaf. If a leaf reaches T, the optimum is exactly T (T is a proven bound). Otherwise every plan
// is ≤ max(largest pruned bound, best leaf), which becomes the next T. If the node budget runs out
// the last proven T is returned, so the result is always a valid bound (and deterministic).
type exactRelax struct {
	G          int
	capT, capN []int // per group: people, non-leaders
	capL       int
	capV       int   // per group: vice-chairs (only with the vice-chair split, newExactRelaxVC)
	exLeft     int   // vice-chairs beyond capV still allowed over all groups
	na, nl, nv []int // per value (largest first): non-leaders, other leaders, vice-chairs
	room       []int // per value: seats of every group it leaves to other values (proposer split)
	ub         []int // per value: its own bound
	un, ul, uv []int // per group: seated non-leaders, leaders (vice-chairs included), vice-chairs
	order      [][]int
	same       [][]bool
	budget     int
	nodes      int
	T          int
	maxPruned  int
	maxLeaf    int
	hit        bool
	xs, ks, vs [][]int
	buf        []int
	keys       []int          // per group: sort key of value()
	memo       map[string]int // per pass: seat state before a value → the most pairs it was reached with
	key        []byte
	vals       []int   // per value index: the attribute value
	leaf       [][]int // best leaf found: per value index, per group, non-leaders<<8 | leaders
	// gain, when set (crossbound.go), replaces C(s,2) as the objective of s people of value index c
	// in one group: gain[c][s]; seatGain[f] then bounds what f free seats of a group still add.
	// Both must be convex, increasing and 0 at 0 (see crossbound.go for why the bounds stay valid).
	gain     [][]int
	seatGain []int
	// lags are the Lagrangian node bounds (lagbound.go), built by init from lagNu (per attribute
	// value: non-leader and leader prices) times lagScale.
	lags     []*lagBound
	lagNu    []*lagPrices
	placed   []int // per value index: its pairs seated so far (C(s,2) even with gain set)
	lagScale float64
	sizeMin  []int // per group: the smallest size (the Lagrangian completion keeps it)
	lmin     int
	fillN    int // non-leaders and leaders without a value (outside the search)
	fillL    int
	single   [][2]int // values of one person (outside the search): value, role (0 non-leader, 1 leader, 2 vice-chair)
}

// gainOf is the objective of s people of value index c in one group.
func (e *exactRelax) gainOf(c, s int) int {
	if e.gain == nil {
		return c2i(s)
	}
	return e.gain[c][s]
}

// budgetGroups is the group count the node budgets are set for: with more groups each node costs
// more (the fill bound, the group sort and the Lagrangian sums visit every group), so solveFrom
// scales a budget by budgetGroups/G. Random rosters of 180–300 people in 18–21 groups took up to
// 2.3 s for the whole bound without it.
const budgetGroups = 12

// exactBudget caps the nodes of all passes of one term (about 40 ns per node at the reference
// shape, so ~120 ms).
const exactBudget = 3_000_000

// exactPairBound returns a bound on the pair term of a (at most start, a proven bound) and
// whether it is the relaxation's exact optimum.
func (m *model) exactPairBound(a *attr, start int) (int, bool) {
	if m.G > 64 || m.n > 2000 {
		return start, false
	}
	e := m.newExactRelax(a)
	v, ok := e.solve(start)
	if m.primary >= 0 && a == m.attrs[m.primary] && e.leaf != nil {
		m.relaxLeaf, m.relaxVals = e.leaf, e.vals
	}
	return v, ok
}

func (m *model) newExactRelax(a *attr) *exactRelax { return m.newExactRelaxVC(a, nil, 0) }

// newExactRelaxVC builds the relaxation of a's pair term over the plans whose vice-chair excess
// Σ_g max(0, v_g − vc.cap) is at most excess, for v_g the people of vc (the vice-chairs, all of
// them leaders) in group g; vc == nil means no such rule.
func (m *model) newExactRelaxVC(a, vc *attr, excess int) *exactRelax {
	return m.newExactRelaxRoom(a, vc, excess, nil)
}

// newExactRelaxRoom is newExactRelaxVC over the plans in which no group holds more than
// b_g − room[c] people of value c (room per attribute value, nil for none): with room[c] = 1 for
// a value without proposers, the plans with a proposer in every group (see proposerPairBound).
func (m *model) newExactRelaxRoom(a, vc *attr, excess int, room []int) *exactRelax {
	return m.newExactRelaxOrder(a, vc, excess, room, false)
}

// newExactRelaxOrder is newExactRelaxRoom with the values that hold more vice-chairs placed first
// when vcFirst is set (see the order below).
func (m *model) newExactRelaxOrder(a, vc *attr, excess int, room []int, vcFirst bool) *exactRelax {
	eff := m.effLeaders()
	sizes := m.effSizes()
	e := &exactRelax{G: m.G, capT: make([]int, m.G), capN: make([]int, m.G), budget: exactBudget,
		sizeMin: make([]int, m.G), lagNu: m.lagPricesFor(a, room), lagScale: 1}
	if m.leadOn {
		e.lmin = eff.Min
	}
	capMax := 0
	for g, b := range sizes {
		e.sizeMin[g] = b.Min
		e.capT[g] = b.Max
		e.capN[g] = b.Max
		capMax = max(capMax, b.Max)
		if m.leadOn {
			e.capN[g] = max(0, b.Max-eff.Min)
		}
	}
	if m.leadOn {
		e.capL = eff.Max
	}
	tot := make([]int, a.nv)
	lead := make([]int, a.nv)
	vcs := make([]int, a.nv)
	for p, v := range a.val {
		if v < 0 {
			if m.isLeader[p] {
				e.fillL++
			} else {
				e.fillN++
			}
		}
		if v >= 0 {
			tot[v]++
			switch {
			case vc != nil && vc.val[p] >= 0:
				vcs[v]++
			case m.isLeader[p]:
				lead[v]++
			}
		}
	}
	if vc != nil {
		e.capV, e.exLeft = int(vc.cap), excess
		// The vice-chair prices, and of the two-type ones only those without the cap rows: with
		// the vice-chair prices there, the cap-row prices prune next to nothing more (synthetic
		// 4, e = 0, first pass at 461: 1.89M nodes without them, 1.85M with) and cost a third
		// of the node's time.
		if vp := m.vcPricesFor(a, vc, excess); vp != nil {
			plain := e.lagNu
			e.lagNu = []*lagPrices{vp}
			if len(plain) > 0 {
				e.lagNu = append(e.lagNu, plain[len(plain)-1])
			}
		}
	}
	idx := make([]int, 0, a.nv)
	for c := range tot {
		if tot[c] > 1 {
			idx = append(idx, c)
		}
	}
	roomOf := func(c int) int {
		if room == nil {
			return 0
		}
		return room[c]
	}
	// Values with room last, then (vcFirst) values with more vice-chairs first, then more
	// non-leaders, then more leaders. With the Lagrangian node bound, the largest values first
	// finish the vice-chair branches of synthetic roster 2 (463 and 475) in 3.4M and 0.65M nodes,
	// where vice-chairs first does not finish either within 30M (with the two-type prices alone
	// it needed 108M and 41M). The cross-pairs search (crossRelax) is the
	// other way round: vice-chairs first proves synthetic roster 1's 44364 within 0.4M nodes,
	// largest first only with 5M.
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := idx[i], idx[j]
		na, nb := tot[a]-lead[a]-vcs[a], tot[b]-lead[b]-vcs[b]
		if ra, rb := roomOf(a), roomOf(b); ra != rb {
			return ra < rb
		}
		if vcFirst && vcs[a] != vcs[b] {
			return vcs[a] > vcs[b]
		}
		return na > nb || na == nb && lead[a] > lead[b]
	})
	for c := range tot {
		if tot[c] == 1 {
			e.single = append(e.single, [2]int{c, lead[c] + 2*vcs[c]})
		}
	}
	for _, c := range idx {
		e.na = append(e.na, tot[c]-lead[c]-vcs[c])
		e.nl = append(e.nl, lead[c])
		e.nv = append(e.nv, vcs[c])
		e.ub = append(e.ub, int(m.pairBoundOthers(tot[c], lead[c]+vcs[c], capMax, roomOf(c))+1e-9))
		e.vals = append(e.vals, c)
		e.room = append(e.room, roomOf(c))
	}
	return e
}

func (e *exactRelax) solve(start int) (int, bool) { return e.solveFrom(start, start) }

// solveFrom is solve with a first threshold T ≤ proven that need not be a proven bound: a goal.
// If the first pass finishes without a leaf reaching T, the optimum is below T and the search goes
// on as solve does; if a leaf reaches T, the optimum is at least T, and proven is returned (not
// exact). Callers that only gain from a bound below the goal save the passes between proven and T.
func (e *exactRelax) solveFrom(T, proven int) (int, bool) {
	if len(e.na) == 0 {
		return 0, true
	}
	e.init()
	if e.G > budgetGroups { // a node costs about O(G): keep the work, not the node count
		e.budget = int(int64(e.budget) * budgetGroups / int64(e.G))
	}
	T = min(T, proven)
	for {
		e.pass(T)
		if e.nodes > e.budget {
			return proven, false
		}
		if e.hit {
			return proven, T == proven
		}
		next := max(e.maxPruned, e.maxLeaf)
		if next < 0 { // no leaf at all: the relaxation is infeasible; keep the old bound
			return proven, false
		}
		if e.maxLeaf >= e.maxPruned {
			return e.maxLeaf, true
		}
		T, proven = next, next
	}
}

// pass searches the whole tree once with threshold T.
func (e *exactRelax) pass(T int) {
	e.T, e.maxPruned, e.maxLeaf, e.hit = T, -1, -1, false
	clear(e.memo)
	e.value(0, 0)
}

// init allocates the search state.
func (e *exactRelax) init() {
	nv := len(e.na)
	e.un, e.ul, e.uv = make([]int, e.G), make([]int, e.G), make([]int, e.G)
	e.order, e.same = make([][]int, nv), make([][]bool, nv)
	e.xs, e.ks, e.vs = make([][]int, nv), make([][]int, nv), make([][]int, nv)
	for c := 0; c < nv; c++ {
		e.order[c], e.same[c] = make([]int, e.G), make([]bool, e.G)
		e.xs[c], e.ks[c], e.vs[c] = make([]int, e.G), make([]int, e.G), make([]int, e.G)
	}
	e.buf, e.keys = make([]int, e.G), make([]int, e.G)
	e.placed = make([]int, nv)
	if e.lags == nil {
		for _, p := range e.lagNu[:min(len(e.lagNu), maxLags)] {
			e.lags = append(e.lags, e.initLag(p, e.lagScale))
		}
	}
}

func c2i(x int) int { return x * (x - 1) / 2 }

// fill bounds the pairs of a value with na non-leaders, nl other leaders and nv vice-chairs
// concentrated into the free caps of the groups in order.
func (e *exactRelax) fill(c, na, nl, nv, room int, order []int) int {
	u := e.buf[:0]
	for _, g := range order {
		ft := min(e.capT[g]-e.un[g]-e.ul[g], e.capT[g]-room)
		fl := min(e.capL-e.ul[g], nl+min(e.freeV(g), nv))
		v := min(ft, e.capN[g]-e.un[g]+fl, na+fl)
		if v > 1 || v == 1 && e.gain != nil { // insertion sort, largest first: a dozen caps, no allocation
			u = append(u, v)
			for j := len(u) - 1; j > 0 && u[j-1] < u[j]; j-- {
				u[j-1], u[j] = u[j], u[j-1]
			}
		}
	}
	rem, s := na+nl+nv, 0
	for _, v := range u {
		if rem <= 0 {
			break
		}
		t := min(v, rem)
		s += e.gainOf(c, t)
		rem -= t
	}
	return s
}

func (e *exactRelax) future(c int, all []int) int {
	s := 0
	for d := c + 1; d < len(e.na); d++ {
		s += min(e.ub[d], e.fill(d, e.na[d], e.nl[d], e.nv[d], e.room[d], all))
	}
	return s
}

// value starts placing value c with cur pairs so far.
func (e *exactRelax) value(c int, cur int) {
	if e.hit || e.nodes > e.budget {
		return
	}
	if c == len(e.na) {
		if cur >= e.T {
			e.hit = true
		}
		if cur > e.maxLeaf || e.leaf == nil {
			e.recordLeaf()
		}
		e.maxLeaf = max(e.maxLeaf, cur)
		return
	}
	ord := e.order[c]
	for g := range ord {
		ord[g] = g
	}
	// Sort by (capT, capN, un, ul, uv) descending, then group index: the fields are below 2^12
	// (at most exactBoundMaxPeople), so one packed integer per group orders them.
	keys := e.keys
	for g := range keys {
		keys[g] = e.capT[g]<<48 | e.capN[g]<<36 | e.un[g]<<24 | e.ul[g]<<12 | e.uv[g]
	}
	for i := 1; i < len(ord); i++ {
		for j := i; j > 0 && keys[ord[j-1]] < keys[ord[j]]; j-- {
			ord[j-1], ord[j] = ord[j], ord[j-1]
		}
	}
	for i := range ord {
		e.same[c][i] = i > 0 && keys[ord[i]] == keys[ord[i-1]]
	}
	if !e.fresh(c, cur, ord) {
		return
	}
	fut := e.future(c, ord)
	var ls lagSums
	for k, lb := range e.lags {
		ls[k] = lb.sum(e, c)
	}
	e.group(c, 0, e.na[c], e.nl[c], e.nv[c], cur, fut, ls)
}

func (e *exactRelax) group(c, i, ra, rl, rv, cur, fut int, ls lagSums) {
	e.nodes++
	if e.hit || e.nodes > e.budget {
		return
	}
	ord := e.order[c]
	if i == len(ord) || ra+rl+rv == 0 {
		if ra+rl+rv > 0 {
			return // infeasible
		}
		for j := i; j < len(ord); j++ {
			e.xs[c][j], e.ks[c][j], e.vs[c][j] = 0, 0, 0
		}
		e.value(c+1, cur)
		return
	}
	// The Lagrangian bounds first (O(1) each). A node they prune with a bound no higher than the
	// largest pruned so far is dropped at once: the fill bound could only lower what it records.
	b := math.MaxInt
	for k, lb := range e.lags {
		lv := lb.node(e, c, ra, rl, rv, e.placed[c], ls[k])
		if math.IsInf(lv, -1) {
			return // no completion keeps some group's caps
		}
		b = min(b, cur+int(math.Floor(lv+1e-4))) // the prices are large (big-M shifted): round generously
	}
	if b < e.T && b <= e.maxPruned {
		return
	}
	b = min(b, cur+e.fill(c, ra, rl, rv, e.room[c], ord[i:])+fut)
	if b < e.T {
		e.maxPruned = max(e.maxPruned, b)
		return
	} else if b2 := cur + e.seatPairs(); b2 < e.T { // the seat bound only when the first fails
		e.maxPruned = max(e.maxPruned, b2)
		return
	}
	g := ord[i]
	ft := min(e.capT[g]-e.un[g]-e.ul[g], e.capT[g]-e.room[c])
	maxV := min(rv, e.freeV(g), e.capL-e.ul[g], ft)
	maxK := min(rl, e.capL-e.ul[g], ft)
	maxX := min(ra, e.capN[g]-e.un[g], ft)
	px, pk, pv := 1<<30, 1<<30, 1<<30
	if e.same[c][i] {
		px, pk, pv = e.xs[c][i-1], e.ks[c][i-1], e.vs[c][i-1]
	}
	// Largest groups of this value first; (x, k, v) ≤ (px, pk, pv) lexicographically within a run.
	for s := min(ft, maxX+maxK+maxV); s >= 0; s-- {
		for v := min(maxV, s); v >= 0; v-- {
			for k := min(maxK, s-v, e.capL-e.ul[g]-v); k >= 0 && s-v-k <= maxX; k-- {
				x := s - k - v
				if x > px || x == px && (k > pk || k == pk && v > pv) {
					continue
				}
				e.xs[c][i], e.ks[c][i], e.vs[c][i] = x, k, v
				ex := max(0, e.uv[g]+v-e.capV) - max(0, e.uv[g]-e.capV)
				nls := ls
				for j, lb := range e.lags {
					nls[j] += lb.at(c+1, g, e.un[g]+x, e.ul[g]+k+v, e.uv[g]+v) - lb.at(c, g, e.un[g], e.ul[g], e.uv[g])
				}
				e.un[g] += x
				e.ul[g] += k + v
				e.uv[g] += v
				e.exLeft -= ex
				e.placed[c] += c2i(s)
				e.group(c, i+1, ra-x, rl-k, rv-v, cur+e.gainOf(c, s), fut, nls)
				e.placed[c] -= c2i(s)
				e.un[g] -= x
				e.ul[g] -= k + v
				e.uv[g] -= v
				e.exLeft += ex
				if e.hit || e.nodes > e.budget {
					return
				}
			}
		}
	}
}

// recordLeaf keeps the counts of the current leaf (tests rebuild a plan from it).
func (e *exactRelax) recordLeaf() {
	e.leaf = make([][]int, len(e.na))
	for c := range e.na {
		e.leaf[c] = make([]int, e.G)
		for i, g := range e.order[c] {
			e.leaf[c][g] = e.xs[c][i]<<8 | (e.ks[c][i] + e.vs[c][i])
		}
	}
}

// seatPairs bounds the pairs still to come by the free seats: people seated from here on pair only
// with each other (a value's earlier people sit in groups this value no longer enters, and later
// values have nobody seated), so group g adds at most C(f_g,2) pairs for f_g free seats (with gain
// set, seatGain[f_g]; crossbound.go proves it).
func (e *exactRelax) seatPairs() int {
	s := 0
	for g := 0; g < e.G; g++ {
		f := min(e.capT[g]-e.un[g]-e.ul[g], e.capN[g]-e.un[g]+e.capL-e.ul[g])
		if e.seatGain != nil {
			s += e.seatGain[f]
		} else {
			s += c2i(f)
		}
	}
	return s
}

// freeV is how many more vice-chairs group g can take: up to capV, and beyond it while the
// excess allowance lasts.
func (e *exactRelax) freeV(g int) int { return max(e.capV, e.uv[g]) + e.exLeft - e.uv[g] }

// memoMax caps the states one pass remembers (about 100 bytes each).
const memoMax = 1 << 17

// fresh reports whether the subtree below value c is worth searching: the subtree depends only on c,
// the vice-chair allowance and the multiset of the groups' (caps, seated) tuples, which ord lists
// sorted, so a state already searched in this pass with at least cur pairs found every leaf and
// pruned bound this one could, each at least as high.
func (e *exactRelax) fresh(c, cur int, ord []int) bool {
	k := binary.AppendUvarint(e.key[:0], uint64(c))
	k = binary.AppendUvarint(k, uint64(e.exLeft))
	for _, g := range ord {
		for _, x := range [5]int{e.capT[g], e.capN[g], e.un[g], e.ul[g], e.uv[g]} {
			k = binary.AppendUvarint(k, uint64(x))
		}
	}
	e.key = k
	if old, ok := e.memo[string(k)]; ok && old >= cur {
		return false
	}
	if e.memo == nil {
		e.memo = map[string]int{}
	}
	if len(e.memo) < memoMax {
		e.memo[string(k)] = cur
	}
	return true
}
