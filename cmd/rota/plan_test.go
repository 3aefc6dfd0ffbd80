package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gsl/rota/models/demo"
)

// rotaCmd runs the command line with its own database and returns exit code, stdout and stderr.
func rotaCmd(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := []string{"ROTA_DATABASE_DSN=" + filepath.Join(dir, "rota.db"), "ROTA_LOG_LEVEL=warn"}
	cfg := filepath.Join(dir, "rota.yaml")
	if _, err := os.Stat(cfg); err != nil {
		_ = os.WriteFile(cfg, nil, 0o644)
	}
	code := run(context.Background(), append([]string{"--config", cfg}, args...), &out, &errOut, env)
	return code, out.String(), errOut.String()
}

type yearPlanJSON struct {
	Year   int `json:"year"`
	Groups struct {
		Groups      int `json:"groups"`
		Assignments []struct {
			PersonID int64 `json:"person_id"`
			Group    int   `json:"group"`
		} `json:"assignments"`
		Score struct {
			Terms []struct {
				Key   string  `json:"key"`
				Value float64 `json:"value"`
			} `json:"terms"`
			Total float64 `json:"total"`
		} `json:"score"`
		Hard struct {
			Satisfied bool `json:"satisfied"`
		} `json:"hard"`
	} `json:"groups"`
	Months struct {
		Months []struct {
			Month  int  `json:"month"`
			Group  int  `json:"group"`
			NoDuty bool `json:"no_duty"`
		} `json:"months"`
	} `json:"months"`
	Proposals struct {
		Months []struct {
			Month    int    `json:"month"`
			Category string `json:"category"`
			Date     string `json:"date"`
			Themes   []struct {
				Text string `json:"text"`
			} `json:"themes"`
		} `json:"months"`
	} `json:"proposals"`
}

// rota plan --roster plans without a database and prints assignment, months, score terms and
// the rule check; the same seed gives the same plan.
func TestPlanFromRosterFile(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "名单.csv")
	if err := os.WriteFile(roster, demo.RosterCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(dir, "plan.yaml")
	_ = os.WriteFile(rules, []byte("no_duty:\n  - month: 2\n    reason: 春节\n"), 0o644)
	args := []string{"plan", "--roster", roster, "--config", rules, "--year", "2027", "--seed", "3", "--time-limit", "300ms", "--json"}
	code, out, errOut := rotaCmd(t, dir, args...)
	if code != 0 {
		t.Fatalf("plan: %d %s", code, errOut)
	}
	var yp yearPlanJSON
	if err := json.Unmarshal([]byte(out), &yp); err != nil {
		t.Fatalf("output is not the documented JSON: %v\n%s", err, out)
	}
	if yp.Year != 2027 || yp.Groups.Groups != 12 || len(yp.Groups.Assignments) != 129 || !yp.Groups.Hard.Satisfied {
		t.Fatalf("plan: year=%d groups=%d assigned=%d hard=%v", yp.Year, yp.Groups.Groups, len(yp.Groups.Assignments), yp.Groups.Hard.Satisfied)
	}
	if len(yp.Groups.Score.Terms) == 0 || yp.Groups.Score.Total <= 0 {
		t.Fatalf("score terms missing: %+v", yp.Groups.Score)
	}
	if feb := yp.Months.Months[1]; !feb.NoDuty || feb.Group != -1 {
		t.Fatalf("February was marked no-duty: %+v", feb)
	}
	if len(yp.Proposals.Months) != 11 {
		t.Fatalf("11 duty months should have proposals, got %d", len(yp.Proposals.Months))
	}
	for _, p := range yp.Proposals.Months {
		if p.Category == "" || len(p.Themes) == 0 || !strings.HasPrefix(p.Date, "2027-") {
			t.Fatalf("proposal for month %d incomplete: %+v", p.Month, p)
		}
	}

	// The text a secretary reads: with February off, one group has no month this year and is told so.
	code, out, errOut = rotaCmd(t, dir, args[:len(args)-1]...)
	if code != 0 || !strings.Contains(out, "本年无值月") || !strings.Contains(out, "2月：本月不安排轮值（春节）") || strings.Contains(out, "-0\n") {
		t.Fatalf("text output: %d\n%s\n%s", code, out, errOut)
	}
}

func TestPlanRefusesBadRules(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "名单.csv")
	_ = os.WriteFile(roster, demo.RosterCSV(), 0o644)
	for name, body := range map[string]string{
		"typo":          "no_dutty: []\n",
		"unknown name":  "apart:\n  - [不存在的人, 另一个不存在的人]\n",
		"three in pair": "together:\n  - [a, b, c]\n",
	} {
		rules := filepath.Join(dir, "plan.yaml")
		_ = os.WriteFile(rules, []byte(body), 0o644)
		code, _, errOut := rotaCmd(t, dir, "plan", "--roster", roster, "--config", rules, "--time-limit", "100ms")
		if code == 0 || errOut == "" {
			t.Errorf("%s: want a failure with a message, got %d %q", name, code, errOut)
		}
	}
	// Too few leaders for the groups: the planner says so before searching, in words.
	code, _, errOut := rotaCmd(t, dir, "plan", "--roster", roster, "--groups", "20", "--time-limit", "100ms")
	if code == 0 || !strings.Contains(errOut, "组长") {
		t.Fatalf("infeasible groups: %d %q", code, errOut)
	}
}

// With no roster file, rota plan --year stores a draft plan from the database's roster.
func TestPlanIntoDatabase(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "名单.csv")
	_ = os.WriteFile(roster, demo.RosterCSV(), 0o644)
	if code, _, errOut := rotaCmd(t, dir, "import", roster); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := rotaCmd(t, dir, "plan", "--year", "2027", "--time-limit", "300ms")
	if code != 0 || !strings.Contains(out, "已保存 2027 年轮值方案草稿") {
		t.Fatalf("plan into database: %d\n%s\n%s", code, out, errOut)
	}
}
