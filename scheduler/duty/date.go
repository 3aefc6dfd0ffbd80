package duty

import (
	"fmt"
	"time"
)

// Date is a calendar day with no time of day or zone. Duty days are days in Asia/Shanghai, and a
// civil date avoids the off-by-one errors a time.Time at UTC midnight invites. It encodes in
// JSON as "2006-01-02".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalising overflow the way time.Date does (Jan 32 → Feb 1).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("duty: bad date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// Time returns midnight of the date in loc (use Asia/Shanghai for the rota).
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// AddDays returns the date n days later (earlier if n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// String returns "2006-01-02".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Chinese returns the short Chinese form used in sentences, e.g. "2月17日".
func (d Date) Chinese() string { return fmt.Sprintf("%d月%d日", int(d.Month), d.Day) }

// MarshalText encodes the date as "2006-01-02", which also makes Date usable as a JSON map key.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// weekdayZH is the Chinese name of a weekday, as printed on notices ("星期四").
var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// WeekdayChinese returns "星期一" … "星期日".
func WeekdayChinese(w time.Weekday) string { return weekdayZH[w] }

// daysIn returns the number of days in the month.
func daysIn(y int, m time.Month) int { return NewDate(y, m+1, 0).Day }
