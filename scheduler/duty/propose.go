package duty

import (
	"fmt"
	"slices"
	"strings"
)

// PastActivity is what a group did in an earlier year, used to avoid proposing the same again.
type PastActivity struct {
	Category Category `json:"category"`
	Theme    string   `json:"theme,omitempty"`
}

// GroupProfile is what the proposal knows about a group besides its month.
type GroupProfile struct {
	// Industries maps the roster's industry names ("茶叶", "银行") to how many members work in
	// them. Names are matched to a built-in catalogue by keyword; unknown names fall back to
	// generic themes.
	Industries map[string]int `json:"industries,omitempty"`
	// LastYear lists the group's activities last year.
	LastYear []PastActivity `json:"last_year,omitempty"`
}

// ProposeInput is what Propose needs.
type ProposeInput struct {
	Plan   Plan           `json:"plan"`
	Groups []GroupProfile `json:"groups"` // by group index; may be shorter than the group count
	Dates  DateRule       `json:"dates"`
}

// Theme is one suggested activity theme with the reason it is suggested.
type Theme struct {
	Text     string   `json:"text"`
	TextEN   string   `json:"text_en,omitempty"`
	Category Category `json:"category"`
	// Source is where the theme comes from: "occasion", "industry" or "generic".
	Source string `json:"source"`
	Reason string `json:"reason"` // Chinese, e.g. "本组有5名成员从事茶叶"
}

// Proposal is the suggestion for one duty month.
type Proposal struct {
	Month          int        `json:"month"`
	Group          int        `json:"group"`
	GroupLabel     string     `json:"group_label"`
	Category       Category   `json:"category"`
	CategoryName   string     `json:"category_name"`
	CategoryReason string     `json:"category_reason"`
	Themes         []Theme    `json:"themes"`
	Occasions      []Occasion `json:"occasions"`
	Date           Date       `json:"date"`
	DateReason     string     `json:"date_reason"`
}

// Proposals is the proposal for a whole year.
type Proposals struct {
	Year int `json:"year"`
	// CategoryCap is the most duties of one category allowed this year (see CategoryCap).
	CategoryCap int        `json:"category_cap"`
	Months      []Proposal `json:"months"` // duty months only, January first
	Warnings    []Warning  `json:"warnings"`
}

// Scores for choosing categories. An occasion's first category outweighs a group's favourite
// industry category, because a Double Ninth visit to the elderly only makes sense in its month,
// whereas an industry can do many things any month. Repeating last year's category costs more
// than any gain elsewhere can buy, so it happens only when the balance rule forces it.
const (
	scoreOccasionFirst = 6
	scoreOccasionStep  = 2
	scoreOccasionExtra = 1
	scoreIndustryFirst = 3
	scoreIndustryOther = 1
	penaltyLastYear    = 100
)

