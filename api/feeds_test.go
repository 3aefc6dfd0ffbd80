package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/api/feed"
	"github.com/gsl/rota/api/feed/feedtest"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden feeds in testdata/feeds/")

const feedBase = "https://rota.example.cn"

// feedFixture is a small federation: groups 3 and 7 of the 2026 plan, five members with
// mobiles and e-mails (which no feed may show), and activities of every kind and status.
type feedFixture struct {
	t       testing.TB
	db      *models.DB
	h       http.Handler
	clock   time.Time
	members map[string]*models.Member
	groups  map[int]uint64
	plan    *models.PlanDetail
	acts    map[string]*models.Activity
}

func cst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, feed.Shanghai)
}

func newFeedFixture(t testing.TB) *feedFixture {
	t.Helper()
	return newFeedFixtureOn(t, modelstest.MustOpenDB(t))
}

// newFeedFixtureOn builds the fixture in db (modelstest.ForEach runs it on each backend).
func newFeedFixtureOn(t testing.TB, db *models.DB) *feedFixture {
	t.Helper()
	f := &feedFixture{t: t, db: db, clock: cst(2026, 3, 1, 10, 0), members: map[string]*models.Member{},
		groups: map[int]uint64{}, acts: map[string]*models.Activity{}}
	db.Now = func() time.Time { return f.clock.UTC() }
	f.h = f.server()
	people := []struct {
		name, mobile, email string
		role                models.Role
	}{
		{"林建华", "13800000001", "lin@example.com", models.RoleViceChair},
		{"陈美玲", "13900000002", "chen@example.com", models.RoleVicePresident},
		{"王强", "13700000003", "wang@example.com", models.RoleStandingMember},
		{"张伟", "13600000004", "zhang@example.com", models.RoleVicePresident},
		{"李娜", "13500000005", "li@example.com", models.RoleStandingMember},
	}
	for _, p := range people {
		mobile := p.mobile
		f.members[p.name] = modelstest.MustCreateMember(t, db, models.Member{Name: p.name, Mobile: &mobile, Email: p.email, Role: p.role})
		f.tick()
	}
	gm := func(name string, leader bool) models.PlanGroupMember {
		return models.PlanGroupMember{MemberID: f.members[name].ID, IsLeader: leader}
	}
	plan, err := db.CreatePlan(context.Background(), &models.NewPlan{
		Plan: models.Plan{Year: 2026, Mode: "industry", GroupsCount: 2},
		Groups: []models.NewPlanGroup{
			{Number: 3, Name: "第3轮值组", Members: []models.PlanGroupMember{gm("林建华", true), gm("陈美玲", true), gm("王强", false)}},
			{Number: 7, Name: "第7轮值组", Members: []models.PlanGroupMember{gm("张伟", true), gm("李娜", false)}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.plan = plan
	for _, g := range plan.Groups {
		f.groups[g.Number] = g.ID
	}
	f.tick()
	cat := func(s string) *string { return &s }
	month := func(m int) *int { return &m }
	f.add("duty", models.Activity{Kind: models.KindDuty, PlanID: &plan.Plan.ID, GroupID: f.groupPtr(3), Month: month(3),
		Title: "第3轮值组：健康产业座谈会", Theme: "健康产业发展", Category: cat("lecture"),
		StartsAt: cst(2026, 3, 18, 14, 30), EndsAt: cst(2026, 3, 18, 17, 0), Location: "福安市体育器材有限公司三楼会议室",
		Description: "请提前十分钟到场。\n联系人：王先生 13812345678，邮箱 wang.xs@example.com", Status: models.StatusScheduled})
	f.add("federation", models.Activity{Kind: models.KindFederation, Title: "全体执委会议（2026年上半年）",
		Category: cat("publicity_training"), StartsAt: cst(2026, 6, 30, 9, 0), EndsAt: cst(2026, 6, 30, 11, 30),
		Location: "市工商联大会议室", Status: models.StatusProposed})
	f.add("invited", models.Activity{Kind: models.KindDuty, PlanID: &plan.Plan.ID, GroupID: f.groupPtr(7), Month: month(7),
		Title: "第7轮值组：银企对接会", Category: cat("industry_service"), StartsAt: cst(2026, 7, 9, 15, 0),
		EndsAt: cst(2026, 7, 9, 17, 0), Location: "中国银行福安支行", Status: models.StatusScheduled,
		Invited: []uint64{f.members["王强"].ID}})
	f.add("other_group", models.Activity{Kind: models.KindDuty, PlanID: &plan.Plan.ID, GroupID: f.groupPtr(7), Month: month(8),
		Title: "第7轮值组：光彩助学", Category: cat("charity"), StartsAt: cst(2026, 8, 20, 9, 0),
		EndsAt: cst(2026, 8, 20, 12, 0), Status: models.StatusScheduled})
	f.add("cancelled", models.Activity{Kind: models.KindDuty, PlanID: &plan.Plan.ID, GroupID: f.groupPtr(3), Month: month(4),
		Title: "第3轮值组：参观宁德时代", Category: cat("site_visit"), StartsAt: cst(2026, 4, 22, 8, 30),
		EndsAt: cst(2026, 4, 22, 12, 0), Location: "宁德时代", Status: models.StatusCancelled, CancelReason: "企业接待调整"})
	f.add("allday", models.Activity{Kind: models.KindFederation, Title: "春节送温暖", Category: cat("charity"),
		StartsAt: cst(2026, 2, 10, 0, 0), EndsAt: cst(2026, 2, 12, 0, 0), AllDay: true, Location: "穆阳镇、溪柄镇",
		Status: models.StatusHeld})
	f.add("too_old", models.Activity{Kind: models.KindFederation, Title: "2024年年会", StartsAt: cst(2024, 12, 20, 9, 0),
		EndsAt: cst(2024, 12, 20, 12, 0), Status: models.StatusHeld})
	return f
}

func (f *feedFixture) server() http.Handler {
	return specChecked(f.t, viaFastHTTP(f.t, api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase, MaxBodyBytes: 64 << 10,
		Feeds: api.FeedOptions{CheckInterval: time.Nanosecond}})))
}

func (f *feedFixture) groupPtr(n int) *uint64 { id := f.groups[n]; return &id }

// tick moves the clock on a minute so every row has its own updated_at.
func (f *feedFixture) tick() { f.clock = f.clock.Add(time.Minute) }

func (f *feedFixture) add(name string, a models.Activity) {
	f.t.Helper()
	if err := f.db.CreateActivity(context.Background(), &a); err != nil {
		f.t.Fatalf("activity %s: %v", name, err)
	}
	f.acts[name] = &a
	f.tick()
}

func (f *feedFixture) token(scope models.FeedScope) string {
	f.t.Helper()
	tok, _, err := f.db.IssueFeedToken(context.Background(), scope)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

func (f *feedFixture) get(method, path string, hdr ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func uid(a *models.Activity) string { return fmt.Sprintf("activity-%d@rota.example.cn", a.ID) }

func TestFeedsGolden(t *testing.T) {
	f := newFeedFixture(t)
	kinds := []struct {
		name  string
		scope models.FeedScope
		want  []string // activities in the feed, by fixture name
	}{
		{"member", models.MemberFeedScope(f.members["王强"].ID), []string{"allday", "duty", "cancelled", "federation", "invited"}},
		{"group", models.GroupFeedScope(f.groups[3]), []string{"duty", "cancelled"}},
		{"federation", models.FederationFeedScope(), []string{"allday", "duty", "cancelled", "federation", "invited", "other_group"}},
		{"group_empty", models.GroupFeedScope(f.groups[7]), nil},
	}
	for _, k := range kinds {
		if k.name == "group_empty" {
			// Group 7 has two activities; the empty feed is that group once they are gone.
			for _, name := range []string{"invited", "other_group"} {
				if err := f.db.Gorm.Delete(&models.Activity{}, f.acts[name].ID).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		t.Run(k.name, func(t *testing.T) {
			rec := f.get(http.MethodGet, "/feeds/"+f.token(k.scope)+".ics")
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			body := rec.Body.Bytes()
			golden := filepath.Join("testdata", "feeds", k.name+".ics")
			if *updateGolden {
				_ = os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./api -run TestFeedsGolden -update creates it)", err)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("%s differs from the golden file (-update to accept):\n%s", golden, body)
			}
			assertNoContactDetails(t, f, body)
			r, _ := feedtest.Check(t, body)
			if len(r.Events) != len(k.want) {
				t.Errorf("%d events, want %d (%v)", len(r.Events), len(k.want), k.want)
			}
			for _, name := range k.want {
				assertEventAsStored(t, r, f.acts[name])
			}
		})
	}
}

// assertEventAsStored: UID, title, times in Asia/Shanghai, SEQUENCE and STATUS as stored.
func assertEventAsStored(t *testing.T, r *feedtest.Reading, a *models.Activity) {
	t.Helper()
	e := r.Event(uid(a))
	if e == nil {
		t.Errorf("%s (%s) missing", uid(a), a.Title)
		return
	}
	if !strings.Contains(e.Summary, a.Title) {
		t.Errorf("%s: SUMMARY %q, want the title %q", uid(a), e.Summary, a.Title)
	}
	if a.AllDay {
		if !e.AllDay || e.Start != a.StartsAt.In(feed.Shanghai).Format(time.DateOnly) {
			t.Errorf("%s: all-day %v from %s", uid(a), e.AllDay, e.Start)
		}
	} else if e.Start != a.StartsAt.In(feed.Shanghai).Format(time.RFC3339) || e.End != a.EndsAt.In(feed.Shanghai).Format(time.RFC3339) {
		t.Errorf("%s: %s–%s, want %s–%s in Asia/Shanghai", uid(a), e.Start, e.End,
			a.StartsAt.In(feed.Shanghai).Format(time.RFC3339), a.EndsAt.In(feed.Shanghai).Format(time.RFC3339))
	}
	if e.Sequence != a.Sequence {
		t.Errorf("%s: SEQUENCE %d, want %d", uid(a), e.Sequence, a.Sequence)
	}
	want := map[models.ActivityStatus]string{models.StatusCancelled: "CANCELLED", models.StatusProposed: "TENTATIVE",
		models.StatusScheduled: "CONFIRMED", models.StatusHeld: "CONFIRMED"}[a.Status]
	if e.Status != want {
		t.Errorf("%s: STATUS %q, want %q", uid(a), e.Status, want)
	}
	if e.Stamp != a.UpdatedAt.UTC().Format(time.RFC3339) {
		t.Errorf("%s: DTSTAMP %s, want updated_at %s", uid(a), e.Stamp, a.UpdatedAt.UTC().Format(time.RFC3339))
	}
}

var mobileLike = regexp.MustCompile(`1[3-9][0-9]{9}`)

// assertNoContactDetails: no member's mobile or e-mail, and none typed into free text.
func assertNoContactDetails(t *testing.T, f *feedFixture, body []byte) {
	t.Helper()
	unfolded := strings.ReplaceAll(string(body), "\r\n ", "")
	for _, m := range f.members {
		if m.Mobile != nil && strings.Contains(unfolded, *m.Mobile) || strings.Contains(unfolded, m.Email) {
			t.Errorf("the feed shows %s's mobile or e-mail", m.Name)
		}
	}
	if mobileLike.MatchString(unfolded) || strings.Contains(unfolded, "@example.com") {
		t.Errorf("the feed shows a mobile number or an e-mail address typed into an activity:\n%s", unfolded)
	}
}

func TestFeedConditionalRequests(t *testing.T) {
	f := newFeedFixture(t)
	path := "/feeds/" + f.token(models.GroupFeedScope(f.groups[3])) + ".ics"
	first := f.get(http.MethodGet, path)
	etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if !regexp.MustCompile(`^"sha256-[0-9a-f]{32}"$`).MatchString(etag) {
		t.Fatalf("ETag %q: want a strong tag derived from the bytes", etag)
	}
	// Last-Modified is the newest updated_at of the feed's activities, not the request time.
	newest := f.acts["cancelled"].UpdatedAt.UTC().Format(http.TimeFormat)
	if lastMod != newest {
		t.Errorf("Last-Modified %q, want %q", lastMod, newest)
	}

	f.clock = f.clock.Add(5 * time.Minute) // a later poll, same day, nothing changed
	second := f.get(http.MethodGet, path)
	if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) || second.Header().Get("ETag") != etag {
		t.Fatal("the bytes changed although nothing did")
	}
	// A restarted server (empty cache) renders the same bytes.
	f.h = f.server()
	if again := f.get(http.MethodGet, path); !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
		t.Fatal("a fresh server renders different bytes")
	}

	for _, c := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"If-None-Match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"If-None-Match weak", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
		{"If-None-Match list", []string{"If-None-Match", `"other", ` + etag}, http.StatusNotModified},
		{"If-None-Match star", []string{"If-None-Match", "*"}, http.StatusNotModified},
		{"If-None-Match stale", []string{"If-None-Match", `"sha256-00"`}, http.StatusOK},
		{"If-Modified-Since same", []string{"If-Modified-Since", lastMod}, http.StatusNotModified},
		{"If-Modified-Since later", []string{"If-Modified-Since", f.clock.UTC().Format(http.TimeFormat)}, http.StatusNotModified},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"}, http.StatusOK},
		{"stale ETag beats a date", []string{"If-None-Match", `"x"`, "If-Modified-Since", lastMod}, http.StatusOK},
	} {
		rec := f.get(http.MethodGet, path, c.hdr...)
		if rec.Code != c.want {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.want)
		}
		if rec.Code == http.StatusNotModified && (rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag) {
			t.Errorf("%s: a 304 must carry the ETag and no body", c.name)
		}
	}

	head := f.get(http.MethodHead, path)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag ||
		head.Header().Get("Content-Length") != fmt.Sprint(first.Body.Len()) {
		t.Errorf("HEAD: %d, body %d bytes, ETag %q, Content-Length %q", head.Code, head.Body.Len(),
			head.Header().Get("ETag"), head.Header().Get("Content-Length"))
	}
	if rec := f.get(http.MethodHead, path, "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("conditional HEAD: %d", rec.Code)
	}

	// Rescheduling the activity changes the bytes, the ETag and the event's SEQUENCE.
	f.tick()
	a := f.acts["duty"]
	upd, err := f.db.UpdateActivity(context.Background(), a.ID, a.Version, func(x *models.Activity) []models.FieldError {
		x.StartsAt, x.EndsAt = x.StartsAt.Add(24*time.Hour), x.EndsAt.Add(24*time.Hour)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	changed := f.get(http.MethodGet, path, "If-None-Match", etag)
	if changed.Code != http.StatusOK || changed.Header().Get("ETag") == etag {
		t.Fatalf("after a change: status %d, ETag %q (was %q)", changed.Code, changed.Header().Get("ETag"), etag)
	}
	r := feedtest.ParseGolangICal(t, changed.Body.Bytes())
	if e := r.Event(uid(a)); e == nil || e.Sequence != upd.Sequence || upd.Sequence <= a.Sequence ||
		e.Start != upd.StartsAt.In(feed.Shanghai).Format(time.RFC3339) {
		t.Errorf("rescheduled event: %+v, want SEQUENCE %d and the new start", e, upd.Sequence)
	}
	if changed.Header().Get("Last-Modified") != upd.UpdatedAt.UTC().Format(http.TimeFormat) {
		t.Errorf("Last-Modified %q after the change", changed.Header().Get("Last-Modified"))
	}
}

func TestFeedNotFoundSaysNothing(t *testing.T) {
	f := newFeedFixture(t)
	revoked := f.token(models.FederationFeedScope())
	if got := f.get(http.MethodGet, "/feeds/"+revoked+".ics"); got.Code != http.StatusOK {
		t.Fatalf("warm-up: %d", got.Code) // cached now: revocation must still win at once
	}
	if err := f.db.RevokeFeedToken(context.Background(), models.FederationFeedScope()); err != nil {
		t.Fatal(err)
	}
	rotatedOut := f.token(models.MemberFeedScope(f.members["王强"].ID))
	current := f.token(models.MemberFeedScope(f.members["王强"].ID))
	left := f.token(models.MemberFeedScope(f.members["李娜"].ID))
	if _, err := f.db.DeactivateMember(context.Background(), f.members["李娜"].ID, f.members["李娜"].Version, models.Date{}); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"revoked":         "/feeds/" + revoked + ".ics",
		"rotated out":     "/feeds/" + rotatedOut + ".ics",
		"member who left": "/feeds/" + left + ".ics",
		"unknown":         "/feeds/" + strings.Repeat("a", models.FeedTokenLength) + ".ics",
		"malformed":       "/feeds/not-a-token.ics",
		"no extension":    "/feeds/" + current,
		"page of revoked": "/feeds/" + revoked + "/subscribe",
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			if method == http.MethodHead && strings.HasSuffix(path, "/subscribe") {
				continue
			}
			rec := f.get(method, path)
			if rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
				t.Errorf("%s %s: %d with %d bytes, want a bare 404", method, name, rec.Code, rec.Body.Len())
			}
		}
	}
	if rec := f.get(http.MethodGet, "/feeds/"+current+".ics"); rec.Code != http.StatusOK {
		t.Errorf("the current token: %d", rec.Code)
	}
}

