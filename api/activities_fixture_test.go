package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// testClock is the database's clock in tests: fixed, moved by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// fixture is a small federation: a 2026 plan with two groups, the people of the role matrix,
// and one duty activity per group, the first under way now.
type fixture struct {
	*testServer
	clock            *testClock
	now              time.Time
	planID           uint64
	group1, group2   uint64 // plan_groups ids
	leader1, member1 *models.Member
	leader2, viewerM *models.Member
	act1, act2       uint64
	tokens           map[string]string // principal name → Authorization header
}

// Principal names of the role matrix.
const (
	pAdmin       = "admin"
	pLeader      = "leader"
	pLeaderOther = "leader-other"
	pMember      = "member"
	pViewer      = "viewer"
	pAnonymous   = "anonymous"
)

var principals = []string{pAdmin, pLeader, pLeaderOther, pMember, pViewer, pAnonymous}

var shanghai = time.FixedZone("CST", 8*3600)

func newFixture(t *testing.T, db *models.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{clock: &testClock{}, now: time.Date(2026, 3, 14, 6, 0, 0, 0, time.UTC)}
	fx.clock.Set(fx.now)
	db.Now = fx.clock.Now
	fx.testServer = newTestServerWith(t, db, api.Options{MaxBodyBytes: 64 << 10, Location: shanghai, BaseURL: "https://rota.example.cn"})
	fx.leader1 = modelstest.MustCreateMember(t, db, models.Member{Name: "陈志远", Role: models.RoleVicePresident, Mobile: strp("13950001111"), Email: "chen@example.cn"})
	fx.member1 = modelstest.MustCreateMember(t, db, models.Member{Name: "吴晓梅", Role: models.RoleStandingMember, Mobile: strp("13950002222")})
	fx.leader2 = modelstest.MustCreateMember(t, db, models.Member{Name: "林建华", Role: models.RoleViceChair})
	fx.viewerM = modelstest.MustCreateMember(t, db, models.Member{Name: "郑秘书", Role: models.RoleOfficer})
	proposal := `{"category":"research","category_reason":"三月适合调研","themes":[{"text":"茶产业转型调研","text_en":"Tea industry research","category":"research","source":"industry","reason":"本组有2名成员从事茶叶"}]}`
	d, err := db.CreatePlan(ctx, &models.NewPlan{
		Plan: models.Plan{Year: 2026, Mode: "industry", GroupsCount: 2, ParamsJSON: "{}", ScoreJSON: "{}", CheckJSON: "{}"},
		Groups: []models.NewPlanGroup{
			{Number: 1, Name: "第1轮值组", Members: []models.PlanGroupMember{{MemberID: fx.leader1.ID, IsLeader: true}, {MemberID: fx.member1.ID}}},
			{Number: 2, Name: "第2轮值组", Members: []models.PlanGroupMember{{MemberID: fx.leader2.ID, IsLeader: true}}},
		},
		Months: []models.NewDutyMonth{
			{DutyMonth: models.DutyMonth{Month: 3, ProposalJSON: proposal}, GroupNumber: 1},
			{DutyMonth: models.DutyMonth{Month: 4, ProposalJSON: "{}"}, GroupNumber: 2},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	fx.planID, fx.group1, fx.group2 = d.Plan.ID, d.Groups[0].ID, d.Groups[1].ID
	fx.tokens = map[string]string{
		pAdmin:       fx.auth,
		pLeader:      "Bearer " + mustToken(t, db, "leader1", models.AccountLeader, &fx.leader1.ID),
		pLeaderOther: "Bearer " + mustToken(t, db, "leader2", models.AccountLeader, &fx.leader2.ID),
		pMember:      "Bearer " + mustToken(t, db, "member1", models.AccountMember, &fx.member1.ID),
		pViewer:      "Bearer " + mustToken(t, db, "viewer1", models.AccountViewer, &fx.viewerM.ID),
		pAnonymous:   "",
	}
	fx.act1 = fx.createActivity(fx.group1, 3, fx.now.Add(-30*time.Minute))
	fx.act2 = fx.createActivity(fx.group2, 4, time.Date(2026, 4, 18, 1, 0, 0, 0, time.UTC))
	return fx
}

// createActivity creates a two-hour duty activity of group in month, as the admin.
func (fx *fixture) createActivity(group uint64, month int, start time.Time) uint64 {
	fx.t.Helper()
	body := fmt.Sprintf(`{"kind":"duty","plan_id":%d,"group_id":%d,"month":%d,"title":"第%d月轮值活动","category":"research","status":"scheduled","starts_at":%q,"ends_at":%q,"location":"赛岐镇"}`,
		fx.planID, group, month, month, start.In(shanghai).Format(time.RFC3339), start.Add(2*time.Hour).In(shanghai).Format(time.RFC3339))
	var a activity
	rec := fx.do("POST", "/api/v1/activities", body, nil, &a)
	if rec.Code != 201 {
		fx.t.Fatalf("create activity: %d %s", rec.Code, rec.Body)
	}
	return a.ID
}

// as returns headers that make a request as the named principal.
func (fx *fixture) as(who string, extra ...string) map[string]string {
	h := map[string]string{"Authorization": fx.tokens[who]}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

// version reads the current version of a resource with a GET as the admin.
func (fx *fixture) version(path, field string) int {
	fx.t.Helper()
	var m map[string]json.RawMessage
	if rec := fx.do("GET", path, "", nil, &m); rec.Code != 200 {
		fx.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	var v int
	_ = json.Unmarshal(m[field], &v)
	return v
}

type activity struct {
	ID       uint64 `json:"id"`
	PlanYear int    `json:"plan_year"`
	Month    *int   `json:"month"`
	Title    string `json:"title"`
	Theme    string `json:"theme"`
	Group    *struct {
		Number  int      `json:"number"`
		Name    string   `json:"name"`
		Leaders []string `json:"leaders"`
	} `json:"group"`
	Category *struct {
		Code  string `json:"code"`
		Label string `json:"label"`
	} `json:"category"`
	StartsAt   string `json:"starts_at"`
	EndsAt     string `json:"ends_at"`
	Location   string `json:"location"`
	Status     string `json:"status"`
	Organisers []struct {
		ID   uint64 `json:"id"`
		Name string `json:"name"`
	} `json:"organisers"`
	Invited []uint64 `json:"invited"`
	Charity struct {
		MoneyYuan      string `json:"money_yuan"`
		MaterialsYuan  string `json:"materials_yuan"`
		VolunteerHours int    `json:"volunteer_hours"`
	} `json:"charity"`
	Version     int  `json:"version"`
	Sequence    int  `json:"sequence"`
	CanEdit     bool `json:"can_edit"`
	Suggestions []struct {
		Category string `json:"category"`
		Theme    string `json:"theme"`
	} `json:"suggestions"`
}
