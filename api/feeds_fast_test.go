package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// pollingServer is the feed fixture's server as production runs it, behind fasthttp: the
// cache asks the database at most once per interval, and polls in between are answered from
// memory.
func (f *feedFixture) pollingServer(interval time.Duration, log *slog.Logger, opts ...func(*api.Options)) http.Handler {
	return viaFastHTTP(f.t, f.api(interval, log, opts...))
}

func (f *feedFixture) api(interval time.Duration, log *slog.Logger, opts ...func(*api.Options)) *api.Server {
	o := api.Options{BaseURL: feedBase, MaxBodyBytes: 64 << 10, Feeds: api.FeedOptions{CheckInterval: interval}}
	for _, fn := range opts {
		fn(&o)
	}
	return api.New(f.db, log, o)
}

// fronts are the two ways to serve an api.Server: fasthttp as `rota serve` does, and the
// net/http Handler for anyone embedding it. Both have a fast path for feed polls.
func (f *feedFixture) fronts(interval time.Duration) map[string]http.Handler {
	return map[string]http.Handler{
		"fasthttp": f.pollingServer(interval, slog.New(slog.DiscardHandler)),
		"net/http": f.api(interval, slog.New(slog.DiscardHandler)).Handler(),
	}
}

// answeredFromMemory: Echo's middleware gives every request it sees an X-Request-ID; the
// fast path, which answers before Echo, does not.
func answeredFromMemory(rec interface{ Header() http.Header }) bool {
	return rec.Header().Get("X-Request-ID") == ""
}

// TestFeedFastPath: once a feed is rendered, polls are answered from memory with the same
// bytes and validators as the full route, conditional requests included.
func TestFeedFastPath(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		f := newFeedFixtureOn(t, db)
		path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
		for name, h := range f.fronts(time.Hour) {
			t.Run(name, func(t *testing.T) {
				f.t, f.h = t, h
				testFeedFastPath(t, f, path)
			})
		}
	})
}

func testFeedFastPath(t *testing.T, f *feedFixture, path string) {
	{
		first := f.get(http.MethodGet, path)
		if first.Code != http.StatusOK || answeredFromMemory(first) {
			t.Fatalf("first poll: %d, from memory %v; want 200 rendered by the feed route", first.Code, answeredFromMemory(first))
		}
		etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
		second := f.get(http.MethodGet, path)
		if !answeredFromMemory(second) {
			t.Fatal("the second poll went through Echo: the fast path did not answer it")
		}
		if second.Code != http.StatusOK || !bytes.Equal(second.Body.Bytes(), first.Body.Bytes()) {
			t.Fatalf("from memory: %d, %d bytes; want the same 200 and bytes", second.Code, second.Body.Len())
		}
		for _, h := range []string{"Content-Type", "ETag", "Last-Modified", "Cache-Control", "Content-Length"} {
			if got, want := second.Header().Get(h), first.Header().Get(h); got != want || got == "" {
				t.Errorf("%s: %q from memory, %q from the route", h, got, want)
			}
		}

		for _, c := range []struct {
			name, method string
			hdr          []string
			want         int
		}{
			{"If-None-Match", http.MethodGet, []string{"If-None-Match", etag}, http.StatusNotModified},
			{"If-None-Match in a list", http.MethodGet, []string{"If-None-Match", `"a", W/` + etag}, http.StatusNotModified},
			{"stale ETag beats a date", http.MethodGet, []string{"If-None-Match", `"old"`, "If-Modified-Since", lastMod}, http.StatusOK},
			{"If-Modified-Since echoed", http.MethodGet, []string{"If-Modified-Since", lastMod}, http.StatusNotModified},
			{"If-Modified-Since later", http.MethodGet, []string{"If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}, http.StatusNotModified},
			{"If-Modified-Since earlier", http.MethodGet, []string{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"}, http.StatusOK},
			{"HEAD", http.MethodHead, nil, http.StatusOK},
			{"conditional HEAD", http.MethodHead, []string{"If-None-Match", etag}, http.StatusNotModified},
		} {
			rec := f.get(c.method, path, c.hdr...)
			if rec.Code != c.want || !answeredFromMemory(rec) {
				t.Errorf("%s: %d (from memory %v), want %d from memory", c.name, rec.Code, answeredFromMemory(rec), c.want)
				continue
			}
			switch {
			case rec.Code == http.StatusNotModified:
				if rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag || rec.Header().Get("Cache-Control") == "" {
					t.Errorf("%s: a 304 carries the ETag and Cache-Control and no body", c.name)
				}
			case c.method == http.MethodHead:
				if rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != first.Header().Get("Content-Length") {
					t.Errorf("HEAD: %d body bytes, Content-Length %q", rec.Body.Len(), rec.Header().Get("Content-Length"))
				}
			default:
				if !bytes.Equal(rec.Body.Bytes(), first.Body.Bytes()) {
					t.Errorf("%s: other bytes", c.name)
				}
			}
		}

		for _, bad := range []string{"/feeds/not-a-token.ics", "/feeds/" + strings.Repeat("A", models.FeedTokenLength) + ".ics"} {
			if rec := f.get(http.MethodGet, bad); rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
				t.Errorf("GET %s: %d with %d bytes, want a bare 404", bad, rec.Code, rec.Body.Len())
			}
		}
		// Not a feed poll: left to Echo.
		if rec := f.get(http.MethodPost, path); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST to a feed: %d, want 405 from the router", rec.Code)
		}
	}
}

// TestFeedCacheChecksTheDatabase: a change made elsewhere (another server process, the
// command line) reaches the feed after at most one check interval; a token revoked through
// this server's API stops working at once, cached or not.
func TestFeedCacheChecksTheDatabase(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		f := newFeedFixtureOn(t, db)
		path := "/feeds/" + f.token(models.GroupFeedScope(f.groups[3])) + ".ics"
		const interval = 50 * time.Millisecond
		f.h = f.pollingServer(interval, slog.New(slog.DiscardHandler))
		first := f.get(http.MethodGet, path)
		etag := first.Header().Get("ETag")

		f.tick()
		a := f.acts["duty"]
		if _, err := f.db.UpdateActivity(context.Background(), a.ID, a.Version, func(x *models.Activity) []models.FieldError {
			x.Location = "市工商联三楼会议室"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		// Polls within the interval may still get the old feed; once it has passed, one request
		// asks the database and every poll after it gets the new one.
		time.Sleep(interval + 20*time.Millisecond)
		changed := f.get(http.MethodGet, path, "If-None-Match", etag)
		if changed.Code != http.StatusOK || !strings.Contains(unfold(changed.Body.String()), "市工商联三楼会议室") {
			t.Fatalf("after the check interval: %d, new place in feed %v", changed.Code,
				strings.Contains(unfold(changed.Body.String()), "市工商联三楼会议室"))
		}
		newETag := changed.Header().Get("ETag")
		if rec := f.get(http.MethodGet, path, "If-None-Match", newETag); rec.Code != http.StatusNotModified || !answeredFromMemory(rec) {
			t.Errorf("the next poll: %d, from memory %v; want a 304 from memory", rec.Code, answeredFromMemory(rec))
		}
	})
}

func TestFeedRevokedThroughAPIStopsAtOnce(t *testing.T) {
	f := newFeedFixture(t)
	scope := models.MemberFeedScope(f.members["王强"].ID)
	path := "/feeds/" + f.token(scope) + ".ics"
	f.h = f.pollingServer(time.Hour, slog.New(slog.DiscardHandler))
	f.get(http.MethodGet, path)
	if rec := f.get(http.MethodGet, path); rec.Code != http.StatusOK || !answeredFromMemory(rec) {
		t.Fatalf("warm-up: %d, from memory %v", rec.Code, answeredFromMemory(rec))
	}
	admin := bearerFor(t, f.db, "secretariat", models.AccountAdmin, nil)
	rec := f.get(http.MethodDelete, "/api/v1/members/"+itoa(f.members["王强"].ID)+"/feed-token", "Authorization", admin)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		if rec := f.get(m, path); rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
			t.Errorf("%s after revoking, with an hour-long check interval: %d, want a bare 404", m, rec.Code)
		}
	}
}

