package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gsl/rota/scheduler/planner"
)

// runPlan is the "rota plan" subcommand: it groups a roster CSV, a synthetic reference roster or
// an MDGPLIB instance, prints the plan (or an LP model for CBC), and reports scores and gaps.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	roster := fs.String("roster", "", "roster CSV (UTF-8; columns 姓名,执委会职务,行业,区域/乡镇,人大代表,政协委员[,编号])")
	mdgplib := fs.String("mdgplib", "", "MDGPLIB instance file (pairwise mode)")
	synth := fs.Int("synthetic-reference", 0, "generate a reference-shape roster of N people instead of reading one")
	mode := fs.String("mode", "industry", "objective: industry, region, diverse, pairwise")
	groups := fs.Int("groups", 12, "number of rotation groups")
	seed := fs.Uint64("seed", 1, "random seed")
	limit := fs.Duration("time-limit", 10*time.Second, "search time limit")
	asJSON := fs.Bool("json", false, "print JSON")
	emitLP := fs.Bool("emit-lp", false, "print the industry-mode MILP in CPLEX LP format instead of solving")
	noSoft := fs.Bool("no-soft", false, "switch off the vice-chair and proposer spread terms")
	untilTime := fs.Bool("until-time-limit", false, "do not stop early on stagnation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var p *planner.Problem
	switch {
	case *mdgplib != "":
		f, err := os.Open(*mdgplib)
		if err != nil {
			return err
		}
		p, err = planner.ReadMDGPLIB(f)
		f.Close()
		if err != nil {
			return err
		}
		p.Stagnation = -1 // benchmark instances use the whole time limit
	case *roster != "" || *synth > 0:
		var people []planner.Person
		if *roster != "" {
			var err error
			if people, err = loadRosterPeople(*roster); err != nil {
				return err
			}
		} else {
			people = planner.SyntheticRoster(*synth, *groups, *seed)
		}
		p = &planner.Problem{People: people, Groups: *groups, Mode: planner.Mode(*mode), NoSoftSpread: *noSoft}
	default:
		return errors.New("请指定 --roster、--synthetic-reference 或 --mdgplib / give --roster, --synthetic-reference or --mdgplib")
	}
	p.Seed, p.TimeLimit = *seed, *limit
	if *untilTime {
		p.Stagnation = -1
	}
	if *emitLP {
		return planner.WriteLP(stdout, p)
	}
	plan, err := planner.Solve(ctx, p)
	if err != nil {
		return err
	}
	if *mdgplib != "" {
		return printMDGP(stdout, *mdgplib, plan, *asJSON)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}
	fmt.Fprintf(stdout, "总分 %.0f", plan.Score.Total)
	if plan.GapPercent != nil {
		fmt.Fprintf(stdout, "（上界 %.0f，差距 %.3f%%）", *plan.UpperBound, *plan.GapPercent)
	}
	fmt.Fprintf(stdout, "，用时 %d 毫秒\n", plan.Run.ElapsedMS)
	for _, t := range plan.Score.Terms {
		fmt.Fprintf(stdout, "  %s: %g × %g = %g\n", t.LabelZH, t.Value, t.Weight, t.Weighted)
	}
	return nil
}

// printMDGP reports an MDGPLIB run: objective, best known value and gap when known, elapsed time.
func printMDGP(w io.Writer, path string, plan *planner.Plan, asJSON bool) error {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
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
	if asJSON {
		return json.NewEncoder(w).Encode(out)
	}
	_, err := fmt.Fprintf(w, "%s: %.2f (%d ms)\n", name, out.Objective, out.ElapsedMS)
	return err
}

// loadRosterPeople reads a UTF-8 roster CSV with a header row. The chair and full-time officers
// are skipped because they are not in any rotation group. The lead will swap this for the roster
// package; keep all CSV knowledge here.
func loadRosterPeople(path string) ([]planner.Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("名单文件读取失败：%w / cannot read roster CSV", err)
	}
	if len(rows) == 0 {
		return nil, errors.New("名单文件是空的 / roster CSV is empty")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"姓名", "执委会职务", "行业", "区域/乡镇"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("名单缺少“%s”列 / roster CSV lacks column %q", need, need)
		}
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	yes := func(s string) bool {
		switch strings.ToLower(s) {
		case "是", "1", "true", "yes", "y", "√", "✓":
			return true
		}
		return false
	}
	var out []planner.Person
	for n, row := range rows[1:] {
		var role string
		switch r := get(row, "执委会职务"); r {
		case "兼职副主席", planner.RoleViceChair:
			role = planner.RoleViceChair
		case "副会长", planner.RoleVicePresident:
			role = planner.RoleVicePresident
		case "常执委", "常务执委", planner.RoleStandingMember:
			role = planner.RoleStandingMember
		case "主席", "chair", "专职副主席", "秘书长", "officer":
			continue
		default:
			return nil, fmt.Errorf("第%d行的执委会职务“%s”无法识别 / row %d: unknown role %q", n+2, r, n+2, r)
		}
		id := int64(n + 1)
		if s := get(row, "编号"); s != "" {
			if id, err = strconv.ParseInt(s, 10, 64); err != nil {
				return nil, fmt.Errorf("第%d行的编号“%s”不是数字 / row %d: bad ID %q", n+2, s, n+2, s)
			}
		}
		out = append(out, planner.Person{ID: id, Name: get(row, "姓名"), Role: role, Industry: get(row, "行业"),
			Region: get(row, "区域/乡镇"), Deputy: yes(get(row, "人大代表")), CPPCC: yes(get(row, "政协委员"))})
	}
	return out, nil
}
