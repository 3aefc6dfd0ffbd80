// Package planner divides an executive committee (执委会) into rotation groups (轮值组).
//
// It is pure: no database, no HTTP, stdlib only. A Problem describes the people, the group
// count, the hard rules (group sizes, leaders per group, pinned, apart, together, excluded) and
// the mode whose objective is maximised. Solve returns a Plan whose score is broken down term by
// term; hard rules are never broken. Groups are numbered from 1 in every public type, the way the
// secretariat says 第1轮值组.
package planner

import (
	"time"
)

// Roles as the roster names them. Leaders (组长) are vice-chairs and vice-presidents.
const (
	RoleViceChair      = "vice_chair"
	RoleVicePresident  = "vice_president"
	RoleStandingMember = "standing_member"
)

// Person is one member of the executive committee who can be put in a rotation group.
type Person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Industry string `json:"industry"`
	Region   string `json:"region"`
	Deputy   bool   `json:"deputy"` // 人大代表
	CPPCC    bool   `json:"cppcc"`  // 政协委员
	// UnavailableMonths is carried for the month planner; grouping does not use it.
	UnavailableMonths []int `json:"unavailable_months,omitempty"`
}

// IsLeader reports whether the person can lead a group (vice-chair or vice-president).
func (p Person) IsLeader() bool { return p.Role == RoleViceChair || p.Role == RoleVicePresident }

// canPropose reports whether the person can carry a proposal (people's congress deputy or CPPCC member).
func (p Person) canPropose() bool { return p.Deputy || p.CPPCC }

// Mode selects the objective.
type Mode string

// Modes. Every mode also carries the soft spread terms unless Problem.NoSoftSpread is set.
const (
	// ModeIndustry groups by likeness: same-industry pairs first, same-region pairs second.
	ModeIndustry Mode = "industry"
	// ModeRegion groups by region first, industry second.
	ModeRegion Mode = "region"
	// ModeDiverse spreads every attribute evenly (Kunming's 以强带弱、以大带小).
	ModeDiverse Mode = "diverse"
	// ModePairwise maximises the sum of pairwise scores inside groups (the MDGP).
	ModePairwise Mode = "pairwise"
)

// Bounds is an inclusive integer range.
type Bounds struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Pair names two people by ID.
type Pair struct {
	A int64 `json:"a"`
	B int64 `json:"b"`
}

// Pin fixes a person to a group (1-based).
type Pin struct {
	PersonID int64 `json:"person_id"`
	Group    int   `json:"group"`
}

// Problem is the input of Solve. The zero values of the optional fields mean the documented defaults.
type Problem struct {
	People []Person
	// Groups is the number of rotation groups; 0 means 12.
	Groups int
	// MinSize and MaxSize bound every group's size; 0 means floor(n/G) and ceil(n/G).
	MinSize, MaxSize int
	// GroupSizes, when set (len == Groups), gives each group its own bounds (MDGP instances).
	GroupSizes []Bounds
	// Leaders bounds the number of vice-chairs plus vice-presidents per group; zero means 2..3.
	Leaders Bounds
	// NoLeaderRule switches the leader bounds off (MDGP instances have no leaders).
	NoLeaderRule bool

	Pinned   []Pin
	Apart    []Pair
	Together []Pair
	Excluded []int64

	// Mode is the objective; empty means ModeIndustry.
	Mode Mode
	// Weights overrides term weights by term key (see TermKeys); a weight of 0 switches a term off.
	Weights map[string]float64
	// NoSoftSpread switches off the vice-chair and proposer spread penalties.
	NoSoftSpread bool
	// Distance is the pairwise score matrix for ModePairwise, indexed like People ([i][j]);
	// nil means one point per differing attribute (industry, region, role, proposer).
	Distance [][]float64

	// Seed makes the search reproducible.
	Seed uint64
	// TimeLimit bounds the search; 0 means 10 s. The best plan found so far is returned.
	TimeLimit time.Duration
	// MaxIterations bounds the search by work instead of time, which makes the result
	// byte-identical across machines; 0 means no bound.
	MaxIterations int
	// Stagnation stops the search after this many iterations without improvement; 0 picks a default
	// from the problem size, negative means search until the time or iteration limit.
	Stagnation int
}

// Term keys, stable across versions: they name the columns of the score breakdown.
const (
	TermIndustry      = "industry_pairs"
	TermRegion        = "region_pairs"
	TermFairIndustry  = "fair_industry"
	TermFairRegion    = "fair_region"
	TermFairRole      = "fair_role"
	TermFairDeputy    = "fair_deputy"
	TermFairCPPCC     = "fair_cppcc"
	TermPairwise      = "pairwise"
	TermViceChairs    = "vice_chair_excess"
	TermNoProposer    = "groups_without_proposer"
	defaultGroups     = 12
	defaultTimeLimit  = 10 * time.Second
	defaultMinLeaders = 2
	defaultMaxLeaders = 3
)

// DefaultWeights lists every term's default weight. Likeness modes weigh the first attribute 100
// and the second 1, so one more same-industry pair always beats any number of region pairs a
// group of ordinary size can gain. Soft spreads cost 1000 per violation so they win over likeness
// whenever the numbers allow them; fair-share deviations cost 1 per person off the fair range.
func DefaultWeights(mode Mode) map[string]float64 {
	w := map[string]float64{TermViceChairs: -1000, TermNoProposer: -1000}
	switch mode {
	case ModeRegion:
		w[TermRegion], w[TermIndustry] = 100, 1
	case ModeDiverse:
		w[TermFairIndustry], w[TermFairRegion], w[TermFairRole] = -4, -2, -4
		w[TermFairDeputy], w[TermFairCPPCC] = -1, -1
	case ModePairwise:
		w[TermPairwise] = 1
	default:
		w[TermIndustry], w[TermRegion] = 100, 1
	}
	return w
}

// effectiveMode returns the mode with the default filled in.
func (p *Problem) effectiveMode() Mode {
	if p.Mode == "" {
		return ModeIndustry
	}
	return p.Mode
}

func (p *Problem) groupCount() int {
	if p.Groups <= 0 {
		return defaultGroups
	}
	return p.Groups
}

func (p *Problem) timeLimit() time.Duration {
	if p.TimeLimit <= 0 {
		return defaultTimeLimit
	}
	return p.TimeLimit
}

// leaderBounds returns the per-group leader range and whether the rule is on.
func (p *Problem) leaderBounds() (Bounds, bool) {
	if p.NoLeaderRule {
		return Bounds{}, false
	}
	b := p.Leaders
	if b.Min == 0 && b.Max == 0 {
		b = Bounds{defaultMinLeaders, defaultMaxLeaders}
	}
	return b, true
}

// sizeBounds returns each group's size range for n placed people.
func (p *Problem) sizeBounds(n int) []Bounds {
	g := p.groupCount()
	out := make([]Bounds, g)
	if len(p.GroupSizes) == g {
		copy(out, p.GroupSizes)
		return out
	}
	lo, hi := n/g, (n+g-1)/g
	// A bound set alone moves the default one out of its way, so "max 10" reads as 10 at most.
	switch {
	case p.MinSize > 0 && p.MaxSize > 0:
		lo, hi = p.MinSize, p.MaxSize
	case p.MinSize > 0:
		lo, hi = p.MinSize, max(hi, p.MinSize)
	case p.MaxSize > 0:
		lo, hi = min(lo, p.MaxSize), p.MaxSize
	}
	for i := range out {
		out[i] = Bounds{lo, hi}
	}
	return out
}
