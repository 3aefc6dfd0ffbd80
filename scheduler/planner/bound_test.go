package planner

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPairBoundsHoldByEnumeration checks the industry and region bounds against every assignment
// of small rosters (3 groups of 3–4, leader rule on, with and without leader totals that force
// every group's leader count), so the per-value DP, the configuration LP and the tightened
// bounds are tested for validity, not just for being loose.
func TestPairBoundsHoldByEnumeration(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		n, G := 10, 3
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			if i < 4+2*int(seed%2) { // 6 leaders in 3 groups of 1..2 force exactly 2 each

				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(3)), Region: fmt.Sprint("r", rng.IntN(3))}
		}
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 2}, NoSoftSpread: true}
		b := UpperBound(p)
		m := buildModel(p)
		best := make([]float64, 2)
		grp := make([]int32, n)
		var rec func(i int)
		rec = func(i int) {
			if i == n {
				s := newState(m)
				for q, g := range grp {
					s.place(int32(q), g)
				}
				if s.violations() != 0 {
					return
				}
				for k := range best {
					best[k] = max(best[k], s.tv[k])
				}
				return
			}
			for g := int32(0); g < int32(G); g++ {
				grp[i] = g
				rec(i + 1)
			}
		}
		rec(0)
		for k := range best {
			if b.Terms[k].Value < best[k]-1e-9 {
				t.Fatalf("seed %d term %s: bound %v below the optimum %v", seed, b.Terms[k].Key, b.Terms[k].Value, best[k])
			}
		}
	}
}

// TestBoundAboveReferencePlans checks the bound against real plans of the reference shape.
func TestBoundAboveReferencePlans(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		p := &Problem{People: SyntheticRoster(132, 12, seed), Seed: seed, MaxIterations: 300}
		pl, err := Solve(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		b := UpperBound(p)
		for k, term := range pl.Score.Terms {
			if term.Weight > 0 && term.Value > b.Terms[k].Value+1e-9 {
				t.Fatalf("seed %d %s: plan %v above bound %v", seed, term.Key, term.Value, b.Terms[k].Value)
			}
		}
		if pl.Score.Total > b.Total+1e-9 {
			t.Fatalf("seed %d: plan %v above bound %v", seed, pl.Score.Total, b.Total)
		}
	}
}

// TestMDGPKeepsPinsAndBounds runs the fast MDGP path (swap pruning, size shifts, pair profile)
// with pinned people and checks every hard rule.
func TestMDGPKeepsPinsAndBounds(t *testing.T) {
	f, err := os.Open(filepath.Join(mdgplibDir(t), "RanInt_n120_ds_01.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadMDGPLIB(f)
	if err != nil {
		t.Fatal(err)
	}
	p.Pinned = []Pin{{PersonID: 3, Group: 4}, {PersonID: 7, Group: 4}, {PersonID: 11, Group: 1}}
	p.MaxIterations, p.Seed = 3000, 2
	pl, err := Solve(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Hard.Satisfied {
		t.Fatalf("hard rules broken: %v", pl.Hard.Violations)
	}
	for _, pin := range p.Pinned {
		if pl.GroupOf(pin.PersonID) != pin.Group {
			t.Fatalf("pinned %d moved to %d", pin.PersonID, pl.GroupOf(pin.PersonID))
		}
	}
	again, err := Solve(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := pl.DeterministicJSON()
	b, _ := again.DeterministicJSON()
	if !bytes.Equal(a, b) {
		t.Fatal("same MDGP input and seed gave different plans")
	}
}

// TestExactPairBoundByEnumeration checks the branch and bound of the count relaxation
// (exactbound.go) against every assignment of 12 people to 3 groups of 4. With 6 leaders in
// groups of 1..2 (exactly 2 each) or without the leader rule the relaxation keeps every rule, so
// a finished search must equal the enumerated optimum; with 4 leaders it must not be below it.
func TestExactPairBoundByEnumeration(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		n, G := 12, 3
		nLead := []int{6, 4, 0}[seed%3]
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			if i < nLead {
				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(1+int(seed%4))), Region: fmt.Sprint("r", rng.IntN(4))}
		}
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 2}, NoSoftSpread: true, NoLeaderRule: nLead == 0}
		m := buildModel(p)
		for k, a := range m.attrs[:2] {
			best := -1
			grp := make([]int, n)
			var rec func(i int)
			rec = func(i int) {
				if i == n {
					size, lead := make([]int, G), make([]int, G)
					cnt := make([]int, G*a.nv)
					for q, g := range grp {
						size[g]++
						if m.isLeader[q] {
							lead[g]++
						}
						cnt[g*a.nv+int(a.val[q])]++
					}
					v := 0
					for g := 0; g < G; g++ {
						if size[g] != 4 || m.leadOn && (lead[g] < 1 || lead[g] > 2) {
							return
						}
					}
					for _, x := range cnt {
						v += c2i(x)
					}
					best = max(best, v)
					return
				}
				for g := 0; g < G; g++ {
					grp[i] = g
					rec(i + 1)
				}
			}
			rec(0)
			got, exact := m.exactPairBound(a, 1000)
			if !exact || got < best {
				t.Fatalf("seed %d %s: exact %v bound %d below/unfinished vs optimum %d", seed, a.key, exact, got, best)
			}
			if (nLead != 4) && got != best {
				t.Fatalf("seed %d %s: bound %d, optimum %d", seed, a.key, got, best)
			}
			if ub := UpperBound(p).Terms[k].Value; ub < float64(best) {
				t.Fatalf("seed %d %s: UpperBound %v below optimum %d", seed, a.key, ub, best)
			}
		}
	}
}

