package duty

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuanProfiles is a Fu'an-like set of 12 groups grouped by industry, plus one by region whose
// "industries" are place names the catalogue does not know.
func fuanProfiles() []GroupProfile {
	ind := []map[string]int{
		{"电机电器": 8, "五金机械": 2},
		{"船舶修造": 6, "海洋渔业": 3},
		{"不锈钢": 7, "新材料": 2},
		{"锂电池新能源": 5, "电子信息": 4},
		{"茶叶": 9, "食品": 2},
		{"银行": 4, "保险": 3, "担保": 2},
		{"建筑工程": 6, "房地产": 4},
		{"商贸": 5, "物流": 4},
		{"医药": 4, "养老": 3},
		{"文化旅游": 5, "酒店餐饮": 4},
		{"教育": 6, "培训": 2},
		{"赛岐镇": 6, "甘棠镇": 5},
	}
	out := make([]GroupProfile, len(ind))
	for i := range ind {
		out[i] = GroupProfile{Industries: ind[i]}
	}
	return out
}

func mustPropose(t *testing.T, in ProposeInput, cal *HolidayCalendar) Proposals {
	t.Helper()
	ps, err := Propose(in, cal)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func categoryCounts(ps Proposals) map[Category]int {
	n := map[Category]int{}
	for _, p := range ps.Months {
		n[p.Category]++
	}
	return n
}

func TestCategoryCap(t *testing.T) {
	for duties, want := range map[int]int{1: 1, 5: 1, 6: 1, 7: 3, 11: 3, 12: 3} {
		if got := CategoryCap(duties); got != want {
			t.Errorf("CategoryCap(%d) = %d, want %d", duties, got, want)
		}
	}
}

func TestProposeCategoryBalance(t *testing.T) {
	same := make([]GroupProfile, 12) // every group in finance: industry alone would pick one category
	for i := range same {
		same[i] = GroupProfile{Industries: map[string]int{"银行": 5}}
	}
	for _, tc := range []struct {
		name     string
		profiles []GroupProfile
		noDuty   []NoDutyMonth
		year     int
	}{
		{"fuan 12 duties", fuanProfiles(), nil, 2026},
		{"fuan 11 duties", fuanProfiles(), []NoDutyMonth{{Month: 2, Reason: "春节"}}, 2026},
		{"all finance", same, nil, 2025},
		{"no profiles", nil, nil, 2027},
	} {
		plan := mustAssign(t, AssignInput{Year: tc.year, Groups: groups(12), NoDuty: tc.noDuty})
		ps := mustPropose(t, ProposeInput{Plan: plan, Groups: tc.profiles}, nil)
		want := 12 - len(tc.noDuty)
		if len(ps.Months) != want || ps.CategoryCap != CategoryCap(want) {
			t.Fatalf("%s: %d proposals, cap %d", tc.name, len(ps.Months), ps.CategoryCap)
		}
		n := categoryCounts(ps)
		for _, c := range Categories() {
			if n[c] < 1 || n[c] > ps.CategoryCap {
				t.Errorf("%s: %s appears %d times (want 1..%d): %v", tc.name, c, n[c], ps.CategoryCap, n)
			}
		}
		for _, p := range ps.Months {
			if len(p.Themes) < 3 || len(p.Themes) > 5 {
				t.Errorf("%s month %d: %d themes", tc.name, p.Month, len(p.Themes))
			}
			for _, th := range p.Themes {
				if th.Category != p.Category || th.Text == "" || th.Reason == "" {
					t.Errorf("%s month %d: bad theme %+v", tc.name, p.Month, th)
				}
			}
			if p.CategoryReason == "" || p.CategoryName != p.Category.Name() {
				t.Errorf("%s month %d: category reason/name missing", tc.name, p.Month)
			}
			// An occasion that fits the category is the most timely theme, so it comes first.
			if slices.ContainsFunc(p.Occasions, func(o Occasion) bool { return slices.Contains(o.Categories, p.Category) }) &&
				p.Themes[0].Source != "occasion" {
				t.Errorf("%s month %d: first theme %+v is not the occasion", tc.name, p.Month, p.Themes[0])
			}
		}
	}
}

func TestProposeFewDutiesAllDifferent(t *testing.T) {
	plan := mustAssign(t, AssignInput{Year: 2026, Groups: groups(4),
		NoDuty: []NoDutyMonth{{Month: 1}, {Month: 2}, {Month: 3}, {Month: 4}, {Month: 5}, {Month: 6}, {Month: 7}, {Month: 8}}})
	ps := mustPropose(t, ProposeInput{Plan: plan}, nil)
	n := categoryCounts(ps)
	if len(ps.Months) != 4 || len(n) != 4 {
		t.Errorf("4 duties should have 4 different categories: %v", n)
	}
}

func TestProposeAvoidsLastYear(t *testing.T) {
	plan := mustAssign(t, AssignInput{Year: 2026, Groups: groups(12)})
	first := mustPropose(t, ProposeInput{Plan: plan, Groups: fuanProfiles()}, nil)
	profiles := fuanProfiles()
	for _, p := range first.Months {
		for _, th := range p.Themes {
			profiles[p.Group].LastYear = append(profiles[p.Group].LastYear, PastActivity{Category: p.Category, Theme: th.Text})
		}
	}
	second := mustPropose(t, ProposeInput{Plan: plan, Groups: profiles}, nil)
	for i, p := range second.Months {
		if p.Category == first.Months[i].Category {
			t.Errorf("month %d: %s repeats last year's %s", p.Month, p.GroupLabel, p.Category)
		}
		for _, th := range p.Themes {
			for _, a := range profiles[p.Group].LastYear {
				if th.Text == a.Theme {
					t.Errorf("month %d: theme %q repeated", p.Month, th.Text)
				}
			}
		}
	}
	if len(second.Warnings) != 0 {
		t.Errorf("warnings: %+v", second.Warnings)
	}
	// Balance still holds.
	for c, k := range categoryCounts(second) {
		if k > second.CategoryCap {
			t.Errorf("%s appears %d times", c, k)
		}
	}
}

func TestIndustryThemes(t *testing.T) {
	cases := []struct {
		industries map[string]int
		cat        Category
		want       string
	}{
		{map[string]int{"茶叶": 5}, Research, "茶产业品牌推广调研"},
		{map[string]int{"农商银行": 3, "茶叶": 1}, IndustryService, "银企对接会"},
		{map[string]int{"电机": 4}, SiteVisit, "参观电机电器智能制造示范企业"},
		{map[string]int{"船舶修造": 4}, SiteVisit, "参观船舶修造企业与港口码头"},
	}
	for _, c := range cases {
		ths := pickThemes(c.cat, 11, nil, matchIndustries(c.industries), nil)
		if !slices.ContainsFunc(ths, func(t Theme) bool { return t.Text == c.want }) {
			t.Errorf("%v %s: themes %v lack %q", c.industries, c.cat, ths, c.want)
		}
		if len(ths) < 3 {
			t.Errorf("%v: only %d themes", c.industries, len(ths))
		}
	}
	// A group formed by region has no known industry: generic themes, still three of them.
	if ths := pickThemes(Research, 11, nil, matchIndustries(map[string]int{"赛岐镇": 4}), nil); len(ths) != 3 ||
		slices.ContainsFunc(ths, func(t Theme) bool { return t.Source != "generic" }) {
		t.Errorf("region group themes: %+v", ths)
	}
	// The largest industry leads, so its themes come first and its count is in the reason.
	ths := pickThemes(IndustryService, 3, nil, matchIndustries(map[string]int{"茶叶": 1, "银行": 6}), nil)
	if ths[0].Text != "银企对接会" || !strings.Contains(ths[0].Reason, "6名") {
		t.Errorf("first theme %+v", ths[0])
	}
}

func TestProposeDate(t *testing.T) {
	cal := NewHolidayCalendar()
	cases := []struct {
		year, month int
		rule        DateRule
		want        Date
	}{
		{2026, 3, DateRule{}, d(2026, 3, 19)},   // third Thursday
		{2026, 2, DateRule{}, d(2026, 2, 26)},   // 2/19 is in the Spring Festival break
		{2025, 10, DateRule{}, d(2025, 10, 16)}, // clear of the 10/1–10/8 break
		// Saturday preferred: 2/21 is a holiday, 2/28 and 2/14 are make-up working days, so the
		// nearest free Saturday is 2/7.
		{2026, 2, DateRule{Weekday: 6}, d(2026, 2, 7)},
		{2026, 5, DateRule{Weekday: 6, FromDay: 1}, d(2026, 5, 16)}, // 5/2 holiday, 5/9 make-up
	}
	for _, c := range cases {
		got, why := ProposeDate(c.year, c.month, c.rule, cal)
		if got != c.want || why == "" {
			t.Errorf("%d-%02d %+v: %s (%s), want %s", c.year, c.month, c.rule, got, why, c.want)
		}
	}
	if _, why := ProposeDate(2026, 2, DateRule{}, cal); !strings.Contains(why, "春节") {
		t.Errorf("shift not explained: %q", why)
	}
}

// Whatever the rule, a proposed date is never a public holiday, and with a weekday preference
// it is a working day, including 调休 Saturdays.
func TestProposedDatesAvoidHolidays(t *testing.T) {
	cal := NewHolidayCalendar(
		HolidayDay{Date: d(2027, 1, 21), Name: "测试假日", Kind: PublicHoliday},
		HolidayDay{Date: d(2027, 1, 28), Name: "测试假日", Kind: PublicHoliday},
	)
	for _, year := range []int{2025, 2026, 2027} {
		for wd := 0; wd <= 7; wd++ {
			for _, from := range []int{0, 1, 10, 28} {
				rule := DateRule{Weekday: wd, FromDay: from}
				for m := 1; m <= 12; m++ {
					got, _ := ProposeDate(year, m, rule, cal)
					k := cal.Kind(got)
					if got.Year != year || int(got.Month) != m || k == PublicHoliday {
						t.Fatalf("%d-%02d %+v: %s (%s)", year, m, rule, got, k)
					}
					if w := rule.weekday(); w != time.Saturday && w != time.Sunday && !k.IsWorking() {
						t.Fatalf("%d-%02d %+v: %s is a %s", year, m, rule, got, k)
					}
				}
			}
		}
	}
	if got, _ := ProposeDate(2027, 1, DateRule{}, cal); got != d(2027, 1, 14) {
		t.Errorf("2027-01 with overrides: %s, want 2027-01-14", got)
	}
}

func TestProposeWarnsMissingHolidays(t *testing.T) {
	plan := mustAssign(t, AssignInput{Year: 2027, Groups: groups(12)})
	ps := mustPropose(t, ProposeInput{Plan: plan}, nil)
	if !slices.ContainsFunc(ps.Warnings, func(w Warning) bool {
		return w.Code == WarnHolidaysMissing && strings.Contains(w.Message, "2027年的法定节假日尚未收录")
	}) {
		t.Errorf("no missing-holiday warning: %+v", ps.Warnings)
	}
	cal := NewHolidayCalendar(HolidayDay{Date: d(2027, 1, 1), Name: "元旦", Kind: PublicHoliday})
	if ps := mustPropose(t, ProposeInput{Plan: plan}, cal); len(ps.Warnings) != 0 {
		t.Errorf("warnings with 2027 data: %+v", ps.Warnings)
	}
}

func TestProposeDeterministicAndJSON(t *testing.T) {
	plan := mustAssign(t, AssignInput{Year: 2026, Groups: groups(12), NoDuty: []NoDutyMonth{{Month: 2}}})
	in := ProposeInput{Plan: plan, Groups: fuanProfiles()}
	a, _ := json.Marshal(mustPropose(t, in, nil))
	for range 10 {
		if b, _ := json.Marshal(mustPropose(t, in, nil)); string(a) != string(b) {
			t.Fatal("same input, different proposals")
		}
	}
	for _, key := range []string{`"category":"`, `"themes":[`, `"date":"2026-`, `"category_cap":3`, `"group_label":"第`} {
		if !strings.Contains(string(a), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}
