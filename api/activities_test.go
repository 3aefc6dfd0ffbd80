package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

func TestActivityDetailAndLeaderEdits(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		path := fmt.Sprintf("/api/v1/activities/%d", fx.act1)
		var a activity
		if rec := fx.do("GET", path, "", fx.as(pLeader), &a); rec.Code != 200 {
			t.Fatalf("get: %d %s", rec.Code, rec.Body)
		}
		if a.Group == nil || a.Group.Name != "第1轮值组" || len(a.Group.Leaders) != 1 || a.Group.Leaders[0] != "陈志远" {
			t.Fatalf("group: %+v", a.Group)
		}
		if len(a.Organisers) != 1 || a.Organisers[0].Name != "陈志远" {
			t.Fatalf("organisers should default to the group's leaders: %+v", a.Organisers)
		}
		if a.StartsAt != "2026-03-14T13:30:00+08:00" || a.Category.Label != "调研交流" || a.PlanYear != 2026 {
			t.Fatalf("time/category: %s %+v", a.StartsAt, a.Category)
		}
		if len(a.Suggestions) != 1 || a.Suggestions[0].Theme != "茶产业转型调研" || !a.CanEdit {
			t.Fatalf("suggestions/can_edit: %+v %v", a.Suggestions, a.CanEdit)
		}

		// A theme change does not move the calendar sequence; a new time does.
		var b activity
		rec := fx.do("PATCH", path, `{"theme":"茶产业转型调研","version":1}`, fx.as(pLeader), &b)
		if rec.Code != 200 || b.Theme != "茶产业转型调研" || b.Version != 2 || b.Sequence != 0 {
			t.Fatalf("theme: %d %s", rec.Code, rec.Body)
		}
		rec = fx.do("PATCH", path, `{"location":"福安市茶业协会","version":2}`, fx.as(pLeader), &b)
		if rec.Code != 200 || b.Sequence != 1 || b.Location != "福安市茶业协会" {
			t.Fatalf("location: %d %s", rec.Code, rec.Body)
		}

		// Leaders may not change what only the secretariat decides, and say which field.
		var e apiError
		rec = fx.do("PATCH", path, `{"title":"改名","version":3}`, fx.as(pLeader), &e)
		if rec.Code != 403 || e.field("title") == "" {
			t.Fatalf("leader changing title: %d %s", rec.Code, rec.Body)
		}
		rec = fx.do("PATCH", path, `{"theme":"别组的主题","version":3}`, fx.as(pLeaderOther), &e)
		if rec.Code != 403 {
			t.Fatalf("other group's leader: %d %s", rec.Code, rec.Body)
		}

		// A stale version is a 409 that carries the current state.
		var conflict struct {
			Error   struct{ Code string } `json:"error"`
			Current activity              `json:"current"`
		}
		rec = fx.do("PATCH", path, `{"theme":"过时的编辑","version":1}`, nil, &conflict)
		if rec.Code != 409 || conflict.Error.Code != "conflict" || conflict.Current.Version != 3 || conflict.Current.Location != "福安市茶业协会" {
			t.Fatalf("stale: %d %s", rec.Code, rec.Body)
		}

		// Cancelling needs a reason; the cancellation raises the sequence.
		rec = fx.do("PATCH", path, `{"status":"cancelled","version":3}`, nil, &e)
		if rec.Code != 400 || e.field("cancel_reason") == "" {
			t.Fatalf("cancel without reason: %d %s", rec.Code, rec.Body)
		}
		rec = fx.do("PATCH", path, `{"status":"cancelled","cancel_reason":"台风","version":3}`, nil, &b)
		if rec.Code != 200 || b.Status != "cancelled" || b.Sequence != 2 {
			t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
		}
		entries, _, _ := db.ListAudit(context.Background(), models.AuditFilter{Entity: "activity", EntityID: fmt.Sprint(fx.act1)})
		if len(entries) != 4 || entries[1].Actor != "leader1" || entries[1].BeforeJSON == nil {
			t.Fatalf("audit: %d entries, newest-but-one by %q", len(entries), entries[1].Actor)
		}
	})
}

func TestActivityConcurrentEdits(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		path := fmt.Sprintf("/api/v1/activities/%d", fx.act1)
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := fmt.Sprintf(`{"location":"会场%d","version":1}`, i)
				codes[i] = fx.doQuiet("PATCH", path, req, nil).Code
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("two edits of version 1: want one 200 and one 409, got %v", codes)
		}
		var a activity
		fx.do("GET", path, "", nil, &a)
		if a.Version != 2 {
			t.Fatalf("version after the race: %d", a.Version)
		}
	})
}

