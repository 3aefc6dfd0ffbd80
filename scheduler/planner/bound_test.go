package planner

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
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
