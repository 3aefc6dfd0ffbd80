package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
)

// What the full flow reads back from the API, and the secretariat's session it runs in.

type planMemberJSON struct {
	MemberID uint64 `json:"member_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Active   bool   `json:"active"`
	Pinned   bool   `json:"pinned"`
}

type planGroupJSON struct {
	Number  int              `json:"number"`
	Name    string           `json:"name"`
	Months  []int            `json:"months"`
	Leaders []planMemberJSON `json:"leaders"`
	Members []planMemberJSON `json:"members"`
}

type planJSON struct {
	ID          uint64     `json:"id"`
	Year        int        `json:"year"`
	Status      string     `json:"status"`
	Version     int        `json:"version"`
	PublishedAt *time.Time `json:"published_at"`
	Score       struct {
		Terms []struct {
			Key     string `json:"key"`
			LabelZH string `json:"label_zh"`
		} `json:"terms"`
	} `json:"score"`
	Check struct {
		Satisfied bool `json:"satisfied"`
	} `json:"check"`
	Groups []planGroupJSON `json:"groups"`
	Months []struct {
		Month        int    `json:"month"`
		GroupNumber  int    `json:"group_number"`
		Category     string `json:"category"`
		ProposedDate string `json:"proposed_date"`
	} `json:"months"`
	Rules []planRuleJSON `json:"rules"`
}

type planRuleJSON struct {
	Kind    string  `json:"kind"`
	MemberA uint64  `json:"member_a"`
	MemberB *uint64 `json:"member_b"`
}

// groupOf is the number of the member's group, or 0.
func (p *planJSON) groupOf(memberID uint64) int {
	for _, g := range p.Groups {
		for _, m := range slices.Concat(g.Leaders, g.Members) {
			if m.MemberID == memberID {
				return g.Number
			}
		}
	}
	return 0
}

func (p *planJSON) monthGroup(month int) int {
	for _, m := range p.Months {
		if m.Month == month {
			return m.GroupNumber
		}
	}
	return 0
}

func (p *planJSON) group(number int) planGroupJSON { return p.Groups[number-1] }

type editJSON struct {
	Allowed    bool                `json:"allowed"`
	Applied    bool                `json:"applied"`
	Version    int                 `json:"version"`
	MovedCount int                 `json:"moved_count"`
	Changes    []models.PlanChange `json:"changes"`
	Broken     []struct {
		MessageZH string `json:"message_zh"`
	} `json:"broken"`
}

type versionsJSON struct {
	Items []struct {
		Version   int                 `json:"version"`
		Changes   []models.PlanChange `json:"changes"`
		CreatedBy string              `json:"created_by"`
	} `json:"items"`
}

// flow is the secretariat's session: the demo federation, the test clock and the plan in hand.
type flow struct {
	*testServer
	clock  *testClock
	planID uint64
	ver    int // the plan's version as last seen
}

func newFlow(t *testing.T, db *models.DB) *flow {
	t.Helper()
	ctx := models.WithActor(context.Background(), models.Actor{Name: "demo"})
	// The secretariat plans 2027 in late November 2026; the clock then walks through the year.
	f := &flow{clock: &testClock{}}
	f.clock.Set(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	db.Now = f.clock.Now
	if n, err := demo.Load(ctx, db); err != nil || n != 132 {
		t.Fatalf("demo federation: %d members, %v", n, err)
	}
	f.testServer = newTestServerWith(t, db, api.Options{MaxBodyBytes: 1 << 20, Location: shanghai, BaseURL: "https://rota.example.cn"})
	// The default admin token lasts 30 days; the flow spans months.
	admin, err := db.GetAccountByUsername(ctx, "testadmin")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := db.CreateAPIToken(ctx, admin.ID, "全年", models.MaxTokenLifetimeDays)
	if err != nil {
		t.Fatal(err)
	}
	f.auth = "Bearer " + token
	return f
}

// ok sends a request that must answer want, decoding the body into out.
func (f *flow) ok(want int, method, path, body string, hdr map[string]string, out any) {
	f.t.Helper()
	if rec := f.do(method, path, body, hdr, out); rec.Code != want {
		f.t.Fatalf("%s %s: got %d, want %d: %s", method, path, rec.Code, want, rec.Body)
	}
}

func (f *flow) memberVersion(id uint64) int {
	f.t.Helper()
	var m struct {
		Version int `json:"version"`
	}
	f.ok(200, "GET", fmt.Sprintf("/api/v1/members/%d", id), "", nil, &m)
	return m.Version
}

func (f *flow) plan(hdr map[string]string) planJSON {
	f.t.Helper()
	var p planJSON
	f.ok(200, "GET", fmt.Sprintf("/api/v1/plans/%d", f.planID), "", hdr, &p)
	return p
}

// adjust previews an edit, then applies it: with an override reason only when the preview says
// it breaks a rule, after checking that without one it is refused with the preview attached.
func (f *flow) adjust(edit string) editJSON {
	f.t.Helper()
	path := fmt.Sprintf("/api/v1/plans/%d/edits", f.planID)
	var pv editJSON
	f.ok(200, "POST", path, edit, nil, &pv)
	if pv.Applied || pv.Version != f.ver || len(pv.Changes) == 0 {
		f.t.Fatalf("preview of %s: %+v", edit, pv)
	}
	body := strings.TrimSuffix(edit, "}") + fmt.Sprintf(`,"confirm":true,"version":%d}`, f.ver)
	if !pv.Allowed {
		var refused struct {
			Error   struct{ Code string } `json:"error"`
			Preview editJSON              `json:"preview"`
		}
		f.ok(409, "POST", path, body, nil, &refused)
		if len(refused.Preview.Broken) == 0 || refused.Preview.Broken[0].MessageZH == "" {
			f.t.Fatalf("a refused edit must say which rule it breaks: %+v", refused)
		}
		body = strings.TrimSuffix(body, "}") + `,"override_reason":"秘书处确认：本人申请"}`
	}
	var res editJSON
	f.ok(200, "POST", path, body, nil, &res)
	if !res.Applied || res.Version != f.ver+1 {
		f.t.Fatalf("apply %s: %+v", body, res)
	}
	f.ver = res.Version
	return res
}

// signIn signs in with the password through /auth/login and returns the headers of the
// cookie session: the cookie and its CSRF token.
func (f *flow) signIn(username string) map[string]string {
	f.t.Helper()
	var me struct {
		Role      string `json:"role"`
		CSRFToken string `json:"csrf_token"`
	}
	rec := f.do("POST", "/api/v1/auth/login", `{"username":"`+username+`","password":"`+testPassword+`"}`,
		map[string]string{"Authorization": ""}, &me)
	if rec.Code != 200 || me.CSRFToken == "" {
		f.t.Fatalf("sign in %s: %d %s", username, rec.Code, rec.Body)
	}
	var cookie string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "rota_session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	return map[string]string{"Cookie": cookie, "X-CSRF-Token": me.CSRFToken}
}

// account creates an account linked to a member through the API, as the secretariat does.
func (f *flow) account(username, role string, memberID uint64) {
	f.t.Helper()
	f.ok(201, "POST", "/api/v1/accounts", fmt.Sprintf(`{"username":%q,"role":%q,"member_id":%d,"password":%q}`,
		username, role, memberID, testPassword), nil, nil)
}

func (f *flow) activities(query string, hdr map[string]string) []activity {
	f.t.Helper()
	var list struct {
		Items []activity `json:"items"`
		Total int        `json:"total"`
	}
	f.ok(200, "GET", "/api/v1/activities?"+query, "", hdr, &list)
	return list.Items
}

func (f *flow) activity(id uint64, hdr map[string]string) activity {
	f.t.Helper()
	var a activity
	f.ok(200, "GET", fmt.Sprintf("/api/v1/activities/%d", id), "", hdr, &a)
	return a
}
