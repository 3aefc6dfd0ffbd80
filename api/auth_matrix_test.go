package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// matrixRow is one endpoint of the role matrix: which principals succeed (2xx), which get 404
// because the record's existence must not leak to them, and which are not checked here. Every
// other signed-in principal must get 403, and anonymous 401 (unless the route is public).
type matrixRow struct {
	method, path string // the path template as registered
	allow        string // space-separated principals that succeed
	hidden       string // principals that get 404
	skip         string // principals not checked by this table (see the route owner's tests)
	public       bool   // outside authentication: nobody gets 401 or 403
	url          func(fx *fixture, who string) string
	body         func(fx *fixture, who string) string
	hdr          func(fx *fixture, who string) map[string]string
}

const allSignedIn = "admin leader leader-other member viewer"

var seq atomic.Int64

func uniq(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// roleMatrix is the single source of truth for who may call what. A route registered on the
// server without a row here fails TestRoleMatrixCoversEveryRoute.
var roleMatrix = []matrixRow{
	{method: "GET", path: "/healthz", public: true},
	{method: "GET", path: "/readyz", public: true},
	{method: "GET", path: "/api/v1/openapi.yaml", public: true},

	// Members: everyone signed in reads (members without others' contact details); the secretariat writes.
	{method: "GET", path: "/api/v1/members", allow: allSignedIn},
	{method: "POST", path: "/api/v1/members", allow: "admin",
		body: func(fx *fixture, who string) string {
			return `{"name":"` + uniq("新成员") + `","role":"standing_member"}`
		}},
	{method: "GET", path: "/api/v1/members/:id", allow: allSignedIn,
		url: func(fx *fixture, who string) string { return fmt.Sprintf("/api/v1/members/%d", fx.member1.ID) }},
	{method: "PATCH", path: "/api/v1/members/:id", allow: "admin", url: freshMember, body: constBody(`{"industry":"茶业"}`), hdr: ifMatch1},
	{method: "POST", path: "/api/v1/members/:id/deactivate", allow: "admin", url: freshMemberSuffix("/deactivate"), body: constBody(`{"version":1}`)},

	// Sign-in and the signed-in person's own things.
	{method: "POST", path: "/api/v1/auth/login", allow: allSignedIn + " anonymous",
		body: constBody(`{"username":"loginuser","password":"` + testPassword + `"}`)},
	{method: "POST", path: "/api/v1/auth/logout", allow: allSignedIn},
	{method: "GET", path: "/api/v1/auth/me", allow: allSignedIn},
	{method: "POST", path: "/api/v1/auth/password", allow: allSignedIn,
		body: constBody(`{"current_password":"` + testPassword + `","new_password":"` + testPassword + `"}`)},
	{method: "GET", path: "/api/v1/auth/tokens", allow: allSignedIn},
	{method: "POST", path: "/api/v1/auth/tokens", allow: allSignedIn, body: constBody(`{"name":"脚本","expires_in_days":7}`)},
	{method: "DELETE", path: "/api/v1/auth/tokens/:id", allow: allSignedIn, url: ownToken},

	// Accounts: the secretariat's.
	{method: "GET", path: "/api/v1/accounts", allow: "admin"},
	{method: "POST", path: "/api/v1/accounts", allow: "admin",
		body: func(fx *fixture, who string) string { return `{"username":"` + uniq("user") + `","role":"viewer"}` }},
	{method: "GET", path: "/api/v1/accounts/:id", allow: "admin", url: targetAccount("")},
	{method: "PATCH", path: "/api/v1/accounts/:id", allow: "admin", url: targetAccount(""), body: constBody(`{"display_name":"张三"}`),
		hdr: func(fx *fixture, who string) map[string]string {
			a, _ := fx.db.GetAccountByUsername(context.Background(), "target")
			return map[string]string{"If-Match": fmt.Sprint(a.Version)}
		}},
	{method: "POST", path: "/api/v1/accounts/:id/password", allow: "admin", url: targetAccount("/password"), body: constBody(`{"password":"another-pass-1"}`)},

	// Activities: everyone reads (members those that concern them); leaders edit their group's.
	{method: "GET", path: "/api/v1/activities", allow: allSignedIn},
	{method: "POST", path: "/api/v1/activities", allow: "admin",
		body: constBody(`{"kind":"adhoc","title":"银企对接会","starts_at":"2026-05-10T09:00:00+08:00","ends_at":"2026-05-10T11:00:00+08:00"}`)},
	{method: "GET", path: "/api/v1/activities/:id", allow: allSignedIn, url: act1("")},
	{method: "GET", path: "/api/v1/activities/:id", allow: "admin leader leader-other viewer", hidden: "member", url: act2("")},
	// The page calendar events link to: whoever may read the activity above, anonymous gets the sign-in page (401).
	{method: "GET", path: "/activities/:id", allow: allSignedIn, url: activityPage(act1)},
	{method: "GET", path: "/activities/:id", allow: "admin leader leader-other viewer", hidden: "member", url: activityPage(act2)},
	{method: "PATCH", path: "/api/v1/activities/:id", allow: "admin leader", url: act1(""),
		body: func(fx *fixture, who string) string { return `{"theme":"` + uniq("茶产业调研") + `"}` },
		hdr: func(fx *fixture, who string) map[string]string {
			return map[string]string{"If-Match": fmt.Sprint(fx.version(act1("")(fx, who), "version"))}
		}},
	{method: "GET", path: "/api/v1/activities/:id/attendance", allow: allSignedIn, url: act1("/attendance")},
	{method: "GET", path: "/api/v1/activities/:id/attendance", allow: "admin leader leader-other viewer", hidden: "member", url: act2("/attendance")},
	{method: "PUT", path: "/api/v1/activities/:id/attendance", allow: "admin leader", url: act1("/attendance"),
		body: func(fx *fixture, who string) string {
			return fmt.Sprintf(`{"members":[{"member_id":%d,"status":"present"}],"guests":[{"name":"王主任","organisation":"市商务局"}],"version":%d}`,
				fx.member1.ID, fx.version(act1("/attendance")(fx, who), "version"))
		}},
	{method: "GET", path: "/api/v1/activities/:id/checkin-code", allow: "admin leader", url: act1("/checkin-code")},
	{method: "POST", path: "/api/v1/activities/:id/checkin", allow: "leader leader-other member", url: act1("/checkin"),
		body: func(fx *fixture, who string) string {
			c, err := fx.db.GetCheckinCode(context.Background(), fx.act1)
			if err != nil {
				fx.t.Fatal(err)
			}
			return `{"code":"` + c.Code + `"}`
		}},

	// Categories: everyone reads; the secretariat manages.
	{method: "GET", path: "/api/v1/categories", allow: allSignedIn},
	{method: "POST", path: "/api/v1/categories", allow: "admin",
		body: func(fx *fixture, who string) string {
			return `{"code":"` + uniq("cat_") + `","label_zh":"新类别","label_en":"New"}`
		}},
	{method: "PATCH", path: "/api/v1/categories/:code", allow: "admin", url: constURL("/api/v1/categories/matrix_cat"),
		body: constBody(`{"label_zh":"矩阵"}`),
		hdr: func(fx *fixture, who string) map[string]string {
			c, _ := fx.db.GetCategory(context.Background(), "matrix_cat")
			return map[string]string{"If-Match": fmt.Sprint(c.Version)}
		}},
	{method: "DELETE", path: "/api/v1/categories/:code", allow: "admin",
		url: func(fx *fixture, who string) string {
			c := models.Category{Code: uniq("del_"), LabelZH: "待删", LabelEN: "To delete"}
			if err := fx.db.CreateCategory(context.Background(), &c); err != nil {
				fx.t.Fatal(err)
			}
			return "/api/v1/categories/" + c.Code
		}},

	{method: "GET", path: "/api/v1/audit", allow: "admin"},

	// Holidays: everyone reads the schedule the planner uses; only the secretariat edits it.
	{method: "GET", path: "/api/v1/holidays/:year", allow: allSignedIn, url: constURL("/api/v1/holidays/2027")},
	{method: "PUT", path: "/api/v1/holidays/:year", allow: "admin", url: constURL("/api/v1/holidays/2027"),
		body: constBody(`{"days":[{"date":"2027-02-06","name":"春节","kind":"holiday"}]}`)},

	// Plans: everyone signed in reads published plans. Drafts are the secretariat's working
	// papers: viewers read them, leaders and members must not learn they exist (404). Only the
	// secretariat plans, adjusts and publishes. Helpers in plans_matrix_test.go.
	{method: "GET", path: "/api/v1/plans", allow: allSignedIn},
	{method: "POST", path: "/api/v1/plans", allow: "admin", body: constBody(matrixPlanBody)},
	{method: "GET", path: "/api/v1/plans/:id", allow: allSignedIn, url: publishedPlanURL("")},
	{method: "GET", path: "/api/v1/plans/:id", allow: "admin viewer", hidden: "leader leader-other member", url: draftPlanURL("")},
	{method: "GET", path: "/api/v1/plans/:id/versions", allow: allSignedIn, url: publishedPlanURL("/versions")},
	{method: "GET", path: "/api/v1/plans/:id/versions", allow: "admin viewer", hidden: "leader leader-other member", url: draftPlanURL("/versions")},
	{method: "GET", path: "/api/v1/plans/:id/members/:member_id/explain", allow: allSignedIn, url: publishedPlanURL("/members/%d/explain")},
	{method: "GET", path: "/api/v1/plans/:id/members/:member_id/explain", allow: "admin viewer", hidden: "leader leader-other member",
		url: draftPlanURL("/members/%d/explain")},
	{method: "POST", path: "/api/v1/plans/:id/edits", allow: "admin", url: publishedPlanURL("/edits"), body: pinPreview},
	{method: "POST", path: "/api/v1/plans/:id/edits", allow: "admin", url: draftPlanURL("/edits"), body: pinPreview},
	{method: "POST", path: "/api/v1/plans/:id/publish", allow: "admin", url: freshDraftURL("/publish"), body: constBody(`{"version":1}`)},

	// Routes of the calendar-feed work. Their owners' tests check what admins and leaders may
	// do with real bodies; this table checks sign-in and the role gates.
	{method: "GET", path: "/robots.txt", public: true},
	{method: "GET", path: "/feeds/:token", public: true, url: constURL("/feeds/nonexistent")},
	{method: "HEAD", path: "/feeds/:token", public: true, url: constURL("/feeds/nonexistent")},
	{method: "GET", path: "/feeds/:token/subscribe", public: true, url: constURL("/feeds/nonexistent/subscribe")},
	// Feed links: the secretariat manages every feed; a person manages only their own member feed
	// (the "member" principal is linked to member1). GET and DELETE need a live link, so the URL
	// function issues one first.
	{method: "GET", path: "/api/v1/members/:id/feed-token", allow: "admin member", url: memberFeed(true)},
	{method: "POST", path: "/api/v1/members/:id/feed-token", allow: "admin member", url: memberFeed(false)},
	{method: "DELETE", path: "/api/v1/members/:id/feed-token", allow: "admin member", url: memberFeed(true)},
	{method: "GET", path: "/api/v1/groups/:id/feed-token", allow: "admin", url: groupFeed(true)},
	{method: "POST", path: "/api/v1/groups/:id/feed-token", allow: "admin", url: groupFeed(false)},
	{method: "DELETE", path: "/api/v1/groups/:id/feed-token", allow: "admin", url: groupFeed(true)},
	{method: "GET", path: "/api/v1/federation/feed-token", allow: "admin", url: federationFeed(true)},
	{method: "POST", path: "/api/v1/federation/feed-token", allow: "admin"},
	{method: "DELETE", path: "/api/v1/federation/feed-token", allow: "admin", url: federationFeed(true)},
}

// activityPage turns an API activity URL into the page's.
func activityPage(api func(string) func(*fixture, string) string) func(*fixture, string) string {
	return func(fx *fixture, who string) string { return strings.TrimPrefix(api("")(fx, who), "/api/v1") }
}

func constBody(s string) func(*fixture, string) string {
	return func(*fixture, string) string { return s }
}
func constURL(s string) func(*fixture, string) string {
	return func(*fixture, string) string { return s }
}

func act1(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string { return fmt.Sprintf("/api/v1/activities/%d%s", fx.act1, suffix) }
}

func act2(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string { return fmt.Sprintf("/api/v1/activities/%d%s", fx.act2, suffix) }
}

func ifMatch1(*fixture, string) map[string]string { return map[string]string{"If-Match": `"1"`} }

func freshMember(fx *fixture, who string) string { return freshMemberSuffix("")(fx, who) }

func freshMemberSuffix(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		m := modelstest.MustCreateMember(fx.t, fx.db, models.Member{Name: uniq("临时成员")})
		return fmt.Sprintf("/api/v1/members/%d%s", m.ID, suffix)
	}
}