func TestActivityListing(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		fx.do("POST", "/api/v1/activities", `{"kind":"federation","title":"全体执委会议","category":"lecture","starts_at":"2026-06-01T09:00:00+08:00","ends_at":"2026-06-01T11:00:00+08:00"}`, nil, nil)
		var list struct {
			Items []activity `json:"items"`
			Total int64      `json:"total"`
		}
		for q, want := range map[string]int64{
			"":                                       3,
			"?year=2026&month=4":                     1,
			fmt.Sprintf("?group=%d", fx.group1):      1,
			"?category=lecture":                      1,
			"?status=scheduled":                      2,
			fmt.Sprintf("?member=%d", fx.member1.ID): 2, // their group's and the federation-wide one
			"?limit=1&offset=1":                      3,
		} {
			if rec := fx.do("GET", "/api/v1/activities"+q, "", nil, &list); rec.Code != 200 || list.Total != want {
				t.Errorf("list%s: %d total %d, want %d", q, rec.Code, list.Total, want)
			}
		}
		// A member sees only what concerns them, whatever they ask for.
		fx.do("GET", "/api/v1/activities", "", fx.as(pMember), &list)
		if list.Total != 2 {
			t.Fatalf("member listing: %d", list.Total)
		}
		var e apiError
		if rec := fx.do("GET", "/api/v1/activities?year=1900&month=13&status=done", "", nil, &e); rec.Code != 400 ||
			e.field("year") == "" || e.field("month") == "" || e.field("status") == "" {
			t.Fatalf("bad filters: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestActivityBadInput(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	fx := newFixture(t, db)
	count := func() int64 {
		var n int64
		db.Gorm.Model(&models.Activity{}).Count(&n)
		return n
	}
	before := count()
	ok := `"kind":"adhoc","starts_at":"2026-05-10T09:00:00+08:00","ends_at":"2026-05-10T11:00:00+08:00"`
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"wrong type", `{"title":42,` + ok + `}`, 400, "title"},
		{"missing title", `{` + ok + `}`, 400, "title"},
		{"ends before starts", `{"title":"x","kind":"adhoc","starts_at":"2026-05-10T09:00:00+08:00","ends_at":"2026-05-10T08:00:00+08:00"}`, 400, "ends_at"},
		{"year 1900", `{"title":"x","kind":"adhoc","starts_at":"1900-05-10T09:00:00+08:00","ends_at":"1900-05-10T11:00:00+08:00"}`, 400, "starts_at"},
		{"year 3000", `{"title":"x","kind":"adhoc","starts_at":"3000-05-10T09:00:00+08:00","ends_at":"3000-05-10T11:00:00+08:00"}`, 400, "starts_at"},
		{"no offset", `{"title":"x","kind":"adhoc","starts_at":"2026-05-10 09:00","ends_at":"2026-05-10T11:00:00+08:00"}`, 400, "starts_at"},
		{"10k title", `{"title":"` + strings.Repeat("长", 10000) + `",` + ok + `}`, 400, "title"},
		{"control chars only", `{"title":"\u0000\u0007\u001b",` + ok + `}`, 400, "title"},
		{"unknown category", `{"title":"x","category":"party",` + ok + `}`, 400, "category"},
		{"float money", `{"title":"x","charity":{"money_yuan":1.5},` + ok + `}`, 400, "charity.money_yuan"},
		{"three decimals", `{"title":"x","charity":{"money_yuan":"1.005"},` + ok + `}`, 400, "charity.money_yuan"},
		{"bad official", `{"title":"x","officials":[{"name":"王","level":"minister"}],` + ok + `}`, 400, "officials[0].level"},
		{"javascript link", `{"title":"x","publicity":[{"channel":"website","link":"javascript:alert(1)"}],` + ok + `}`, 400, "publicity[0].link"},
		{"unknown organiser", `{"title":"x","organisers":[999999],` + ok + `}`, 400, "organisers"},
		{"duty without group", `{"title":"x","kind":"duty","starts_at":"2026-05-10T09:00:00+08:00","ends_at":"2026-05-10T11:00:00+08:00"}`, 400, "group_id"},
		{"huge body", `{"title":"` + strings.Repeat("x", 70<<10) + `"}`, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e apiError
			rec := fx.do("POST", "/api/v1/activities", c.body, nil, &e)
			if rec.Code != c.status || (c.field != "" && e.field(c.field) == "") {
				t.Fatalf("got %d, want %d naming %q: %s", rec.Code, c.status, c.field, rec.Body)
			}
		})
	}
	if after := count(); after != before {
		t.Fatalf("bad input wrote activities: %d → %d", before, after)
	}
	// Control characters inside a title are cleaned, not stored; money round-trips exactly.
	var a activity
	rec := fx.do("POST", "/api/v1/activities", `{"title":"春节\u0000送温暖","category":"charity","charity":{"money_yuan":"12,345.6","materials_yuan":"800","volunteer_hours":40},`+ok+`}`, nil, &a)
	if rec.Code != 201 || a.Title != "春节 送温暖" || a.Charity.MoneyYuan != "12345.60" || a.Charity.MaterialsYuan != "800.00" || a.Month == nil || *a.Month != 5 {
		t.Fatalf("clean create: %d %s", rec.Code, rec.Body)
	}
}

func TestCategories(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		var list struct {
			Items []struct{ Code, LabelZH string } `json:"items"`
		}
		fx.do("GET", "/api/v1/categories", "", fx.as(pMember), &list)
		if len(list.Items) != 6 {
			t.Fatalf("seeded categories: %+v", list.Items)
		}
		var e apiError
		rec := fx.do("DELETE", "/api/v1/categories/research", "", nil, &e)
		if rec.Code != 409 || !strings.Contains(e.Error.Message, "2 场活动") {
			t.Fatalf("delete in use: %d %s", rec.Code, rec.Body)
		}
		if rec := fx.do("POST", "/api/v1/categories", `{"code":"party_building","label_zh":"党建引领","label_en":"Party building"}`, nil, nil); rec.Code != 201 {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		if rec := fx.do("POST", "/api/v1/categories", `{"code":"party_building","label_zh":"重复","label_en":"Dup"}`, nil, &e); rec.Code != 409 {
			t.Fatalf("duplicate: %d %s", rec.Code, rec.Body)
		}
		if rec := fx.do("DELETE", "/api/v1/categories/party_building", "", nil, nil); rec.Code != http.StatusNoContent {
			t.Fatalf("delete unused: %d %s", rec.Code, rec.Body)
		}
	})
}
