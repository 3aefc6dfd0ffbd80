package feed_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gsl/rota/api/feed"
	"github.com/gsl/rota/api/feed/feedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var cst = feed.Shanghai

func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, cst) }

// updated is a fixed "last changed" instant, so DTSTAMP in the golden files never moves.
var updated = time.Date(2026, 1, 10, 2, 30, 0, 0, time.UTC)

func dutyEvent() feed.Event {
	return feed.Event{
		UID:      "activity-17@rota.example.cn",
		Summary:  "第3轮值组：健康产业座谈会",
		Location: "福安市体育器材有限公司三楼会议室",
		Description: "主题：健康产业发展座谈\n类别：座谈讲座\n轮值组：第3轮值组\n牵头人：林建华、陈美玲\n" +
			"详情：https://rota.example.cn/activities/17",
		Categories: []string{"座谈讲座", "第3轮值组"},
		URL:        "https://rota.example.cn/activities/17",
		Start:      at(2026, 3, 18, 14, 30), End: at(2026, 3, 18, 17, 0),
		Status: feed.StatusConfirmed, Sequence: 2,
		Created: updated.Add(-72 * time.Hour), Updated: updated,
	}
}

func federationEvent() feed.Event {
	return feed.Event{
		UID:     "activity-21@rota.example.cn",
		Summary: "全体执委会议（2026年上半年）", Location: "市工商联大会议室",
		Description: "类别：宣传培训\n全体执委参加\n详情：https://rota.example.cn/activities/21",
		Categories:  []string{"宣传培训"}, URL: "https://rota.example.cn/activities/21",
		Start: at(2026, 6, 30, 9, 0), End: at(2026, 6, 30, 11, 30),
		Status: feed.StatusTentative, Sequence: 0, Updated: updated.Add(time.Hour),
	}
}

func invitedEvent() feed.Event {
	return feed.Event{
		UID:     "activity-23@rota.example.cn",
		Summary: "第7轮值组：银企对接会", Location: "中国银行福安支行",
		Description: "类别：服务产业\n轮值组：第7轮值组\n详情：https://rota.example.cn/activities/23",
		Categories:  []string{"服务产业", "第7轮值组"}, URL: "https://rota.example.cn/activities/23",
		Start: at(2026, 7, 9, 15, 0), End: at(2026, 7, 9, 17, 0),
		Status: feed.StatusConfirmed, Sequence: 1, Updated: updated.Add(2 * time.Hour),
	}
}

func cancelledEvent() feed.Event {
	return feed.Event{
		UID:     "activity-19@rota.example.cn",
		Summary: "第3轮值组：参观学习（已取消）", Location: "宁德时代",
		Categories: []string{"参观学习"},
		Start:      at(2026, 4, 22, 8, 30), End: at(2026, 4, 22, 12, 0),
		Status: feed.StatusCancelled, Sequence: 4, Updated: updated.Add(3 * time.Hour),
	}
}

func allDayEvent() feed.Event {
	return feed.Event{
		UID:     "activity-25@rota.example.cn",
		Summary: "春节送温暖（热心公益）", Location: "穆阳镇、溪柄镇",
		Categories: []string{"热心公益"}, URL: "https://rota.example.cn/activities/25",
		// Two days, 28 and 29 January: End is the exclusive day after.
		Start: at(2026, 1, 28, 0, 0), End: at(2026, 1, 30, 0, 0), AllDay: true,
		Status: feed.StatusConfirmed, Sequence: 0, Updated: updated,
	}
}

// hostileSummary holds everything a pasted spreadsheet cell or a mischievous user can:
// escapes, separators, CR/LF, NUL and other controls, a BOM, a bidi override, invalid UTF-8.
const hostileSummary = "A\\B;C,D\r\nE\rF\nG\x00H\x1bI\x7fJ\ufeffK\u202eL\u2028M\tN \xff"

var cases = []struct {
	name string
	cal  feed.Calendar
}{
	{"member", feed.Calendar{Name: "林建华的轮值活动", Alarm: 24 * time.Hour,
		Events: []feed.Event{invitedEvent(), dutyEvent(), federationEvent()}}},
	{"group", feed.Calendar{Name: "第3轮值组活动", Alarm: 24 * time.Hour,
		Events: []feed.Event{dutyEvent(), cancelledEvent()}}},
	{"federation", feed.Calendar{Name: "福安市工商联轮值活动", Description: "全部轮值活动", Alarm: 24 * time.Hour,
		Events: []feed.Event{dutyEvent(), federationEvent(), invitedEvent(), allDayEvent(), cancelledEvent()}}},
	{"empty", feed.Calendar{Name: "第12轮值组活动", Alarm: 24 * time.Hour}},
	{"cancelled", feed.Calendar{Name: "取消的活动", Alarm: 24 * time.Hour, Events: []feed.Event{cancelledEvent()}}},
	{"allday", feed.Calendar{Name: "全天活动", Alarm: 2 * time.Hour, Events: []feed.Event{allDayEvent()}}},
	{"hostile", feed.Calendar{Name: "名称\r\n换行;逗号,", Alarm: 90 * time.Minute, Events: []feed.Event{{
		UID: "activity-99@rota.example.cn", Summary: hostileSummary,
		Location:    strings.Repeat("很长的地点名称", 30),
		Description: "第一行\r\n第二行\r第三行\n\n" + strings.Repeat("😀", 40) + "\x00end",
		Categories:  []string{"a,b", "c;d", "", "\x07"},
		URL:         "javascript:alert(1)",
		Start:       at(2026, 5, 1, 9, 0), End: at(2026, 5, 1, 10, 0),
		Status: "weird", Sequence: 3, Updated: updated,
	}}}},
}