// TestExactPairBoundReachedBySynthetic1 rebuilds a plan from the best leaf of the industry
// relaxation of synthetic roster 1: it passes Check and holds exactly the bound's 445 industry
// pairs, so that bound cannot be lowered and any gap left on this term is the search's.
func TestExactPairBoundReachedBySynthetic1(t *testing.T) {
	p := &Problem{People: SyntheticRoster(132, 12, 1), NoSoftSpread: true}
	m := buildModel(p)
	a := m.attrs[0]
	e := m.newExactRelax(a)
	v, ok := e.solve(int(UpperBound(p).Terms[0].Value))
	if !ok || e.leaf == nil {
		t.Fatalf("search did not finish: %d", v)
	}
	grp := make([]int, m.n)
	for i := range grp {
		grp[i] = -1
	}
	size, lead := make([]int, m.G), make([]int, m.G)
	put := func(q, g int) {
		grp[q] = g
		size[g]++
		if m.isLeader[q] {
			lead[g]++
		}
	}
	for ci, c := range e.vals {
		for g := 0; g < m.G; g++ {
			x, k := e.leaf[ci][g]>>8, e.leaf[ci][g]&255
			for q := 0; q < m.n; q++ {
				if grp[q] < 0 && int(a.val[q]) == c {
					if m.isLeader[q] && k > 0 {
						put(q, g)
						k--
					} else if !m.isLeader[q] && x > 0 {
						put(q, g)
						x--
					}
				}
			}
		}
	}
	for q := 0; q < m.n; q++ { // everyone else (values held by one person) into free seats
		for g := 0; g < m.G && grp[q] < 0; g++ {
			if size[g] < 11 && (m.isLeader[q] && lead[g] < 3 || !m.isLeader[q] && size[g]-lead[g] < 8) {
				put(q, g)
			}
		}
	}
	groups := map[int64]int{}
	s := newState(m)
	for q, g := range grp {
		groups[m.people[q].ID] = g + 1
		s.place(int32(q), int32(g))
	}
	if hc := Check(p, groups); !hc.Satisfied || s.tv[0] != float64(v) {
		t.Fatalf("rebuilt plan: hard ok %v, industry pairs %v, bound %d", hc.Satisfied, s.tv[0], v)
	}
}

