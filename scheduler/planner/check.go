package planner

import (
	"fmt"
	"sort"
)

// Check verifies every hard rule from scratch for an assignment (person ID → 1-based group).
// It shares nothing with the search's incremental tables, so it can be trusted to audit them.
func Check(p *Problem, groups map[int64]int) HardCheck {
	G := p.groupCount()
	excl := map[int64]bool{}
	for _, id := range p.Excluded {
		excl[id] = true
	}
	var out []Violation
	add := func(r RuleRef, zh, en string) { out = append(out, Violation{Rule: r, MessageZH: zh, MessageEN: en}) }
	name := func(id int64) string { return labelOf(p.People, id) }
	sizes := make([]int, G+1)
	leaders := make([]int, G+1)
	n := 0
	for _, ps := range p.People {
		g, ok := groups[ps.ID]
		switch {
		case excl[ps.ID] && ok && g != 0:
			add(RuleRef{Kind: RuleExcluded, PersonIDs: []int64{ps.ID}}, name(ps.ID)+"已被排除，却被分进了轮值组。", fmt.Sprintf("%s is excluded but placed in a group.", name(ps.ID)))
		case excl[ps.ID]:
		case !ok || g < 1 || g > G:
			add(RuleRef{Kind: RuleSize, PersonIDs: []int64{ps.ID}}, name(ps.ID)+"没有被分进任何轮值组。", fmt.Sprintf("%s is not in any group.", name(ps.ID)))
		default:
			n++
			sizes[g]++
			if ps.IsLeader() {
				leaders[g]++
			}
		}
	}
	sb := p.sizeBounds(n)
	lb, on := p.leaderBounds()
	for g := 1; g <= G; g++ {
		if b := sb[g-1]; sizes[g] < b.Min || sizes[g] > b.Max {
			add(RuleRef{Kind: RuleSize, Group: g}, fmt.Sprintf("第%d轮值组有%d人，应为%d–%d人。", g, sizes[g], b.Min, b.Max),
				fmt.Sprintf("group %d has %d people; it must have %d–%d.", g, sizes[g], b.Min, b.Max))
		}
		if on && (leaders[g] < lb.Min || leaders[g] > lb.Max) {
			add(RuleRef{Kind: RuleLeaders, Group: g}, fmt.Sprintf("第%d轮值组有%d名组长，应为%d–%d名。", g, leaders[g], lb.Min, lb.Max),
				fmt.Sprintf("group %d has %d leaders; it must have %d–%d.", g, leaders[g], lb.Min, lb.Max))
		}
	}
	for _, pin := range p.Pinned {
		if groups[pin.PersonID] != pin.Group {
			add(RuleRef{Kind: RulePinned, PersonIDs: []int64{pin.PersonID}, Group: pin.Group},
				fmt.Sprintf("%s应在第%d轮值组，现在在第%d组。", name(pin.PersonID), pin.Group, groups[pin.PersonID]),
				fmt.Sprintf("%s is pinned to group %d but sits in group %d.", name(pin.PersonID), pin.Group, groups[pin.PersonID]))
		}
	}
	for _, pr := range p.Apart {
		if ga, gb := groups[pr.A], groups[pr.B]; ga != 0 && ga == gb {
			add(RuleRef{Kind: RuleApart, PersonIDs: []int64{pr.A, pr.B}, Group: ga},
				fmt.Sprintf("%s和%s应分在不同组，现在都在第%d组。", name(pr.A), name(pr.B), ga),
				fmt.Sprintf("%s and %s must be apart but both are in group %d.", name(pr.A), name(pr.B), ga))
		}
	}
	for _, pr := range p.Together {
		if ga, gb := groups[pr.A], groups[pr.B]; ga != gb {
			add(RuleRef{Kind: RuleTogether, PersonIDs: []int64{pr.A, pr.B}},
				fmt.Sprintf("%s和%s应在同一组，现在分别在第%d组和第%d组。", name(pr.A), name(pr.B), ga, gb),
				fmt.Sprintf("%s and %s must be together but are in groups %d and %d.", name(pr.A), name(pr.B), ga, gb))
		}
	}
	return HardCheck{Satisfied: len(out) == 0, Violations: append([]Violation{}, out...)}
}

// ScoreAssignment scores an assignment from scratch: it recounts every group with maps and sums
// pairwise scores pair by pair, without the search's incremental tables.
func ScoreAssignment(p *Problem, groups map[int64]int) Score {
	m := buildModel(p)
	terms := m.termInfo()
	members := make([][]int, m.G)
	for i, ps := range m.people {
		if g := groups[ps.ID]; g >= 1 && g <= m.G {
			members[g-1] = append(members[g-1], i)
		}
	}
	for k, a := range m.attrs {
		v := 0.0
		for g := 0; g < m.G; g++ {
			counts := map[int32]int32{}
			for _, i := range members[g] {
				if x := a.val[i]; x >= 0 {
					counts[x]++
				}
			}
			keys := make([]int, 0, a.nv)
			for x := 0; x < a.nv; x++ {
				keys = append(keys, x)
			}
			sort.Ints(keys)
			for _, x := range keys {
				v += a.f(int32(x), counts[int32(x)])
			}
		}
		terms[k].Value = v
	}
	if m.pairOn {
		v := 0.0
		for g := 0; g < m.G; g++ {
			for i, a := range members[g] {
				for _, b := range members[g][i+1:] {
					v += m.dist[a*m.n+b]
				}
			}
		}
		terms[len(m.attrs)].Value = v
	}
	total := 0.0
	for i := range terms {
		terms[i].Value = round6(terms[i].Value)
		terms[i].Weighted = round6(terms[i].Value * terms[i].Weight)
		total += terms[i].Weighted
	}
	return Score{Terms: terms, Total: round6(total)}
}
