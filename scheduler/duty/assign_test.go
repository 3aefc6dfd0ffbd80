package duty

import (
	"reflect"
	"slices"
	"testing"
)

func groups(n int) []Group {
	gs := make([]Group, n)
	for i := range gs {
		gs[i] = Group{Leaders: []Leader{{Name: "甲"}, {Name: "乙"}}}
	}
	return gs
}

func mustAssign(t *testing.T, in AssignInput) Plan {
	t.Helper()
	p, err := Assign(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Months) != 12 {
		t.Fatalf("%d months", len(p.Months))
	}
	return p
}

func monthGroups(p Plan) []int {
	out := make([]int, 12)
	for i, ma := range p.Months {
		out[i] = ma.Group
	}
	return out
}

func TestAssignTwelveGroupsOneMonthEach(t *testing.T) {
	p := mustAssign(t, AssignInput{Year: 2026, Groups: groups(12)})
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if got := monthGroups(p); !reflect.DeepEqual(got, want) {
		t.Errorf("months = %v, want %v", got, want)
	}
	if p.Months[2].GroupLabel != "第3轮值组" || p.Months[2].GroupNumber != 3 {
		t.Errorf("label = %q number %d", p.Months[2].GroupLabel, p.Months[2].GroupNumber)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %+v", p.Warnings)
	}
	if p.History.LastGroup != 11 || sum(p.History.Counts) != 12 {
		t.Errorf("history = %+v", p.History)
	}
}

func TestAssignNoDutyAndUnavailable(t *testing.T) {
	gs := groups(12)
	// Group 2 (第3轮值组): both leaders away in March, one of them also in April.
	gs[2].Leaders[0].UnavailableMonths = []int{3, 4}
	gs[2].Leaders[1].UnavailableMonths = []int{3}
	p := mustAssign(t, AssignInput{
		Year:    2026,
		Groups:  gs,
		NoDuty:  []NoDutyMonth{{Month: 2, Reason: "春节"}},
		History: History{Counts: make([]int, 12), LastGroup: NoGroup},
	})
	feb := p.Months[1]
	if feb.Group != NoGroup || !feb.NoDuty || feb.Reason != "本月不安排轮值（春节）" {
		t.Errorf("February = %+v", feb)
	}
	if p.Months[2].Group == 2 {
		t.Error("第3轮值组 given March although all its leaders are away")
	}
	counts := map[int]int{}
	for _, ma := range p.Months {
		if ma.Group != NoGroup {
			counts[ma.Group]++
		}
	}
	// 11 duty months, 12 groups: 11 distinct groups, and the owed group 2 is among them.
	if len(counts) != 11 || counts[2] != 1 {
		t.Errorf("counts = %v", counts)
	}
	if slices.Contains(p.Months[2].Available, 2) || !slices.Contains(p.Months[3].Available, 2) {
		t.Errorf("available lists wrong: March %v April %v", p.Months[2].Available, p.Months[3].Available)
	}
	// One leader available is enough.
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %+v", p.Warnings)
	}
}

// A group unavailable in its natural month swaps with a neighbour rather than reshuffling the year.
func TestAssignKeepsOrderAroundConflict(t *testing.T) {
	gs := groups(12)
	gs[11].Leaders = []Leader{{Name: "丙", UnavailableMonths: []int{12}}}
	p := mustAssign(t, AssignInput{Year: 2026, Groups: gs})
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10}
	if got := monthGroups(p); !reflect.DeepEqual(got, want) {
		t.Errorf("months = %v, want %v", got, want)
	}
	// The cycle stopped at group 11, so next year starts again with 第1轮值组.
	if p.History.LastGroup != 11 {
		t.Errorf("last group = %d, want 11", p.History.LastGroup)
	}
}

func TestAssignInfeasibleGroupWarns(t *testing.T) {
	gs := groups(12)
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	gs[4].Leaders = []Leader{{Name: "丁", UnavailableMonths: all}}
	p := mustAssign(t, AssignInput{Year: 2026, Groups: gs})
	var short []Warning
	for _, w := range p.Warnings {
		if w.Code == WarnGroupShort {
			short = append(short, w)
		}
	}
	if len(short) != 1 || short[0].Group != 4 || short[0].Message == "" || short[0].MessageEN == "" {
		t.Fatalf("warnings = %+v", p.Warnings)
	}
	for _, ma := range p.Months {
		if ma.Group == 4 || ma.Group == NoGroup {
			t.Errorf("month %d: group %d", ma.Month, ma.Group)
		}
	}
	// Next year the skipped group comes first because it has led fewest.
	next := mustAssign(t, AssignInput{Year: 2027, Groups: groups(12), History: p.History})
	if next.Months[0].Group != 4 {
		t.Errorf("next January = %d, want the skipped group 4", next.Months[0].Group)
	}
}

func TestAssignMonthNobodyCanTake(t *testing.T) {
	gs := groups(3)
	for i := range gs {
		gs[i].Leaders = []Leader{{Name: "戊", UnavailableMonths: []int{7}}}
	}
	p := mustAssign(t, AssignInput{Year: 2026, Groups: gs})
	if p.Months[6].Group != NoGroup || p.Months[6].Reason == "" {
		t.Errorf("July = %+v", p.Months[6])
	}
	if !slices.ContainsFunc(p.Warnings, func(w Warning) bool { return w.Code == WarnMonthEmpty && w.Month == 7 }) {
		t.Errorf("no month_empty warning: %+v", p.Warnings)
	}
}

