// Package feed renders iCalendar (RFC 5545) subscription feeds from a neutral description
// of a calendar. It knows nothing of the database or HTTP: callers turn activities into
// Events, Render turns those into bytes that every phone and desktop calendar accepts.
//
// go-ical builds and encodes the components; this package adds what go-ical leaves to the
// caller: the time zone definition, text clean-up, line folding at 75 octets, a stable
// event order and the subscription properties (refresh interval, calendar name).
package feed

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
)

// TimeZoneID is the only time zone the feeds use; every TZID refers to its VTIMEZONE.
const TimeZoneID = "Asia/Shanghai"

// ProdID names the product that wrote the feed.
const ProdID = "-//GSL//Rota Duty Calendar//ZH-CN"

// Shanghai is China Standard Time. It is a fixed zone on purpose: China has kept UTC+8
// without daylight saving since 1991, so no tzdata is needed and the VTIMEZONE below
// (one STANDARD rule) describes it exactly for every date a feed can hold.
var Shanghai = time.FixedZone(TimeZoneID, 8*60*60)

// Status is an event's status as calendars show it.
type Status string

// Event statuses (RFC 5545 §3.8.1.11).
const (
	StatusConfirmed Status = "CONFIRMED"
	StatusTentative Status = "TENTATIVE"
	StatusCancelled Status = "CANCELLED"
)

// Calendar is one feed: its name and its events.
type Calendar struct {
	// Name is what a calendar app lists the subscription as (X-WR-CALNAME and NAME).
	Name string
	// Description is optional (X-WR-CALDESC).
	Description string
	// Alarm is how long before each event's start a reminder fires; 0 means no reminder.
	// Cancelled events never carry one.
	Alarm time.Duration
	// Events may come in any order; Render sorts them so the bytes do not depend on it.
	Events []Event
}

// Event is one activity in a feed. Text fields are plain text: Render removes control
// characters, normalises line breaks and escapes what RFC 5545 requires.
type Event struct {
	// UID must stay the same for the life of the activity, or calendars show duplicates.
	UID         string
	Summary     string
	Location    string
	Description string
	Categories  []string
	// URL links back to the activity; anything that is not a plain http(s) URL is dropped.
	URL string
	// Start and End of a timed event are instants, written in Asia/Shanghai. End is
	// optional. For an all-day event they are read as dates in Asia/Shanghai and End is
	// exclusive (the day after the last day), as in RFC 5545; a zero End means one day.
	Start, End time.Time
	AllDay     bool
	Status     Status
	// Sequence is bumped by every change that matters to attendees (time, place, status).
	Sequence int
	// Created is optional. Updated is when the activity last changed: it becomes DTSTAMP
	// and LAST-MODIFIED, so the bytes stay the same until the activity does.
	Created, Updated time.Time
}

// Render writes the calendar as iCalendar bytes: CRLF line ends, lines folded at 75
// octets on UTF-8 character boundaries, no blank lines and no byte-order mark.
func Render(cal *Calendar) ([]byte, error) {
	root := ical.NewCalendar()
	p := root.Props
	setRaw(p, ical.PropVersion, "2.0")
	setRaw(p, ical.PropProductID, ProdID)
	setRaw(p, ical.PropCalendarScale, "GREGORIAN")
	setRaw(p, ical.PropMethod, "PUBLISH")
	name := cleanLine(cal.Name)
	setText(p, "X-WR-CALNAME", name)
	p.SetText(ical.PropName, name)
	if d := cleanText(cal.Description); d != "" {
		setText(p, "X-WR-CALDESC", d)
	}
	setRaw(p, "X-WR-TIMEZONE", TimeZoneID)
	// RFC 7986 requires VALUE=DURATION to be spelt out on REFRESH-INTERVAL; go-ical's
	// SetValueType would drop it as the default, so the parameter is set by hand.
	p.Set(&ical.Prop{Name: ical.PropRefreshInterval, Params: ical.Params{ical.ParamValue: {"DURATION"}}, Value: "PT1H"})
	setRaw(p, "X-PUBLISHED-TTL", "PT1H")

	// The VTIMEZONE also keeps the calendar non-empty, which go-ical (and RFC 5545) require
	// even when there are no events.
	root.Children = append(root.Children, shanghaiTimezone())

	events := slices.Clone(cal.Events)
	slices.SortStableFunc(events, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.UID, b.UID)
	})
	for i := range events {
		root.Children = append(root.Children, eventComponent(&events[i], cal.Alarm))
	}

	var raw bytes.Buffer
	raw.Grow(1024 + 1024*len(events))
	if err := ical.NewEncoder(&raw).Encode(root); err != nil {
		return nil, err
	}
	return fold(make([]byte, 0, raw.Len()+raw.Len()/16), raw.Bytes()), nil
}