// Propose suggests a category, 3–5 themes and a date for each duty month of the plan.
//
// Categories are chosen for the whole year at once, maximising fit (occasions of the month, the
// group's industries, not repeating the group's category of last year) subject to balance: with
// 6 or more duties every category appears at least once, and no category appears more than
// CategoryCap(duties) times. The result depends on the input alone.
func Propose(in ProposeInput, cal *HolidayCalendar) (Proposals, error) {
	p := in.Plan
	if p.Year < MinYear || p.Year > MaxYear {
		return Proposals{}, invalid("plan.year", "年份%d超出支持范围（%d–%d）", "year %d is outside %d–%d", p.Year, MinYear, MaxYear)
	}
	if cal == nil {
		cal = NewHolidayCalendar()
	}
	occs, err := Occasions(p.Year)
	if err != nil {
		return Proposals{}, err
	}
	out := Proposals{Year: p.Year, Months: []Proposal{}, Warnings: []Warning{}}
	if !cal.Covers(p.Year) {
		out.Warnings = append(out.Warnings, Warning{
			Code: WarnHolidaysMissing, Group: NoGroup,
			Message:   MissingHolidaysMessage(p.Year),
			MessageEN: fmt.Sprintf("the %d public holiday schedule is not in the calendar yet; add it by hand, proposed dates may fall on holidays.", p.Year),
		})
	}

	type dutyMonth struct {
		month, group int
		occ          []Occasion
		ind          []groupIndustry
		prof         GroupProfile
		scores       [6]int
	}
	var duties []dutyMonth
	for _, ma := range p.Months {
		if ma.Group == NoGroup || !validMonth(ma.Month) {
			continue
		}
		if ma.Group < 0 || (p.GroupCount > 0 && ma.Group >= p.GroupCount) {
			return Proposals{}, invalid("plan.months", "%d月的轮值组编号无效", "month %d: group %d is out of range", ma.Month, ma.Group)
		}
		d := dutyMonth{month: ma.Month, group: ma.Group}
		for _, o := range occs {
			if int(o.Date.Month) == ma.Month {
				d.occ = append(d.occ, o)
			}
		}
		if ma.Group < len(in.Groups) {
			d.prof = in.Groups[ma.Group]
		}
		d.ind = matchIndustries(d.prof.Industries)
		for _, c := range Categories() {
			d.scores[c.index()] = categoryScore(c, d.occ, d.ind, d.prof.LastYear)
		}
		duties = append(duties, d)
	}
	out.CategoryCap = CategoryCap(len(duties))

	scores := make([][6]int, len(duties))
	for i, d := range duties {
		scores[i] = d.scores
	}
	cats := balanceCategories(scores, out.CategoryCap, len(duties) >= 6)

	for i, d := range duties {
		c := cats[i]
		pr := Proposal{
			Month: d.month, Group: d.group, GroupLabel: GroupLabel(d.group),
			Category: c, CategoryName: c.Name(),
			Occasions: append([]Occasion{}, d.occ...),
		}
		repeated := slices.ContainsFunc(d.prof.LastYear, func(a PastActivity) bool { return a.Category == c })
		pr.CategoryReason = categoryReason(c, d.occ, d.ind, repeated, d.scores)
		if repeated {
			out.Warnings = append(out.Warnings, Warning{
				Code: WarnCategoryRepeated, Month: d.month, Group: d.group,
				Message:   fmt.Sprintf("%s今年%d月的类别（%s）与去年相同：全年类别均衡要求如此，可手工调整。", GroupLabel(d.group), d.month, c.Name()),
				MessageEN: fmt.Sprintf("%s repeats last year's category (%s) in month %d because of the yearly balance.", groupLabelEN(d.group), c.NameEN(), d.month),
			})
		}
		pr.Themes = pickThemes(c, d.month, d.occ, d.ind, d.prof.LastYear)
		pr.Date, pr.DateReason = ProposeDate(p.Year, d.month, in.Dates, cal)
		out.Months = append(out.Months, pr)
	}
	return out, nil
}

// categoryScore is how well category c suits a duty month.
func categoryScore(c Category, occ []Occasion, ind []groupIndustry, last []PastActivity) int {
	s, supporting := 0, 0
	for _, o := range occ {
		if i := slices.Index(o.Categories, c); i >= 0 {
			s = max(s, scoreOccasionFirst-scoreOccasionStep*i)
			supporting++
		}
	}
	if supporting > 1 {
		// A month with two occasions for the same kind of activity (October: 扶贫日 and 重阳)
		// is a stronger hint, but only slightly: many small occasions should not outweigh one
		// major festival.
		s += (supporting - 1) * scoreOccasionExtra
	}
	for k, gi := range ind {
		if k > 1 {
			break // the two largest industries speak for the group
		}
		for i, t := range gi.def.themes {
			if t.cat != c {
				continue
			}
			if k == 0 && i == 0 {
				s += scoreIndustryFirst
			} else {
				s += scoreIndustryOther
			}
			break
		}
	}
	if slices.ContainsFunc(last, func(a PastActivity) bool { return a.Category == c }) {
		s -= penaltyLastYear
	}
	return s
}

// balanceCategories picks a category per duty maximising the total score with each category
// used at most capN times and, if coverAll, at least once. A dynamic programme over the count of
// each category (at most 4^6 states) finds the exact optimum; ties go to the first category in
// Categories() order at the earliest duty, which keeps the result deterministic.
func balanceCategories(scores [][6]int, capN int, coverAll bool) []Category {
	n := len(scores)
	if n == 0 {
		return nil
	}
	base := capN + 1
	states := 1
	for range 6 {
		states *= base
	}
	const unset = -1 << 30
	// best[i][s]: best total for duties i.. given counts s so far; filled backwards so the
	// forward walk can choose greedily in order and break ties towards early choices.
	best := make([][]int, n+1)
	for i := range best {
		best[i] = make([]int, states)
		for s := range best[i] {
			best[i][s] = unset
		}
	}
	digit := func(s, c int) int {
		for range c {
			s /= base
		}
		return s % base
	}
	pow := make([]int, 6)
	pow[0] = 1
	for c := 1; c < 6; c++ {
		pow[c] = pow[c-1] * base
	}
	for s := range states {
		ok := true
		if coverAll {
			for c := range 6 {
				if digit(s, c) == 0 {
					ok = false
				}
			}
		}
		if ok {
			best[n][s] = 0
		}
	}
	for i := n - 1; i >= 0; i-- {
		for s := range states {
			for c := range 6 {
				if digit(s, c) == capN || best[i+1][s+pow[c]] == unset {
					continue
				}
				if v := scores[i][c] + best[i+1][s+pow[c]]; v > best[i][s] {
					best[i][s] = v
				}
			}
		}
	}
	cats := Categories()
	out := make([]Category, n)
	s := 0
	for i := range n {
		for c := range 6 {
			if digit(s, c) == capN || best[i+1][s+pow[c]] == unset {
				continue
			}
			if scores[i][c]+best[i+1][s+pow[c]] == best[i][s] {
				out[i] = cats[c]
				s += pow[c]
				break
			}
		}
	}
	return out
}