// TestViceChairSplitByEnumeration checks the vice-chair split of the bound (viceChairSplitTotal)
// against every assignment of 12 people to 3 groups of 4, with 3–4 vice-chairs among 6 leaders
// (exactly 2 per group), so that the cap of one vice-chair per group is easy to break. The
// relaxation of the plans with excess ≤ e keeps every rule there, so it must equal the enumerated
// optimum of each pair term over those plans; and the coupled total must not be below the best
// plan's score, penalties included.
func TestViceChairSplitByEnumeration(t *testing.T) {
	coupled := 0
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 13))
		n, G := 12, 3
		nVC := 3 + int(seed%2)
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			switch {
			case i < nVC:
				role = RoleViceChair
			case i < 6:
				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(2+int(seed%3))),
				Region: fmt.Sprint("r", rng.IntN(3)), Deputy: rng.IntN(3) == 0}
		}
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 2}}
		m := buildModel(p)
		var vc *attr
		kv := -1
		for k, a := range m.attrs {
			if a.key == TermViceChairs {
				vc, kv = a, k
			}
		}
		if vc == nil || m.primary != 0 {
			t.Fatalf("seed %d: no vice-chair term or industry not primary", seed)
		}
		bestTotal := -1e18
		bestPairs := [2][2]int{{-1, -1}, {-1, -1}} // per pair term: optimum over plans of excess ≤ 0, ≤ 1
		grp := make([]int32, n)
		var rec func(i int)
		rec = func(i int) {
			if i == n {
				s := newState(m)
				for q, g := range grp {
					s.place(int32(q), g)
				}
				if s.violations() != 0 {
					return
				}
				bestTotal = max(bestTotal, s.total)
				for k := range bestPairs {
					for e := range bestPairs[k] {
						if s.tv[kv] <= float64(e) {
							bestPairs[k][e] = max(bestPairs[k][e], int(s.tv[k]))
						}
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
		for k := range bestPairs {
			for e, want := range bestPairs[k] {
				got, ok := m.newExactRelaxVC(m.attrs[k], vc, e).solve(1000)
				if !ok || got != want {
					t.Fatalf("seed %d %s, excess ≤ %d: relaxation %d (finished %v), enumerated optimum %d", seed, m.attrs[k].key, e, got, ok, want)
				}
			}
		}
		b := UpperBound(p)
		if b.Total < bestTotal-1e-9 {
			t.Fatalf("seed %d: bound %v below the best plan %v", seed, b.Total, bestTotal)
		}
		if belowTermSum(b) {
			coupled++
		}
	}
	if coupled == 0 {
		t.Fatal("the vice-chair split never lowered the bound; the test checks nothing")
	}
}

// TestSharedPairsByEnumeration checks the shared-pairs argument of coupledTotal on every
// assignment of 12 people to 3 groups of 3–5: in each plan the region pairs are at most
// W_max + S_max − industry pairs, and the coupled total is not below the best plan. Rosters with
// few industries make the argument bite, so the test also asserts that it lowered some bound.
func TestSharedPairsByEnumeration(t *testing.T) {
	lowered := 0
	for seed := uint64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewPCG(seed, 17))
		n, G := 12, 3
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			if i < 5 {
				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(2+int(seed%3))),
				Region: fmt.Sprint("r", rng.IntN(2+int(seed%2)))}
		}
		p := &Problem{People: people, Groups: G, MinSize: 3, MaxSize: 5, Leaders: Bounds{1, 2}, NoSoftSpread: true}
		m := buildModel(p)
		_, c, ok := m.sharedPairs()
		if !ok {
			t.Fatalf("seed %d: no second pair term", seed)
		}
		best := -1e18
		grp := make([]int32, n)
		var rec func(i int)
		rec = func(i int) {
			if i == n {
				s := newState(m)
				for q, g := range grp {
					s.place(int32(q), g)
				}
				if s.violations() != 0 {
					return
				}
				if s.tv[1] > c-s.tv[0]+1e-9 {
					t.Fatalf("seed %d: %v region pairs above W_max + S_max − %v industry pairs = %v", seed, s.tv[1], s.tv[0], c-s.tv[0])
				}
				best = max(best, s.total)
				return
			}
			for g := int32(0); g < int32(G); g++ {
				grp[i] = g
				rec(i + 1)
			}
		}
		rec(0)
		b := UpperBound(p)
		if b.Total < best-1e-9 {
			t.Fatalf("seed %d: bound %v below the best plan %v", seed, b.Total, best)
		}
		if b.Total < b.Terms[0].Weighted+b.Terms[1].Weighted-1e-9 {
			lowered++
		}
	}
	if lowered == 0 {
		t.Fatal("the shared-pairs argument never lowered the bound; the test checks nothing")
	}
}

// TestCoupledBoundAboveSearchedPlans checks the coupled total on rosters too big to enumerate
// (24–32 people in 4 groups, 2–6 vice-chairs, few industries and regions, every soft term on):
// no plan from two searches may score above it. Small industry counts make both couplings bite,
// and the test asserts they lowered some bound.
func TestCoupledBoundAboveSearchedPlans(t *testing.T) {
	lowered := 0
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		n, G := 24+int(seed%3)*4, 4
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			switch {
			case i < 2+int(seed%5):
				role = RoleViceChair
			case i < 2*G:
				role = RoleVicePresident
			}
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", rng.IntN(3+int(seed%4))),
				Region: fmt.Sprint("r", rng.IntN(2+int(seed%3))), Deputy: rng.IntN(3) == 0, CPPCC: rng.IntN(3) == 0}
		}
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 3}, MaxIterations: 5000, Stagnation: -1}
		b := UpperBound(p)
		for run := uint64(1); run <= 2; run++ {
			q := *p
			q.Seed = seed*7 + run
			pl, err := Solve(context.Background(), &q)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Score.Total > b.Total+1e-9 {
				t.Fatalf("seed %d run %d: plan %v above bound %v", seed, run, pl.Score.Total, b.Total)
			}
		}
		if belowTermSum(b) {
			lowered++
		}
	}
	if lowered == 0 {
		t.Fatal("the coupled total never lowered the bound; the test checks nothing")
	}
}

