package duty

import (
	"fmt"
	"sort"
	"time"
)

// DateRule says which day of a duty month to propose for the activity. The zero value is the
// default rule: the third Thursday.
type DateRule struct {
	// Weekday is the preferred day of the week, ISO numbered: 1 = 星期一 … 7 = 星期日; 0 means
	// Thursday. Thursday is the default because it is a working day, so officials can be invited
	// (most activities invite department or township leaders), and it is clear of the Monday
	// meetings and Friday travel that busy entrepreneurs avoid.
	Weekday int `json:"weekday"`
	// FromDay is the first day of the month to consider; 0 means 15. The middle of the month
	// leaves the duty group two weeks to prepare, and "the first Thursday on or after the 15th"
	// is exactly the third Thursday, a date people can remember.
	FromDay int `json:"from_day"`
}

func (r DateRule) weekday() time.Weekday {
	if r.Weekday < 1 || r.Weekday > 7 {
		return time.Thursday
	}
	return time.Weekday(r.Weekday % 7)
}

func (r DateRule) fromDay() int {
	if r.FromDay < 1 || r.FromDay > 28 {
		return 15
	}
	return r.FromDay
}

// ProposeDate picks the activity date in a month.
//
// Rule: a Monday–Friday preference wants a working day (a weekday that is not a public holiday,
// or a 调休 make-up working day, even on a Saturday); a Saturday/Sunday preference wants a rest
// day (a weekend day that is neither a holiday nor a make-up working day). Public holidays are
// never proposed. Among the days of the wanted kind, the order of preference is:
//  1. the preferred weekday, from FromDay onwards (normally the third Thursday);
//  2. the preferred weekday before FromDay, nearest first;
//  3. any day of the wanted kind, from FromDay onwards, then before it;
//  4. any day that is not a public holiday (same order).
//
// The second result explains the choice in Chinese, e.g. "第三个星期四" or
// "2月19日为法定节假日（春节），顺延至2月26日".
func ProposeDate(year, month int, rule DateRule, cal *HolidayCalendar) (Date, string) {
	want := rule.weekday()
	from := rule.fromDay()
	wantWorking := want != time.Saturday && want != time.Sunday
	n := daysIn(year, time.Month(month))

	type cand struct {
		d    Date
		rank [3]int // tier, after/before, distance
	}
	var cs []cand
	for day := 1; day <= n; day++ {
		d := NewDate(year, time.Month(month), day)
		k := cal.Kind(d)
		if k == PublicHoliday {
			continue
		}
		tier := 3
		if k.IsWorking() == wantWorking {
			tier = 2
			if d.Weekday() == want {
				tier = 0
			}
		}
		side, dist := 0, day-from
		if day < from {
			side, dist = 1, from-day
		}
		if tier == 0 && side == 1 {
			tier = 1
		}
		cs = append(cs, cand{d, [3]int{tier, side, dist}})
	}
	if len(cs) == 0 {
		// Only conceivable with overrides marking a whole month as holiday.
		return Date{}, "本月全部为法定节假日，请手工确定日期"
	}
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i].rank, cs[j].rank
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	got := cs[0].d

	// The date the rule aims for when nothing is in the way: the first preferred weekday on or
	// after FromDay. Explain any shift from it.
	ideal := NewDate(year, time.Month(month), from)
	for ideal.Weekday() != want {
		ideal = ideal.AddDays(1)
	}
	ordinal := []string{"", "第一个", "第二个", "第三个", "第四个", "第五个"}
	if got == ideal {
		if from == 15 {
			return got, ordinal[(got.Day-1)/7+1] + WeekdayChinese(want)
		}
		return got, fmt.Sprintf("%d日后的第一个%s", from, WeekdayChinese(want))
	}
	why := "不宜安排"
	if int(ideal.Month) == month {
		switch k := cal.Kind(ideal); k {
		case PublicHoliday, MakeUpWorkday:
			why = "为" + k.Name()
			if h, ok := cal.Lookup(ideal); ok && h.Name != "" {
				why += "（" + h.Name + "）"
			}
		}
		return got, fmt.Sprintf("%s%s，改为%s（%s）", ideal.Chinese(), why, got.Chinese(), WeekdayChinese(got.Weekday()))
	}
	return got, fmt.Sprintf("%s（%s）", got.Chinese(), WeekdayChinese(got.Weekday()))
}