func TestGolden(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := feed.Render(&tc.cal)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".ics")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./api/feed -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (go test ./api/feed -update to accept):\n%s", golden, got)
			}
			r, py := feedtest.Check(t, got)
			if py != nil {
				for _, e := range tc.cal.Events {
					if pe := py.Event(e.UID); pe != nil && e.Status != "weird" && !slices.Equal(pe.Categories, e.Categories) {
						t.Errorf("%s: CATEGORIES %q, want %q", e.UID, pe.Categories, e.Categories)
					}
				}
			}
			checkCalendar(t, r, tc.cal.Name)
			for _, e := range tc.cal.Events {
				checkEvent(t, r, e, tc.cal.Alarm)
			}
			if len(r.Events) != len(tc.cal.Events) {
				t.Errorf("feed has %d events, want %d", len(r.Events), len(tc.cal.Events))
			}
		})
	}
}

// checkCalendar asserts the subscription properties every client needs.
func checkCalendar(t *testing.T, r *feedtest.Reading, name string) {
	t.Helper()
	want := map[string]string{
		"VERSION": "2.0", "PRODID": feed.ProdID, "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"X-WR-TIMEZONE": "Asia/Shanghai", "REFRESH-INTERVAL": "PT1H", "X-PUBLISHED-TTL": "PT1H",
	}
	for k, v := range want {
		if r.Props[k] != v {
			t.Errorf("%s = %q, want %q", k, r.Props[k], v)
		}
	}
	if r.Props["X-WR-CALNAME"] == "" || r.Props["X-WR-CALNAME"] != r.Props["NAME"] {
		t.Errorf("X-WR-CALNAME %q and NAME %q must both name the calendar", r.Props["X-WR-CALNAME"], r.Props["NAME"])
	}
	if !strings.ContainsAny(name, "\r\n") && r.Props["X-WR-CALNAME"] != name {
		t.Errorf("calendar name %q, want %q", r.Props["X-WR-CALNAME"], name)
	}
	if !slices.Equal(r.TZIDs, []string{"Asia/Shanghai"}) {
		t.Errorf("VTIMEZONEs %v, want exactly Asia/Shanghai", r.TZIDs)
	}
}

