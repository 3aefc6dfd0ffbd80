package planner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkReference132 solves the Fu'an-shape roster (132 people, 12 groups, 36 leaders) in
// industry mode and reports the gap to UpperBound.
func BenchmarkReference132(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p := &Problem{People: SyntheticRoster(132, 12, 1), Seed: uint64(i + 1), TimeLimit: time.Second}
		pl, err := Solve(context.Background(), p)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(*pl.GapPercent, "gap%")
		b.ReportMetric(pl.Score.Total, "score")
	}
}

// BenchmarkScale groups growing rosters at ~11 people per group (40,000 into 3,600 at the top).
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1000, 4000, 10000, 40000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			g := n * 9 / 100
			people := SyntheticRoster(n, g, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := &Problem{People: people, Groups: g, Seed: 1, TimeLimit: 30 * time.Second}
				pl, err := Solve(context.Background(), p)
				if err != nil {
					b.Fatal(err)
				}
				if !pl.Hard.Satisfied {
					b.Fatal("hard rules broken")
				}
				b.ReportMetric(*pl.GapPercent, "gap%")
			}
		})
	}
}

// BenchmarkMDGPLIB runs every shared instance with the time limits of the goals (10/30/60 s by n).
func BenchmarkMDGPLIB(b *testing.B) {
	dir := mdgplibDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r, err := os.Open(f)
				if err != nil {
					b.Fatal(err)
				}
				p, err := ReadMDGPLIB(r)
				r.Close()
				if err != nil {
					b.Fatal(err)
				}
				p.Seed, p.Stagnation = 1, -1
				p.TimeLimit = map[int]time.Duration{120: 10 * time.Second, 240: 30 * time.Second, 480: 60 * time.Second}[len(p.People)]
				pl, err := Solve(context.Background(), p)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(pl.Score.Total, "objective")
				if bk, ok := MDGPLIBBestKnown[name]; ok {
					b.ReportMetric(100*(bk-pl.Score.Total)/bk, "gap%")
				}
			}
		})
	}
}

// BenchmarkReplanOneLeaves replans the reference roster after one leader leaves (the case that
// can leave a group short of leaders) and reports how many people moved.
func BenchmarkReplanOneLeaves(b *testing.B) {
	p := &Problem{People: SyntheticRoster(132, 12, 1), Seed: 1, TimeLimit: time.Second}
	pl, err := Solve(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	prev := groupsFromPlan(pl)
	q := *p
	q.Excluded = []int64{p.People[0].ID}
	for _, x := range p.People {
		if x.IsLeader() {
			q.Excluded = []int64{x.ID}
			break
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Replan(context.Background(), &q, prev, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.MovedCount), "moved")
	}
}

// BenchmarkRelaxationNodes solves the industry count relaxation of synthetic rosters 1–5 to the
// end (plain, and the vice-chair branches e ≤ 0 and e ≤ 1) and reports the value and the nodes it
// took, with the Lagrangian node bound (lag=on) and without it (lag=off, plain only: without it the
// branches take 10⁸ nodes and more). For example:
//
//	go test ./scheduler/planner/ -run XXX -bench RelaxationNodes -benchtime 1x
func BenchmarkRelaxationNodes(b *testing.B) {
	for s := uint64(1); s <= 5; s++ {
		m := buildModel(&Problem{People: SyntheticRoster(132, 12, s)})
		for _, c := range []struct {
			name string
			ex   int
			lag  bool
		}{{"plain/lag=on", -1, true}, {"plain/lag=off", -1, false}, {"e0/lag=on", 0, true}, {"e1/lag=on", 1, true}} {
			b.Run(fmt.Sprintf("synthetic%d/%s", s, c.name), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					e := primaryRelax(m, c.ex, nil)
					if !c.lag {
						e.lagNu = nil
					}
					e.budget = 100_000_000
					v, ok := e.solve(1000)
					if !ok {
						b.Fatalf("not finished within %d nodes (proved %d)", e.budget, v)
					}
					b.ReportMetric(float64(v), "pairs")
					b.ReportMetric(float64(e.nodes), "nodes")
				}
			})
		}
	}
}