func targetAccount(suffix string) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		a, err := fx.db.GetAccountByUsername(context.Background(), "target")
		if err != nil {
			fx.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/accounts/%d%s", a.ID, suffix)
	}
}

// ownToken makes a token for the caller's account and returns its URL.
func ownToken(fx *fixture, who string) string {
	a, err := fx.db.GetAccountByUsername(context.Background(), map[string]string{pAdmin: "testadmin", pLeader: "leader1",
		pLeaderOther: "leader2", pMember: "member1", pViewer: "viewer1", pAnonymous: "viewer1"}[who])
	if err != nil {
		fx.t.Fatal(err)
	}
	t, _, err := fx.db.CreateAPIToken(context.Background(), a.ID, "删除测试", 1)
	if err != nil {
		fx.t.Fatal(err)
	}
	return fmt.Sprintf("/api/v1/auth/tokens/%d", t.ID)
}

func has(list, who string) bool { return strings.Contains(" "+list+" ", " "+who+" ") }

func TestRoleMatrix(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		mustAccount(t, db, "loginuser", models.AccountViewer, nil)
		mustAccount(t, db, "target", models.AccountViewer, nil)
		if err := db.CreateCategory(context.Background(), &models.Category{Code: "matrix_cat", LabelZH: "矩阵", LabelEN: "Matrix"}); err != nil {
			t.Fatal(err)
		}
		for _, row := range roleMatrix {
			for _, who := range principals {
				if has(row.skip, who) {
					continue
				}
				path := row.path
				if row.url != nil {
					path = row.url(fx, who)
				}
				body := ""
				if row.body != nil {
					body = row.body(fx, who)
				}
				hdr := fx.as(who)
				if row.hdr != nil {
					for k, v := range row.hdr(fx, who) {
						hdr[k] = v
					}
				}
				rec := fx.do(row.method, path, body, hdr, nil)
				got := rec.Code
				var ok bool
				var want string
				switch {
				case row.public:
					ok, want = got != 401 && got != 403 && got < 500, "not 401/403/5xx"
				case has(row.allow, who):
					ok, want = got >= 200 && got < 300, "2xx"
				case has(row.hidden, who):
					ok, want = got == 404, "404"
				case who == pAnonymous:
					ok, want = got == 401, "401"
				default:
					ok, want = got == 403, "403"
				}
				if !ok {
					t.Errorf("%s %s as %s: got %d, want %s: %s", row.method, path, who, got, want, rec.Body)
				}
			}
		}
	})
}

