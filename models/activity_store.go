package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ActivityFilter narrows an activity listing. Empty fields do not filter.
type ActivityFilter struct {
	Year     int
	Month    int
	GroupID  *uint64
	Category string
	Status   ActivityStatus
	MemberID *uint64 // activities that concern the member (see FeedQuery.MemberID)
	Limit    int
	Offset   int
}

// ListActivities returns a page of activities by start time and the total that match.
// A member-role principal sees only the activities that concern them.
func (db *DB) ListActivities(ctx context.Context, f ActivityFilter) ([]ActivityWithGroup, int64, error) {
	q := db.Gorm.WithContext(ctx).Model(&Activity{})
	if f.Year != 0 {
		q = q.Where("plan_year = ?", f.Year)
	}
	if f.Month != 0 {
		q = q.Where("month = ?", f.Month)
	}
	if f.GroupID != nil {
		q = q.Where("group_id = ?", *f.GroupID)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.MemberID != nil {
		q = q.Where(concernsMemberSQL, sql.Named("m", *f.MemberID))
	}
	if p := PrincipalFrom(ctx); p != nil && p.Role == AccountMember {
		if p.MemberID == nil {
			q = q.Where("kind = ?", KindFederation)
		} else {
			q = q.Where(concernsMemberSQL, sql.Named("m", *p.MemberID))
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, Internal(err)
	}
	var as []Activity
	if err := q.Order("starts_at, id").Limit(clampLimit(f.Limit)).Offset(f.Offset).Find(&as).Error; err != nil {
		return nil, 0, Internal(err)
	}
	ptrs := make([]*Activity, len(as))
	for i := range as {
		ptrs[i] = &as[i]
	}
	tx := db.Gorm.WithContext(ctx)
	if err := loadActivityChildren(tx, ptrs); err != nil {
		return nil, 0, err
	}
	out, err := withGroups(tx, as)
	return out, total, err
}

// GetActivity returns one activity the principal in ctx may see, or not_found.
func (db *DB) GetActivity(ctx context.Context, id uint64) (*ActivityWithGroup, error) {
	tx := db.Gorm.WithContext(ctx)
	a, err := getActivity(tx, id)
	if err != nil {
		return nil, err
	}
	if err := authorizeActivity(tx, PrincipalFrom(ctx), a, false); err != nil {
		return nil, err
	}
	out, err := withGroups(tx, []Activity{*a})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// CreateActivity validates and stores a new activity with its lists, audited. A duty activity
// takes its year from the plan and, when no organisers are given (nil), its group's leaders as
// organisers. Other activities take their year and month from the start time in Asia/Shanghai.
func (db *DB) CreateActivity(ctx context.Context, a *Activity) error {
	a.ID, a.Version, a.Sequence, a.AttendanceVersion = 0, 1, 0, 1
	if a.Status == "" {
		a.Status = StatusProposed
	}
	a.CheckinCode = RandomSecret(9)
	return db.Tx(ctx, func(tx *gorm.DB) error {
		if p := PrincipalFrom(ctx); p != nil && p.Role != AccountAdmin {
			return Errorf(EForbidden, "error.forbidden")
		}
		if err := db.prepareActivity(tx, a, nil); err != nil {
			return err
		}
		if a.Status == StatusCancelled {
			now := db.Now().UTC()
			a.CancelledAt = &now
		}
		if err := tx.Create(a).Error; err != nil {
			return Internal(err)
		}
		if err := saveActivityChildren(tx, a, nil); err != nil {
			return err
		}
		return db.Audit(tx, "activity.create", "activity", a.ID, nil, a)
	})
}

// prepareActivity normalises, fills derived fields, validates and checks references.
// before is the stored activity on update, nil on create.
func (db *DB) prepareActivity(tx *gorm.DB, a *Activity, before *Activity) error {
	a.Normalize()
	var errs []FieldError
	if a.Kind == KindDuty && a.PlanID != nil && a.GroupID != nil {
		var g PlanGroup
		if err := tx.Where("id = ? AND plan_id = ?", *a.GroupID, *a.PlanID).Limit(1).Find(&g).Error; err != nil {
			return Internal(err)
		}
		if g.ID == 0 {
			errs = append(errs, FieldError{Field: FieldGroupID, Key: "activity.group.not_in_plan", Args: []any{*a.GroupID, *a.PlanID}})
		} else {
			p, err := getPlan(tx, *a.PlanID)
			if err != nil {
				return err
			}
			a.PlanYear = p.Year
			if a.Organisers == nil && before == nil {
				if err := tx.Table("plan_group_members").Where("group_id = ? AND is_leader = ?", g.ID, true).
					Order("id").Pluck("member_id", &a.Organisers).Error; err != nil {
					return Internal(err)
				}
			}
		}
	} else if a.Kind != KindDuty && !a.StartsAt.IsZero() {
		local := a.StartsAt.In(activityZone)
		m := int(local.Month())
		a.PlanYear, a.Month = local.Year(), &m
	}
	if a.Organisers == nil {
		a.Organisers = []uint64{}
	}
	if a.Invited == nil {
		a.Invited = []uint64{}
	}
	errs = append(a.Validate(), errs...)
	if a.Status == StatusHeld && (before == nil || before.Status != StatusHeld) && a.StartsAt.After(db.Now()) {
		errs = append(errs, FieldError{Field: FieldStatus, Key: "activity.held_in_future"})
	}
	if a.Category != nil {
		if _, err := getCategory(tx, *a.Category); ErrorCode(err) == ENotFound {
			errs = append(errs, FieldError{Field: FieldCategory, Key: "category.not_found", Args: []any{*a.Category}})
		} else if err != nil {
			return err
		}
	}
	for _, l := range []struct {
		field string
		ids   []uint64
	}{{"organisers", a.Organisers}, {"invited", a.Invited}} {
		if len(l.ids) == 0 || len(l.ids) > maxListLength {
			continue
		}
		var found []uint64
		if err := tx.Model(&Member{}).Where("id IN ?", l.ids).Pluck("id", &found).Error; err != nil {
			return Internal(err)
		}
		for _, id := range l.ids {
			if !slices.Contains(found, id) {
				errs = append(errs, FieldError{Field: l.field, Key: "member.not_found", Args: []any{id}})
				break
			}
		}
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// saveActivityChildren replaces the lists that differ from before (all of them on create).
func saveActivityChildren(tx *gorm.DB, a, before *Activity) error {
	replace := func(table any, same bool, rows func() any, n int) error {
		if before != nil && same {
			return nil
		}
		if before != nil {
			if err := tx.Where("activity_id = ?", a.ID).Delete(table).Error; err != nil {
				return Internal(err)
			}
		}
		if n == 0 {
			return nil
		}
		if err := tx.Create(rows()).Error; err != nil {
			return Internal(err)
		}
		return nil
	}
	b := before
	if b == nil {
		b = &Activity{}
	}
	err := errors.Join(
		replace(&activityOrganiser{}, slices.Equal(a.Organisers, b.Organisers), func() any {
			rows := make([]activityOrganiser, len(a.Organisers))
			for i, id := range a.Organisers {
				rows[i] = activityOrganiser{ActivityID: a.ID, MemberID: id}
			}
			return &rows
		}, len(a.Organisers)),
		replace(&activityInvitee{}, slices.Equal(a.Invited, b.Invited), func() any {
			rows := make([]activityInvitee, len(a.Invited))
			for i, id := range a.Invited {
				rows[i] = activityInvitee{ActivityID: a.ID, MemberID: id}
			}
			return &rows
		}, len(a.Invited)),
		replace(&ActivityOfficial{}, slices.Equal(a.Officials, b.Officials), reattach(a.Officials, func(r *ActivityOfficial) { r.ID, r.ActivityID = 0, a.ID }), len(a.Officials)),
		replace(&ActivityPublicity{}, slices.Equal(a.Publicity, b.Publicity), reattach(a.Publicity, func(r *ActivityPublicity) { r.ID, r.ActivityID = 0, a.ID }), len(a.Publicity)),
		replace(&ActivityOutcome{}, slices.Equal(a.Outcomes, b.Outcomes), reattach(a.Outcomes, func(r *ActivityOutcome) { r.ID, r.ActivityID = 0, a.ID }), len(a.Outcomes)),
	)
	if err != nil {
		var appErr *Error
		if errors.As(err, &appErr) {
			return appErr
		}
		return Internal(err)
	}
	return nil
}

// UpdateActivity applies change to the activity if it is still at version. change returns the
// problems it found parsing the request. Leaders may change only theme, category, time,
// location, description and status of their own group's activities; the secretariat anything.
// A change to what a calendar shows raises the sequence. A stale version is a conflict; the
// caller can show the current state with GetActivity.
func (db *DB) UpdateActivity(ctx context.Context, id uint64, version int, change func(*Activity) []FieldError) (*Activity, error) {
	var out *Activity
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		cur, err := getActivity(db.forUpdate(tx), id)
		if err != nil {
			return err
		}
		p := PrincipalFrom(ctx)
		if err := authorizeActivity(tx, p, cur, true); err != nil {
			return err
		}
		if cur.Version != version {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		next := *cur
		next.Organisers, next.Invited = slices.Clone(cur.Organisers), slices.Clone(cur.Invited)
		next.Officials, next.Publicity, next.Outcomes = slices.Clone(cur.Officials), slices.Clone(cur.Publicity), slices.Clone(cur.Outcomes)
		if errs := change(&next); len(errs) > 0 {
			return Invalid(errs...)
		}
		next.ID, next.CreatedAt, next.CheckinCode = cur.ID, cur.CreatedAt, cur.CheckinCode
		if err := db.prepareActivity(tx, &next, cur); err != nil {
			return err
		}
		if p != nil && p.Role != AccountAdmin {
			if errs := leaderChangedForbidden(cur, &next); len(errs) > 0 {
				return &Error{Code: EForbidden, Key: "activity.fields_forbidden", Fields: errs}
			}
		}
		switch {
		case next.Status == StatusCancelled && cur.Status != StatusCancelled:
			now := db.Now().UTC()
			next.CancelledAt = &now
		case next.Status != StatusCancelled:
			next.CancelledAt, next.CancelReason = nil, ""
		}
		if publishedDetailsDiffer(cur, &next) {
			next.Sequence = cur.Sequence + 1
		}
		next.Version = cur.Version + 1
		next.UpdatedAt = db.Now().UTC()
		res := tx.Model(&Activity{}).Where("id = ? AND version = ?", id, cur.Version).
			Select("*").Omit("id", "created_at", "checkin_code", "attendance_version").Updates(&next)
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		if err := saveActivityChildren(tx, &next, cur); err != nil {
			return err
		}
		out = &next
		return db.Audit(tx, "activity.update", "activity", id, cur, next)
	})
	return out, err
}

// Suggestion is a theme the plan proposed for a duty month, which a client can offer when a
// leader picks the month's theme.
type Suggestion struct {
	Category string `json:"category"`
	Theme    string `json:"theme"`
	ThemeEN  string `json:"theme_en,omitempty"`
	Reason   string `json:"reason"`
}

// ActivitySuggestions returns the plan's proposals for the activity's duty month (from
// duty_months.proposal_json); an empty list when there is no plan, month or proposal.
func (db *DB) ActivitySuggestions(ctx context.Context, a *Activity) ([]Suggestion, error) {
	out := []Suggestion{}
	if a.PlanID == nil || a.Month == nil {
		return out, nil
	}
	var dm DutyMonth
	err := db.Gorm.WithContext(ctx).Where("plan_id = ? AND month = ?", *a.PlanID, *a.Month).Limit(1).Find(&dm).Error
	if err != nil {
		return nil, Internal(err)
	}
	if dm.ID == 0 || dm.ProposalJSON == "" {
		return out, nil
	}
	var prop struct {
		Category       string `json:"category"`
		CategoryReason string `json:"category_reason"`
		Themes         []struct {
			Text     string `json:"text"`
			TextEN   string `json:"text_en"`
			Category string `json:"category"`
			Reason   string `json:"reason"`
		} `json:"themes"`
	}
	if err := json.Unmarshal([]byte(dm.ProposalJSON), &prop); err != nil {
		db.Log.Warn("duty month proposal is not readable", "plan", *a.PlanID, "month", *a.Month, "err", err)
		return out, nil
	}
	for _, t := range prop.Themes {
		c := t.Category
		if c == "" {
			c = prop.Category
		}
		out = append(out, Suggestion{Category: c, Theme: t.Text, ThemeEN: t.TextEN, Reason: t.Reason})
	}
	if len(out) == 0 && prop.Category != "" {
		out = append(out, Suggestion{Category: prop.Category, Reason: prop.CategoryReason})
	}
	return out, nil
}

// removeMemberFromFutureActivities takes a member who left off the organisers and invited of
// activities that have not started yet; past activities keep them, as history. It runs inside
// the deactivation's transaction and audits each activity it changes.
func (db *DB) removeMemberFromFutureActivities(tx *gorm.DB, memberID uint64) error {
	now := db.Now().UTC()
	var ids []uint64
	err := tx.Model(&Activity{}).Where("starts_at > ?", now).
		Where("id IN (SELECT activity_id FROM activity_organisers WHERE member_id = ?) OR id IN (SELECT activity_id FROM activity_invitees WHERE member_id = ?)", memberID, memberID).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return Internal(err)
	}
	for _, id := range ids {
		for _, table := range []any{&activityOrganiser{}, &activityInvitee{}} {
			if err := tx.Where("activity_id = ? AND member_id = ?", id, memberID).Delete(table).Error; err != nil {
				return Internal(err)
			}
		}
		if err := tx.Model(&Activity{}).Where("id = ?", id).
			Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
			return Internal(err)
		}
		if err := db.Audit(tx, "activity.remove_member", "activity", id, map[string]any{"member_id": memberID}, nil); err != nil {
			return err
		}
	}
	return nil
}

// activityWindow is the checkin window helper shared by check-in and its messages.
func checkinWindow(a *Activity) (opens, closes time.Time) {
	return a.StartsAt.Add(-CheckinOpensBefore), a.EndsAt.Add(CheckinClosesAfter)
}

// reattach returns a copy of an activity's child rows, each changed by set (a fresh ID and the
// activity's ID), ready to insert.
func reattach[T any](rows []T, set func(*T)) func() any {
	return func() any {
		out := slices.Clone(rows)
		for i := range out {
			set(&out[i])
		}
		return &out
	}
}
