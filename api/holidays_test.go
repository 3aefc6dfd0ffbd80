package api_test

import (
	"net/http"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

type holidays struct {
	Year          int  `json:"year"`
	LibraryCovers bool `json:"library_covers"`
	Days          []struct {
		Date string `json:"date"`
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"days"`
}

// The library lags a year behind the State Council: the secretariat enters 2027 by hand, and
// the entries replace the year's previous ones.
func TestHolidayOverrides(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ts := newTestServer(t, db)
		var h holidays
		ts.do("GET", "/api/v1/holidays/2026", "", nil, &h)
		if !h.LibraryCovers || len(h.Days) < 30 {
			t.Fatalf("2026 comes from the library: %+v", h)
		}
		ts.do("GET", "/api/v1/holidays/2027", "", nil, &h)
		if h.LibraryCovers || len(h.Days) != 0 {
			t.Fatalf("2027 is not in the library yet: %+v", h)
		}
		body := `{"days":[{"date":"2027-02-06","name":"春节","kind":"holiday"},{"date":"2027-02-14","name":"春节","kind":"makeup_workday"}]}`
		rec := ts.do("PUT", "/api/v1/holidays/2027", body, nil, &h)
		if rec.Code != http.StatusOK || len(h.Days) != 2 || h.Days[1].Kind != "makeup_workday" {
			t.Fatalf("entering 2027: %d %s", rec.Code, rec.Body)
		}
		ts.do("PUT", "/api/v1/holidays/2027", `{"days":[{"date":"2027-10-01","name":"国庆节","kind":"holiday"}]}`, nil, &h)
		if len(h.Days) != 1 || h.Days[0].Date != "2027-10-01" {
			t.Fatalf("a PUT replaces the year's entries: %+v", h)
		}
		var e apiError
		rec = ts.do("PUT", "/api/v1/holidays/2027", `{"days":[{"date":"2026-10-01","kind":"holiday"},{"date":"2027-13-01","kind":"x"},{"date":"2027-05-01","kind":"party"}]}`, nil, &e)
		if rec.Code != 400 || e.field("days[0].date") == "" || e.field("days[1].date") == "" {
			t.Fatalf("bad days: %d %s", rec.Code, rec.Body)
		}
		ts.do("GET", "/api/v1/holidays/2027", "", nil, &h)
		if len(h.Days) != 1 {
			t.Fatalf("a refused PUT must change nothing: %+v", h)
		}
		if rec := ts.do("GET", "/api/v1/holidays/3000", "", nil, &e); rec.Code != 400 {
			t.Fatalf("year out of range: %d", rec.Code)
		}
	})
}
