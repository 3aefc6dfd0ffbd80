package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// specPathOf is the spec's path of an Echo route: ":id" becomes "{id}". The feed route takes
// the whole last segment as :token and answers only tokens ending in ".ics"; the spec names
// the suffix, as clients see it.
func specPathOf(echoPath string) string {
	if echoPath == "/feeds/:token" {
		return "/feeds/{token}.ics"
	}
	return regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(echoPath, "{$1}")
}

// TestOpenAPICoversEveryRoute fails when a route is registered without an operation in
// openapi.yaml, or the spec documents an operation the server does not have.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	ts := newTestServer(t, modelstest.MustOpenDB(t))
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for _, op := range specOperations(doc) {
		inSpec[op] = true
	}
	registered := map[string]bool{}
	for _, r := range ts.srv.Routes() {
		op := r.Method + " " + specPathOf(r.Path)
		registered[op] = true
		if !inSpec[op] {
			t.Errorf("route %s %s is not in %s: document it", r.Method, r.Path, openAPISpecFile)
		}
	}
	for op := range inSpec {
		if !registered[op] {
			t.Errorf("%s documents %s, which the server does not register", openAPISpecFile, op)
		}
	}
	if len(registered) < 50 {
		t.Errorf("only %d routes registered: is Routes() still listing them?", len(registered))
	}
}

// TestOpenAPIServed: the spec is public at /api/v1/openapi.yaml, byte for byte the checked-in
// file, and a valid OpenAPI document with a description of every operation in both languages.
func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t, modelstest.MustOpenDB(t))
	rec := ts.do("GET", "/api/v1/openapi.yaml", "", map[string]string{"Authorization": ""}, nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/yaml" {
		t.Fatalf("anonymous GET: %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	file, err := os.ReadFile(openAPISpecFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), file) {
		t.Fatal("the served spec differs from openapi.yaml")
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the served spec is not valid OpenAPI: %v", err)
	}
	han := regexp.MustCompile(`\p{Han}`)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || len(op.Tags) == 0 {
				t.Errorf("%s %s: no operationId or tag", method, path)
			}
			// Chinese first, then English: "成员列表 / List members".
			zh, en, ok := strings.Cut(op.Summary, " / ")
			if !ok || !han.MatchString(zh) || en == "" || han.MatchString(en) {
				t.Errorf("%s %s: summary %q is not \"中文 / English\"", method, path, op.Summary)
			}
		}
	}
}

// TestFeedTokenStatusAndRevoke: the secretariat sees whether a group's and the federation's
// feeds are live, without their secret, and revoking one cuts the calendar off.
func TestFeedTokenStatusAndRevoke(t *testing.T) {
	fx := newFixture(t, modelstest.MustOpenDB(t))
	for _, path := range []string{fmt.Sprintf("/api/v1/groups/%d/feed-token", fx.group1), "/api/v1/federation/feed-token"} {
		var e apiError
		if rec := fx.do("GET", path, "", nil, &e); rec.Code != http.StatusNotFound || e.Error.Code != models.ENotFound {
			t.Fatalf("GET %s before issuing: %d %s", path, rec.Code, rec.Body)
		}
		var issued struct {
			ID      uint64 `json:"id"`
			Token   string `json:"token"`
			FeedURL string `json:"feed_url"`
		}
		if rec := fx.do("POST", path, "", nil, &issued); rec.Code != http.StatusCreated || issued.Token == "" {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		feed := strings.TrimPrefix(issued.FeedURL, "https://rota.example.cn")
		if rec := fx.do("GET", feed, "", nil, nil); rec.Code != http.StatusOK {
			t.Fatalf("the issued feed %s: %d", feed, rec.Code)
		}
		var status map[string]any
		rec := fx.do("GET", path, "", nil, &status)
		if rec.Code != http.StatusOK || status["id"] != float64(issued.ID) || status["token"] != nil || status["feed_url"] != nil {
			t.Fatalf("GET %s: %d %s: want the live token's record without its secret", path, rec.Code, rec.Body)
		}
		if rec := fx.do("DELETE", path, "", nil, nil); rec.Code != http.StatusNoContent {
			t.Fatalf("DELETE %s: %d %s", path, rec.Code, rec.Body)
		}
		if rec := fx.do("GET", feed, "", nil, nil); rec.Code != http.StatusNotFound {
			t.Errorf("the revoked feed %s: %d, want 404", feed, rec.Code)
		}
		if rec := fx.do("GET", path, "", nil, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s after revoking: %d, want 404", path, rec.Code)
		}
	}
}

// TestSpecCheckerCatchesDrift: the drift check itself fails on what it exists to catch, and
// lets through what tests do on purpose.
func TestSpecCheckerCatchesDrift(t *testing.T) {
	doc, router, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-ID", "req-1")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	const errorBody = `{"error":{"code":"invalid","message":"请求无效","request_id":"req-1"}}`
	cases := []struct {
		name, method, path, body string
		server                   http.Handler
		want                     string // a fragment of the failure; "" for none
	}{
		{"wrong value", "GET", "/healthz", "", answer(200, `{"status":"fine"}`), `at /status`},
		{"undocumented field", "GET", "/healthz", "", answer(200, `{"status":"ok","uptime":3}`), `uptime`},
		{"undocumented status", "GET", "/healthz", "", answer(418, errorBody), "status is not supported"},
		{"undocumented route", "GET", "/api/v1/nowhere", "", answer(200, `{}`), "documents no such operation"},
		{"bad request body accepted", "POST", "/api/v1/categories", `{"code":"x","label_zh":"新","salary":1}`,
			answer(201, `{"code":"x","label_zh":"新","label_en":"","builtin":false,"version":1}`), "request"},
		{"missing credential", "GET", "/api/v1/categories", "", answer(200, `{"items":[]}`), "no bearerToken credential"},
		{"error body without the error", "POST", "/api/v1/categories", `{"code":1}`, answer(400, `{"message":"bad"}`), `at /error`},
		{"unknown route, bad body", "GET", "/api/v1/nowhere", "", answer(404, `{"message":"no"}`), "not the error body"},
		{"malformed request refused", "POST", "/api/v1/categories", `{"code":`, answer(400, errorBody), ""},
		{"unknown route refused", "GET", "/api/v1/nowhere", "", answer(404, strings.Replace(errorBody, "invalid", "not_found", 1)), ""},
		{"bare feed 404", "GET", "/feeds/nonexistent", "", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := newSpecChecker(c.server, doc, router)
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if c.name != "missing credential" {
				req.Header.Set("Authorization", "Bearer rota_test")
			}
			sc.ServeHTTP(httptest.NewRecorder(), req)
			got := strings.Join(sc.failures, "\n")
			switch {
			case c.want == "" && got != "":
				t.Errorf("flagged: %s", got)
			case c.want != "" && !strings.Contains(got, c.want):
				t.Errorf("want a failure containing %q, got %q", c.want, got)
			}
		})
	}
}
