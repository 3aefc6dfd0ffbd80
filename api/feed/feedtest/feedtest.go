// Package feedtest checks iCalendar feeds the way calendar apps will read them: a byte-level
// lint of RFC 5545's physical rules, and two independent parsers (Debian's python3-icalendar
// and github.com/arran4/golang-ical) whose readings must agree with each other.
package feedtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // golang-ical resolves TZID=Asia/Shanghai with time.LoadLocation
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// Python is Debian's interpreter. Never another python on PATH: python3-icalendar is
// installed for this one (apt-get install -y python3-icalendar).
const Python = "/usr/bin/python3"

//go:embed parse_ics.py
var parseScript []byte

// Lint returns every physical-line rule the feed breaks: CRLF line ends only, each line
// at most 75 octets and valid UTF-8, no blank lines, no byte-order mark.
func Lint(b []byte) []string {
	var problems []string
	add := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		add("starts with a UTF-8 byte-order mark")
	}
	if len(b) == 0 {
		add("empty")
		return problems
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		add("does not end with CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n"))
	for i, l := range lines {
		n := i + 1
		switch {
		case len(l) == 0:
			add("line %d is blank", n)
		case len(l) > 75:
			add("line %d is %d octets long (max 75): %q", n, len(l), l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			add("line %d holds a bare CR or LF: %q", n, l)
		}
		if !utf8.Valid(l) {
			add("line %d is not valid UTF-8 on its own (a character split by folding?): %q", n, l)
		}
		for _, r := range string(l) {
			if (r < 0x20 && r != '\t') || r == 0x7f {
				add("line %d holds control character %U", n, r)
			}
		}
	}
	if len(lines) > 0 && !bytes.Equal(lines[0], []byte("BEGIN:VCALENDAR")) {
		add("first line is %q, want BEGIN:VCALENDAR", lines[0])
	}
	if len(lines) > 0 && !bytes.Equal(lines[len(lines)-1], []byte("END:VCALENDAR")) {
		add("last line is %q, want END:VCALENDAR", lines[len(lines)-1])
	}
	return problems
}

// Reading is what a parser made of a feed, in a form both parsers can produce.
type Reading struct {
	Props  map[string]string `json:"props"`
	TZIDs  []string          `json:"tzids"`
	Events []Event           `json:"events"`
}

// Event is one VEVENT as read. Start and End are RFC 3339 in the event's zone for timed
// events (so Asia/Shanghai shows as +08:00) and YYYY-MM-DD for all-day ones.
type Event struct {
	UID         string   `json:"uid"`
	Summary     string   `json:"summary"`
	Location    string   `json:"location"`
	Description string   `json:"description"`
	URL         string   `json:"url"`
	Status      string   `json:"status"`
	Sequence    int      `json:"sequence"`
	Categories  []string `json:"categories"` // python3-icalendar only
	// CategoriesText is every category joined with commas, as both parsers can read it.
	CategoriesText string  `json:"-"`
	Start          string  `json:"start"`
	End            string  `json:"end"`
	AllDay         bool    `json:"all_day"`
	TZID           string  `json:"tzid"`
	Stamp          string  `json:"stamp"`
	Alarms         []Alarm `json:"alarms"`
}

// Alarm is one VALARM; TriggerSeconds is negative for "before the start".
type Alarm struct {
	Action         string `json:"action"`
	Description    string `json:"description"`
	TriggerSeconds int    `json:"trigger_seconds"`
}

// Event returns the event with uid, or nil.
func (r *Reading) Event(uid string) *Event {
	for i := range r.Events {
		if r.Events[i].UID == uid {
			return &r.Events[i]
		}
	}
	return nil
}

