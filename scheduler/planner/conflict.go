package planner

import (
	"fmt"
	"sort"
	"strings"
)

// Rule kinds, used to name the rules taking part in a conflict or a violation.
const (
	RuleSize     = "size"     // group size bounds
	RuleLeaders  = "leaders"  // leaders per group
	RulePinned   = "pinned"   // person fixed to a group
	RuleApart    = "apart"    // two people in different groups
	RuleTogether = "together" // two people in the same group
	RuleExcluded = "excluded" // person left out of every group
	RuleInput    = "input"    // malformed input (unknown person, bad group number)
)

// RuleRef names one rule: its kind and the people and group it is about.
type RuleRef struct {
	Kind      string  `json:"kind"`
	PersonIDs []int64 `json:"person_ids,omitempty"`
	Group     int     `json:"group,omitempty"` // 1-based; 0 when not about one group
}

// Conflict is one reason the hard rules cannot all hold, with the smallest set of rules involved.
type Conflict struct {
	Rules     []RuleRef `json:"rules"`
	MessageZH string    `json:"message_zh"`
	MessageEN string    `json:"message_en"`
}

// ConflictError is returned before any search when the hard rules cannot all hold.
type ConflictError struct {
	Conflicts []Conflict `json:"conflicts"`
}

// Error gives the Chinese message first, then the English one, for each conflict.
func (e *ConflictError) Error() string {
	var zh, en []string
	for _, c := range e.Conflicts {
		zh = append(zh, c.MessageZH)
		en = append(en, c.MessageEN)
	}
	return strings.Join(zh, "") + " / " + strings.Join(en, " ")
}

type checker struct {
	p      *Problem
	byID   map[int64]int
	excl   map[int64]bool
	out    []Conflict
	G      int
	placed int
}

func (c *checker) name(id int64) string { return labelOf(c.p.People, id) }

func (c *checker) add(zh, en string, rules ...RuleRef) {
	c.out = append(c.out, Conflict{Rules: rules, MessageZH: zh, MessageEN: en})
}

// Validate checks that the hard rules can all hold, before any search. It returns a
// *ConflictError naming, for each problem found, the smallest set of rules that clash.
func Validate(p *Problem) error {
	c := &checker{p: p, byID: map[int64]int{}, excl: map[int64]bool{}, G: p.groupCount()}
	for i, ps := range p.People {
		if _, dup := c.byID[ps.ID]; dup {
			c.add(fmt.Sprintf("名单中编号%d出现了两次。", ps.ID), fmt.Sprintf("person ID %d appears twice.", ps.ID),
				RuleRef{Kind: RuleInput, PersonIDs: []int64{ps.ID}})
		}
		c.byID[ps.ID] = i
	}
	for _, id := range p.Excluded {
		c.excl[id] = true
	}
	c.placed = len(p.People)
	for id := range c.excl {
		if _, ok := c.byID[id]; ok {
			c.placed--
		}
	}
	c.checkRefs()
	if len(c.out) == 0 {
		c.checkCounts()
		c.checkBlocks()
	}
	if len(c.out) > 0 {
		return &ConflictError{Conflicts: c.out}
	}
	return nil
}