// checkEvent asserts an event reads back as stored: UID, title, times in Asia/Shanghai,
// SEQUENCE, STATUS, DTSTAMP from the update time, and the alarm.
func checkEvent(t *testing.T, r *feedtest.Reading, e feed.Event, alarm time.Duration) {
	t.Helper()
	got := r.Event(e.UID)
	if got == nil {
		t.Errorf("event %s missing", e.UID)
		return
	}
	if !strings.ContainsAny(e.Summary, "\r\n\x00") && got.Summary != e.Summary {
		t.Errorf("%s: SUMMARY %q, want %q", e.UID, got.Summary, e.Summary)
	}
	if e.AllDay {
		if !got.AllDay || got.Start != e.Start.Format(time.DateOnly) || got.End != e.End.Format(time.DateOnly) {
			t.Errorf("%s: all-day %v %s–%s, want %s–%s", e.UID, got.AllDay, got.Start, got.End,
				e.Start.Format(time.DateOnly), e.End.Format(time.DateOnly))
		}
	} else {
		if got.TZID != "Asia/Shanghai" || got.Start != e.Start.Format(time.RFC3339) || got.End != e.End.Format(time.RFC3339) {
			t.Errorf("%s: %s %s–%s, want Asia/Shanghai %s–%s", e.UID, got.TZID, got.Start, got.End,
				e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
		}
	}
	if got.Sequence != e.Sequence {
		t.Errorf("%s: SEQUENCE %d, want %d", e.UID, got.Sequence, e.Sequence)
	}
	wantStatus := string(e.Status)
	if wantStatus != "CANCELLED" && wantStatus != "TENTATIVE" {
		wantStatus = "CONFIRMED"
	}
	if got.Status != wantStatus {
		t.Errorf("%s: STATUS %q, want %q", e.UID, got.Status, wantStatus)
	}
	if want := e.Updated.UTC().Format(time.RFC3339); got.Stamp != want {
		t.Errorf("%s: DTSTAMP %s, want the update time %s", e.UID, got.Stamp, want)
	}
	switch {
	case e.Status == feed.StatusCancelled && len(got.Alarms) != 0:
		t.Errorf("%s: a cancelled event must not remind anyone", e.UID)
	case e.Status != feed.StatusCancelled && alarm > 0:
		if len(got.Alarms) != 1 || got.Alarms[0].Action != "DISPLAY" || got.Alarms[0].Description == "" ||
			got.Alarms[0].TriggerSeconds != -int(alarm/time.Second) {
			t.Errorf("%s: alarms %+v, want one DISPLAY %v before", e.UID, got.Alarms, alarm)
		}
	}
}

func TestHostileTextIsCleanedNotLost(t *testing.T) {
	b, err := feed.Render(&cases[len(cases)-1].cal)
	if err != nil {
		t.Fatal(err)
	}
	r := feedtest.ParseGolangICal(t, b)
	e := r.Events[0]
	if want := "A\\B;C,D E F GHIJKL M N \ufffd"; e.Summary != want {
		t.Errorf("SUMMARY %q, want %q", e.Summary, want)
	}
	if want := "第一行\n第二行\n第三行\n\n" + strings.Repeat("😀", 40) + "end"; e.Description != want {
		t.Errorf("DESCRIPTION %q, want %q", e.Description, want)
	}
	if e.CategoriesText != "a，b,c；d" {
		t.Errorf("CATEGORIES read as %q: separators inside a category must become full-width and empty ones go", e.CategoriesText)
	}
	if py := feedtest.ParsePython(t, b); !slices.Equal(py.Events[0].Categories, []string{"a，b", "c；d"}) {
		t.Errorf("CATEGORIES read as %q, want [a，b c；d]", py.Events[0].Categories)
	}
	if e.URL != "" {
		t.Errorf("a javascript: URL must be dropped, got %q", e.URL)
	}
	if r.Props["X-WR-CALNAME"] != "名称 换行;逗号," {
		t.Errorf("calendar name %q", r.Props["X-WR-CALNAME"])
	}
}

func TestBytesDoNotDependOnEventOrder(t *testing.T) {
	cal := cases[2].cal
	a, err := feed.Render(&cal)
	if err != nil {
		t.Fatal(err)
	}
	rev := cal
	rev.Events = slices.Clone(cal.Events)
	slices.Reverse(rev.Events)
	b, _ := feed.Render(&rev)
	if !bytes.Equal(a, b) {
		t.Error("the same events in another order render different bytes: ETags would change for nothing")
	}
}

// TestFoldingProperty renders random text of every width (ASCII, CJK, 4-byte emoji,
// escapes) and checks every line passes the lint and unfolding gives the text back.
func TestFoldingProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "7", " ", ",", ";", "\\", "\n", "轮", "值", "组", "😀", "é", "ß"}
	for i := range 300 {
		var sb strings.Builder
		for range rng.IntN(400) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := strings.TrimSpace(sb.String())
		cal := feed.Calendar{Name: "x", Events: []feed.Event{{UID: fmt.Sprintf("u%d@x", i), Summary: "s",
			Description: s, Start: at(2026, 1, 1, 9, 0), Updated: updated}}}
		b, err := feed.Render(&cal)
		if err != nil {
			t.Fatal(err)
		}
		if p := feedtest.Lint(b); len(p) > 0 {
			t.Fatalf("text %q: %v", s, p)
		}
		r := feedtest.ParseGolangICal(t, b)
		if got := r.Events[0].Description; got != strings.TrimSpace(s) {
			t.Fatalf("text came back as %q, want %q", got, s)
		}
	}
}

func TestFoldsAtUTF8Boundaries(t *testing.T) {
	cal := feed.Calendar{Name: strings.Repeat("轮值", 100)}
	b, _ := feed.Render(&cal)
	folded := 0
	for _, l := range strings.Split(string(b), "\r\n") {
		if strings.HasPrefix(l, " ") {
			folded++
		}
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Fatalf("bad physical line %q (%d octets)", l, len(l))
		}
	}
	if folded < 10 {
		t.Errorf("a 600-octet name should fold many times, folded %d", folded)
	}
}

// benchmarkCalendar is a member's year: 24 activities with realistic Chinese text.
func benchmarkCalendar() *feed.Calendar {
	cal := &feed.Calendar{Name: "林建华的轮值活动", Alarm: 24 * time.Hour}
	base := dutyEvent()
	for i := range 24 {
		e := base
		e.UID = fmt.Sprintf("activity-%d@rota.example.cn", 100+i)
		e.Start = at(2025, time.Month(i%12+1), 10+i%15, 14, 30)
		e.End = e.Start.Add(150 * time.Minute)
		e.Sequence = i % 3
		cal.Events = append(cal.Events, e)
	}
	return cal
}

func BenchmarkRenderMember24(b *testing.B) {
	cal := benchmarkCalendar()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := feed.Render(cal)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.SetBytes(int64(n))
}