// TestProposerSplitByEnumeration checks the proposer split of coupledTotal on every assignment of
// 12 people to 3 groups: over the plans with a proposer in every group, the industry pairs stay
// within proposerPairBound and within the branch and bound with room (newExactRelaxRoom, also with
// the vice-chair excess ≤ 0 and ≤ 1), each industry's pairs within pairBoundOthers, and the coupled
// total is not below the best plan. Proposers are few and sit in the first industries only, so the split
// bites; the test asserts that it proved a bound below the best plan's industry pairs without the
// proposer rule in some roster, so it cannot pass by proving nothing.
func TestProposerSplitByEnumeration(t *testing.T) {
	bit := 0
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 23))
		n, G := 12, 3
		nInd := 2 + int(seed%3)
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			switch {
			case i%4 == 0 && i < 4*int(1+seed%3):
				role = RoleViceChair
			case i%4 == 0 || i%4 == 1 && seed%2 == 0:
				role = RoleVicePresident
			}
			ind := rng.IntN(nInd)
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", ind),
				Region: fmt.Sprint("r", rng.IntN(3)), Deputy: ind == 0 && rng.IntN(2) == 0, CPPCC: ind == 1 && i%3 == 0}
		}
		people[0].Industry, people[0].Deputy = "i0", true // at least one proposer
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 2}}
		m := buildModel(p)
		var pr, vc *attr
		kp, kv := -1, -1
		for k, a := range m.attrs {
			switch a.key {
			case TermNoProposer:
				pr, kp = a, k
			case TermViceChairs:
				vc, kv = a, k
			}
		}
		if pr == nil || m.primary != 0 {
			t.Fatalf("seed %d: no proposer term or industry not primary", seed)
		}
		ind := m.attrs[0]
		tot, lead, props := make([]int, ind.nv), make([]int, ind.nv), make([]int, ind.nv)
		for q, v := range ind.val {
			tot[v]++
			if m.isLeader[q] {
				lead[v]++
			}
			if pr.val[q] >= 0 {
				props[v]++
			}
		}
		pp, room, ok := m.proposerPairBound(pr, 1000)
		if !ok {
			t.Fatalf("seed %d: the proposer split does not apply", seed)
		}
		bestTotal, bestAll, bestProp := -1e18, -1, -1
		bestVC := [2]int{-1, -1} // with a proposer in every group and vice-chair excess ≤ 0, ≤ 1
		perValue := make([]int, ind.nv)
		grp := make([]int32, n)
		var rec func(i int)
		rec = func(i int) {
			if i == n {
				s := newState(m)
				for q, g := range grp {
					s.place(int32(q), g)
				}
				if s.violations() != 0 {
					return
				}
				bestTotal = max(bestTotal, s.total)
				bestAll = max(bestAll, int(s.tv[0]))
				if s.tv[kp] > 0 {
					return
				}
				bestProp = max(bestProp, int(s.tv[0]))
				for e := range bestVC {
					if kv >= 0 && s.tv[kv] <= float64(e) {
						bestVC[e] = max(bestVC[e], int(s.tv[0]))
					}
				}
				clear(perValue)
				for g := 0; g < G; g++ {
					cnt := make([]int, ind.nv)
					for q, h := range grp {
						if int(h) == g {
							cnt[ind.val[q]]++
						}
					}
					for c, x := range cnt {
						perValue[c] += c2i(x)
					}
				}
				for c, x := range perValue {
					others := 0
					if props[c] == 0 {
						others = 1
					}
					if b := m.pairBoundOthers(tot[c], lead[c], 4, others); float64(x) > b+1e-9 {
						t.Fatalf("seed %d industry %d: %d pairs in a plan with proposers everywhere, pairBoundOthers %v", seed, c, x, b)
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
		if bestProp > pp {
			t.Fatalf("seed %d: a plan with a proposer in every group has %d industry pairs, proposerPairBound %d", seed, bestProp, pp)
		}
		if got, _ := m.newExactRelaxRoom(ind, nil, 0, room).solve(1000); got < bestProp {
			t.Fatalf("seed %d: a plan with a proposer in every group has %d industry pairs, the relaxation with room %d", seed, bestProp, got)
		}
		for e, want := range bestVC {
			if vc == nil {
				break
			}
			if got, _ := m.newExactRelaxRoom(ind, vc, e, room).solve(1000); got < want {
				t.Fatalf("seed %d excess ≤ %d: a plan with a proposer in every group has %d industry pairs, the relaxation with room %d", seed, e, want, got)
			}
		}
		if b := UpperBound(p); b.Total < bestTotal-1e-9 {
			t.Fatalf("seed %d: bound %v below the best plan %v", seed, b.Total, bestTotal)
		}
		if pp < bestAll {
			bit++
		}
	}
	if bit == 0 {
		t.Fatal("the proposer split never proved a bound below the unrestricted optimum; the test checks nothing")
	}
}

// TestProposerSplitAboveSearchedPlans checks the proposer split on rosters too big to enumerate
// (24–32 people in 4 groups, every soft term on): proposers sit in the first two industries only,
// so the others cannot fill a group. No plan from two searches may score above the bound, and
// the split must have lowered it for some roster (compared with the same roster where everyone
// is a proposer, whose industry and region bounds are the same).
func TestProposerSplitAboveSearchedPlans(t *testing.T) {
	lowered := 0
	for seed := uint64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewPCG(seed, 31))
		n, G := 24+int(seed%3)*4, 4
		people := make([]Person, n)
		for i := range people {
			role := RoleStandingMember
			switch {
			case i < 2:
				role = RoleViceChair
			case i < 2*G:
				role = RoleVicePresident
			}
			ind := rng.IntN(3 + int(seed%3))
			people[i] = Person{ID: int64(i + 1), Role: role, Industry: fmt.Sprint("i", ind),
				Region: fmt.Sprint("r", rng.IntN(3)), Deputy: ind < 2 && rng.IntN(3) > 0}
		}
		props := 0
		for _, ps := range people {
			if ps.Deputy {
				props++
			}
		}
		if props < G {
			t.Fatalf("seed %d: %d proposers for %d groups; the split needs one per group", seed, props, G)
		}
		p := &Problem{People: people, Groups: G, Leaders: Bounds{1, 3}, MaxIterations: 5000, Stagnation: -1}
		b := UpperBound(p)
		for run := uint64(1); run <= 2; run++ {
			q := *p
			q.Seed = seed*7 + run
			pl, err := Solve(context.Background(), &q)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Score.Total > b.Total+1e-9 {
				t.Fatalf("seed %d run %d: plan %v above bound %v", seed, run, pl.Score.Total, b.Total)
			}
		}
		all := *p
		all.People = append([]Person(nil), people...)
		for i := range all.People {
			all.People[i].CPPCC = true
		}
		if b.Total < UpperBound(&all).Total-1e-9 {
			lowered++
		}
	}
	if lowered == 0 {
		t.Fatal("the proposer split never lowered the bound; the test checks nothing")
	}
}

