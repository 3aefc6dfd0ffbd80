package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler/duty"
)

// Jobs runs the service's timed work on a cron schedule in the federation's time zone.
type Jobs struct {
	DB   *models.DB
	Log  *slog.Logger
	Loc  *time.Location
	cron *cron.Cron
}

// Schedules, in the federation's time zone. Housekeeping runs hourly so expired sessions do not
// pile up; the holiday check runs once a morning, when the secretariat is at work.
const (
	housekeepingSpec = "17 * * * *"
	holidayCheckSpec = "0 8 * * *"
)

// Start schedules the jobs and returns at once; Stop ends them.
func (j *Jobs) Start() error {
	j.cron = cron.New(cron.WithLocation(j.Loc), cron.WithChain(cron.Recover(cronLogger{j.Log})))
	if _, err := j.cron.AddFunc(housekeepingSpec, func() { j.Housekeep(context.Background()) }); err != nil {
		return err
	}
	if _, err := j.cron.AddFunc(holidayCheckSpec, func() { j.CheckHolidays(context.Background()) }); err != nil {
		return err
	}
	j.cron.Start()
	return nil
}

// Stop stops scheduling and waits for a running job to finish, at most until ctx ends.
func (j *Jobs) Stop(ctx context.Context) {
	if j.cron == nil {
		return
	}
	select {
	case <-j.cron.Stop().Done():
	case <-ctx.Done():
	}
}

// Housekeep removes expired sessions, sign-in failures and idempotency records.
func (j *Jobs) Housekeep(ctx context.Context) {
	swept, err := j.DB.Housekeep(ctx)
	if err != nil {
		j.Log.Error("housekeeping failed", "err", err)
		return
	}
	j.Log.Info("housekeeping", "sessions", swept.Sessions, "login_failures", swept.LoginFailures, "idempotency_keys", swept.IdempotencyKeys)
}

// CheckHolidays warns, from November on, when next year's official holidays are neither in the
// library nor entered by the secretariat: proposals for next year would ignore them.
// It returns whether the warning was given.
func (j *Jobs) CheckHolidays(ctx context.Context) bool {
	now := j.DB.Now().In(j.Loc)
	if now.Month() < time.November {
		return false
	}
	next := now.Year() + 1
	svc := &Service{DB: j.DB}
	cal, err := svc.HolidayCalendar(ctx)
	if err != nil {
		j.Log.Error("holiday check failed", "err", err)
		return false
	}
	if cal.Covers(next) {
		return false
	}
	j.Log.Warn("next year's public holidays are missing; enter them under /api/v1/holidays/{year}",
		"year", next, "message_zh", duty.MissingHolidaysMessage(next))
	return true
}

// cronLogger lets cron report a panicking job through slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}