// Check lints the feed and reads it with both parsers, failing t on any lint problem or
// any disagreement; it returns both readings for the caller's own assertions (the Python
// one is nil when python3-icalendar is missing). The Python reading runs as a subtest, skipped (or, under CI, failed) when python3-icalendar
// is missing, so the rest of the test still runs.
func Check(t *testing.T, feed []byte) (goReading, pyReading *Reading) {
	t.Helper()
	for _, p := range Lint(feed) {
		t.Errorf("lint: %s", p)
	}
	goReading = ParseGolangICal(t, feed)
	for _, id := range referencedTZIDs(feed) {
		if !slices.Contains(goReading.TZIDs, id) {
			t.Errorf("TZID=%s has no VTIMEZONE in the feed", id)
		}
	}
	t.Run("python3-icalendar", func(t *testing.T) {
		py := ParsePython(t, feed)
		pyReading = py
		if !reflect.DeepEqual(normalise(py), normalise(goReading)) {
			a, _ := json.MarshalIndent(py, "", "  ")
			b, _ := json.MarshalIndent(goReading, "", "  ")
			t.Errorf("python3-icalendar and golang-ical read the feed differently\npython:\n%s\ngolang-ical:\n%s", a, b)
		}
	})
	return goReading, pyReading
}

func normalise(r *Reading) *Reading {
	c := *r
	c.Events = make([]Event, len(r.Events))
	for i, e := range r.Events {
		if e.Categories != nil {
			e.CategoriesText = strings.Join(e.Categories, ",")
			e.Categories = nil
		}
		if e.Alarms == nil {
			e.Alarms = []Alarm{}
		}
		c.Events[i] = e
	}
	return &c
}

