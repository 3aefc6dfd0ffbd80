package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

type member struct {
	ID        uint64  `json:"id"`
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	RoleLabel string  `json:"role_label"`
	Mobile    *string `json:"mobile"`
	Industry  string  `json:"industry"`
	Active    bool    `json:"active"`
	LeftOn    *string `json:"left_on"`
	Version   int     `json:"version"`
	Months    []int   `json:"unavailable_months"`
}

type memberList struct {
	Items []member `json:"items"`
	Total int64    `json:"total"`
}

func TestMembersAPI(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ts := newTestServer(t, db)

		var created member
		rec := ts.do("POST", "/api/v1/members", `{"name":"陈志远","role":"副会长","industry":"电机电器","region":"赛岐","mobile":"13950001234","unavailable_months":[2]}`, nil, &created)
		if rec.Code != http.StatusCreated || created.Role != "vice_president" || created.RoleLabel != "副会长" || created.Version != 1 {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		if rec.Header().Get("Location") != fmt.Sprintf("/api/v1/members/%d", created.ID) {
			t.Errorf("Location header: %q", rec.Header().Get("Location"))
		}
		ts.do("POST", "/api/v1/members", `{"name":"吴晓梅","role":"standing_member","industry":"茶业"}`, nil, nil)

		var list memberList
		ts.do("GET", "/api/v1/members?industry="+urlq("电机电器"), "", nil, &list)
		if list.Total != 1 || list.Items[0].Name != "陈志远" {
			t.Fatalf("filter by industry: %+v", list)
		}
		ts.do("GET", "/api/v1/members?role=standing_member", "", nil, &list)
		if list.Total != 1 || list.Items[0].Name != "吴晓梅" {
			t.Fatalf("filter by role: %+v", list)
		}

		// Update needs the version; a stale one gets 409 and changes nothing.
		path := fmt.Sprintf("/api/v1/members/%d", created.ID)
		var updated member
		rec = ts.do("PATCH", path, `{"industry":"新能源"}`, map[string]string{"If-Match": `"1"`}, &updated)
		if rec.Code != http.StatusOK || updated.Industry != "新能源" || updated.Version != 2 {
			t.Fatalf("update: %d %s", rec.Code, rec.Body)
		}
		var e apiError
		rec = ts.do("PATCH", path, `{"industry":"茶业","version":1}`, nil, &e)
		if rec.Code != http.StatusConflict || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, "已被他人修改") {
			t.Fatalf("stale update: %d %s", rec.Code, rec.Body)
		}
		rec = ts.do("PATCH", path, `{"industry":"茶业"}`, nil, &e)
		if rec.Code != http.StatusBadRequest || e.field("version") == "" {
			t.Fatalf("update without version: %d %s", rec.Code, rec.Body)
		}

		var gone member
		rec = ts.do("POST", path+"/deactivate", `{"left_on":"2026-06-30","version":2}`, nil, &gone)
		if rec.Code != http.StatusOK || gone.Active || gone.LeftOn == nil || *gone.LeftOn != "2026-06-30" {
			t.Fatalf("deactivate: %d %s", rec.Code, rec.Body)
		}
		ts.do("GET", "/api/v1/members?active=true", "", nil, &list)
		if list.Total != 1 {
			t.Fatalf("active filter after deactivation: %+v", list)
		}

		rec = ts.do("GET", "/api/v1/members/999999", "", nil, &e)
		if rec.Code != http.StatusNotFound || e.Error.Code != "not_found" || !strings.Contains(e.Error.Message, "999999") {
			t.Fatalf("missing member: %d %s", rec.Code, rec.Body)
		}

		entries, n, _ := db.ListAudit(context.Background(), models.AuditFilter{Entity: "member", EntityID: fmt.Sprint(created.ID)})
		if n != 3 || entries[0].Actor == "" || entries[0].RequestID == "" {
			t.Fatalf("audit of API changes: %d entries %+v", n, entries)
		}
	})
}

