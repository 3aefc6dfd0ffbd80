package duty

import (
	"fmt"
	"slices"
)

// Leader is a group leader (a vice-chair or vice-president) and the months they cannot lead an
// activity, e.g. because of a trade fair or a CPPCC session.
type Leader struct {
	Name              string `json:"name"`
	UnavailableMonths []int  `json:"unavailable_months,omitempty"`
}

// Group is a rotation group as the month assignment sees it. Its index is its position in
// AssignInput.Groups.
type Group struct {
	Name    string   `json:"name,omitempty"` // optional, e.g. "电机电器组"
	Leaders []Leader `json:"leaders,omitempty"`
}

// availableIn reports whether at least one leader can lead in month m. A group with no leaders
// on record is treated as always available rather than never, so that missing data does not
// silently drop a group from the rota.
func (g Group) availableIn(m int) bool {
	if len(g.Leaders) == 0 {
		return true
	}
	for _, l := range g.Leaders {
		if !slices.Contains(l.UnavailableMonths, m) {
			return true
		}
	}
	return false
}

// NoDutyMonth is a month without a duty group, such as the Spring Festival month.
type NoDutyMonth struct {
	Month  int    `json:"month"`
	Reason string `json:"reason,omitempty"` // e.g. "春节"; shown to users
}

// History is the rotation so far, carried from year to year so the order continues and no group
// leads more often than the others over time. The zero value means "no history".
type History struct {
	// Counts[g] is how many duties group g has led in past years. Empty means all zero.
	Counts []int `json:"counts"`
	// LastGroup is the group at which the cyclic order stopped last year (normally December's
	// group). It is ignored while all counts are zero; NoGroup means unknown. Store the value
	// Assign returns in Plan.History rather than reading it off the calendar: after a manual swap
	// December's group is no longer where the cycle stopped.
	LastGroup int `json:"last_group"`
}

// AssignInput is what Assign needs to give the months of a year to groups.
type AssignInput struct {
	Year    int           `json:"year"`
	Groups  []Group       `json:"groups"`
	NoDuty  []NoDutyMonth `json:"no_duty,omitempty"`
	History History       `json:"history"`
}

// MonthAssignment is one month of a plan.
type MonthAssignment struct {
	Month       int    `json:"month"`
	Group       int    `json:"group"` // 0-based index, or NoGroup
	GroupNumber int    `json:"group_number,omitempty"`
	GroupLabel  string `json:"group_label,omitempty"` // "第3轮值组"
	NoDuty      bool   `json:"no_duty"`
	// Reason says why the month has no group, in Chinese then English.
	Reason   string `json:"reason,omitempty"`
	ReasonEN string `json:"reason_en,omitempty"`
	// Available lists the groups with at least one leader available this month, so the UI can
	// offer only sensible choices when the secretariat changes the month by hand.
	Available []int `json:"available_groups"`
}

// Plan is a year's month assignment.
type Plan struct {
	Year       int               `json:"year"`
	GroupCount int               `json:"group_count"`
	Months     []MonthAssignment `json:"months"` // always 12, January first
	Warnings   []Warning         `json:"warnings"`
	// History is the rotation history after this year; pass it to next year's Assign.
	History History `json:"history"`
}