// checkRefs rejects rules about unknown or excluded people and bad group numbers.
func (c *checker) checkRefs() {
	known := func(kind string, ids ...int64) bool {
		for _, id := range ids {
			if _, ok := c.byID[id]; !ok {
				c.add(fmt.Sprintf("规则中的编号%d不在名单中。", id), fmt.Sprintf("rule refers to person %d who is not on the roster.", id),
					RuleRef{Kind: kind, PersonIDs: ids})
				return false
			}
			if c.excl[id] && kind != RuleExcluded {
				c.add(fmt.Sprintf("%s已被排除在分组之外，不能再为其设定分组规则。", c.name(id)),
					fmt.Sprintf("%s is excluded from grouping, so a %s rule about them cannot hold.", c.name(id), kind),
					RuleRef{Kind: RuleExcluded, PersonIDs: []int64{id}}, RuleRef{Kind: kind, PersonIDs: ids})
				return false
			}
		}
		return true
	}
	for _, pin := range c.p.Pinned {
		if known(RulePinned, pin.PersonID) && (pin.Group < 1 || pin.Group > c.G) {
			c.add(fmt.Sprintf("%s被指定到第%d轮值组，但只有%d个轮值组。", c.name(pin.PersonID), pin.Group, c.G),
				fmt.Sprintf("%s is pinned to group %d but there are only %d groups.", c.name(pin.PersonID), pin.Group, c.G),
				RuleRef{Kind: RulePinned, PersonIDs: []int64{pin.PersonID}, Group: pin.Group})
		}
	}
	for _, pr := range c.p.Apart {
		if known(RuleApart, pr.A, pr.B) && pr.A == pr.B {
			c.add(fmt.Sprintf("%s不能与自己分在不同组。", c.name(pr.A)), fmt.Sprintf("%s cannot be apart from themselves.", c.name(pr.A)),
				RuleRef{Kind: RuleApart, PersonIDs: []int64{pr.A, pr.B}})
		}
	}
	for _, pr := range c.p.Together {
		known(RuleTogether, pr.A, pr.B)
	}
	for _, id := range c.p.Excluded {
		known(RuleExcluded, id)
	}
	if len(c.p.GroupSizes) != 0 && len(c.p.GroupSizes) != c.G {
		c.add(fmt.Sprintf("给出了%d组的人数范围，但共有%d个轮值组。", len(c.p.GroupSizes), c.G),
			fmt.Sprintf("size bounds given for %d groups but there are %d groups.", len(c.p.GroupSizes), c.G), RuleRef{Kind: RuleSize})
	}
}

// checkCounts compares totals: people against group sizes, leaders against leader bounds.
func (c *checker) checkCounts() {
	n, G := c.placed, c.G
	sb := c.p.sizeBounds(n)
	lo, hi := 0, 0
	for g, b := range sb {
		lo += b.Min
		hi += b.Max
		if b.Min > b.Max || b.Max < 1 {
			c.add(fmt.Sprintf("第%d轮值组的人数范围%d–%d无效。", g+1, b.Min, b.Max),
				fmt.Sprintf("group %d has an empty size range %d–%d.", g+1, b.Min, b.Max), RuleRef{Kind: RuleSize, Group: g + 1})
		}
	}
	if n < lo || n > hi {
		c.add(fmt.Sprintf("参与分组的共有%d人，但%d个轮值组合计只能容纳%d–%d人。", n, G, lo, hi),
			fmt.Sprintf("%d people take part but %d groups hold between %d and %d people.", n, G, lo, hi), RuleRef{Kind: RuleSize})
	}
	lb, on := c.p.leaderBounds()
	if !on {
		return
	}
	leaders := 0
	for _, ps := range c.p.People {
		if ps.IsLeader() && !c.excl[ps.ID] {
			leaders++
		}
	}
	if leaders < G*lb.Min {
		c.add(fmt.Sprintf("%d个轮值组每组至少需要%d名组长（副主席或副会长），共需%d名，但名单中只有%d名。", G, lb.Min, G*lb.Min, leaders),
			fmt.Sprintf("%d groups need at least %d leaders (vice-chair or vice-president) each, %d in all, but the roster has only %d.", G, lb.Min, G*lb.Min, leaders),
			RuleRef{Kind: RuleLeaders})
	}
	if leaders > G*lb.Max {
		c.add(fmt.Sprintf("%d个轮值组每组最多%d名组长（副主席或副会长），最多容纳%d名，但名单中有%d名。", G, lb.Max, G*lb.Max, leaders),
			fmt.Sprintf("%d groups take at most %d leaders each, %d in all, but the roster has %d.", G, lb.Max, G*lb.Max, leaders),
			RuleRef{Kind: RuleLeaders})
	}
}

// block is a together-chain: people the together rules force into one group.
type block struct {
	ids  []int64
	adj  map[int64][]int64 // together graph, to name the chain between two members
	pins map[int64]int
}

