// Command seed prepares a SQLite database for bench/feeds/wrk.sh: the demo federation, one
// rotation group, and a member whose feed holds 24 activities (12 months back, 12 ahead).
// It prints the member's feed token, which exists in clear nowhere else.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
)

func main() {
	dsn := flag.String("db", "", "SQLite file to create")
	flag.Parse()
	if err := run(*dsn); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(dsn string) error {
	ctx := models.WithActor(context.Background(), models.Actor{Name: "bench"})
	db, err := models.Open(ctx, models.DBConfig{Driver: models.DriverSQLite, DSN: dsn}, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, db); err != nil {
		return err
	}
	all, err := db.AllMembers(ctx)
	if err != nil {
		return err
	}
	var leaders, others []models.Member
	for _, m := range all {
		switch {
		case m.Role.IsLeader() && len(leaders) < 2:
			leaders = append(leaders, m)
		case m.Role == models.RoleStandingMember && len(others) < 9:
			others = append(others, m)
		}
	}
	if len(leaders) < 2 || len(others) == 0 {
		return fmt.Errorf("the demo roster has too few members")
	}
	now := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600))
	var gms []models.PlanGroupMember
	for _, m := range leaders {
		gms = append(gms, models.PlanGroupMember{MemberID: m.ID, IsLeader: true})
	}
	for _, m := range others {
		gms = append(gms, models.PlanGroupMember{MemberID: m.ID})
	}
	plan, err := db.CreatePlan(ctx, &models.NewPlan{Plan: models.Plan{Year: now.Year(), Mode: "industry", GroupsCount: 1},
		Groups: []models.NewPlanGroup{{Number: 3, Name: "第3轮值组", Members: gms}}})
	if err != nil {
		return err
	}
	group := plan.Groups[0].ID
	cats := []string{"lecture", "site_visit", "research", "industry_service", "charity", "publicity_training"}
	for i := range 24 {
		start := time.Date(now.Year(), now.Month(), 15, 14, 30, 0, 0, now.Location()).AddDate(0, i-11, 0)
		a := models.Activity{Title: fmt.Sprintf("第3轮值组：%d月主题活动（健康产业座谈）", start.Month()),
			Theme: "健康产业发展与企业合规经营", Category: &cats[i%len(cats)], StartsAt: start, EndsAt: start.Add(150 * time.Minute),
			Location: "福安市体育器材有限公司三楼会议室", Description: "请各位执委提前十分钟到场签到。\n会后参观生产车间。",
			Status: models.StatusScheduled, Kind: models.KindFederation}
		if start.Before(now) {
			a.Status = models.StatusHeld
		}
		if i%2 == 0 { // half are the group's duty activities, half federation-wide
			m := int(start.Month())
			a.Kind, a.PlanID, a.GroupID, a.Month = models.KindDuty, &plan.Plan.ID, &group, &m
		}
		if err := db.CreateActivity(ctx, &a); err != nil {
			return fmt.Errorf("activity %d: %w", i, err)
		}
	}
	token, _, err := db.IssueFeedToken(ctx, models.MemberFeedScope(others[0].ID))
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}