// TestLPBudgetKeepsTheBoundValid: the configuration LPs stop on a work budget (degenerate
// rosters once pivoted for minutes: this roster took 3.5 min before the budget and 0.2 s with
// it). Stopped anywhere, even after a single pivot, the bound must stay above every plan.
func TestLPBudgetKeepsTheBoundValid(t *testing.T) {
	p := randomProblem(1, 83, 5)
	p.Mode = ModeIndustry
	p.TimeLimit = 2 * time.Second
	pl, err := Solve(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	full := buildModel(p).upperBound()
	for _, budget := range []int64{1, 10_000, 1_000_000} {
		m := buildModel(p)
		m.lpBudget = budget
		b := m.upperBound()
		if b.Total < pl.Score.Total-1e-6 {
			t.Errorf("budget %d: bound %.0f below a plan's %.0f", budget, b.Total, pl.Score.Total)
		}
	}
	if full.Total < pl.Score.Total-1e-6 {
		t.Errorf("full budget: bound %.0f below a plan's %.0f", full.Total, pl.Score.Total)
	}
}

// belowTermSum reports whether the coupled total of b is below the sum of its term bounds, i.e.
// whether a coupling argument lowered it.
func belowTermSum(b Bound) bool {
	sum := 0.0
	for _, term := range b.Terms {
		sum += term.Weighted
	}
	return b.Total < sum-1e-9
}