// Assign gives each duty month of the year to a group.
//
// Rules, in priority order:
//  1. A month marked "no duty" gets no group; a group is never given a month in which all its
//     leaders are unavailable.
//  2. The groups that have led fewest duties so far go first; ties are broken by continuing the
//     cyclic order 1, 2, …, G, 1, … after History.LastGroup. With 12 groups and 12 duty months
//     each group gets one month; with other counts totals never differ by more than one, as long
//     as availability allows.
//  3. Within those groups, months follow the cyclic order as closely as availability allows.
//
// When a group owed a duty cannot be placed, another group takes its place and a WarnGroupShort
// warning explains it; a month no group can take stays empty with WarnMonthEmpty. Only unusable
// input is an error. The result depends on the input alone.
func Assign(in AssignInput) (Plan, error) {
	if err := validateAssign(in); err != nil {
		return Plan{}, err
	}
	G := len(in.Groups)
	noDuty := make(map[int]string)
	for _, nd := range in.NoDuty {
		noDuty[nd.Month] = nd.Reason
	}
	avail := func(g, m int) bool { return in.Groups[g].availableIn(m) }

	plan := Plan{Year: in.Year, GroupCount: G, Months: make([]MonthAssignment, 12), Warnings: []Warning{}}
	var dutyMonths []int
	for m := 1; m <= 12; m++ {
		ma := MonthAssignment{Month: m, Group: NoGroup, Available: []int{}}
		for g := range G {
			if avail(g, m) {
				ma.Available = append(ma.Available, g)
			}
		}
		if reason, ok := noDuty[m]; ok {
			ma.NoDuty = true
			ma.Reason, ma.ReasonEN = "本月不安排轮值", "no duty this month"
			if reason != "" {
				ma.Reason = "本月不安排轮值（" + reason + "）"
			}
		} else {
			dutyMonths = append(dutyMonths, m)
		}
		plan.Months[m-1] = ma
	}
	D := len(dutyMonths)

	// The ideal order ignores availability: each pick is the fewest-led group, ties by cyclic
	// order. It is long enough (every group D times) that any feasible assignment can be drawn
	// from it.
	counts := make([]int, G)
	copy(counts, in.History.Counts)
	last := in.History.LastGroup
	if sum(counts) == 0 {
		last = NoGroup
	}
	order := idealOrder(counts, last, D*G+G)

	// Choose slots greedily in order, keeping a slot only if all chosen slots can still be
	// matched to distinct months. Chosen sets of a bipartite matching form a matroid, so this
	// greedy choice is the best possible in priority order: a group is skipped only if it truly
	// cannot be fitted in.
	canTake := func(slot, m int) bool { return avail(order[slot], m) }
	var chosen []int
	dead := make(map[int]bool) // groups that failed once will fail again
	mt := newMatcher(dutyMonths, canTake)
	for s := 0; s < len(order) && len(chosen) < D; s++ {
		if dead[order[s]] {
			continue
		}
		if mt.add(s) {
			chosen = append(chosen, s)
		} else {
			dead[order[s]] = true
		}
	}

	// Give months, in calendar order, the earliest chosen slot that still leaves a complete
	// matching for the rest, so the cyclic order is kept except where availability forbids it.
	used := make([]bool, len(chosen))
	for i, m := range dutyMonths {
		rest := dutyMonths[i+1:]
		placed := false
		for k, s := range chosen {
			if used[k] || !canTake(s, m) {
				continue
			}
			used[k] = true
			if matchable(remaining(chosen, used), rest, canTake) {
				setGroup(&plan.Months[m-1], order[s])
				placed = true
				break
			}
			used[k] = false
		}
		if !placed {
			ma := &plan.Months[m-1]
			ma.Reason = "所有轮值组的领导本月均无法到岗"
			ma.ReasonEN = "no group has a leader available this month"
			plan.Warnings = append(plan.Warnings, Warning{
				Code: WarnMonthEmpty, Month: m, Group: NoGroup,
				Message:   fmt.Sprintf("%d年%d月所有轮值组的领导均无法到岗，本月暂无轮值组，请调整。", in.Year, m),
				MessageEN: fmt.Sprintf("%d-%02d: no group has a leader available; the month has no duty group.", in.Year, m),
			})
		}
	}

	// Groups that got fewer duties than the ideal order gave them.
	owed := make([]int, G)
	for _, g := range order[:min(D, len(order))] {
		owed[g]++
	}
	got := make([]int, G)
	for _, ma := range plan.Months {
		if ma.Group != NoGroup {
			got[ma.Group]++
		}
	}
	for g := range G {
		if got[g] < owed[g] {
			plan.Warnings = append(plan.Warnings, Warning{
				Code: WarnGroupShort, Group: g,
				Message: fmt.Sprintf("%s本年度应轮值%d次，但其领导在可安排的月份均无法到岗，只安排了%d次；已由其他轮值组顶替。",
					GroupLabel(g), owed[g], got[g]),
				MessageEN: fmt.Sprintf("%s is owed %d duties but its leaders are unavailable in every month it could take; it got %d and other groups stand in.",
					groupLabelEN(g), owed[g], got[g]),
			})
		}
	}

	plan.History = History{Counts: make([]int, G), LastGroup: in.History.LastGroup}
	for g := range G {
		plan.History.Counts[g] = counts[g] + got[g]
	}
	if len(chosen) > 0 {
		plan.History.LastGroup = order[chosen[len(chosen)-1]]
	}
	return plan, nil
}