func shanghaiTimezone() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	setRaw(tz.Props, ical.PropTimezoneID, TimeZoneID)
	setRaw(tz.Props, "X-LIC-LOCATION", TimeZoneID)
	std := ical.NewComponent(ical.CompTimezoneStandard)
	setRaw(std.Props, ical.PropDateTimeStart, "19700101T000000")
	setRaw(std.Props, ical.PropTimezoneOffsetFrom, "+0800")
	setRaw(std.Props, ical.PropTimezoneOffsetTo, "+0800")
	setRaw(std.Props, ical.PropTimezoneName, "CST")
	tz.Children = append(tz.Children, std)
	return tz
}

func eventComponent(e *Event, alarm time.Duration) *ical.Component {
	c := ical.NewComponent(ical.CompEvent)
	p := c.Props
	p.SetText(ical.PropUID, cleanLine(e.UID))
	stamp := e.Updated
	if stamp.IsZero() {
		stamp = cmp.Or(e.Created, e.Start)
	}
	stamp = stamp.UTC().Truncate(time.Second)
	p.SetDateTime(ical.PropDateTimeStamp, stamp)
	p.SetDateTime(ical.PropLastModified, stamp)
	if !e.Created.IsZero() {
		p.SetDateTime(ical.PropCreated, e.Created.UTC().Truncate(time.Second))
	}
	setRaw(p, ical.PropSequence, strconv.Itoa(max(e.Sequence, 0)))
	if e.AllDay {
		start := dateIn(e.Start)
		end := dateIn(e.End)
		if !end.After(start) {
			end = start.AddDate(0, 0, 1)
		}
		p.SetDate(ical.PropDateTimeStart, start)
		p.SetDate(ical.PropDateTimeEnd, end)
	} else {
		p.SetDateTime(ical.PropDateTimeStart, e.Start.In(Shanghai).Truncate(time.Second))
		if e.End.After(e.Start) {
			p.SetDateTime(ical.PropDateTimeEnd, e.End.In(Shanghai).Truncate(time.Second))
		}
	}
	summary := cleanLine(e.Summary)
	p.SetText(ical.PropSummary, summary)
	if s := cleanLine(e.Location); s != "" {
		p.SetText(ical.PropLocation, s)
	}
	if s := cleanText(e.Description); s != "" {
		p.SetText(ical.PropDescription, s)
	}
	var cats []string
	for _, s := range e.Categories {
		if s = categoryText.Replace(cleanLine(s)); s != "" {
			cats = append(cats, s)
		}
	}
	if len(cats) > 0 {
		prop := ical.NewProp(ical.PropCategories)
		prop.SetTextList(cats)
		p.Set(prop)
	}
	if u, ok := cleanURL(e.URL); ok {
		setRaw(p, ical.PropURL, u)
	}
	status := e.Status
	switch status {
	case StatusConfirmed, StatusTentative, StatusCancelled:
	default:
		status = StatusConfirmed
	}
	setRaw(p, ical.PropStatus, string(status))
	if alarm > 0 && status != StatusCancelled {
		c.Children = append(c.Children, alarmComponent(alarm, summary))
	}
	return c
}

// categoryText swaps the characters TEXT lists escape for their full-width forms: both
// python-icalendar 4 and golang-ical split CATEGORIES on escaped commas, so "a\\,b" would
// come out as two categories. Category names are Chinese labels, where the full-width
// forms are the normal ones anyway.
var categoryText = strings.NewReplacer(",", "，", ";", "；", "\\", "＼")

func alarmComponent(before time.Duration, text string) *ical.Component {
	a := ical.NewComponent(ical.CompAlarm)
	setRaw(a.Props, ical.PropAction, "DISPLAY")
	if text == "" {
		text = "Reminder"
	}
	a.Props.SetText(ical.PropDescription, text)
	setRaw(a.Props, ical.PropTrigger, "-"+formatDuration(before))
	return a
}

// formatDuration writes d as an RFC 5545 duration in the largest whole unit: P1D, PT2H, PT90M.
func formatDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	switch {
	case d <= 0:
		return "PT0S"
	case d%(7*24*time.Hour) == 0:
		return "P" + strconv.FormatInt(int64(d/(7*24*time.Hour)), 10) + "W"
	case d%(24*time.Hour) == 0:
		return "P" + strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "D"
	case d%time.Hour == 0:
		return "PT" + strconv.FormatInt(int64(d/time.Hour), 10) + "H"
	case d%time.Minute == 0:
		return "PT" + strconv.FormatInt(int64(d/time.Minute), 10) + "M"
	}
	return "PT" + strconv.FormatInt(int64(d/time.Second), 10) + "S"
}

// dateIn is t's calendar date in Shanghai, as midnight of a zone-less date.
func dateIn(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// setText sets an escaped TEXT value on an X- property without the VALUE=TEXT parameter
// go-ical adds to names it does not know; some clients ignore X-WR-CALNAME;VALUE=TEXT.
func setText(p ical.Props, name, text string) {
	prop := ical.NewProp(name)
	prop.SetText(text)
	prop.Params.Del(ical.ParamValue)
	p.Set(prop)
}

// setRaw sets a property whose value needs no escaping (fixed tokens, numbers, URIs).
func setRaw(p ical.Props, name, value string) {
	p.Set(&ical.Prop{Name: name, Params: ical.Params{}, Value: value})
}