// categoryReason explains the chosen category in one Chinese sentence.
func categoryReason(c Category, occ []Occasion, ind []groupIndustry, repeated bool, scores [6]int) string {
	var parts []string
	var names []string
	for _, o := range occ {
		if slices.Contains(o.Categories, c) {
			if o.MonthLong {
				names = append(names, o.Name)
			} else {
				names = append(names, o.Name+"（"+o.Date.Chinese()+"）")
			}
		}
	}
	if len(names) > 0 {
		parts = append(parts, "本月有"+strings.Join(names, "、"))
	}
	for k, gi := range ind {
		if k > 1 {
			break
		}
		if slices.ContainsFunc(gi.def.themes, func(t themeDef) bool { return t.cat == c }) {
			parts = append(parts, fmt.Sprintf("本组有%d名成员从事%s", gi.count, gi.label))
			break
		}
	}
	top := slices.Max(scores[:])
	if scores[c.index()] < top {
		parts = append(parts, "为保证全年六类活动均衡安排")
	}
	if repeated {
		parts = append(parts, "与去年类别相同（受全年均衡限制）")
	}
	if len(parts) == 0 {
		return "全年活动类别均衡安排"
	}
	return strings.Join(parts, "；")
}

// pickThemes returns 3–5 themes of category c: the month's occasions first (they are tied to the
// month), then the group's industries (largest first), then generic themes, rotated by month so
// groups sharing a category in one year do not all get the same list. Themes the group used last
// year are left out.
func pickThemes(c Category, month int, occ []Occasion, ind []groupIndustry, last []PastActivity) []Theme {
	const maxThemes = 5
	seen := make(map[string]bool)
	for _, a := range last {
		if a.Theme != "" {
			seen[themeKey(a.Theme)] = true
		}
	}
	var out []Theme
	add := func(t Theme) {
		key := themeKey(t.Text)
		if len(out) >= maxThemes || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, t)
	}
	for _, o := range occ {
		for _, t := range o.Themes {
			if t.Category == c {
				add(Theme{Text: t.Text, TextEN: t.TextEN, Category: c, Source: "occasion", Reason: occasionReason(o)})
			}
		}
	}
	for _, gi := range ind {
		for _, t := range gi.def.themes {
			if t.cat == c {
				add(Theme{Text: t.text, TextEN: t.en, Category: c, Source: "industry",
					Reason: fmt.Sprintf("本组有%d名成员从事%s（%s）", gi.count, gi.label, gi.def.name)})
			}
		}
	}
	gen := genericThemes[c]
	// Fill to at least three, plus one generic alternative while there is room, so the leaders
	// always have something outside their usual line to choose.
	want := max(3, min(maxThemes, len(out)+1))
	for i := range gen {
		if len(out) >= want {
			break
		}
		t := gen[(i+month)%len(gen)]
		add(Theme{Text: t.text, TextEN: t.en, Category: c, Source: "generic", Reason: "通用" + c.Name() + "主题"})
	}
	return out
}

// occasionReason says why an occasion's theme is suggested, e.g. "10月18日是重阳节" or
// "6月是安全生产月".
func occasionReason(o Occasion) string {
	if o.MonthLong {
		return fmt.Sprintf("%d月是%s", int(o.Date.Month), o.Name)
	}
	return fmt.Sprintf("%s是%s", o.Date.Chinese(), o.Name)
}

// themeKey identifies a theme for de-duplication: a headed theme ("光彩助学：资助困难学生") is
// identified by its head, so two wordings of the same programme are not offered side by side or
// repeated a year later.
func themeKey(text string) string {
	t := normalizeText(text)
	if head, _, ok := strings.Cut(t, "："); ok && head != "" {
		return head
	}
	return t
}

// MissingHolidaysMessage tells the secretariat a year's official holidays are not known yet.
func MissingHolidaysMessage(year int) string {
	return fmt.Sprintf("%d年的法定节假日尚未收录，请手工补充；建议日期可能落在节假日。", year)
}