func validateAssign(in AssignInput) error {
	if in.Year < MinYear || in.Year > MaxYear {
		return invalid("year", "年份%d超出支持范围（%d–%d）", "year %d is outside %d–%d", in.Year, MinYear, MaxYear)
	}
	G := len(in.Groups)
	if G == 0 {
		return invalid("groups", "至少需要一个轮值组", "at least one rotation group is required")
	}
	for g, grp := range in.Groups {
		for _, l := range grp.Leaders {
			for _, m := range l.UnavailableMonths {
				if !validMonth(m) {
					return invalid("groups", "%s的领导%s不在岗月份%d无效（应为1–12）",
						"%s leader %s: unavailable month %d is not 1–12", GroupLabel(g), l.Name, m)
				}
			}
		}
	}
	for _, nd := range in.NoDuty {
		if !validMonth(nd.Month) {
			return invalid("no_duty", "不轮值月份%d无效（应为1–12）", "no-duty month %d is not 1–12", nd.Month)
		}
	}
	h := in.History
	if len(h.Counts) != 0 && len(h.Counts) != G {
		return invalid("history.counts", "轮值历史记录了%d个组，但现有%d个轮值组；分组调整后请重置历史",
			"history has %d groups but there are %d; reset the history after regrouping", len(h.Counts), G)
	}
	for g, c := range h.Counts {
		if c < 0 {
			return invalid("history.counts", "%s的历史轮值次数不能为负数", "%s: negative duty count", GroupLabel(g))
		}
	}
	if h.LastGroup < NoGroup || h.LastGroup >= G {
		return invalid("history.last_group", "上次轮值组编号无效", "last group %d is out of range", h.LastGroup)
	}
	return nil
}

// idealOrder returns n picks: each the group with the fewest duties, ties by cyclic distance
// after the previous pick.
func idealOrder(counts []int, last, n int) []int {
	G := len(counts)
	c := slices.Clone(counts)
	out := make([]int, 0, n)
	for range n {
		best := -1
		for g := range G {
			if best == -1 || c[g] < c[best] || (c[g] == c[best] && cyclicDist(g, last, G) < cyclicDist(best, last, G)) {
				best = g
			}
		}
		out = append(out, best)
		c[best]++
		last = best
	}
	return out
}

// cyclicDist is how many steps after last group g comes in the order 0, 1, …, G-1, 0, ….
func cyclicDist(g, last, G int) int {
	return ((g-last-1)%G + G) % G
}

func setGroup(ma *MonthAssignment, g int) {
	ma.Group, ma.GroupNumber, ma.GroupLabel = g, g+1, GroupLabel(g)
	ma.Reason, ma.ReasonEN = "", ""
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func remaining(chosen []int, used []bool) []int {
	var out []int
	for k, s := range chosen {
		if !used[k] {
			out = append(out, s)
		}
	}
	return out
}

// matchable reports whether every slot can get its own month.
func matchable(slots, months []int, canTake func(slot, m int) bool) bool {
	if len(slots) > len(months) {
		return false
	}
	mt := newMatcher(months, canTake)
	for _, s := range slots {
		if !mt.add(s) {
			return false
		}
	}
	return true
}

// matcher grows a bipartite matching of slots to months one slot at a time (Kuhn's augmenting
// paths). Sizes are tiny (12 months), so clarity beats speed.
type matcher struct {
	months  []int
	canTake func(slot, m int) bool
	owner   map[int]int // month → slot
}

func newMatcher(months []int, canTake func(slot, m int) bool) *matcher {
	return &matcher{months: months, canTake: canTake, owner: make(map[int]int)}
}

// add tries to match slot s, rearranging earlier matches if needed; earlier slots stay matched.
func (mt *matcher) add(s int) bool {
	return mt.augment(s, make(map[int]bool))
}

func (mt *matcher) augment(s int, seen map[int]bool) bool {
	for _, m := range mt.months {
		if seen[m] || !mt.canTake(s, m) {
			continue
		}
		seen[m] = true
		o, taken := mt.owner[m]
		if !taken || mt.augment(o, seen) {
			mt.owner[m] = s
			return true
		}
	}
	return false
}
