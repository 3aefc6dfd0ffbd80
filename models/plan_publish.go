package models

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Default time of a proposed duty activity: the afternoon of the proposed date, for two hours.
// Leaders change it when they confirm the date.
const (
	dutyStartHour = 14
	dutyStartMin  = 30
	dutyDuration  = 2 * time.Hour
)

// dutyProposal is the part of a stored proposal publishing reads.
type dutyProposal struct {
	CategoryName string `json:"category_name"`
	Themes       []struct {
		Text string `json:"text"`
	} `json:"themes"`
}

// PublishPlan makes a draft the year's published plan: it archives the year's previously
// published plan, creates an activity for every duty month from the planner's proposal, with the
// group's leaders as organisers, and records the publication as a new version.
func (db *DB) PublishPlan(ctx context.Context, planID uint64, version int) (int, error) {
	var newVersion int
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		d, err := loadPlanDetail(tx, planID)
		if err != nil {
			return err
		}
		if d.Plan.Version != version {
			return Errorf(EConflict, "error.stale_version", d.Plan.Version)
		}
		if d.Plan.Status != PlanDraft {
			return Errorf(EConflict, "plan.publish.not_draft", string(d.Plan.Status))
		}
		var old []Plan
		if err := tx.Where("year = ? AND status = ? AND id <> ?", d.Plan.Year, PlanPublished, planID).Find(&old).Error; err != nil {
			return Internal(err)
		}
		for _, o := range old {
			if err := tx.Model(&Plan{}).Where("id = ?", o.ID).Updates(map[string]any{"status": PlanArchived, "updated_at": db.Now()}).Error; err != nil {
				return Internal(err)
			}
			if err := db.Audit(tx, "plan.archive", "plan", o.ID, map[string]any{"status": o.Status}, map[string]any{"status": PlanArchived}); err != nil {
				return err
			}
		}
		created, err := db.createDutyActivities(tx, d)
		if err != nil {
			return err
		}
		now := db.Now()
		newVersion = d.Plan.Version + 1
		res := tx.Model(&Plan{}).Where("id = ? AND version = ?", planID, d.Plan.Version).
			Updates(map[string]any{"status": PlanPublished, "version": newVersion, "published_at": now, "updated_at": now})
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", d.Plan.Version)
		}
		changes := []PlanChange{{Kind: "published", Reason: fmt.Sprintf("%d activities", created)}}
		v := PlanVersion{PlanID: planID, Version: newVersion, ChangesJSON: mustJSONString(changes), CreatedBy: ActorFrom(ctx).Name, CreatedAt: now}
		if err := tx.Create(&v).Error; err != nil {
			return Internal(err)
		}
		return db.Audit(tx, "plan.publish", "plan", planID, map[string]any{"status": d.Plan.Status, "version": d.Plan.Version},
			map[string]any{"status": PlanPublished, "version": newVersion, "activities_created": created})
	})
	return newVersion, err
}

// createDutyActivities creates the duty activity of every month that has a group and no activity yet.
func (db *DB) createDutyActivities(tx *gorm.DB, d *PlanDetail) (int, error) {
	var existing []int
	if err := tx.Model(&Activity{}).Where("plan_id = ? AND kind = ?", d.Plan.ID, KindDuty).Pluck("month", &existing).Error; err != nil {
		return 0, Internal(err)
	}
	have := map[int]bool{}
	for _, m := range existing {
		have[m] = true
	}
	groups := map[uint64]PlanGroup{}
	for _, g := range d.Groups {
		groups[g.ID] = g
	}
	created := 0
	for _, dm := range d.Months {
		if dm.GroupID == nil || have[dm.Month] {
			continue
		}
		g := groups[*dm.GroupID]
		var prop dutyProposal
		_ = json.Unmarshal([]byte(dm.ProposalJSON), &prop)
		date := dm.ProposedDate.Time()
		if dm.ProposedDate.IsZero() {
			date = time.Date(d.Plan.Year, time.Month(dm.Month), 15, 0, 0, 0, 0, time.UTC)
		}
		start := time.Date(date.Year(), date.Month(), date.Day(), dutyStartHour, dutyStartMin, 0, 0, db.Location)
		month := dm.Month
		a := Activity{PlanYear: d.Plan.Year, PlanID: &d.Plan.ID, GroupID: &g.ID, Month: &month, Kind: KindDuty,
			Title: dutyTitle(g.Name, dm.Month), StartsAt: start.UTC(), EndsAt: start.Add(dutyDuration).UTC(),
			Status: StatusProposed, Version: 1, AttendanceVersion: 1}
		if len(prop.Themes) > 0 {
			a.Theme = prop.Themes[0].Text
		}
		if dm.Category != "" {
			c := dm.Category
			a.Category = &c
		}
		code, err := randomCode()
		if err != nil {
			return 0, Internal(err)
		}
		a.CheckinCode = code
		if err := tx.Omit("Organisers", "Invited", "Officials", "Publicity", "Outcomes").Create(&a).Error; err != nil {
			return 0, Internal(err)
		}
		if err := setOrganisersToLeaders(tx, a.ID, d.Plan.ID, g.ID); err != nil {
			return 0, err
		}
		created++
	}
	return created, nil
}

