package planner

import (
	"fmt"
)

// TermDelta is how one score term would change.
type TermDelta struct {
	Key           string  `json:"key"`
	LabelZH       string  `json:"label_zh"`
	LabelEN       string  `json:"label_en"`
	ValueDelta    float64 `json:"value_delta"`
	WeightedDelta float64 `json:"weighted_delta"`
}

// Preview is the effect of an edit before it is applied: the score change per term and the hard
// rules the edit would newly break (empty means the edit is allowed).
type Preview struct {
	Moves      []Assignment `json:"moves"` // who would go where
	Terms      []TermDelta  `json:"terms"`
	TotalDelta float64      `json:"total_delta"`
	Allowed    bool         `json:"allowed"`
	Broken     []Violation  `json:"broken"`
}

// Explanation answers "why is this person in this group": what moving them to each other group
// would do to every score term and which hard rules it would break.
type Explanation struct {
	PersonID int64    `json:"person_id"`
	Name     string   `json:"name"`
	Group    int      `json:"group"`
	Options  []Option `json:"options"`
}

// Option is the effect of moving the explained person to Group.
type Option struct {
	Group int `json:"group"`
	Preview
}

type edit struct {
	p int32
	h int32
}

// editor holds a plan loaded into the incremental tables, to preview edits on it.
type editor struct {
	m      *model
	s      *state
	groups map[int64]int
	base   map[string]bool // violations already present, so only new ones are reported
}

func newEditor(p *Problem, plan *Plan) (*editor, error) {
	if err := Validate(p); err != nil {
		return nil, err
	}
	m := buildModel(p)
	m.quickBound = true
	groups := groupsFromPlan(plan)
	s, err := m.stateFrom(groups)
	if err != nil {
		return nil, err
	}
	e := &editor{m: m, s: s, groups: groups, base: map[string]bool{}}
	for _, v := range Check(p, groups).Violations {
		e.base[v.MessageEN] = true
	}
	return e, nil
}

func (e *editor) index(id int64) (int32, error) {
	i, ok := e.m.idx[id]
	if !ok || e.s.grp[i] < 0 {
		return 0, fmt.Errorf("编号%d不在当前分组中 / person %d is not placed in this plan", id, id)
	}
	return i, nil
}

// preview applies the edits to the tables, reads the term changes, checks the rules from scratch
// and puts everything back.
func (e *editor) preview(edits []edit) Preview {
	s, m := e.s, e.m
	before := append([]float64(nil), s.tv...)
	beforeTotal := s.total
	undo := make([]edit, len(edits))
	for i, ed := range edits {
		undo[i] = edit{ed.p, s.grp[ed.p]}
	}
	for _, ed := range edits {
		s.place(ed.p, ed.h)
	}
	var pv Preview
	for i, t := range m.termInfo() {
		d := s.tv[i] - before[i]
		pv.Terms = append(pv.Terms, TermDelta{Key: t.Key, LabelZH: t.LabelZH, LabelEN: t.LabelEN, ValueDelta: round6(d), WeightedDelta: round6(d * t.Weight)})
	}
	pv.TotalDelta = round6(s.total - beforeTotal)
	after := make(map[int64]int, len(e.groups))
	for k, v := range e.groups {
		after[k] = v
	}
	for _, ed := range edits {
		id := m.people[ed.p].ID
		after[id] = int(ed.h) + 1
		pv.Moves = append(pv.Moves, Assignment{PersonID: id, Name: m.people[ed.p].Name, Group: int(ed.h) + 1})
	}
	pv.Broken = []Violation{}
	for _, v := range Check(m.prob, after).Violations {
		if !e.base[v.MessageEN] {
			pv.Broken = append(pv.Broken, v)
		}
	}
	pv.Allowed = len(pv.Broken) == 0
	for i := len(undo) - 1; i >= 0; i-- {
		s.place(undo[i].p, undo[i].h)
	}
	return pv
}

// Explain shows, for every other group, what moving the person there alone would change.
func Explain(p *Problem, plan *Plan, personID int64) (*Explanation, error) {
	e, err := newEditor(p, plan)
	if err != nil {
		return nil, err
	}
	i, err := e.index(personID)
	if err != nil {
		return nil, err
	}
	g := e.s.grp[i]
	ex := &Explanation{PersonID: personID, Name: e.m.people[i].Name, Group: int(g) + 1}
	for h := int32(0); h < int32(e.m.G); h++ {
		if h != g {
			ex.Options = append(ex.Options, Option{Group: int(h) + 1, Preview: e.preview([]edit{{i, h}})})
		}
	}
	return ex, nil
}

// PreviewMove shows the effect of moving one person to group toGroup (1-based) without applying it.
func PreviewMove(p *Problem, plan *Plan, personID int64, toGroup int) (*Preview, error) {
	e, err := newEditor(p, plan)
	if err != nil {
		return nil, err
	}
	i, err := e.index(personID)
	if err != nil {
		return nil, err
	}
	if toGroup < 1 || toGroup > e.m.G {
		return nil, fmt.Errorf("第%d轮值组不存在 / group %d does not exist", toGroup, toGroup)
	}
	pv := e.preview([]edit{{i, int32(toGroup - 1)}})
	return &pv, nil
}

// PreviewSwap shows the effect of exchanging the groups of two people without applying it.
func PreviewSwap(p *Problem, plan *Plan, personA, personB int64) (*Preview, error) {
	e, err := newEditor(p, plan)
	if err != nil {
		return nil, err
	}
	a, err := e.index(personA)
	if err != nil {
		return nil, err
	}
	b, err := e.index(personB)
	if err != nil {
		return nil, err
	}
	pv := e.preview([]edit{{a, e.s.grp[b]}, {b, e.s.grp[a]}})
	return &pv, nil
}

// Apply returns a copy of the plan with the previewed moves applied and rescored from scratch.
func Apply(p *Problem, plan *Plan, moves []Assignment) *Plan {
	groups := groupsFromPlan(plan)
	for _, mv := range moves {
		groups[mv.PersonID] = mv.Group
	}
	m := buildModel(p)
	m.quickBound = true
	s, err := m.stateFrom(groups)
	if err != nil {
		return nil
	}
	return m.makePlan(s, plan.Seed, nil)
}
