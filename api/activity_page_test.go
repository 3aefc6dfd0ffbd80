package api_test

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/api/feed"
	"github.com/gsl/rota/models"
)

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

// bearerFor creates an account with a personal token and returns its Authorization header.
func bearerFor(t testing.TB, db *models.DB, username string, role models.AccountRole, member *models.Member) string {
	t.Helper()
	var mid *uint64
	if member != nil {
		mid = &member.ID
	}
	return "Bearer " + mustToken(t, db, username, role, mid)
}

// TestActivityPageFromFeedLink: the link in a feed event opens a page that shows the
// activity to a signed-in reader, in Chinese, with its time in Asia/Shanghai.
func TestActivityPageFromFeedLink(t *testing.T) {
	f := newFeedFixture(t)
	f.h = api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase, Location: feed.Shanghai}).Handler()
	wang := bearerFor(t, f.db, "wang", models.AccountMember, f.members["王强"])

	ics := unfold(f.get(http.MethodGet, "/feeds/"+f.token(models.MemberFeedScope(f.members["王强"].ID))+".ics").Body.String())
	duty := f.acts["duty"]
	link := feedBase + "/activities/" + itoa(duty.ID)
	if !strings.Contains(ics, "URL:"+link) {
		t.Fatalf("the feed does not link the activity to %s", link)
	}
	rec := f.get(http.MethodGet, strings.TrimPrefix(link, feedBase), "Authorization", wang)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("the event's link: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	page := html.UnescapeString(rec.Body.String())
	for _, want := range []string{`lang="zh-CN"`, "第3轮值组：健康产业座谈会", "2026年3月18日（星期三） 14:30–17:00",
		"福安市体育器材有限公司三楼会议室", "健康产业发展", "讲座", "第3轮值组", "林建华、陈美玲", "已安排", "Asia/Shanghai"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q: a signed-in page must not be cached", rec.Header().Get("Cache-Control"))
	}

	en := html.UnescapeString(f.get(http.MethodGet, "/activities/"+itoa(duty.ID), "Authorization", wang, "Accept-Language", "en").Body.String())
	if !strings.Contains(en, "Wed 18 Mar 2026, 14:30–17:00") || !strings.Contains(en, "Scheduled") {
		t.Errorf("the English page:\n%s", en)
	}

	// Cancelled and all-day activities read as such.
	cancelled := html.UnescapeString(f.get(http.MethodGet, "/activities/"+itoa(f.acts["cancelled"].ID), "Authorization", wang).Body.String())
	if !strings.Contains(cancelled, "已取消") || !strings.Contains(cancelled, "企业接待调整") {
		t.Errorf("the cancelled activity's page lacks its status or reason")
	}
	allday := html.UnescapeString(f.get(http.MethodGet, "/activities/"+itoa(f.acts["allday"].ID), "Authorization", wang).Body.String())
	if !strings.Contains(allday, "2026年2月10日（星期二） 至 2月11日（星期三），全天") {
		t.Errorf("the all-day activity (10–11 February) reads:\n%s", allday)
	}
}

// TestActivityPageWhoMaySee: anonymous visitors are asked to sign in; a member does not see
// another group's activity, nor learn that it exists; text is escaped.
func TestActivityPageWhoMaySee(t *testing.T) {
	f := newFeedFixture(t)
	f.h = api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase, Location: feed.Shanghai}).Handler()
	wang := bearerFor(t, f.db, "wang", models.AccountMember, f.members["王强"])
	viewer := bearerFor(t, f.db, "viewer", models.AccountViewer, nil)
	other := "/activities/" + itoa(f.acts["other_group"].ID) // group 7's; 王强 is in group 3

	anon := f.get(http.MethodGet, "/activities/"+itoa(f.acts["duty"].ID))
	if anon.Code != http.StatusUnauthorized || !strings.Contains(anon.Body.String(), "请登录后查看") ||
		strings.Contains(anon.Body.String(), "健康产业座谈会") {
		t.Errorf("anonymous: %d, want the 401 sign-in page without the activity:\n%s", anon.Code, anon.Body)
	}
	if rec := f.get(http.MethodGet, "/activities/"+itoa(f.acts["duty"].ID), "Authorization", "Bearer rota_wrong"); rec.Code != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d, want the sign-in page", rec.Code)
	}
	hidden := f.get(http.MethodGet, other, "Authorization", wang)
	missing := f.get(http.MethodGet, "/activities/999999", "Authorization", wang)
	for name, rec := range map[string]interface {
		Result() *http.Response
	}{"another group's": hidden, "a missing": missing} {
		if r := rec.Result(); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s activity as a member: %d, want 404", name, r.StatusCode)
		}
	}
	if hidden.Body.String() != missing.Body.String() || strings.Contains(hidden.Body.String(), "光彩助学") {
		t.Error("a hidden activity's page differs from a missing one's: it tells that the activity exists")
	}
	if rec := f.get(http.MethodGet, "/activities/abc", "Authorization", wang); rec.Code != http.StatusNotFound {
		t.Errorf("a malformed id: %d, want the 404 page", rec.Code)
	}
	if rec := f.get(http.MethodGet, other, "Authorization", viewer); rec.Code != http.StatusOK {
		t.Errorf("a viewer reads every activity: %d", rec.Code)
	}

	// Titles are text, not markup.
	a := f.acts["federation"]
	if _, err := f.db.UpdateActivity(context.Background(), a.ID, a.Version, func(x *models.Activity) []models.FieldError {
		x.Title = `<script>alert("x")</script>年会`
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page := f.get(http.MethodGet, "/activities/"+itoa(a.ID), "Authorization", wang).Body.String()
	if strings.Contains(page, "<script>") || !regexp.MustCompile(`&lt;script&gt;alert\(&(#34|quot);x&(#34|quot);\)&lt;/script&gt;年会`).MatchString(page) {
		t.Errorf("the title is not escaped:\n%s", page)
	}
}