// TestFeedLogsHoldNoToken: the feed URL is a password; the request log must not make a copy.
func TestFeedLogsHoldNoToken(t *testing.T) {
	f := newFeedFixture(t)
	tok := f.token(models.FederationFeedScope())
	var logs bytes.Buffer
	f.h = f.pollingServer(time.Hour, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	for _, p := range []string{"/feeds/" + tok + ".ics", "/feeds/" + tok + ".ics", "/feeds/" + tok + "/subscribe",
		"/feeds/" + strings.Repeat("b", models.FeedTokenLength) + ".ics"} {
		f.get(http.MethodGet, p)
	}
	if !strings.Contains(logs.String(), "/feeds/***.ics") || !strings.Contains(logs.String(), "/feeds/***/subscribe") {
		t.Fatalf("the feed requests were not logged:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), tok) || strings.Contains(logs.String(), strings.Repeat("b", models.FeedTokenLength)) {
		t.Errorf("the log holds a feed token:\n%s", logs.String())
	}
}

// TestFeedOptionsReachTheFeed: the reminder setting is what calendars get.
func TestFeedOptionsReachTheFeed(t *testing.T) {
	f := newFeedFixture(t)
	path := "/feeds/" + f.token(models.GroupFeedScope(f.groups[3])) + ".ics"
	for _, c := range []struct {
		alarm time.Duration
		want  string // "" for no reminder at all
	}{{0, "TRIGGER:-P1D"}, {2 * time.Hour, "TRIGGER:-PT2H"}, {-1, ""}} {
		f.h = f.pollingServer(time.Nanosecond, slog.New(slog.DiscardHandler), func(o *api.Options) { o.Feeds.Alarm = c.alarm })
		body := f.get(http.MethodGet, path).Body.String()
		if c.want == "" && strings.Contains(body, "BEGIN:VALARM") {
			t.Errorf("Alarm %v: the feed has reminders", c.alarm)
		}
		if c.want != "" && !strings.Contains(body, c.want) {
			t.Errorf("Alarm %v: no %s in the feed", c.alarm, c.want)
		}
	}
}

func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }
