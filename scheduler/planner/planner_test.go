package planner

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// randomProblem builds a roster with a few rules of every kind that still leave a solution.
func randomProblem(seed uint64, n, g int) *Problem {
	ppl := SyntheticRoster(n, g, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	p := &Problem{People: ppl, Groups: g, Seed: seed, MaxIterations: 300, TimeLimit: 5 * time.Second}
	var std []int64
	for _, x := range ppl {
		if !x.IsLeader() {
			std = append(std, x.ID)
		}
	}
	rng.Shuffle(len(std), func(i, j int) { std[i], std[j] = std[j], std[i] })
	p.Together = []Pair{{std[0], std[1]}, {std[1], std[2]}}
	p.Apart = []Pair{{std[3], std[4]}, {std[0], std[5]}}
	p.Pinned = []Pin{{std[6], 1}, {std[7], g}}
	p.Excluded = []int64{std[8]}
	if n%g == 1 { // keep n−1 divisible-ish so the default bounds stay satisfiable
		p.Excluded = nil
	}
	return p
}

// auditHard re-checks every hard rule with plain loops, independent of Check and of the search.
func auditHard(t *testing.T, p *Problem, pl *Plan) {
	t.Helper()
	excl := map[int64]bool{}
	for _, id := range p.Excluded {
		excl[id] = true
	}
	grp := map[int64]int{}
	for _, a := range pl.Assignments {
		grp[a.PersonID] = a.Group
	}
	G := p.groupCount()
	size, lead := make([]int, G+1), make([]int, G+1)
	n := 0
	for _, x := range p.People {
		g, ok := grp[x.ID]
		if excl[x.ID] {
			if ok {
				t.Fatalf("excluded %d placed", x.ID)
			}
			continue
		}
		if !ok || g < 1 || g > G {
			t.Fatalf("person %d not placed", x.ID)
		}
		n++
		size[g]++
		if x.IsLeader() {
			lead[g]++
		}
	}
	lo, hi := n/G, (n+G-1)/G
	lb, on := p.leaderBounds()
	for g := 1; g <= G; g++ {
		if size[g] < lo || size[g] > hi {
			t.Fatalf("group %d size %d outside %d..%d", g, size[g], lo, hi)
		}
		if on && (lead[g] < lb.Min || lead[g] > lb.Max) {
			t.Fatalf("group %d has %d leaders", g, lead[g])
		}
	}
	for _, pin := range p.Pinned {
		if grp[pin.PersonID] != pin.Group {
			t.Fatalf("pinned %d moved", pin.PersonID)
		}
	}
	for _, pr := range p.Apart {
		if grp[pr.A] == grp[pr.B] {
			t.Fatalf("apart %v together", pr)
		}
	}
	for _, pr := range p.Together {
		if grp[pr.A] != grp[pr.B] {
			t.Fatalf("together %v apart", pr)
		}
	}
}

func TestEveryPlanKeepsHardRules(t *testing.T) {
	for _, mode := range []Mode{ModeIndustry, ModeRegion, ModeDiverse, ModePairwise} {
		for seed := uint64(1); seed <= 6; seed++ {
			n, g := 60+int(seed)*23, 4+int(seed)
			p := randomProblem(seed, n, g)
			p.Mode = mode
			pl, err := Solve(context.Background(), p)
			if err != nil {
				t.Fatalf("%s seed %d: %v", mode, seed, err)
			}
			auditHard(t, p, pl)
			if !pl.Hard.Satisfied {
				t.Fatalf("%s seed %d: Check reports %v", mode, seed, pl.Hard.Violations)
			}
		}
	}
}

func TestIncrementalScoreEqualsScratch(t *testing.T) {
	for _, mode := range []Mode{ModeIndustry, ModeRegion, ModeDiverse, ModePairwise} {
		p := randomProblem(3, 101, 9)
		p.Mode = mode
		m := buildModel(p)
		rng := rand.New(rand.NewPCG(1, 2))
		s := construct(m, rng)
		for step := 0; step < 400; step++ {
			a, b := int32(rng.IntN(m.n)), int32(rng.IntN(m.n))
			predicted := s.total + s.deltaPerson(a, s.grp[b])
			if s.grp[a] == s.grp[b] {
				continue
			}
			s.place(a, s.grp[b])
			if math.Abs(predicted-s.total) > 1e-6 {
				t.Fatalf("%s: delta predicted %v, got %v", mode, predicted, s.total)
			}
		}
		groups := map[int64]int{}
		for i, x := range m.people {
			groups[x.ID] = int(s.grp[i]) + 1
		}
		sc := ScoreAssignment(p, groups)
		for k, term := range sc.Terms {
			if math.Abs(term.Value-s.tv[k]) > 1e-6 {
				t.Fatalf("%s term %s: incremental %v, scratch %v", mode, term.Key, s.tv[k], term.Value)
			}
		}
		if math.Abs(sc.Total-s.total) > 1e-4 {
			t.Fatalf("%s total: incremental %v, scratch %v", mode, s.total, sc.Total)
		}
	}
}

// TestSwapGainsEqualApplied checks the swap scan's shortcut: two move gains plus swapCorrection
// must equal the change that exchanging the two people really makes, in every mode (the soft
// spread terms included, where two vice-chairs or proposers trade places).
func TestSwapGainsEqualApplied(t *testing.T) {
	for _, mode := range []Mode{ModeIndustry, ModeRegion, ModeDiverse, ModePairwise} {
		p := randomProblem(4, 101, 9)
		p.Mode = mode
		m := buildModel(p)
		rng := rand.New(rand.NewPCG(3, 4))
		s := construct(m, rng)
		for step := 0; step < 400; step++ {
			a, b := int32(rng.IntN(m.n)), int32(rng.IntN(m.n))
			g, h := s.grp[a], s.grp[b]
			if g == h {
				continue
			}
			for k, at := range m.attrs {
				if v := at.val[a]; at.kind == kindPairs && v >= 0 && v == at.val[b] {
					if c := s.sameValueCorrection(k, v, g, h); c != -2*at.weight {
						t.Fatalf("%s %s: same-value correction %v, singleSwaps assumes %v", mode, at.key, c, -2*at.weight)
					}
				}
			}
			predicted := s.total + s.deltaPerson(a, h) + s.deltaPerson(b, g) + s.swapCorrection(a, b)
			if d := s.deltaSwap(a, b); math.Abs(s.total+d-predicted) > 1e-6 {
				t.Fatalf("%s: shortcut %v, deltaSwap %v", mode, predicted-s.total, d)
			}
			s.place(a, h)
			s.place(b, g)
			if math.Abs(predicted-s.total) > 1e-6 {
				t.Fatalf("%s: swap predicted %v, got %v", mode, predicted, s.total)
			}
		}
	}
}

// TestSingleSwapsOfferEveryFeasibleSwap checks the tabu scan of single people: it must offer
// exactly the swaps that keep the rules, each scored as applying it would score it.
func TestSingleSwapsOfferEveryFeasibleSwap(t *testing.T) {
	for _, mode := range []Mode{ModeIndustry, ModeRegion, ModeDiverse, ModePairwise} {
		// 101 people in 9 groups: some groups can give up a leader and others take one.
		p := &Problem{People: SyntheticRoster(101, 9, 5), Groups: 9, Mode: mode, Leaders: Bounds{Min: 2, Max: 4}}
		m := buildModel(p)
		if !m.singles || m.fastPair {
			t.Fatalf("%s: want the single-people scan", mode)
		}
		rng := rand.New(rand.NewPCG(5, 6))
		s := construct(m, rng)
		if !s.repair(nil, 10000) {
			t.Fatal("repair failed")
		}
		sr := &searcher{m: m, s: s, best: s.clone(), rng: rng}
		units := sr.movable()
		for step := 0; step < 20; step++ {
			mg := sr.moveGains(units, -1, -1)
			offered := 0
			cur := math.Inf(-1)
			sr.singleSwaps(units, mg, make([]int, m.n*m.G), 0, 0, &cur, func(d float64, u, v, h int32) {
				offered++
				if !s.canSwap(u, v) {
					t.Fatalf("%s: offered %d<->%d, which breaks a rule", mode, u, v)
				}
				if want := s.deltaSwap(u, v); math.Abs(d-want) > 1e-6 {
					t.Fatalf("%s: swap %d<->%d scored %v, deltaSwap %v", mode, u, v, d, want)
				}
			})
			feasible := 0
			for i, u := range units {
				for _, v := range units[i+1:] {
					if s.canSwap(u, v) {
						feasible++
					}
				}
			}
			if offered != feasible {
				t.Fatalf("%s: offered %d swaps, %d are feasible", mode, offered, feasible)
			}
			sr.perturb(5)
		}
	}
}

func conflictOf(t *testing.T, p *Problem) *ConflictError {
	t.Helper()
	_, err := Solve(context.Background(), p)
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("want ConflictError, got %v", err)
	}
	return ce
}

