package api_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
)

// discardWriter is the least a ResponseWriter can be, so the benchmark measures the handler,
// not a recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// benchFeed serves the member feed through the real handler; with a warm cache this is what
// a calendar poll costs the server besides net/http and the network. bench/feeds/wrk.sh
// measures the whole thing against nginx.
func benchFeed(b *testing.B, conditional bool) {
	f := newFeedFixture(b)
	path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
	// The default check interval (1 s), unlike the tests' server, which checks on every request.
	f.h = api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase}).Handler()
	first := f.get(http.MethodGet, path)
	etag := first.Header().Get("ETag")
	req := httptest.NewRequest(http.MethodGet, path, nil)
	want := http.StatusOK
	if conditional {
		req.Header.Set("If-None-Match", etag)
		want = http.StatusNotModified
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		f.h.ServeHTTP(w, req)
		if w.status != want {
			b.Fatalf("status %d", w.status)
		}
	}
}

func BenchmarkFeedFull(b *testing.B) { benchFeed(b, false) }
func BenchmarkFeed304(b *testing.B)  { benchFeed(b, true) }

// benchFeedFastHTTP is benchFeed for the fasthttp front `rota serve` listens with: the
// handler on a reused request context, without the connection and its syscalls.
func benchFeedFastHTTP(b *testing.B, conditional bool) {
	f := newFeedFixture(b)
	path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
	srv := api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase}).
		HTTPServer(api.HTTPTimeouts{Read: time.Minute, Write: time.Minute, Idle: time.Minute})
	var c fasthttp.RequestCtx
	c.Request.SetRequestURI(path)
	srv.Handler(&c) // renders the feed and fills the cache
	etag := string(c.Response.Header.Peek("ETag"))
	want := http.StatusOK
	if conditional {
		c.Request.Header.Set("If-None-Match", etag)
		want = http.StatusNotModified
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Response.Reset()
		srv.Handler(&c)
		if c.Response.StatusCode() != want {
			b.Fatalf("status %d", c.Response.StatusCode())
		}
	}
}

func BenchmarkFeedFullFastHTTP(b *testing.B) { benchFeedFastHTTP(b, false) }
func BenchmarkFeed304FastHTTP(b *testing.B)  { benchFeedFastHTTP(b, true) }