// Over several years every group leads as often as every other, give or take one, and the order
// carries on across the year boundary.
func TestAssignContinuityAcrossYears(t *testing.T) {
	for _, G := range []int{10, 13, 5, 24} {
		h := History{}
		seq := 0 // position in the endless cycle 0, 1, …, G-1, 0, …
		for year := 2025; year < 2025+7; year++ {
			in := AssignInput{Year: year, Groups: groups(G), History: h}
			if year%2 == 0 {
				in.NoDuty = []NoDutyMonth{{Month: 2}}
			}
			p := mustAssign(t, in)
			for _, ma := range p.Months {
				if ma.NoDuty {
					continue
				}
				if ma.Group != seq%G {
					t.Fatalf("G=%d %d-%02d: group %d, want %d (cycle broken)", G, year, ma.Month, ma.Group, seq%G)
				}
				seq++
			}
			h = p.History
			lo, hi := slices.Min(h.Counts), slices.Max(h.Counts)
			if hi-lo > 1 {
				t.Errorf("G=%d after %d: counts %v differ by %d", G, year, h.Counts, hi-lo)
			}
		}
	}
}

func TestAssignDeterministic(t *testing.T) {
	gs := groups(13)
	gs[3].Leaders[0].UnavailableMonths = []int{5, 6}
	gs[3].Leaders[1].UnavailableMonths = []int{5, 6, 7}
	in := AssignInput{Year: 2026, Groups: gs, NoDuty: []NoDutyMonth{{Month: 2}},
		History: History{Counts: []int{3, 3, 2, 3, 3, 2, 2, 3, 3, 3, 2, 2, 3}, LastGroup: 9}}
	a := mustAssign(t, in)
	for range 20 {
		if b := mustAssign(t, in); !reflect.DeepEqual(a, b) {
			t.Fatal("same input, different plans")
		}
	}
	// Fewest-led first: the five groups with 2 duties, in cyclic order after group 9.
	if got := monthGroups(a)[:6]; !reflect.DeepEqual(got, []int{10, NoGroup, 11, 2, 5, 6}) {
		t.Errorf("first months = %v", got)
	}
}

func TestAssignRejectsBadInput(t *testing.T) {
	bad := []AssignInput{
		{Year: 2026},
		{Year: 20026, Groups: groups(3)},
		{Year: 2026, Groups: groups(3), NoDuty: []NoDutyMonth{{Month: 13}}},
		{Year: 2026, Groups: groups(3), History: History{Counts: []int{1, 2}}},
		{Year: 2026, Groups: groups(3), History: History{Counts: []int{1, 1, 1}, LastGroup: 3}},
		{Year: 2026, Groups: []Group{{Leaders: []Leader{{UnavailableMonths: []int{0}}}}}},
	}
	for i, in := range bad {
		_, err := Assign(in)
		e, ok := err.(*Error)
		if !ok || e.Code != CodeInvalid || e.Message == "" || e.MessageEN == "" {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
}

func TestSwapMonths(t *testing.T) {
	gs := groups(12)
	gs[0].Leaders = []Leader{{Name: "己", UnavailableMonths: []int{6}}}
	p := mustAssign(t, AssignInput{Year: 2026, Groups: gs, NoDuty: []NoDutyMonth{{Month: 2}}})
	jan, jun := p.Months[0].Group, p.Months[5].Group

	// A harmless swap.
	q, ws, err := SwapMonths(p, 3, 4)
	if err != nil || len(ws) != 0 || q.Months[2].Group != p.Months[3].Group || q.Months[3].Group != p.Months[2].Group {
		t.Fatalf("swap 3↔4: %v %+v", err, ws)
	}
	if p.Months[2].Group == q.Months[2].Group {
		t.Error("input plan modified or swap did nothing")
	}

	// January's group into June, where its only leader is away.
	q, ws, _ = SwapMonths(p, 1, 6)
	if q.Months[5].Group != jan || q.Months[0].Group != jun {
		t.Fatal("swap 1↔6 not applied")
	}
	if len(ws) != 1 || ws[0].Code != WarnLeadersUnavailable || ws[0].Month != 6 || ws[0].Group != jan {
		t.Errorf("warnings = %+v", ws)
	}

	// Into the no-duty month.
	q, ws, _ = SwapMonths(p, 2, 5)
	if q.Months[1].Group != p.Months[4].Group || q.Months[4].Group != NoGroup {
		t.Fatal("swap 2↔5 not applied")
	}
	if len(ws) != 1 || ws[0].Code != WarnNoDutyMonth || ws[0].Month != 2 {
		t.Errorf("warnings = %+v", ws)
	}
	if _, _, err := SwapMonths(p, 0, 5); err == nil {
		t.Error("month 0 accepted")
	}
}

// With leaders away now and then, totals still stay within one of each other year after year.
func TestAssignBalanceWithUnavailability(t *testing.T) {
	for _, G := range []int{10, 13} {
		h := History{}
		for year := 2025; year < 2031; year++ {
			gs := groups(G)
			for g := range gs {
				m := (g*5+year)%12 + 1 // each group's leaders all away in one month, varying by year
				gs[g].Leaders = []Leader{{Name: "A", UnavailableMonths: []int{m}}, {Name: "B", UnavailableMonths: []int{m, (m % 12) + 1}}}
			}
			p := mustAssign(t, AssignInput{Year: year, Groups: gs, NoDuty: []NoDutyMonth{{Month: 2}}, History: h})
			if ws := CheckPlan(p); len(ws) != 0 || len(p.Warnings) != 0 {
				t.Fatalf("G=%d %d: %+v %+v", G, year, ws, p.Warnings)
			}
			h = p.History
			if lo, hi := slices.Min(h.Counts), slices.Max(h.Counts); hi-lo > 1 {
				t.Errorf("G=%d after %d: counts %v", G, year, h.Counts)
			}
		}
	}
}