// referencedTZIDs lists the TZID parameters of the unfolded content lines.
func referencedTZIDs(feed []byte) []string {
	unfolded := strings.ReplaceAll(string(feed), "\r\n ", "")
	var out []string
	for _, line := range strings.Split(unfolded, "\r\n") {
		head, _, _ := strings.Cut(line, ":")
		for _, param := range strings.Split(head, ";")[1:] {
			if v, ok := strings.CutPrefix(param, "TZID="); ok && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// RequirePython skips t (fails it under CI) unless Debian's python3 can import icalendar.
func RequirePython(t testing.TB) {
	t.Helper()
	out, err := exec.Command(Python, "-c", "import icalendar").CombinedOutput()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s cannot import icalendar (apt-get install -y python3-icalendar): %v %s", Python, err, out)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// ParsePython reads the feed with python3-icalendar.
func ParsePython(t testing.TB, feed []byte) *Reading {
	t.Helper()
	RequirePython(t)
	script := filepath.Join(t.TempDir(), "parse_ics.py")
	if err := os.WriteFile(script, parseScript, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Python, script)
	cmd.Stdin = bytes.NewReader(feed)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3-icalendar rejected the feed: %v\n%s", err, stderr.String())
	}
	var r Reading
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("parse_ics.py output: %v\n%s", err, out)
	}
	return &r
}

// ParseGolangICal reads the feed with github.com/arran4/golang-ical.
func ParseGolangICal(t testing.TB, feed []byte) *Reading {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(feed))
	if err != nil {
		t.Fatalf("golang-ical rejected the feed: %v", err)
	}
	r := &Reading{Props: map[string]string{}}
	for _, p := range cal.CalendarProperties {
		switch k := p.IANAToken; k {
		case "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "NAME", "X-WR-TIMEZONE",
			"X-PUBLISHED-TTL", "REFRESH-INTERVAL":
			r.Props[k] = p.Value // golang-ical has already unescaped TEXT values
		}
	}
	for _, c := range cal.Components {
		if tz, ok := c.(*ics.VTimezone); ok {
			if p := tz.GetProperty(ics.ComponentPropertyTzid); p != nil {
				r.TZIDs = append(r.TZIDs, p.Value)
			}
		}
	}
	for _, ev := range cal.Events() {
		e := Event{Sequence: -1}
		get := func(p ics.ComponentProperty) string {
			if v := ev.GetProperty(p); v != nil {
				return v.Value
			}
			return ""
		}
		e.UID, e.Summary, e.Location = get(ics.ComponentPropertyUniqueId), get(ics.ComponentPropertySummary), get(ics.ComponentPropertyLocation)
		e.Description, e.URL, e.Status = get(ics.ComponentPropertyDescription), get(ics.ComponentPropertyUrl), get(ics.ComponentPropertyStatus)
		if s := get(ics.ComponentPropertySequence); s != "" {
			if e.Sequence, err = strconv.Atoi(s); err != nil {
				t.Fatalf("SEQUENCE %q: %v", s, err)
			}
		}
		// golang-ical unescapes a TEXT list into one string, so "a\,b,c" and "a,b,c" read the
		// same: only the joined text can be compared; python3-icalendar gives the list.
		var cats []string
		for _, p := range ev.GetProperties(ics.ComponentPropertyCategories) {
			cats = append(cats, p.Value)
		}
		e.CategoriesText = strings.Join(cats, ",")
		start := ev.GetProperty(ics.ComponentPropertyDtStart)
		if start == nil {
			t.Fatalf("event %s has no DTSTART", e.UID)
		}
		if v := start.ICalParameters["VALUE"]; len(v) == 1 && v[0] == "DATE" {
			e.AllDay = true
			s, err1 := ev.GetAllDayStartAt()
			en, err2 := ev.GetAllDayEndAt()
			if err1 != nil || err2 != nil {
				t.Fatalf("event %s: all-day dates: %v %v", e.UID, err1, err2)
			}
			e.Start, e.End = s.Format(time.DateOnly), en.Format(time.DateOnly)
		} else {
			if tz := start.ICalParameters["TZID"]; len(tz) == 1 {
				e.TZID = tz[0]
			}
			s, err := ev.GetStartAt()
			if err != nil {
				t.Fatalf("event %s: DTSTART: %v", e.UID, err)
			}
			e.Start = s.Format(time.RFC3339)
			if ev.GetProperty(ics.ComponentPropertyDtEnd) != nil {
				en, err := ev.GetEndAt()
				if err != nil {
					t.Fatalf("event %s: DTEND: %v", e.UID, err)
				}
				e.End = en.Format(time.RFC3339)
			}
		}
		stamp, err := ev.GetDtStampTime()
		if err != nil {
			t.Fatalf("event %s: DTSTAMP: %v", e.UID, err)
		}
		e.Stamp = stamp.UTC().Format(time.RFC3339)
		for _, a := range ev.Alarms() {
			al := Alarm{}
			if p := a.GetProperty(ics.ComponentPropertyAction); p != nil {
				al.Action = p.Value
			}
			if p := a.GetProperty(ics.ComponentPropertyDescription); p != nil {
				al.Description = p.Value
			}
			if p := a.GetProperty(ics.ComponentPropertyTrigger); p != nil {
				d, err := parseDuration(p.Value)
				if err != nil {
					t.Fatalf("event %s: TRIGGER %q: %v", e.UID, p.Value, err)
				}
				al.TriggerSeconds = int(d / time.Second)
			}
			e.Alarms = append(e.Alarms, al)
		}
		r.Events = append(r.Events, e)
	}
	return r
}

// parseDuration reads the RFC 5545 durations the feeds write: [+-]P[nW][nD][T[nH][nM][nS]].
func parseDuration(s string) (time.Duration, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if !strings.HasPrefix(s, "P") {
		return 0, fmt.Errorf("no P")
	}
	s = s[1:]
	var d time.Duration
	inTime := false
	num := 0
	units := map[bool]map[byte]time.Duration{
		false: {'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour},
		true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'T':
			inTime = true
		case c >= '0' && c <= '9':
			num = num*10 + int(c-'0')
		default:
			u, ok := units[inTime][c]
			if !ok {
				return 0, fmt.Errorf("unit %q", c)
			}
			d += time.Duration(num) * u
			num = 0
		}
	}
	if neg {
		d = -d
	}
	return d, nil
}