// setOrganisersToLeaders makes the group's current leaders the activity's organisers.
func setOrganisersToLeaders(tx *gorm.DB, activityID, planID, groupID uint64) error {
	var leaders []uint64
	if err := tx.Model(&PlanGroupMember{}).Where("plan_id = ? AND group_id = ? AND is_leader = ?", planID, groupID, true).
		Order("member_id").Pluck("member_id", &leaders).Error; err != nil {
		return Internal(err)
	}
	if err := tx.Where("activity_id = ?", activityID).Delete(&activityOrganiser{}).Error; err != nil {
		return Internal(err)
	}
	for _, id := range leaders {
		if err := tx.Create(&activityOrganiser{ActivityID: activityID, MemberID: id}).Error; err != nil {
			return Internal(err)
		}
	}
	return nil
}

// syncPublishedActivities carries a change of a published plan into its future duty activities:
// a month that changed hands gets its new group (and the new group's name in an untouched
// generated title), and every affected activity gets the group's current leaders as organisers
// and one new sequence, so calendars update once. Held, cancelled and past activities keep what
// happened.
func syncPublishedActivities(tx *gorm.DB, db *DB, d *PlanDetail, changes []PlanChange) error {
	groups := map[int]PlanGroup{}
	for _, g := range d.Groups {
		groups[g.Number] = g
	}
	leader := map[uint64]bool{}
	for _, m := range d.Members {
		leader[m.MemberID] = m.IsLeader
	}
	now := db.Now()
	var future []Activity
	if err := tx.Where("plan_id = ? AND kind = ? AND starts_at > ? AND status IN ?",
		d.Plan.ID, KindDuty, now, []ActivityStatus{StatusProposed, StatusScheduled}).Find(&future).Error; err != nil {
		return Internal(err)
	}
	touchedGroup := map[uint64]bool{}
	for _, c := range changes {
		if c.Kind == "member_moved" && leader[c.MemberID] {
			touchedGroup[groups[c.From].ID], touchedGroup[groups[c.To].ID] = true, true
		}
	}
	for _, a := range future {
		updates := map[string]any{}
		for _, c := range changes {
			if c.Kind != "month_changed" || a.Month == nil || *a.Month != c.Month {
				continue
			}
			to, ok := groups[c.To]
			if !ok {
				continue
			}
			updates["group_id"] = to.ID
			if a.Title == dutyTitle(groups[c.From].Name, c.Month) {
				updates["title"] = dutyTitle(to.Name, c.Month)
			}
			a.GroupID = &to.ID
		}
		if len(updates) == 0 && (a.GroupID == nil || !touchedGroup[*a.GroupID]) {
			continue
		}
		updates["version"], updates["sequence"], updates["updated_at"] = gorm.Expr("version + 1"), gorm.Expr("sequence + 1"), now
		if err := tx.Model(&Activity{}).Where("id = ?", a.ID).Updates(updates).Error; err != nil {
			return Internal(err)
		}
		if err := setOrganisersToLeaders(tx, a.ID, d.Plan.ID, *a.GroupID); err != nil {
			return err
		}
	}
	return nil
}

// dutyTitle is the title a duty activity gets until its leaders choose one.
func dutyTitle(group string, month int) string {
	return fmt.Sprintf("%s %d月轮值活动", group, month)
}

// randomCode is 80 random bits in base32: short enough for a QR code, too long to guess.
func randomCode() (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]), nil
}