// TestRoleMatrixCoversEveryRoute fails when a route is registered without a row in roleMatrix,
// or a row names a route that no longer exists.
func TestRoleMatrixCoversEveryRoute(t *testing.T) {
	ts := newTestServer(t, modelstest.MustOpenDB(t))
	inTable := map[string]bool{}
	for _, r := range roleMatrix {
		inTable[r.method+" "+r.path] = true
	}
	registered := map[string]bool{}
	for _, r := range ts.srv.Routes() {
		key := r.Method + " " + r.Path
		registered[key] = true
		if !inTable[key] {
			t.Errorf("route %s has no row in roleMatrix (auth_matrix_test.go): add one saying who may call it", key)
		}
	}
	for key := range inTable {
		if !registered[key] {
			t.Errorf("roleMatrix row %s names no registered route", key)
		}
	}
}

// issueFeed makes sure a live feed link exists for scope (issued by the system, not the caller).
func issueFeed(fx *fixture, scope models.FeedScope) {
	if _, _, err := fx.db.IssueFeedToken(context.Background(), scope); err != nil {
		panic(err)
	}
}

func memberFeed(live bool) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		if live {
			issueFeed(fx, models.MemberFeedScope(fx.member1.ID))
		}
		return fmt.Sprintf("/api/v1/members/%d/feed-token", fx.member1.ID)
	}
}

func groupFeed(live bool) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		if live {
			issueFeed(fx, models.GroupFeedScope(fx.group1))
		}
		return fmt.Sprintf("/api/v1/groups/%d/feed-token", fx.group1)
	}
}

func federationFeed(live bool) func(*fixture, string) string {
	return func(fx *fixture, _ string) string {
		if live {
			issueFeed(fx, models.FederationFeedScope())
		}
		return "/api/v1/federation/feed-token"
	}
}
