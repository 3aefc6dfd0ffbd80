package planner

import (
	"bufio"
	"fmt"
	"io"
)

// WriteLP writes the industry-mode grouping problem as a MILP in CPLEX LP format, for CBC and
// friends. Variables: binary x_p_g (person p in group g); for each value c of the industry and
// region terms and each group, binaries z_c_g_k ("at least k people of c in g", k = 1..cap)
// with z_k ≤ z_{k-1}, Σ_k z_c_g_k = Σ_{p in c} x_p_g. Because C(n,2) = Σ_{k=1..n} (k−1), the
// objective Σ w_term · (k−1) · z_c_g_k is exactly the planner's pair terms. Constraints: every
// person in one group, group sizes, leaders per group, pinned, apart, together. The soft spread
// terms are left out (they are penalties the LP would only make larger), so compare against a
// planner run with NoSoftSpread.
func WriteLP(w io.Writer, p *Problem) error {
	if err := Validate(p); err != nil {
		return err
	}
	q := *p
	q.NoSoftSpread = true
	q.Mode = ModeIndustry
	m := buildModel(&q)
	bw := bufio.NewWriter(w)
	capMax := 0
	for _, b := range m.size {
		capMax = max(capMax, b.Max)
	}
	x := func(i int, g int) string { return fmt.Sprintf("x_%d_%d", i, g) }
	z := func(a, c, g, k int) string { return fmt.Sprintf("z_%d_%d_%d_%d", a, c, g, k) }
	fmt.Fprintf(bw, "\\ rota industry-mode grouping: %d people, %d groups\nMaximize\n obj:", m.n, m.G)
	var bins []string
	for a, at := range m.attrs {
		for c := 0; c < at.nv; c++ {
			for g := 0; g < m.G; g++ {
				for k := 1; k <= capMax; k++ {
					if k > 1 {
						fmt.Fprintf(bw, " + %g %s", at.weight*float64(k-1), z(a, c, g, k))
					}
					bins = append(bins, z(a, c, g, k))
				}
			}
		}
	}
	fmt.Fprintf(bw, "\nSubject To\n")
	for i := 0; i < m.n; i++ {
		fmt.Fprintf(bw, " one_%d:", i)
		for g := 0; g < m.G; g++ {
			fmt.Fprintf(bw, " + %s", x(i, g))
		}
		fmt.Fprintf(bw, " = 1\n")
	}
	for g := 0; g < m.G; g++ {
		for _, part := range []struct {
			name   string
			who    func(int) bool
			lo, hi int
			on     bool
		}{
			{"size", func(int) bool { return true }, m.size[g].Min, m.size[g].Max, true},
			{"lead", func(i int) bool { return m.isLeader[i] }, m.lead.Min, m.lead.Max, m.leadOn},
		} {
			if !part.on {
				continue
			}
			var terms string
			for i := 0; i < m.n; i++ {
				if part.who(i) {
					terms += " + " + x(i, g)
				}
			}
			fmt.Fprintf(bw, " %s_lo_%d:%s >= %d\n %s_hi_%d:%s <= %d\n", part.name, g, terms, part.lo, part.name, g, terms, part.hi)
		}
	}
	for a, at := range m.attrs {
		for c := 0; c < at.nv; c++ {
			for g := 0; g < m.G; g++ {
				fmt.Fprintf(bw, " cnt_%d_%d_%d:", a, c, g)
				for k := 1; k <= capMax; k++ {
					fmt.Fprintf(bw, " + %s", z(a, c, g, k))
				}
				for i := 0; i < m.n; i++ {
					if at.val[i] == int32(c) {
						fmt.Fprintf(bw, " - %s", x(i, g))
					}
				}
				fmt.Fprintf(bw, " = 0\n")
				for k := 2; k <= capMax; k++ {
					fmt.Fprintf(bw, " ord_%d_%d_%d_%d: %s - %s <= 0\n", a, c, g, k, z(a, c, g, k), z(a, c, g, k-1))
				}
			}
		}
	}
	for _, pin := range m.prob.Pinned {
		fmt.Fprintf(bw, " pin_%d: %s = 1\n", pin.PersonID, x(int(m.idx[pin.PersonID]), pin.Group-1))
	}
	for k, pr := range m.prob.Apart {
		for g := 0; g < m.G; g++ {
			fmt.Fprintf(bw, " apart_%d_%d: %s + %s <= 1\n", k, g, x(int(m.idx[pr.A]), g), x(int(m.idx[pr.B]), g))
		}
	}
	for k, pr := range m.prob.Together {
		for g := 0; g < m.G; g++ {
			fmt.Fprintf(bw, " tog_%d_%d: %s - %s = 0\n", k, g, x(int(m.idx[pr.A]), g), x(int(m.idx[pr.B]), g))
		}
	}
	fmt.Fprintf(bw, "Binary\n")
	for i := 0; i < m.n; i++ {
		for g := 0; g < m.G; g++ {
			fmt.Fprintf(bw, " %s\n", x(i, g))
		}
	}
	for _, b := range bins {
		fmt.Fprintf(bw, " %s\n", b)
	}
	fmt.Fprintf(bw, "End\n")
	return bw.Flush()
}