func TestMembersAPIBadInput(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	ts := newTestServer(t, db)
	before, _ := db.CountMembers(context.Background())

	cases := []struct {
		name, body string
		hdr        map[string]string
		status     int
		field      string // a field that must be named, if any
		message    string // a fragment of the message
	}{
		{"malformed", `{"name":"张三",`, nil, 400, "", "不是合法的 JSON"},
		{"not json at all", `name=张三`, nil, 400, "", "不是合法的 JSON"},
		{"empty", ``, map[string]string{"Content-Type": "application/json"}, 400, "", "为空"},
		{"wrong type", `{"name":123,"role":"副会长"}`, nil, 400, "name", "应为文本"},
		{"wrong type array", `{"name":"张三","role":"副会长","unavailable_months":"二月"}`, nil, 400, "unavailable_months", "应为列表"},
		{"unknown field", `{"name":"张三","role":"副会长","salary":1}`, nil, 400, "salary", "不认识"},
		{"missing role", `{"name":"张三"}`, nil, 400, "role", "必填"},
		{"unknown role", `{"name":"张三","role":"老板"}`, nil, 400, "role", "老板"},
		{"bad mobile", `{"name":"张三","role":"副会长","mobile":"12345"}`, nil, 400, "mobile", "12345"},
		{"month out of range", `{"name":"张三","role":"副会长","unavailable_months":[13]}`, nil, 400, "unavailable_months", "超出"},
		{"bad date", `{"name":"张三","role":"副会长","joined_on":"2026-02-30"}`, nil, 400, "joined_on", "日期"},
		{"hostile name", `{"name":"` + strings.Repeat("字", 65) + `","role":"副会长"}`, nil, 400, "name", "最多 64"},
		{"too large", `{"name":"` + strings.Repeat("x", 70<<10) + `","role":"副会长"}`, nil, 413, "", "上限"},
		{"wrong content type", `{"name":"张三","role":"副会长"}`, map[string]string{"Content-Type": "text/plain"}, 415, "", "JSON"},
		{"trailing data", `{"name":"张三","role":"副会长"} {}`, nil, 400, "", "不是合法的 JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e apiError
			rec := ts.do("POST", "/api/v1/members", c.body, c.hdr, &e)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			msg := e.Error.Message
			if c.field != "" {
				msg = e.field(c.field)
				if msg == "" {
					t.Fatalf("field %s not named: %s", c.field, rec.Body)
				}
			}
			if !strings.Contains(msg, c.message) {
				t.Fatalf("message %q does not contain %q", msg, c.message)
			}
		})
	}
	if after, _ := db.CountMembers(context.Background()); after != before {
		t.Fatalf("bad input wrote members: %d → %d", before, after)
	}

	// English on request.
	var e apiError
	ts.do("POST", "/api/v1/members", `{"name":123,"role":"vice_chair"}`, map[string]string{"Accept-Language": "en-US,en;q=0.9"}, &e)
	if got := e.field("name"); got != "wrong type: expected a string" {
		t.Fatalf("English field message: %q", got)
	}
	// Query parameters are validated too.
	rec := ts.do("GET", "/api/v1/members?active=maybe&limit=-1", "", nil, &e)
	if rec.Code != 400 || e.field("active") == "" || e.field("limit") == "" {
		t.Fatalf("bad query: %d %s", rec.Code, rec.Body)
	}
	rec = ts.do("GET", "/api/v1/members/abc", "", nil, &e)
	if rec.Code != 400 || e.field("id") == "" {
		t.Fatalf("bad id: %d %s", rec.Code, rec.Body)
	}
	rec = ts.do("GET", "/api/v1/nowhere", "", nil, &e)
	if rec.Code != 404 || e.Error.Code != "not_found" || e.Error.RequestID == "" {
		t.Fatalf("unknown route: %d %s", rec.Code, rec.Body)
	}
}

func TestHealth(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	ts := newTestServer(t, db)
	if rec := ts.do("GET", "/healthz", "", nil, nil); rec.Code != 200 {
		t.Fatalf("healthz: %d", rec.Code)
	}
	if rec := ts.do("GET", "/readyz", "", nil, nil); rec.Code != 200 {
		t.Fatalf("readyz: %d", rec.Code)
	}
	_ = db.Close()
	var body map[string]string
	if rec := ts.do("GET", "/readyz", "", nil, &body); rec.Code != 503 || body["database"] != "unreachable" {
		t.Fatalf("readyz with the database closed: %d %v", rec.Code, body)
	}
}

func urlq(s string) string { return url.QueryEscape(s) }