func TestSubscribePage(t *testing.T) {
	f := newFeedFixture(t)
	tok := f.token(models.MemberFeedScope(f.members["王强"].ID))
	rec := f.get(http.MethodGet, "/feeds/"+tok+"/subscribe")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	page := rec.Body.String()
	feedURL := feedBase + "/feeds/" + tok + ".ics"
	for _, want := range []string{feedURL, `href="webcal://rota.example.cn/feeds/` + tok + `.ics"`, "王强的轮值活动",
		"iPhone", "安卓", "Outlook", "谷歌日历", "扫一扫", `lang="zh-CN"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no QR code image")
	}
	raw, _ := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("QR code is not a usable PNG: %v", err)
	}
	if rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("the page holds a secret: no referrer, no caching")
	}
	for _, m := range f.members {
		if strings.Contains(page, *m.Mobile) || strings.Contains(page, m.Email) {
			t.Errorf("the page shows %s's contact details", m.Name)
		}
	}
	en := f.get(http.MethodGet, "/feeds/"+tok+"/subscribe", "Accept-Language", "en")
	if !strings.Contains(en.Body.String(), "Subscribe to the rota calendar") {
		t.Error("the page ignores Accept-Language: en")
	}
}

func TestRobotsAllowsFeeds(t *testing.T) {
	f := newFeedFixture(t)
	rec := f.get(http.MethodGet, "/robots.txt")
	if rec.Code != http.StatusOK {
		t.Fatalf("robots.txt: %d", rec.Code)
	}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "Disallow:"); ok {
			if v = strings.TrimSpace(v); v == "/" || strings.HasPrefix("/feeds/", v) && v != "" {
				t.Errorf("robots.txt blocks the feeds: %q (Google Calendar would stop fetching)", line)
			}
		}
	}
}

// TestFeedTokenAPI: a member issues, rotates and revokes their own feed and no one else's;
// the secretariat manages every feed.
func TestFeedTokenAPI(t *testing.T) {
	f := newFeedFixture(t)
	ctx := context.Background()
	bearer := func(username string, role models.AccountRole, member *models.Member) string {
		var mid *uint64
		if member != nil {
			mid = &member.ID
		}
		acc, _, err := f.db.CreateAccount(ctx, models.NewAccount{Username: username, Role: role, MemberID: mid, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		_, tok, err := f.db.CreateAPIToken(ctx, acc.ID, "test", 30)
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	wang := bearer("wang", models.AccountMember, f.members["王强"])
	admin := bearer("secretariat", models.AccountAdmin, nil)
	call := func(auth, method, path string) (*httptest.ResponseRecorder, map[string]any) {
		rec := f.get(method, path, "Authorization", auth)
		var out map[string]any
		if rec.Body.Len() > 0 {
			_ = json.Unmarshal(rec.Body.Bytes(), &out)
		}
		return rec, out
	}
	own := fmt.Sprintf("/api/v1/members/%d/feed-token", f.members["王强"].ID)
	rec, issued := call(wang, http.MethodPost, own)
	if rec.Code != http.StatusCreated {
		t.Fatalf("issue own: %d %s", rec.Code, rec.Body)
	}
	tok, _ := issued["token"].(string)
	if issued["feed_url"] != feedBase+"/feeds/"+tok+".ics" || issued["webcal_url"] != "webcal://rota.example.cn/feeds/"+tok+".ics" ||
		issued["subscribe_url"] != feedBase+"/feeds/"+tok+"/subscribe" {
		t.Errorf("links: %v", issued)
	}
	if got := f.get(http.MethodGet, "/feeds/"+tok+".ics"); got.Code != http.StatusOK {
		t.Fatalf("the issued feed: %d", got.Code)
	}
	rec, status := call(wang, http.MethodGet, own)
	if rec.Code != http.StatusOK || status["token"] != nil || status["feed_url"] != nil {
		t.Errorf("status must not reveal the token: %d %v", rec.Code, status)
	}
	_, rotated := call(wang, http.MethodPost, own)
	if got := f.get(http.MethodGet, "/feeds/"+tok+".ics"); got.Code != http.StatusNotFound {
		t.Errorf("the rotated-out link: %d", got.Code)
	}
	for _, p := range []string{fmt.Sprintf("/api/v1/members/%d/feed-token", f.members["林建华"].ID),
		fmt.Sprintf("/api/v1/groups/%d/feed-token", f.groups[3]), "/api/v1/federation/feed-token"} {
		if rec, _ := call(wang, http.MethodPost, p); rec.Code != http.StatusForbidden {
			t.Errorf("member POST %s: %d, want 403", p, rec.Code)
		}
		if rec, _ := call(admin, http.MethodPost, p); rec.Code != http.StatusCreated {
			t.Errorf("admin POST %s: %d, want 201", p, rec.Code)
		}
	}
	if rec := f.get(http.MethodPost, own); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d, want 401", rec.Code)
	}
	if rec, _ := call(admin, http.MethodDelete, own); rec.Code != http.StatusNoContent {
		t.Errorf("admin revoke: %d", rec.Code)
	}
	if got := f.get(http.MethodGet, "/feeds/"+rotated["token"].(string)+".ics"); got.Code != http.StatusNotFound {
		t.Errorf("the revoked link: %d", got.Code)
	}
	if rec, _ := call(wang, http.MethodGet, own); rec.Code != http.StatusNotFound {
		t.Errorf("status after revoke: %d", rec.Code)
	}
}