func TestConflictsAreExplained(t *testing.T) {
	base := func() *Problem { return &Problem{People: SyntheticRoster(132, 12, 1), MaxIterations: 10} }
	t.Run("too few leaders", func(t *testing.T) {
		p := base()
		k := 0
		for i := range p.People {
			if p.People[i].IsLeader() {
				if k++; k > 10 {
					p.People[i].Role = RoleStandingMember
				}
			}
		}
		ce := conflictOf(t, p)
		if !strings.Contains(ce.Error(), "12个轮值组每组至少需要2名组长（副主席或副会长），共需24名，但名单中只有10名。") {
			t.Fatalf("message: %s", ce.Error())
		}
	})
	t.Run("together chain too big", func(t *testing.T) {
		p := base()
		for i := 1; i < 13; i++ {
			p.Together = append(p.Together, Pair{p.People[i-1].ID, p.People[i].ID})
		}
		ce := conflictOf(t, p)
		if got := len(ce.Conflicts[0].Rules); got != 13 { // 12 together rules + the size rule
			t.Fatalf("want 13 rules named, got %d: %s", got, ce.Error())
		}
	})
	t.Run("pinned apart pair in one group", func(t *testing.T) {
		p := base()
		a, b := p.People[0].ID, p.People[1].ID
		p.Apart = []Pair{{a, b}}
		p.Pinned = []Pin{{a, 3}, {b, 3}}
		ce := conflictOf(t, p)
		if len(ce.Conflicts) != 1 || len(ce.Conflicts[0].Rules) != 3 || !strings.Contains(ce.Conflicts[0].MessageZH, "第3轮值组") {
			t.Fatalf("got %+v", ce.Conflicts)
		}
	})
	t.Run("apart inside a together chain", func(t *testing.T) {
		p := base()
		ids := []int64{p.People[0].ID, p.People[1].ID, p.People[2].ID}
		p.Together = []Pair{{ids[0], ids[1]}, {ids[1], ids[2]}}
		p.Apart = []Pair{{ids[0], ids[2]}}
		ce := conflictOf(t, p)
		if len(ce.Conflicts[0].Rules) != 3 {
			t.Fatalf("want chain of 2 together rules + 1 apart, got %+v", ce.Conflicts[0].Rules)
		}
	})
	t.Run("pinned leaders exceed a group", func(t *testing.T) {
		p := base()
		for _, x := range p.People {
			if x.IsLeader() && len(p.Pinned) < 4 {
				p.Pinned = append(p.Pinned, Pin{x.ID, 5})
			}
		}
		ce := conflictOf(t, p)
		if ce.Conflicts[0].Rules[len(ce.Conflicts[0].Rules)-1].Kind != RuleLeaders || len(ce.Conflicts[0].Rules) != 5 {
			t.Fatalf("got %+v", ce.Conflicts)
		}
	})
	t.Run("people do not fit", func(t *testing.T) {
		p := base()
		p.MaxSize = 10
		ce := conflictOf(t, p)
		if !strings.Contains(ce.Conflicts[0].MessageZH, "132人") {
			t.Fatalf("got %s", ce.Error())
		}
	})
}

