package api_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
)

// benchFeed serves the member feed through the real router; with a warm cache this is what
// a calendar poll costs the server besides the network.
func benchFeed(b *testing.B, conditional bool) {
	f := newFeedFixture(b)
	path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
	// The default check interval (1 s), unlike the tests' server, which checks on every request.
	f.h = api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase}).Handler()
	first := f.get(http.MethodGet, path)
	etag := first.Header().Get("ETag")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if conditional {
			req.Header.Set("If-None-Match", etag)
		}
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if (conditional && rec.Code != http.StatusNotModified) || (!conditional && rec.Code != http.StatusOK) {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkFeedFull(b *testing.B) { benchFeed(b, false) }
func BenchmarkFeed304(b *testing.B)  { benchFeed(b, true) }
