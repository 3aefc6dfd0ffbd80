package scheduler_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
	"github.com/gsl/rota/scheduler"
)

func TestHolidayCheckWarnsInAutumn(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	j := &scheduler.Jobs{DB: db, Log: slog.New(slog.DiscardHandler), Loc: models.ChinaTime}
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	if j.CheckHolidays(ctx) {
		t.Fatal("in June there is nothing to warn about yet")
	}
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) }
	if !j.CheckHolidays(ctx) {
		t.Fatal("in November with 2027 missing the check must warn")
	}
	if err := db.ReplaceHolidayOverrides(ctx, 2027, []models.HolidayOverride{{Day: models.NewDate(2027, 1, 1), Name: "元旦", Kind: "holiday"}}); err != nil {
		t.Fatal(err)
	}
	if j.CheckHolidays(ctx) {
		t.Fatal("once 2027 is entered there is nothing to warn about")
	}
}

func TestJobsStartAndStop(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	j := &scheduler.Jobs{DB: db, Log: slog.New(slog.DiscardHandler), Loc: models.ChinaTime}
	if err := j.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	j.Stop(ctx)
	if ctx.Err() != nil {
		t.Fatal("stopping idle jobs should be immediate")
	}
}