func TestSameSeedSameJSON(t *testing.T) {
	var out [][]byte
	for i := 0; i < 2; i++ {
		p := randomProblem(5, 132, 12)
		p.MaxIterations = 200
		pl, err := Solve(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pl.DeterministicJSON()
		out = append(out, b)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Fatal("same input and seed gave different JSON")
	}
}

func TestReplanMovesOnlyWhatItMust(t *testing.T) {
	p := &Problem{People: SyntheticRoster(132, 12, 1), Seed: 1}
	p.Pinned = []Pin{{p.People[5].ID, 2}}
	pl, err := Solve(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	prev := groupsFromPlan(pl)
	// Every leader leaving in turn: the hardest single departures, since groups may drop below 2.
	for _, x := range p.People {
		if !x.IsLeader() {
			continue
		}
		q := *p
		q.Excluded = []int64{x.ID}
		res, err := Replan(context.Background(), &q, prev, 0)
		if err != nil {
			t.Fatal(err)
		}
		auditHard(t, &q, res.Plan)
		if res.MovedCount >= 3 {
			t.Fatalf("leader %d left: %d moved", x.ID, res.MovedCount)
		}
		if res.Plan.GroupOf(p.People[5].ID) != 2 {
			t.Fatal("pinned person moved")
		}
	}
	q := *p
	q.Excluded = []int64{p.People[0].ID}
	res, err := Replan(context.Background(), &q, prev, 4)
	if err != nil {
		t.Fatal(err)
	}
	if res.MovedCount > 4 {
		t.Fatalf("maxMoves 4, moved %d", res.MovedCount)
	}
}

func TestPreviewEqualsAppliedDelta(t *testing.T) {
	p := &Problem{People: SyntheticRoster(132, 12, 2), Seed: 1, MaxIterations: 200}
	pl, err := Solve(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	a, b := p.People[10].ID, p.People[20].ID
	check := func(pv *Preview) {
		after := Apply(p, pl, pv.Moves)
		if d := after.Score.Total - pl.Score.Total; math.Abs(d-pv.TotalDelta) > 1e-6 {
			t.Fatalf("preview %v, applied %v", pv.TotalDelta, d)
		}
		for k := range pv.Terms {
			if d := after.Score.Terms[k].Value - pl.Score.Terms[k].Value; math.Abs(d-pv.Terms[k].ValueDelta) > 1e-6 {
				t.Fatalf("term %s preview %v applied %v", pv.Terms[k].Key, pv.Terms[k].ValueDelta, d)
			}
		}
		if pv.Allowed != after.Hard.Satisfied {
			t.Fatalf("preview allowed=%v but applied plan satisfied=%v", pv.Allowed, after.Hard.Satisfied)
		}
	}
	pv, err := PreviewSwap(p, pl, a, b)
	if err != nil {
		t.Fatal(err)
	}
	check(pv)
	ex, err := Explain(p, pl, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Options) != 11 {
		t.Fatalf("want 11 other groups, got %d", len(ex.Options))
	}
	for _, o := range ex.Options {
		check(&o.Preview)
		if o.Allowed { // sizes are all 11 here, so a lone move must break a size rule
			t.Fatalf("move to group %d reported allowed", o.Group)
		}
	}
}

// mdgplibDir is the shared instance folder beside the repository (…/shared/data/mdgplib).
func mdgplibDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data", "mdgplib")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("MDGPLIB instances not found at %s: %v", dir, err)
	}
	return dir
}

func TestReadMDGPLIB(t *testing.T) {
	f, err := os.Open(filepath.Join(mdgplibDir(t), "RanInt_n120_ds_01.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadMDGPLIB(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.People) != 120 || p.Groups != 10 || p.GroupSizes[0] != (Bounds{9, 14}) || p.Distance[0][1] != 69 || p.Distance[1][0] != 69 {
		t.Fatalf("header or distances misread: n=%d G=%d b0=%v d01=%v", len(p.People), p.Groups, p.GroupSizes[0], p.Distance[0][1])
	}
	p.MaxIterations = 50
	pl, err := Solve(context.Background(), p)
	if err != nil || !pl.Hard.Satisfied {
		t.Fatalf("solve: %v %+v", err, pl)
	}
}
