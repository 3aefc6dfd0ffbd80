package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// The year of the secretariat, end to end through HTTP: plan 2027 from the demo federation,
// adjust it, publish it, let the March group's leader pick the theme and hold the activity,
// record attendance, then change the published plan and see the change list and the calendar
// follow.
func TestFullFlow(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		f := newFlow(t, db)

		// A draft of 2027 from the roster: 12 groups of 10–11 with 2–3 leaders, one month each.
		var p planJSON
		f.ok(201, "POST", "/api/v1/plans", `{"year":2027,"seed":7,"time_limit_ms":300,"no_duty":[]}`, nil, &p)
		f.planID, f.ver = p.ID, p.Version
		p = f.plan(nil)
		if p.Status != "draft" || p.Version != 1 || len(p.Groups) != 12 || len(p.Months) != 12 || !p.Check.Satisfied ||
			len(p.Score.Terms) == 0 || p.Score.Terms[0].LabelZH == "" {
			t.Fatalf("draft: %+v", p)
		}
		placed := 0
		for _, g := range p.Groups {
			n := len(g.Leaders) + len(g.Members)
			placed += n
			if n < 10 || n > 11 || len(g.Leaders) < 2 || len(g.Leaders) > 3 || len(g.Months) != 1 {
				t.Errorf("%s: %d people, %d leaders, months %v", g.Name, n, len(g.Leaders), g.Months)
			}
		}
		for _, m := range p.Months {
			if m.GroupNumber == 0 || m.Category == "" || !strings.HasPrefix(m.ProposedDate, "2027-") {
				t.Errorf("month %d: %+v", m.Month, m)
			}
		}
		if placed != 129 {
			t.Fatalf("129 people are in the rota, %d placed", placed)
		}

		// Move a standing member from group 1 to 2: the preview changes nothing.
		mover := p.group(1).Members[0]
		var pv editJSON
		f.ok(200, "POST", fmt.Sprintf("/api/v1/plans/%d/edits", f.planID), fmt.Sprintf(`{"kind":"move","member_id":%d,"to_group":2}`, mover.MemberID), nil, &pv)
		if len(pv.Changes) != 1 || pv.Changes[0].Kind != "member_moved" || pv.Changes[0].From != 1 || pv.Changes[0].To != 2 || pv.Changes[0].Name != mover.Name {
			t.Fatalf("move preview: %+v", pv)
		}
		if p = f.plan(nil); p.groupOf(mover.MemberID) != 1 || p.Version != 1 {
			t.Fatal("a preview must change nothing")
		}
		f.adjust(fmt.Sprintf(`{"kind":"move","member_id":%d,"to_group":2}`, mover.MemberID))
		if p = f.plan(nil); p.groupOf(mover.MemberID) != 2 || p.Version != 2 {
			t.Fatalf("after the move: group %d, version %d", p.groupOf(mover.MemberID), p.Version)
		}
		// Version 2 says who moved and, when a rule was overridden, why.
		var vs versionsJSON
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d/versions", f.planID), "", nil, &vs)
		if len(vs.Items) == 0 || vs.Items[0].Version != 2 || vs.Items[0].Changes[0].MemberID != mover.MemberID ||
			pv.Allowed == slices.ContainsFunc(vs.Items[0].Changes, func(c models.PlanChange) bool {
				return c.Kind == "override" && c.Reason == "秘书处确认：本人申请"
			}) {
			t.Fatalf("version 2 (override needed: %v): %+v", !pv.Allowed, vs.Items)
		}

		// Swap March and April.
		march, april := p.monthGroup(3), p.monthGroup(4)
		f.adjust(`{"kind":"swap_months","month_a":3,"month_b":4}`)
		if p = f.plan(nil); p.monthGroup(3) != april || p.monthGroup(4) != march {
			t.Fatalf("after the swap March has group %d, April %d", p.monthGroup(3), p.monthGroup(4))
		}

		// Pin a member to their group, and keep two leaders apart.
		pinned := p.group(3).Members[0]
		f.adjust(fmt.Sprintf(`{"kind":"pin","member_id":%d}`, pinned.MemberID))
		a, b := p.group(4).Leaders[0].MemberID, p.group(5).Leaders[0].MemberID
		rule := fmt.Sprintf(`{"kind":"add_rule","rule":"apart","member_id":%d,"other_id":%d,"reason":"同一企业集团"}`, a, b)
		// A rule that breaks nothing new needs no override, even with groups left off size by an overridden move.
		f.ok(200, "POST", fmt.Sprintf("/api/v1/plans/%d/edits", f.planID), rule, nil, &pv)
		if !pv.Allowed || len(pv.Broken) != 0 {
			t.Fatalf("an apart rule between two groups breaks nothing new: %+v", pv.Broken)
		}
		f.adjust(rule)
		p = f.plan(nil)
		if !slices.ContainsFunc(p.group(3).Members, func(m planMemberJSON) bool { return m.MemberID == pinned.MemberID && m.Pinned }) ||
			!slices.ContainsFunc(p.Rules, func(r planRuleJSON) bool {
				return r.Kind == "apart" && r.MemberA == a && r.MemberB != nil && *r.MemberB == b
			}) {
			t.Fatalf("pin and rule not stored: %+v", p.Rules)
		}

		// A member of group 6 leaves; a re-plan of at most 2 moves keeps the pin and the rule.
		leaver := p.group(6).Members[0].MemberID
		mv := f.memberVersion(leaver)
		f.ok(200, "POST", fmt.Sprintf("/api/v1/members/%d/deactivate", leaver), fmt.Sprintf(`{"version":%d}`, mv), nil, nil)
		res := f.adjust(`{"kind":"replan","max_moves":2}`)
		if p = f.plan(nil); res.MovedCount > 2 || p.groupOf(pinned.MemberID) != 3 || p.groupOf(a) == p.groupOf(b) {
			t.Fatalf("replan: moved %d, pinned in %d, apart pair in %d and %d", res.MovedCount, p.groupOf(pinned.MemberID), p.groupOf(a), p.groupOf(b))
		}

		// Two secretaries confirm edits of the same version at once: one lands, the other is told.
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, months := range [][2]int{{1, 2}, {7, 8}} {
			wg.Go(func() {
				codes[i] = f.doQuiet("POST", fmt.Sprintf("/api/v1/plans/%d/edits", f.planID), fmt.Sprintf(
					`{"kind":"swap_months","month_a":%d,"month_b":%d,"confirm":true,"version":%d,"override_reason":"并发测试"}`, months[0], months[1], f.ver), nil).Code
			})
		}
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != 200 || codes[1] != 409 {
			t.Fatalf("concurrent edits: %v, want one 200 and one 409", codes)
		}
		f.ver++

		// Publish: one duty activity per month, the duty group's, with its proposed theme.
		f.ok(200, "POST", fmt.Sprintf("/api/v1/plans/%d/publish", f.planID), fmt.Sprintf(`{"version":%d}`, f.ver), nil, &p)
		if p.Status != "published" || p.Version != f.ver+1 || p.PublishedAt == nil {
			t.Fatalf("publish: %+v", p)
		}
		f.ver = p.Version
		f.ok(409, "POST", fmt.Sprintf("/api/v1/plans/%d/publish", f.planID), fmt.Sprintf(`{"version":%d}`, f.ver), nil, nil)
		acts := f.activities("year=2027", nil)
		if len(acts) != 12 {
			t.Fatalf("publishing should create 12 activities, got %d", len(acts))
		}
		byMonth := map[int]activity{}
		for _, x := range acts {
			if x.Month == nil || x.Group == nil || x.Status != "proposed" || x.Group.Number != p.monthGroup(*x.Month) ||
				!strings.HasPrefix(x.StartsAt, fmt.Sprintf("2027-%02d-", *x.Month)) {
				t.Fatalf("duty activity: %+v", x)
			}
			byMonth[*x.Month] = x
		}

		// A leader of the March group picks the theme and confirms the date in February, signed
		// in with a password, then keeps a personal token for the phone.
		marchGroup := p.group(p.monthGroup(3))
		leaderID := marchGroup.Leaders[0].MemberID
		f.clock.Set(time.Date(2027, 2, 20, 1, 0, 0, 0, time.UTC))
		f.account("march_leader", "leader", leaderID)
		session := f.signIn("march_leader")
		var tok struct {
			Token string `json:"token"`
		}
		f.ok(201, "POST", "/api/v1/auth/tokens", `{"name":"手机","expires_in_days":90}`, session, &tok)
		leader := map[string]string{"Authorization": "Bearer " + tok.Token}
		marchID := byMonth[3].ID
		cur := f.activity(marchID, session)
		if !cur.CanEdit || len(cur.Suggestions) == 0 {
			t.Fatalf("the March leader should edit and get suggestions: %+v", cur)
		}
		pick := cur.Suggestions[len(cur.Suggestions)-1]
		day := cur.StartsAt[:10]
		patch := fmt.Sprintf(`{"theme":%q,"category":%q,"starts_at":"%sT09:00:00+08:00","ends_at":"%sT11:30:00+08:00","location":"福安市工商联三楼会议室","status":"scheduled"}`,
			pick.Theme, pick.Category, day, day)
		var confirmed activity
		f.ok(200, "PATCH", fmt.Sprintf("/api/v1/activities/%d", marchID), patch, map[string]string{
			"Cookie": session["Cookie"], "X-CSRF-Token": session["X-CSRF-Token"], "If-Match": fmt.Sprint(cur.Version)}, &confirmed)
		if confirmed.Theme != pick.Theme || confirmed.Category == nil || confirmed.Category.Code != pick.Category ||
			confirmed.Status != "scheduled" || confirmed.StartsAt != day+"T09:00:00+08:00" || confirmed.Sequence != cur.Sequence+1 {
			t.Fatalf("theme and date: %+v", confirmed)
		}

		// The day: a member of the group checks in with the code, only within the window.
		var present planMemberJSON
		for _, m := range marchGroup.Members {
			if m.Active {
				present = m
				break
			}
		}
		f.account("march_member", "member", present.MemberID)
		var code struct {
			Code     string    `json:"code"`
			OpensAt  time.Time `json:"opens_at"`
			ClosesAt time.Time `json:"closes_at"`
		}
		start, _ := time.Parse(time.RFC3339, confirmed.StartsAt)
		f.clock.Set(start.Add(-90 * time.Minute))
		f.ok(200, "GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", marchID), "", leader, &code)
		if !code.OpensAt.Equal(start.Add(-time.Hour)) || !code.ClosesAt.Equal(start.Add(150*time.Minute+3*time.Hour)) {
			t.Fatalf("check-in window: %+v", code)
		}
		member := f.signIn("march_member")
		checkin := fmt.Sprintf("/api/v1/activities/%d/checkin", marchID)
		f.ok(409, "POST", checkin, `{"code":"`+code.Code+`"}`, member, nil)
		f.clock.Set(start.Add(10 * time.Minute))
		f.ok(200, "POST", checkin, `{"code":"`+code.Code+`"}`, member, nil)

		// The leader marks it held and records the whole group with guests.
		held := f.activity(marchID, leader)
		f.ok(200, "PATCH", fmt.Sprintf("/api/v1/activities/%d", marchID), `{"status":"held"}`,
			map[string]string{"Authorization": leader["Authorization"], "If-Match": fmt.Sprint(held.Version)}, &held)
		if held.Status != "held" {
			t.Fatalf("held: %+v", held)
		}
		var s sheet
		attendance := fmt.Sprintf("/api/v1/activities/%d/attendance", marchID)
		f.ok(200, "GET", attendance, "", leader, &s)
		if s.Counts.Present != 1 {
			t.Fatalf("the check-in should be on the sheet: %+v", s)
		}
		var rows []string
		nPresent, statuses := 0, []string{"absent", "excused"}
		for _, m := range slices.Concat(marchGroup.Leaders, marchGroup.Members) {
			if !m.Active {
				continue
			}
			st := "present"
			if m.MemberID != present.MemberID && len(statuses) > 0 {
				st, statuses = statuses[0], statuses[1:]
			}
			if st == "present" {
				nPresent++
			}
			rows = append(rows, fmt.Sprintf(`{"member_id":%d,"status":%q}`, m.MemberID, st))
		}
		body := fmt.Sprintf(`{"members":[%s],"guests":[{"name":"王主任","organisation":"市商务局"},{"name":"李行长","organisation":"福安农商银行"},{"name":"张镇长","organisation":"赛岐镇"}],"version":%d}`,
			strings.Join(rows, ","), s.Version)
		f.ok(200, "PUT", attendance, body, leader, &s)
		want := models.AttendanceCounts{Present: nPresent, Absent: 1, Excused: 1, Guests: 3, Attendances: nPresent + 3}
		if s.Counts != want || s.Version < 2 {
			t.Fatalf("attendance counts %+v, want %+v", s.Counts, want)
		}
		for _, m := range s.Members {
			if m.MemberID == present.MemberID && m.CheckedInAt == nil {
				t.Fatal("recording the sheet lost the member's own check-in time")
			}
		}
		// The same sheet again, as a retry would send it, is accepted and changes nothing.
		v := s.Version
		f.ok(200, "PUT", attendance, body, leader, &s)
		if s.Version != v || s.Counts != want {
			t.Fatalf("a repeated sheet changed the record: version %d → %d", v, s.Version)
		}
		f.clock.Set(start.Add(150*time.Minute + 3*time.Hour + time.Minute))
		f.ok(409, "POST", checkin, `{"code":"`+code.Code+`"}`, member, nil)

		// The secretariat changes the published plan: May and June swap groups, and a leader of
		// July's group moves to August's. Each is a version with its change list, and the
		// future activities follow with a new sequence; March, held, keeps what happened.
		may, june := byMonth[5], byMonth[6]
		mayGroup, juneGroup := p.monthGroup(5), p.monthGroup(6)
		f.adjust(`{"kind":"swap_months","month_a":5,"month_b":6}`)
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d/versions", f.planID), "", nil, &vs)
		if vs.Items[0].Version != f.ver || vs.Items[0].CreatedBy != "testadmin" ||
			!slices.ContainsFunc(vs.Items[0].Changes, func(c models.PlanChange) bool {
				return c.Kind == "month_changed" && c.Month == 5 && c.From == mayGroup && c.To == juneGroup
			}) {
			t.Fatalf("change list of version %d: %+v", f.ver, vs.Items[0])
		}
		if got := f.activity(may.ID, nil); got.Group.Number != juneGroup || got.Sequence != may.Sequence+1 ||
			!strings.Contains(got.Title, p.group(juneGroup).Name) {
			t.Fatalf("May's activity should now be group %d's with a new sequence: %+v", juneGroup, got)
		}
		if got := f.activity(june.ID, nil); got.Group.Number != mayGroup || got.Sequence != june.Sequence+1 {
			t.Fatalf("June's activity: %+v", got)
		}
		july, august := byMonth[7], byMonth[8]
		moved := p.group(p.monthGroup(7)).Leaders[0]
		f.adjust(fmt.Sprintf(`{"kind":"move","member_id":%d,"to_group":%d}`, moved.MemberID, p.monthGroup(8)))
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d/versions", f.planID), "", nil, &vs)
		if !slices.ContainsFunc(vs.Items[0].Changes, func(c models.PlanChange) bool {
			return c.Kind == "member_moved" && c.MemberID == moved.MemberID && c.Name == moved.Name && c.To == p.monthGroup(8)
		}) {
			t.Fatalf("the change list should say who moved: %+v", vs.Items[0])
		}
		for _, x := range []activity{july, august} {
			got := f.activity(x.ID, nil)
			org := false
			for _, o := range got.Organisers {
				org = org || o.ID == moved.MemberID
			}
			if got.Sequence != x.Sequence+1 || org != (x.ID == august.ID) {
				t.Fatalf("month %d after the leader moved: sequence %d → %d, organiser %v", *x.Month, x.Sequence, got.Sequence, org)
			}
		}
		if got := f.activity(marchID, nil); got.Status != "held" || got.Sequence != held.Sequence || got.Group.Number != marchGroup.Number {
			t.Fatalf("the held March activity must not change: %+v", got)
		}

		// A member sees the published plan and their own place in it, never a draft.
		member = f.signIn("march_member")
		f.plan(member)
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d/versions", f.planID), "", member, nil)
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d/members/%d/explain", f.planID, present.MemberID), "", member, nil)
		var draft planJSON
		f.ok(201, "POST", "/api/v1/plans", `{"year":2028,"seed":3,"time_limit_ms":200,"no_duty":[]}`, nil, &draft)
		for _, hdr := range []map[string]string{member, leader} {
			f.ok(http.StatusNotFound, "GET", fmt.Sprintf("/api/v1/plans/%d", draft.ID), "", hdr, nil)
			var list struct {
				Items []planJSON `json:"items"`
			}
			f.ok(200, "GET", "/api/v1/plans", "", hdr, &list)
			if len(list.Items) != 1 || list.Items[0].ID != f.planID {
				t.Fatalf("a member or leader lists only the published plan: %+v", list.Items)
			}
		}
		f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d", draft.ID), "", nil, nil)
	})
}
