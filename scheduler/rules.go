package scheduler

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

// RulesFile is the secretariat's plan.yaml: the planner's settings and rules, naming members
// the way a secretary would (编号, mobile or name).
type RulesFile struct {
	Mode       planner.Mode       `yaml:"mode"`
	Groups     int                `yaml:"groups"`
	MinSize    int                `yaml:"min_size"`
	MaxSize    int                `yaml:"max_size"`
	Leaders    planner.Bounds     `yaml:"leaders"`
	SoftSpread *bool              `yaml:"soft_spread"`
	Weights    map[string]float64 `yaml:"weights"`
	NoDuty     []duty.NoDutyMonth `yaml:"no_duty"`
	Pinned     []struct {
		Member string `yaml:"member"`
		Group  int    `yaml:"group"`
	} `yaml:"pinned"`
	Apart    [][]string        `yaml:"apart"`
	Together [][]string        `yaml:"together"`
	Excluded []string          `yaml:"excluded"`
	Dates    duty.DateRule     `yaml:"date_rule"`
	Holidays []duty.HolidayDay `yaml:"holidays"`
}

// ReadRules parses a plan.yaml strictly: a misspelt key is an error, not a silently ignored rule.
func ReadRules(r io.Reader) (*RulesFile, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	var f RulesFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("规则文件格式错误 (plan rules file): %w", err)
	}
	return &f, nil
}

// Apply puts the file's settings and rules into p, resolving member references against members.
func (f *RulesFile) Apply(p *planner.Problem, members []models.Member) error {
	if f.Mode != "" {
		p.Mode = f.Mode
	}
	if f.Groups != 0 {
		p.Groups = f.Groups
	}
	if f.MinSize != 0 || f.MaxSize != 0 {
		p.MinSize, p.MaxSize = f.MinSize, f.MaxSize
	}
	if f.Leaders != (planner.Bounds{}) {
		p.Leaders = f.Leaders
	}
	if f.SoftSpread != nil {
		p.NoSoftSpread = !*f.SoftSpread
	}
	if len(f.Weights) > 0 {
		p.Weights = f.Weights
	}
	var errs []error
	find := func(ref string) int64 {
		id, err := resolveMember(members, ref)
		if err != nil {
			errs = append(errs, err)
		}
		return id
	}
	for _, pin := range f.Pinned {
		p.Pinned = append(p.Pinned, planner.Pin{PersonID: find(pin.Member), Group: pin.Group})
	}
	for kind, pairs := range map[string][][]string{"apart": f.Apart, "together": f.Together} {
		for _, pair := range pairs {
			if len(pair) != 2 {
				errs = append(errs, fmt.Errorf("%s 的每条规则须恰好写两个人，收到 %v (each %s rule names exactly two people)", kind, pair, kind))
				continue
			}
			pr := planner.Pair{A: find(pair[0]), B: find(pair[1])}
			if kind == "apart" {
				p.Apart = append(p.Apart, pr)
			} else {
				p.Together = append(p.Together, pr)
			}
		}
	}
	for _, ref := range f.Excluded {
		p.Excluded = append(p.Excluded, find(ref))
	}
	return errors.Join(errs...)
}

// resolveMember finds one member by 编号, mobile or name; a name two people share is refused.
func resolveMember(members []models.Member, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	var byName []models.Member
	for _, m := range members {
		if (m.MemberNo != nil && *m.MemberNo == ref) || (m.Mobile != nil && *m.Mobile == ref) {
			return int64(m.ID), nil
		}
		if m.Name == ref {
			byName = append(byName, m)
		}
	}
	switch len(byName) {
	case 1:
		return int64(byName[0].ID), nil
	case 0:
		return 0, fmt.Errorf("名单中没有“%s” (no member %q in the roster)", ref, ref)
	}
	return 0, fmt.Errorf("名单中有 %d 人叫“%s”，请用编号或手机号指明 (%d members are called %q: use the member number or mobile)", len(byName), ref, len(byName), ref)
}
