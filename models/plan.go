package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PlanStatus is where a year's plan is in its life: draft → published → archived.
type PlanStatus string

// Plan statuses.
const (
	PlanDraft     PlanStatus = "draft"
	PlanPublished PlanStatus = "published"
	PlanArchived  PlanStatus = "archived"
)

// Plan is one year's rota: groups, their members, and which group has which month.
type Plan struct {
	ID          uint64     `gorm:"primaryKey" json:"id"`
	Year        int        `json:"year"`
	Status      PlanStatus `json:"status"`
	Version     int        `json:"version"`
	Mode        string     `json:"mode"`
	GroupsCount int        `json:"groups_count"`
	Seed        uint64     `json:"seed"`
	ParamsJSON  string     `json:"params"` // the planner's rules and bounds, as JSON
	ScoreJSON   string     `json:"score"`  // the score breakdown, as JSON
	CheckJSON   string     `json:"check"`  // the hard-rule check, as JSON
	CreatedBy   string     `json:"created_by"`
	PublishedAt *time.Time `json:"published_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// PlanGroup is a rotation group of a plan, numbered from 1 (第1轮值组).
type PlanGroup struct {
	ID     uint64 `gorm:"primaryKey" json:"id"`
	PlanID uint64 `json:"plan_id"`
	Number int    `json:"number"`
	Name   string `json:"name"`
}

// PlanGroupMember puts a member in a group of a plan.
type PlanGroupMember struct {
	ID       uint64 `gorm:"primaryKey" json:"id"`
	PlanID   uint64 `json:"plan_id"`
	GroupID  uint64 `json:"group_id"`
	MemberID uint64 `json:"member_id"`
	IsLeader bool   `json:"is_leader"`
	Pinned   bool   `json:"pinned"`
}

// DutyMonth gives a month of the plan's year to a group, or records why it has none.
type DutyMonth struct {
	ID           uint64  `gorm:"primaryKey" json:"id"`
	PlanID       uint64  `json:"plan_id"`
	Month        int     `json:"month"`
	GroupID      *uint64 `json:"group_id"`
	NoDutyReason string  `json:"no_duty_reason"`
	Category     string  `json:"category"`
	ProposalJSON string  `json:"proposal"` // the planner's suggested category, themes and date, as JSON
	ProposedDate Date    `json:"proposed_date"`
}

// PlanRule is one of the secretariat's rules for a plan.
type PlanRule struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	PlanID    uint64    `json:"plan_id"`
	Kind      RuleKind  `json:"kind"`
	MemberA   uint64    `json:"member_a"`
	MemberB   *uint64   `json:"member_b"`
	GroupNo   *int      `json:"group_no"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// RuleKind names a rule.
type RuleKind string

// Rule kinds: two members apart, two members together, a member excluded from the rota.
// Pins are kept on PlanGroupMember.Pinned.
const (
	RuleApart    RuleKind = "apart"
	RuleTogether RuleKind = "together"
	RuleExclude  RuleKind = "exclude"
)

// PlanVersion records what changed when a published plan moved to a new version,
// so members can be told.
type PlanVersion struct {
	ID          uint64    `gorm:"primaryKey" json:"id"`
	PlanID      uint64    `json:"plan_id"`
	Version     int       `json:"version"`
	ChangesJSON string    `json:"changes"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// PlanDetail is a plan with everything in it.
type PlanDetail struct {
	Plan    Plan
	Groups  []PlanGroup
	Members []PlanGroupMember
	Months  []DutyMonth
	Rules   []PlanRule
}

// GroupOf returns the group number of a member in the plan, or 0.
func (d *PlanDetail) GroupOf(memberID uint64) int {
	byID := map[uint64]int{}
	for _, g := range d.Groups {
		byID[g.ID] = g.Number
	}
	for _, m := range d.Members {
		if m.MemberID == memberID {
			return byID[m.GroupID]
		}
	}
	return 0
}

// GetPlan returns a plan's row or not_found.
func (db *DB) GetPlan(ctx context.Context, id uint64) (*Plan, error) {
	return getPlan(db.Gorm.WithContext(ctx), id)
}

func getPlan(tx *gorm.DB, id uint64) (*Plan, error) {
	var p Plan
	err := tx.First(&p, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "plan.not_found", id)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &p, nil
}

// GetPlanDetail loads a plan with its groups, members, months and rules.
func (db *DB) GetPlanDetail(ctx context.Context, id uint64) (*PlanDetail, error) {
	return loadPlanDetail(db.Gorm.WithContext(ctx), id)
}

func loadPlanDetail(tx *gorm.DB, id uint64) (*PlanDetail, error) {
	p, err := getPlan(tx, id)
	if err != nil {
		return nil, err
	}
	d := &PlanDetail{Plan: *p}
	for _, q := range []struct {
		dst   any
		order string
	}{{&d.Groups, "number"}, {&d.Members, "group_id, id"}, {&d.Months, "month"}, {&d.Rules, "id"}} {
		if err := tx.Where("plan_id = ?", id).Order(q.order).Find(q.dst).Error; err != nil {
			return nil, Internal(err)
		}
	}
	return d, nil
}

// ListPlans returns the plans of a year (all years when year is 0), newest first.
func (db *DB) ListPlans(ctx context.Context, year int) ([]Plan, error) {
	q := db.Gorm.WithContext(ctx).Order("year DESC, id DESC")
	if year != 0 {
		q = q.Where("year = ?", year)
	}
	var out []Plan
	if err := q.Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// PublishedPlan returns the year's published plan, or not_found.
func (db *DB) PublishedPlan(ctx context.Context, year int) (*Plan, error) {
	var p Plan
	err := db.Gorm.WithContext(ctx).Where("year = ? AND status = ?", year, PlanPublished).Order("id DESC").First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "plan.none_published", year)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &p, nil
}

// NewPlan is what a planner run produces, ready to store as a draft.
type NewPlan struct {
	Plan   Plan
	Groups []NewPlanGroup
	Months []NewDutyMonth
	Rules  []PlanRule
}

// NewPlanGroup is a group with its members.
type NewPlanGroup struct {
	Number  int
	Name    string
	Members []PlanGroupMember // GroupID and PlanID are filled in on save
}

// NewDutyMonth is a month with its group number (0 for none).
type NewDutyMonth struct {
	DutyMonth
	GroupNumber int
}

// CreatePlan stores a new draft plan in one transaction and audits it.
func (db *DB) CreatePlan(ctx context.Context, np *NewPlan) (*PlanDetail, error) {
	var out *PlanDetail
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		p := np.Plan
		p.ID, p.Status, p.Version = 0, PlanDraft, 1
		p.CreatedBy = ActorFrom(ctx).Name
		if err := tx.Create(&p).Error; err != nil {
			return Internal(err)
		}
		groupIDs := map[int]uint64{}
		var members []PlanGroupMember
		for _, g := range np.Groups {
			pg := PlanGroup{PlanID: p.ID, Number: g.Number, Name: g.Name}
			if err := tx.Create(&pg).Error; err != nil {
				return Internal(err)
			}
			groupIDs[g.Number] = pg.ID
			for _, m := range g.Members {
				m.ID, m.PlanID, m.GroupID = 0, p.ID, pg.ID
				members = append(members, m)
			}
		}
		if len(members) > 0 {
			if err := tx.CreateInBatches(&members, 500).Error; err != nil {
				return Internal(err)
			}
		}
		for _, nm := range np.Months {
			dm := nm.DutyMonth
			dm.ID, dm.PlanID, dm.GroupID = 0, p.ID, nil
			if id, ok := groupIDs[nm.GroupNumber]; ok {
				dm.GroupID = &id
			}
			if err := tx.Create(&dm).Error; err != nil {
				return Internal(err)
			}
		}
		for _, r := range np.Rules {
			r.ID, r.PlanID = 0, p.ID
			if err := tx.Create(&r).Error; err != nil {
				return Internal(err)
			}
		}
		first := PlanVersion{PlanID: p.ID, Version: 1, ChangesJSON: mustJSONString([]PlanChange{{Kind: "created"}}),
			CreatedBy: p.CreatedBy, CreatedAt: db.Now()}
		if err := tx.Create(&first).Error; err != nil {
			return Internal(err)
		}
		d, err := loadPlanDetail(tx, p.ID)
		if err != nil {
			return err
		}
		out = d
		return db.Audit(tx, "plan.create", "plan", p.ID, nil, planAuditView(d))
	})
	return out, err
}

// planAuditView is the part of a plan an audit reader needs: who is where, which month is whose.
func planAuditView(d *PlanDetail) map[string]any {
	groupNo := map[uint64]int{}
	for _, g := range d.Groups {
		groupNo[g.ID] = g.Number
	}
	members := map[string]int{}
	for _, m := range d.Members {
		members[fmt.Sprint(m.MemberID)] = groupNo[m.GroupID]
	}
	months := map[string]int{}
	for _, m := range d.Months {
		if m.GroupID != nil {
			months[fmt.Sprint(m.Month)] = groupNo[*m.GroupID]
		}
	}
	return map[string]any{"year": d.Plan.Year, "status": d.Plan.Status, "version": d.Plan.Version,
		"member_group": members, "month_group": months}
}

// PlanChange is one line of a plan's change list: who moved, which month changed hands,
// which rule was added. Members are told from these.
type PlanChange struct {
	Kind      string `json:"kind"` // created, published, member_moved, month_changed, member_pinned, member_unpinned, rule_added, override
	MemberID  uint64 `json:"member_id,omitempty"`
	Name      string `json:"name,omitempty"`
	OtherID   uint64 `json:"other_id,omitempty"`
	OtherName string `json:"other_name,omitempty"`
	Month     int    `json:"month,omitempty"`
	From      int    `json:"from,omitempty"` // group number before
	To        int    `json:"to,omitempty"`   // group number after
	Rule      string `json:"rule,omitempty"`
	Reason    string `json:"reason,omitempty"`
	// Pinned says a hand-moved member is pinned to the new group, so a later re-plan keeps
	// the secretariat's decision instead of undoing it.
	Pinned bool `json:"pinned,omitempty"`
}

// PlanEdit is an adjustment ready to store: the member moves are in Changes; the other
// effects are given explicitly.
type PlanEdit struct {
	Version   int // the version the edit was previewed against
	Changes   []PlanChange
	Override  string // why a hard rule may be broken, when one is
	Pin       *bool
	Rule      *PlanRule
	MonthSwap [2]int
	ScoreJSON string
	CheckJSON string
}

// ApplyPlanEdit stores an edit in one transaction if the plan is still at e.Version, bumps the
// version, records the change list as that version, and audits before and after.
func (db *DB) ApplyPlanEdit(ctx context.Context, planID uint64, e PlanEdit) (int, error) {
	var newVersion int
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		before, err := loadPlanDetail(tx, planID)
		if err != nil {
			return err
		}
		if before.Plan.Version != e.Version {
			return Errorf(EConflict, "error.stale_version", before.Plan.Version)
		}
		groupID := map[int]uint64{}
		for _, g := range before.Groups {
			groupID[g.Number] = g.ID
		}
		for _, c := range e.Changes {
			if err := applyChange(tx, before, groupID, c, e.Pin); err != nil {
				return err
			}
		}
		if e.MonthSwap[0] != 0 {
			if err := swapMonthGroups(tx, before, e.MonthSwap); err != nil {
				return err
			}
		}
		if e.Rule != nil {
			r := *e.Rule
			r.ID, r.PlanID, r.CreatedAt = 0, planID, db.Now()
			if err := tx.Create(&r).Error; err != nil {
				return Internal(err)
			}
		}
		newVersion = before.Plan.Version + 1
		updates := map[string]any{"version": newVersion, "updated_at": db.Now()}
		if e.ScoreJSON != "" {
			updates["score_json"], updates["check_json"] = e.ScoreJSON, e.CheckJSON
		}
		res := tx.Model(&Plan{}).Where("id = ? AND version = ?", planID, before.Plan.Version).Updates(updates)
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", before.Plan.Version)
		}
		changes := e.Changes
		if e.Override != "" {
			changes = append(append([]PlanChange(nil), changes...), PlanChange{Kind: "override", Reason: e.Override})
		}
		v := PlanVersion{PlanID: planID, Version: newVersion, ChangesJSON: mustJSONString(changes),
			CreatedBy: ActorFrom(ctx).Name, CreatedAt: db.Now()}
		if err := tx.Create(&v).Error; err != nil {
			return Internal(err)
		}
		after, err := loadPlanDetail(tx, planID)
		if err != nil {
			return err
		}
		if err := db.Audit(tx, "plan.edit", "plan", planID, planAuditView(before), planAuditView(after)); err != nil {
			return err
		}
		if after.Plan.Status == PlanPublished {
			return syncPublishedActivities(tx, db, after, e.Changes)
		}
		return nil
	})
	return newVersion, err
}

func applyChange(tx *gorm.DB, d *PlanDetail, groupID map[int]uint64, c PlanChange, pin *bool) error {
	switch c.Kind {
	case "member_moved":
		gid, ok := groupID[c.To]
		if !ok {
			return Errorf(EInvalid, "plan.group_missing", c.To)
		}
		upd := map[string]any{"group_id": gid}
		if c.Pinned {
			upd["pinned"] = true
		}
		res := tx.Model(&PlanGroupMember{}).Where("plan_id = ? AND member_id = ?", d.Plan.ID, c.MemberID).Updates(upd)
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 { // a newcomer placed by a re-plan
			var m Member
			if err := tx.First(&m, c.MemberID).Error; err != nil {
				return Internal(err)
			}
			row := PlanGroupMember{PlanID: d.Plan.ID, GroupID: gid, MemberID: c.MemberID, IsLeader: m.Role.IsLeader()}
			if err := tx.Create(&row).Error; err != nil {
				return Internal(err)
			}
		}
	case "member_pinned", "member_unpinned":
		if pin == nil {
			return nil
		}
		if err := tx.Model(&PlanGroupMember{}).Where("plan_id = ? AND member_id = ?", d.Plan.ID, c.MemberID).
			Update("pinned", *pin).Error; err != nil {
			return Internal(err)
		}
	}
	return nil
}

func swapMonthGroups(tx *gorm.DB, d *PlanDetail, months [2]int) error {
	var a, b *DutyMonth
	for i := range d.Months {
		switch d.Months[i].Month {
		case months[0]:
			a = &d.Months[i]
		case months[1]:
			b = &d.Months[i]
		}
	}
	if a == nil || b == nil {
		return Errorf(EInvalid, "plan.month_missing")
	}
	// The proposal travels with the group: it was made for that group's industries.
	for _, x := range []struct {
		row   *DutyMonth
		other *DutyMonth
	}{{a, b}, {b, a}} {
		if err := tx.Model(&DutyMonth{}).Where("id = ?", x.row.ID).Updates(map[string]any{
			"group_id": x.other.GroupID, "category": x.other.Category, "proposal_json": x.other.ProposalJSON,
		}).Error; err != nil {
			return Internal(err)
		}
	}
	return nil
}

func mustJSONString(v any) string {
	s, err := snapshot(v)
	if err != nil || s == nil {
		return "[]"
	}
	return *s
}

// PlanVersions lists a plan's change lists, newest first.
func (db *DB) PlanVersions(ctx context.Context, planID uint64) ([]PlanVersion, error) {
	var out []PlanVersion
	if err := db.Gorm.WithContext(ctx).Where("plan_id = ?", planID).Order("version DESC").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}
