package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/roster"
	"github.com/gsl/rota/scheduler"
	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

// planFlags are the flags of "rota plan".
type planFlags struct {
	roster, rules, mdgplib, mode string
	synth, groups, year          int
	seed                         uint64
	limit                        time.Duration
	asJSON, emitLP, noSoft, full bool
}

// runPlan is "rota plan". With --roster (or --synthetic-reference) it plans from a file without
// any database and prints the groups, months, themes, score terms and the rule check; with
// --mdgplib it solves a benchmark instance; with neither it plans the year from the database's
// roster and stores the result as a draft.
func runPlan(ctx context.Context, env *cliEnv, args []string) error {
	var f planFlags
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&f.roster, "roster", "", "名单文件 .xlsx/.csv，不用数据库 (roster file; no database)")
	fs.StringVar(&f.rules, "config", "", "规则文件 plan.yaml (rules: pinned, apart, together, excluded, no-duty months…)")
	fs.StringVar(&f.mdgplib, "mdgplib", "", "MDGPLIB 基准实例 (benchmark instance, pairwise mode)")
	fs.IntVar(&f.synth, "synthetic-reference", 0, "生成 N 人的参考规模名单 (generate a reference-shape roster of N people)")
	fs.StringVar(&f.mode, "mode", "", "目标 objective: industry, region, diverse, pairwise (default industry)")
	fs.IntVar(&f.groups, "groups", 0, "轮值组数 number of groups (default 12)")
	fs.IntVar(&f.year, "year", 0, "计划年份 plan year (default next year)")
	fs.Uint64Var(&f.seed, "seed", 1, "随机种子 random seed")
	fs.DurationVar(&f.limit, "time-limit", 5*time.Second, "搜索时限 search time limit")
	fs.BoolVar(&f.asJSON, "json", false, "输出 JSON (print JSON)")
	fs.BoolVar(&f.emitLP, "emit-lp", false, "输出 CPLEX LP 模型而不求解 (print the MILP in LP format instead of solving)")
	fs.BoolVar(&f.noSoft, "no-soft", false, "关闭副主席与提案人分散项 (switch off the soft spread terms)")
	fs.BoolVar(&f.full, "until-time-limit", false, "用满时限，不因停滞提前结束 (search until the time limit)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if f.year == 0 {
		f.year = time.Now().In(models.ChinaTime).Year() + 1
	}
	switch {
	case f.mdgplib != "":
		return planMDGPLIB(ctx, env, f)
	case f.roster != "" || f.synth > 0:
		return planFromFile(ctx, env, f)
	}
	return planIntoDatabase(ctx, env, f)
}

// problem builds the planner input common to every mode from the flags and the rules file.
func (f planFlags) problem(people []planner.Person, members []models.Member, rules *scheduler.RulesFile) (*planner.Problem, error) {
	p := &planner.Problem{People: people, Seed: f.seed, TimeLimit: f.limit}
	if rules != nil {
		if err := rules.Apply(p, members); err != nil {
			return nil, err
		}
	}
	if f.mode != "" {
		p.Mode = planner.Mode(f.mode)
	}
	if f.groups != 0 {
		p.Groups = f.groups
	}
	if f.noSoft {
		p.NoSoftSpread = true
	}
	if f.full {
		p.Stagnation = -1
	}
	switch p.Mode {
	case "", planner.ModeIndustry, planner.ModeRegion, planner.ModeDiverse, planner.ModePairwise:
	default:
		return nil, fmt.Errorf("--mode %q 无效，应为 industry、region、diverse 或 pairwise (invalid mode)", p.Mode)
	}
	return p, nil
}

func readRules(path string) (*scheduler.RulesFile, error) {
	if path == "" {
		return nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return scheduler.ReadRules(fh)
}

func planFromFile(ctx context.Context, env *cliEnv, f planFlags) error {
	rules, err := readRules(f.rules)
	if err != nil {
		return err
	}
	var members []models.Member
	var people []planner.Person
	if f.roster != "" {
		if members, err = readRosterMembers(env, f.roster); err != nil {
			return err
		}
		people = scheduler.People(members)
	} else {
		people = planner.SyntheticRoster(f.synth, max(f.groups, 12), f.seed)
	}
	p, err := f.problem(people, members, rules)
	if err != nil {
		return err
	}
	if f.emitLP {
		return planner.WriteLP(env.stdout, p)
	}
	in := scheduler.YearInput{Year: f.year, Problem: *p}
	if rules != nil {
		in.NoDuty, in.Dates, in.Holidays = rules.NoDuty, rules.Dates, duty.NewHolidayCalendar(rules.Holidays...)
	}
	yp, err := scheduler.PlanYear(ctx, in)
	if err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(env.stdout, yp)
	}
	printYearPlan(env.stdout, yp)
	return nil
}

// readRosterMembers reads a roster file; rows get their line number as ID, since nothing is stored.
func readRosterMembers(env *cliEnv, path string) ([]models.Member, error) {
	sheet, err := roster.ReadFile(path, roster.ReadOptions{})
	if err != nil {
		return nil, err
	}
	if len(sheet.Problems) > 0 {
		for _, p := range sheet.Problems {
			fmt.Fprintln(env.stderr, p.String(env.lang))
		}
		return nil, fmt.Errorf("名单有 %d 处问题，未编组 (the roster has %d problems)", len(sheet.Problems), len(sheet.Problems))
	}
	out := make([]models.Member, len(sheet.Rows))
	for i, r := range sheet.Rows {
		out[i] = r.Member
		out[i].ID = uint64(r.Line)
		out[i].Active = out[i].LeftOn.IsZero()
	}
	return out, nil
}

