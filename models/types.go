package models

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date (no time of day, no zone), stored as YYYY-MM-DD.
// A zero Date means "not set" and is stored as NULL.
type Date struct{ t time.Time }

// DateLayout is how dates are written in storage, JSON and files.
const DateLayout = "2006-01-02"

// NewDate builds a Date.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf takes the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate reads YYYY-MM-DD, also accepting 2024/3/5, 2024.3.5 and 2024年3月5日 as people type them.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	r := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) == 3 {
		y, e1 := strconv.Atoi(parts[0])
		m, e2 := strconv.Atoi(parts[1])
		d, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil && y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 {
			dt := NewDate(y, time.Month(m), d)
			if dt.t.Day() == d { // rejects 2月30日, which time.Date would roll over
				return dt, nil
			}
		}
	}
	return Date{}, fmt.Errorf("invalid date %q", s)
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return d.t }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// Value stores the date as text, which both SQLite and MySQL DATE columns accept.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE column as MySQL (time.Time) or SQLite (text) returns it.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("models.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	u, err := strconv.Unquote(s)
	if err != nil {
		return fmt.Errorf("date must be a string")
	}
	v, err := ParseDate(u)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MonthSet is a set of months 1–12 (months a member cannot serve), stored as "1,2,12".
type MonthSet []int

// ParseMonthSet reads "1,2,12", "1、2月", "1 2" or "1月,2月".
func ParseMonthSet(s string) (MonthSet, error) {
	s = strings.NewReplacer("月", " ", "、", " ", "，", " ", ",", " ", ";", " ", "；", " ").Replace(s)
	var out MonthSet
	for _, f := range strings.Fields(s) {
		m, err := strconv.Atoi(f)
		if err != nil || m < 1 || m > 12 {
			return nil, fmt.Errorf("invalid month %q", f)
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (ms MonthSet) String() string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = strconv.Itoa(m)
	}
	return strings.Join(parts, ",")
}

// Has reports whether month m is in the set.
func (ms MonthSet) Has(m int) bool { return slices.Contains(ms, m) }

// Value stores the set as text.
func (ms MonthSet) Value() (driver.Value, error) { return ms.String(), nil }

// Scan reads the text form.
func (ms *MonthSet) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("models.MonthSet: cannot scan %T", src)
	}
	v, err := ParseMonthSet(s)
	*ms = v
	return err
}