// path returns the together rules linking a to b (a shortest chain), as rule references.
func (b *block) path(a, z int64) []RuleRef {
	prev := map[int64]int64{a: a}
	queue := []int64{a}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == z {
			break
		}
		for _, y := range b.adj[x] {
			if _, seen := prev[y]; !seen {
				prev[y] = x
				queue = append(queue, y)
			}
		}
	}
	var out []RuleRef
	for x := z; x != a; x = prev[x] {
		out = append([]RuleRef{{Kind: RuleTogether, PersonIDs: []int64{prev[x], x}}}, out...)
	}
	return out
}

func (c *checker) blocks() []*block {
	uf := newUnionFind(len(c.p.People))
	adj := map[int64][]int64{}
	for _, pr := range c.p.Together {
		uf.union(c.byID[pr.A], c.byID[pr.B])
		adj[pr.A] = append(adj[pr.A], pr.B)
		adj[pr.B] = append(adj[pr.B], pr.A)
	}
	byRoot := map[int]*block{}
	var out []*block
	for i, ps := range c.p.People {
		if c.excl[ps.ID] {
			continue
		}
		r := uf.find(i)
		b := byRoot[r]
		if b == nil {
			b = &block{adj: adj, pins: map[int64]int{}}
			byRoot[r] = b
			out = append(out, b)
		}
		b.ids = append(b.ids, ps.ID)
	}
	for _, pin := range c.p.Pinned {
		b := byRoot[uf.find(c.byID[pin.PersonID])]
		if g, ok := b.pins[pin.PersonID]; ok && g != pin.Group {
			c.add(fmt.Sprintf("%s被同时指定到第%d组和第%d组。", c.name(pin.PersonID), g, pin.Group),
				fmt.Sprintf("%s is pinned to both group %d and group %d.", c.name(pin.PersonID), g, pin.Group),
				RuleRef{Kind: RulePinned, PersonIDs: []int64{pin.PersonID}, Group: g},
				RuleRef{Kind: RulePinned, PersonIDs: []int64{pin.PersonID}, Group: pin.Group})
		}
		b.pins[pin.PersonID] = pin.Group
	}
	return out
}