func planMDGPLIB(ctx context.Context, env *cliEnv, f planFlags) error {
	fh, err := os.Open(f.mdgplib)
	if err != nil {
		return err
	}
	p, err := planner.ReadMDGPLIB(fh)
	fh.Close()
	if err != nil {
		return err
	}
	p.Seed, p.TimeLimit, p.Stagnation = f.seed, f.limit, -1 // benchmark instances use the whole time limit
	if f.emitLP {
		return planner.WriteLP(env.stdout, p)
	}
	plan, err := planner.Solve(ctx, p)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(f.mdgplib), filepath.Ext(f.mdgplib))
	out := struct {
		Instance   string   `json:"instance"`
		Objective  float64  `json:"objective"`
		BestKnown  *float64 `json:"best_known,omitempty"`
		GapPercent *float64 `json:"gap_percent,omitempty"`
		Feasible   bool     `json:"feasible"`
		ElapsedMS  int64    `json:"elapsed_ms"`
		Iterations int      `json:"iterations"`
	}{Instance: name, Objective: plan.Score.Total, Feasible: plan.Hard.Satisfied, ElapsedMS: plan.Run.ElapsedMS, Iterations: plan.Run.Iterations}
	if bk, ok := planner.MDGPLIBBestKnown[name]; ok {
		gap := 100 * (bk - plan.Score.Total) / bk
		out.BestKnown, out.GapPercent = &bk, &gap
	}
	if f.asJSON {
		return json.NewEncoder(env.stdout).Encode(out)
	}
	_, err = fmt.Fprintf(env.stdout, "%s: %.2f (%d ms)\n", name, out.Objective, out.ElapsedMS)
	return err
}

// planIntoDatabase plans the year from the stored roster and stores a draft the API can adjust.
func planIntoDatabase(ctx context.Context, env *cliEnv, f planFlags) error {
	db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rules, err := readRules(f.rules)
	if err != nil {
		return err
	}
	members, err := db.AllMembers(ctx)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		return errors.New("数据库中没有成员，请先用 rota import 导入名单 (no members: import a roster first)")
	}
	p, err := f.problem(nil, members, rules)
	if err != nil {
		return err
	}
	opts := scheduler.DraftOptions{Year: f.year, Mode: p.Mode, Groups: p.Groups, Seed: f.seed, TimeLimit: f.limit,
		MinSize: p.MinSize, MaxSize: p.MaxSize, Leaders: p.Leaders, Rules: p}
	svc := &scheduler.Service{DB: db, Log: env.log}
	if rules != nil {
		opts.NoDuty = rules.NoDuty
		svc.Holidays = duty.NewHolidayCalendar(rules.Holidays...)
	}
	d, yp, err := svc.CreateDraft(models.WithActor(ctx, models.Actor{Name: "cli"}), opts)
	if err != nil {
		return err
	}
	if f.asJSON {
		return writeJSON(env.stdout, struct {
			PlanID uint64 `json:"plan_id"`
			*scheduler.YearPlan
		}{d.Plan.ID, yp})
	}
	fmt.Fprintf(env.stdout, "已保存 %d 年轮值方案草稿，编号 %d (saved draft plan %d for %d)\n", f.year, d.Plan.ID, d.Plan.ID, f.year)
	printYearPlan(env.stdout, yp)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printYearPlan is the plan as a secretary reads it.
func printYearPlan(w io.Writer, yp *scheduler.YearPlan) {
	g := yp.Groups
	fmt.Fprintf(w, "%d年轮值方案：%d个轮值组，总分 %.0f", yp.Year, g.Groups, g.Score.Total)
	if g.GapPercent != nil {
		fmt.Fprintf(w, "（上界 %.0f，差距 %.2f%%）", *g.UpperBound, *g.GapPercent)
	}
	fmt.Fprintln(w)
	if g.Hard.Satisfied {
		fmt.Fprintln(w, "硬性规则：全部满足")
	}
	for _, v := range g.Hard.Violations {
		fmt.Fprintln(w, "硬性规则未满足：", v.MessageZH)
	}
	for _, t := range g.Score.Terms {
		fmt.Fprintf(w, "  %s: %g × %g = %g\n", t.LabelZH, t.Value, t.Weight, t.Weighted)
	}
	props := map[int]duty.Proposal{}
	for _, p := range yp.Proposals.Months {
		props[p.Month] = p
	}
	for _, r := range yp.Members {
		month := "本年无值月"
		if m := yp.MonthOf(r.Number); m > 0 {
			month = fmt.Sprintf("%d月值月", m)
		}
		fmt.Fprintf(w, "%s（%s）组长：%s；成员：%s\n", r.Label, month, strings.Join(r.Leaders, "、"), strings.Join(r.Members, "、"))
	}
	for _, m := range yp.Months.Months {
		p, ok := props[m.Month]
		if !ok {
			fmt.Fprintf(w, "%d月：%s\n", m.Month, m.Reason)
			continue
		}
		theme := ""
		if len(p.Themes) > 0 {
			theme = p.Themes[0].Text
		}
		fmt.Fprintf(w, "%d月：%s · %s · %s · 建议日期 %s\n", m.Month, p.GroupLabel, p.CategoryName, theme, p.Date)
	}
	for _, wn := range yp.Proposals.Warnings {
		fmt.Fprintln(w, "提示：", wn.Message)
	}
}
