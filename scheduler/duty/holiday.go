package duty

import (
	"sort"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// DayKind says whether a day is a day people work, taking China's official holiday schedule
// (法定节假日) and its make-up working days (调休上班) into account.
type DayKind string

// Day kinds. A make-up working day is usually a Saturday or Sunday on which offices open to pay
// back a bridge day of a holiday; it is a working day for planning purposes.
const (
	Workday       DayKind = "workday"        // 工作日
	RestDay       DayKind = "rest_day"       // 休息日（周末）
	PublicHoliday DayKind = "holiday"        // 法定节假日（含调休放假）
	MakeUpWorkday DayKind = "makeup_workday" // 调休上班日
)

// IsWorking reports whether offices are open on a day of this kind.
func (k DayKind) IsWorking() bool { return k == Workday || k == MakeUpWorkday }

// Name returns the Chinese name of the kind.
func (k DayKind) Name() string {
	switch k {
	case Workday:
		return "工作日"
	case RestDay:
		return "休息日"
	case PublicHoliday:
		return "法定节假日"
	case MakeUpWorkday:
		return "调休上班日"
	}
	return ""
}

// HolidayDay is one entry of the official schedule: a day off (PublicHoliday) or a make-up
// working day (MakeUpWorkday). As an override it may also carry Workday or RestDay to cancel a
// library entry.
type HolidayDay struct {
	Date Date    `json:"date"`
	Name string  `json:"name"` // e.g. "春节", "国庆节"; for a make-up day, the holiday it pays for
	Kind DayKind `json:"kind"`
}

// HolidayCalendar answers "is this day a public holiday / a working day?" from lunar-go's
// HolidayUtil data, with caller overrides on top. The State Council announces each year's
// schedule only in the previous autumn, so the library lags behind (v1.4.6 has data through
// 2026); overrides let the secretariat enter a new year's schedule without waiting for a release.
//
// Build it once and then only read it; reads are safe from several goroutines. A nil
// *HolidayCalendar answers from the library data alone.
type HolidayCalendar struct {
	overrides map[Date]HolidayDay
}

// NewHolidayCalendar returns a calendar backed by lunar-go's data, with the given overrides
// applied (an override replaces the library's entry for the same date).
func NewHolidayCalendar(overrides ...HolidayDay) *HolidayCalendar {
	c := &HolidayCalendar{overrides: make(map[Date]HolidayDay)}
	for _, o := range overrides {
		c.overrides[o.Date] = o
	}
	return c
}

// Override sets the kind of one day, replacing the library's entry. Call it only while
// setting the calendar up, before it is shared.
func (c *HolidayCalendar) Override(d HolidayDay) { c.overrides[d.Date] = d }

// Covers reports whether the calendar knows the official schedule of year: the library has data
// for it or the caller has entered at least one day of it. When it returns false the UI should
// warn "2027年的法定节假日尚未收录，请手工补充".
func (c *HolidayCalendar) Covers(year int) bool {
	if HolidayUtil.GetHolidaysByYear(year).Len() > 0 {
		return true
	}
	if c == nil {
		return false
	}
	for d := range c.overrides {
		if d.Year == year {
			return true
		}
	}
	return false
}

// Kind returns the kind of day d.
func (c *HolidayCalendar) Kind(d Date) DayKind {
	if h, ok := c.lookup(d); ok {
		return h.Kind
	}
	return weekdayKind(d)
}

// Lookup returns the schedule entry for d (override first, then library), if there is one.
func (c *HolidayCalendar) Lookup(d Date) (HolidayDay, bool) { return c.lookup(d) }

func (c *HolidayCalendar) lookup(d Date) (HolidayDay, bool) {
	if c != nil {
		if h, ok := c.overrides[d]; ok {
			return h, true
		}
	}
	h := HolidayUtil.GetHolidayByYmd(d.Year, int(d.Month), d.Day)
	if h == nil {
		return HolidayDay{}, false
	}
	return fromLibrary(d, h), true
}

// Year lists the schedule entries of a year in date order, overrides applied, for display and
// for checking what the library holds.
func (c *HolidayCalendar) Year(year int) []HolidayDay {
	byDate := make(map[Date]HolidayDay)
	for e := HolidayUtil.GetHolidaysByYear(year).Front(); e != nil; e = e.Next() {
		h := e.Value.(*HolidayUtil.Holiday)
		d, err := ParseDate(h.GetDay())
		if err != nil {
			continue // library data is fixed-width and well formed; skip rather than panic
		}
		byDate[d] = fromLibrary(d, h)
	}
	if c != nil {
		for d, o := range c.overrides {
			if d.Year == year {
				byDate[d] = o
			}
		}
	}
	out := make([]HolidayDay, 0, len(byDate))
	for _, h := range byDate {
		// An override back to an ordinary day cancels the entry; it is not itself a schedule entry.
		if h.Kind == PublicHoliday || h.Kind == MakeUpWorkday {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

func fromLibrary(d Date, h *HolidayUtil.Holiday) HolidayDay {
	kind := PublicHoliday
	name := h.GetName()
	if h.IsWork() {
		kind = MakeUpWorkday
		name += "调休"
	}
	return HolidayDay{Date: d, Name: name, Kind: kind}
}

func weekdayKind(d Date) DayKind {
	if w := d.Weekday(); w == time.Saturday || w == time.Sunday {
		return RestDay
	}
	return Workday
}

// Overrides lists the caller's entries in date order, so one calendar can be layered on another.
func (c *HolidayCalendar) Overrides() []HolidayDay {
	if c == nil {
		return nil
	}
	out := make([]HolidayDay, 0, len(c.overrides))
	for _, o := range c.overrides {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// LibraryCovers reports whether the holiday library itself has the year's schedule,
// as opposed to the caller having entered it.
func LibraryCovers(year int) bool { return HolidayUtil.GetHolidaysByYear(year).Len() > 0 }