// checkBlocks checks each together-chain and each group's pinned people.
func (c *checker) checkBlocks() {
	sb := c.p.sizeBounds(c.placed)
	lb, on := c.p.leaderBounds()
	maxSize := 0
	for _, b := range sb {
		maxSize = max(maxSize, b.Max)
	}
	isLeader := func(id int64) bool { return on && c.p.People[c.byID[id]].IsLeader() }
	blockOf := map[int64]*block{}
	pinnedSize := make([]int, c.G+1)
	pinnedLead := make([]int, c.G+1)
	pinnedWho := make([][]int64, c.G+1)
	for _, b := range c.blocks() {
		leaders := 0
		for _, id := range b.ids {
			blockOf[id] = b
			if isLeader(id) {
				leaders++
			}
		}
		chain := c.spanning(b)
		if len(b.ids) > maxSize {
			c.add(fmt.Sprintf("“必须同组”的规则把%d人连在一起，超过了每组最多%d人。", len(b.ids), maxSize),
				fmt.Sprintf("together rules chain %d people into one group, more than the maximum group size %d.", len(b.ids), maxSize),
				append(chain, RuleRef{Kind: RuleSize})...)
		}
		if on && leaders > lb.Max {
			c.add(fmt.Sprintf("“必须同组”的规则把%d名组长连在一起，超过了每组最多%d名组长。", leaders, lb.Max),
				fmt.Sprintf("together rules chain %d leaders into one group, more than %d leaders per group.", leaders, lb.Max),
				append(chain, RuleRef{Kind: RuleLeaders})...)
		}
		pinIDs := make([]int64, 0, len(b.pins))
		for id := range b.pins {
			pinIDs = append(pinIDs, id)
		}
		sort.Slice(pinIDs, func(i, j int) bool { return pinIDs[i] < pinIDs[j] })
		for i := 1; i < len(pinIDs); i++ {
			a, z := pinIDs[0], pinIDs[i]
			if b.pins[a] != b.pins[z] {
				c.add(fmt.Sprintf("%s被指定到第%d组，%s被指定到第%d组，但“必须同组”的规则要求两人同组。", c.name(a), b.pins[a], c.name(z), b.pins[z]),
					fmt.Sprintf("%s is pinned to group %d and %s to group %d, but together rules keep them in one group.", c.name(a), b.pins[a], c.name(z), b.pins[z]),
					append(b.path(a, z), RuleRef{Kind: RulePinned, PersonIDs: []int64{a}, Group: b.pins[a]}, RuleRef{Kind: RulePinned, PersonIDs: []int64{z}, Group: b.pins[z]})...)
			}
		}
		if len(pinIDs) > 0 {
			g := b.pins[pinIDs[0]]
			pinnedSize[g] += len(b.ids)
			pinnedLead[g] += leaders
			pinnedWho[g] = append(pinnedWho[g], pinIDs[0])
		}
	}
	pinOf := map[int64]int{}
	for _, b := range blockOf {
		for _, g := range b.pins {
			for _, x := range b.ids {
				pinOf[x] = g
			}
		}
	}
	for _, pr := range c.p.Apart {
		ba := blockOf[pr.A]
		if ba == blockOf[pr.B] {
			c.add(fmt.Sprintf("%s和%s既要求“不同组”，又被“必须同组”的规则连在一起。", c.name(pr.A), c.name(pr.B)),
				fmt.Sprintf("%s and %s must be apart, yet together rules chain them into one group.", c.name(pr.A), c.name(pr.B)),
				append(ba.path(pr.A, pr.B), RuleRef{Kind: RuleApart, PersonIDs: []int64{pr.A, pr.B}})...)
			continue
		}
		ga, oka := pinOf[pr.A]
		gb, okb := pinOf[pr.B]
		if oka && okb && ga == gb {
			c.add(fmt.Sprintf("%s和%s要求“不同组”，但两人都被指定到第%d轮值组。", c.name(pr.A), c.name(pr.B), ga),
				fmt.Sprintf("%s and %s must be apart, but both are pinned to group %d.", c.name(pr.A), c.name(pr.B), ga),
				RuleRef{Kind: RuleApart, PersonIDs: []int64{pr.A, pr.B}}, RuleRef{Kind: RulePinned, PersonIDs: []int64{pr.A}, Group: ga},
				RuleRef{Kind: RulePinned, PersonIDs: []int64{pr.B}, Group: gb})
		}
	}
	for g := 1; g <= c.G; g++ {
		rules := func(extra RuleRef) []RuleRef {
			var out []RuleRef
			for _, id := range pinnedWho[g] {
				out = append(out, RuleRef{Kind: RulePinned, PersonIDs: []int64{id}, Group: g})
			}
			return append(out, extra)
		}
		if pinnedSize[g] > sb[g-1].Max {
			c.add(fmt.Sprintf("被指定到第%d轮值组的有%d人，超过了该组最多%d人。", g, pinnedSize[g], sb[g-1].Max),
				fmt.Sprintf("%d people are pinned to group %d, more than its maximum of %d.", pinnedSize[g], g, sb[g-1].Max),
				rules(RuleRef{Kind: RuleSize, Group: g})...)
		}
		if on && pinnedLead[g] > lb.Max {
			c.add(fmt.Sprintf("被指定到第%d轮值组的组长（副主席或副会长）有%d名，超过了每组最多%d名。", g, pinnedLead[g], lb.Max),
				fmt.Sprintf("%d leaders are pinned to group %d, more than the maximum of %d per group.", pinnedLead[g], g, lb.Max),
				rules(RuleRef{Kind: RuleLeaders, Group: g})...)
		}
	}
}

// spanning lists the together rules inside a block (the whole chain).
func (c *checker) spanning(b *block) []RuleRef {
	in := map[int64]bool{}
	for _, id := range b.ids {
		in[id] = true
	}
	var out []RuleRef
	for _, pr := range c.p.Together {
		if in[pr.A] {
			out = append(out, RuleRef{Kind: RuleTogether, PersonIDs: []int64{pr.A, pr.B}})
		}
	}
	return out
}
