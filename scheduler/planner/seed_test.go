package planner

import "testing"

// TestLeafStartSynthetic1 checks that the start built from the industry relaxation's best leaf
// keeps every hard rule and holds the relaxation optimum of 445 industry pairs.
func TestLeafStartSynthetic1(t *testing.T) {
	p := &Problem{People: SyntheticRoster(132, 12, 1)}
	m := buildModel(p)
	s := m.leafStart()
	if s == nil {
		t.Fatal("no leaf start")
	}
	groups := map[int64]int{}
	for i, ps := range m.people {
		groups[ps.ID] = int(s.grp[i]) + 1
	}
	if hc := Check(p, groups); !hc.Satisfied || s.tv[m.primary] != 445 {
		t.Fatalf("leaf start: hard ok %v, industry pairs %v", hc.Satisfied, s.tv[m.primary])
	}
}
