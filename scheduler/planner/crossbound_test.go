package planner

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestCrossPairBoundByEnumeration checks crossPairBound on every assignment of 12 people to 3
// groups of 3–5: over the plans with vice-chair excess ≤ e (e = 0, 1, and without the rule),
// w_p·industry pairs + w_q·region pairs stays within it, and the coupled total stays above the
// best plan. Few regions and small industries make the cross pairs bound bite; the test asserts
// that it fell below the shared-pairs cap w_p·P + w_q·min(Q, W_max + S_max − P) in some roster, so
// it cannot pass by proving nothing.
func TestCrossPairBoundByEnumeration(t *testing.T) {
	lowered := 0
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 23))
		n, G := 12, 3
		nVC := 2 + int(seed%3)
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			switch {
			case i < nVC:
				role = RoleViceChair
			case i < 6:
				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(2+int(seed%2))),
				Region: fmt.Sprint("r", rng.IntN(4+int(seed%3)))}
		}
		p := &Problem{People: people, Groups: G, MinSize: 4, MaxSize: 4, Leaders: Bounds{1, 2}}
		m := buildModel(p)
		kv := -1
		for k, a := range m.attrs {
			if a.key == TermViceChairs {
				kv = k
			}
		}
		q, c, ok := m.sharedPairs()
		if kv < 0 || m.primary != 0 || !ok {
			t.Fatalf("seed %d: no vice-chair term, industry not primary or no region term", seed)
		}
		wp, wq := m.attrs[0].weight, m.attrs[q].weight
		best := [3]float64{-1e18, -1e18, -1e18} // likeness over plans of excess ≤ 0, ≤ 1, any
		bestTotal := -1e18
		grp := make([]int32, n)
		var rec func(i int)
		rec = func(i int) {
			if i == n {
				s := newState(m)
				for x, g := range grp {
					s.place(int32(x), g)
				}
				if s.violations() != 0 {
					return
				}
				bestTotal = max(bestTotal, s.total)
				like := wp*s.tv[0] + wq*s.tv[q]
				for e := range best {
					if e == 2 || s.tv[kv] <= float64(e) {
						best[e] = max(best[e], like)
					}
				}
				return
			}
			for g := int32(0); g < int32(G); g++ {
				grp[i] = g
				rec(i + 1)
			}
		}
		rec(0)
		b := UpperBound(p)
		if b.Total < bestTotal-1e-9 {
			t.Fatalf("seed %d: bound %v below the best plan %v", seed, b.Total, bestTotal)
		}
		P := int(b.Terms[0].Value + 1e-9)
		shared := wp*float64(P) + wq*(c-float64(P)) // without the region term's own bound Q
		for e, want := range best {
			vc, ex := m.attrs[kv], e
			if e == 2 {
				vc, ex = nil, 0
			}
			got, ok := m.crossPairBound(vc, ex, nil, P, crossBudget)
			if !ok {
				t.Fatalf("seed %d excess ≤ %d: the cross pairs bound does not apply", seed, e)
			}
			if got < want-1e-9 {
				t.Fatalf("seed %d excess ≤ %d: cross pairs bound %v below the best plan's likeness %v", seed, e, got, want)
			}
			if e == 2 && got < shared-1e-9 {
				lowered++
			}
		}
	}
	if lowered == 0 {
		t.Fatal("the cross pairs bound never fell below the shared-pairs cap; the test checks nothing")
	}
}
