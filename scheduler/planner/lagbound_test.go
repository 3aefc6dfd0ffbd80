package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// lagRoster is a roster of n people in G groups whose values bind: 3–5 industries of uneven size
// (none of one person), 2–3 leaders per group, vice-chairs above one per group, and one industry
// without proposers.
func lagRoster(seed uint64, n, G int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 41))
	nInd := 3 + rng.IntN(3)
	leaders := 2*G + rng.IntN(G+1)
	people := make([]Person, n)
	for i := range people {
		role := RoleStandingMember
		switch {
		case i < G+1:
			role = RoleViceChair
		case i < leaders:
			role = RoleVicePresident
		}
		ind := min(rng.IntN(nInd), rng.IntN(nInd)) // small indices more often
		people[i] = Person{ID: int64(i + 1), Name: fmt.Sprint("p", i), Role: role, Industry: fmt.Sprint("i", ind),
			Region: fmt.Sprint("r", rng.IntN(3)), Deputy: ind != nInd-1 && rng.IntN(3) == 0}
	}
	count := map[string]int{}
	for _, q := range people {
		count[q.Industry]++
	}
	for i, q := range people {
		if count[q.Industry] == 1 {
			people[i].Industry = "i0"
		}
	}
	return &Problem{People: people, Groups: G}
}

// attrByKey is m's attribute with that term key, or nil.
func attrByKey(m *model, key string) *attr {
	for _, a := range m.attrs {
		if a.key == key {
			return a
		}
	}
	return nil
}

// primaryRelax is the primary term's count relaxation: plain for excess < 0, else the vice-chair
// branch with that excess; room as in newExactRelaxRoom.
func primaryRelax(m *model, excess int, room []int) *exactRelax {
	if excess < 0 {
		return m.newExactRelaxRoom(m.attrs[m.primary], nil, 0, room)
	}
	return m.newExactRelaxRoom(m.attrs[m.primary], attrByKey(m, TermViceChairs), excess, room)
}

// TestLagrangianBoundKeepsTheOptimum solves the count relaxation of mid-size rosters (too big to
// enumerate) with and without the Lagrangian node bound, for plain, vice-chair (excess ≤ 0, ≤ 1)
// and proposer-room relaxations: both searches must finish at the same optimum, so the bound
// never cuts a plan off, and the bound must save nodes overall. The rosters fill their groups
// exactly and have no value of one person: then the search without the bound also keeps the
// size and leader minimums (every seat is taken, and non-leaders fill at most b − lmin of a
// group), which the Lagrangian completion enforces, so the two relaxations are the same.
func TestLagrangianBoundKeepsTheOptimum(t *testing.T) {
	withLag, without := 0, 0
	for seed := uint64(1); seed <= 20; seed++ {
		G := 4 + int(seed%2)
		p := lagRoster(seed, G*(7+int(seed%3)), G)
		if err := Validate(p); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		m := buildModel(p)
		pr := attrByKey(m, TermNoProposer)
		room := make([]int, m.attrs[m.primary].nv)
		if pr != nil {
			if _, r, ok := m.proposerPairBound(pr, 1<<20); ok {
				room = r
			}
		}
		for _, ex := range []int{-1, 0, 1} {
			for _, rm := range [][]int{nil, room} {
				a, b := primaryRelax(m, ex, rm), primaryRelax(m, ex, rm)
				if len(a.lagNu) == 0 {
					t.Fatalf("seed %d: no Lagrangian prices", seed)
				}
				b.lagNu = nil
				a.budget, b.budget = 50_000_000, 50_000_000
				va, oka := a.solve(1 << 20)
				vb, okb := b.solve(1 << 20)
				if !oka || !okb || va != vb {
					t.Fatalf("seed %d excess %d room %v: with the Lagrangian bound %d (finished %v), without %d (finished %v)",
						seed, ex, rm != nil, va, oka, vb, okb)
				}
				withLag += a.nodes
				without += b.nodes
			}
		}
	}
	if withLag >= without {
		t.Fatalf("the Lagrangian bound saved no nodes: %d with it, %d without", withLag, without)
	}
	t.Logf("nodes: %d with the Lagrangian bound, %d without", withLag, without)
}

// TestLagrangianRootBoundsTheRelaxation checks each price set's bound at the root (before anything
// is placed) against the relaxation's optimum on the reference rosters: it must not be below it,
// and the vice-chair prices must give the e = 0 branch of synthetic roster 2 a tighter root than
// the two-type prices give the unsplit relaxation (the reason they exist: 475 against 492,
// optimum 463).
func TestLagrangianRootBoundsTheRelaxation(t *testing.T) {
	for s := uint64(1); s <= 5; s++ {
		m := buildModel(&Problem{People: SyntheticRoster(132, 12, s)})
		plainRoot := 0.0
		for _, ex := range []int{-1, 0} {
			e := primaryRelax(m, ex, nil)
			e.budget = 20_000_000
			e.init()
			roots := make([]float64, len(e.lags))
			for k, lb := range e.lags {
				roots[k] = lb.K[0] + lb.pe*float64(e.exLeft) + lb.sum(e, 0)
			}
			opt, ok := e.solve(1000)
			if !ok {
				continue // budget: nothing to compare with
			}
			for k, r := range roots {
				if r < float64(opt)-1e-6 {
					t.Fatalf("synthetic %d excess %d: price set %d gives root %.2f below the optimum %d", s, ex, k, r, opt)
				}
			}
			if ex < 0 {
				plainRoot = slices.Min(roots)
			}
			if s == 2 && ex == 0 {
				if len(roots) != 2 || roots[0] > plainRoot-10 {
					t.Fatalf("synthetic 2, excess 0: vice-chair root %.2f not tighter than the two-type LP's %.2f", roots[0], plainRoot)
				}
			}
		}
	}
}
