package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// Who may do what with activities. Route-level role checks (viewer never writes, only the
// secretariat manages accounts) live in the API; the rules that depend on the record — whose
// group it is — live here, next to the data they read. A nil principal is the command line or
// the system and may do everything.

// inGroup reports whether the member is in the rotation group (plan_groups.id).
func inGroup(tx *gorm.DB, memberID, groupID uint64) (bool, error) {
	var n int64
	if err := tx.Table("plan_group_members").Where("member_id = ? AND group_id = ?", memberID, groupID).Count(&n).Error; err != nil {
		return false, Internal(err)
	}
	return n > 0, nil
}

// canSeeActivity: admins, leaders and viewers read every activity; a member reads the
// activities that concern them (their group's, those they organise or are invited to, and
// federation-wide ones). An activity a member may not see is reported as not found, so its
// existence does not leak.
func canSeeActivity(tx *gorm.DB, p *Principal, a *Activity) (bool, error) {
	if p == nil || p.Role != AccountMember {
		return true, nil
	}
	if a.Kind == KindFederation {
		return true, nil
	}
	if p.MemberID == nil {
		return false, nil
	}
	m := *p.MemberID
	if slices.Contains(a.Organisers, m) || slices.Contains(a.Invited, m) {
		return true, nil
	}
	if a.GroupID == nil {
		return false, nil
	}
	return inGroup(tx, m, *a.GroupID)
}

// canManageActivity: admins manage every activity; a leader manages the activities of a group
// they are in and those they organise. Everyone else only reads.
func canManageActivity(tx *gorm.DB, p *Principal, a *Activity) (bool, error) {
	if p == nil || p.Role == AccountAdmin {
		return true, nil
	}
	if p.Role != AccountLeader || p.MemberID == nil {
		return false, nil
	}
	if slices.Contains(a.Organisers, *p.MemberID) {
		return true, nil
	}
	if a.GroupID == nil {
		return false, nil
	}
	return inGroup(tx, *p.MemberID, *a.GroupID)
}

// authorizeActivity loads nothing: it turns the two rules above into the errors a request gets.
// A member who may not see the activity gets not_found; one who sees it but may not change it
// gets forbidden.
func authorizeActivity(tx *gorm.DB, p *Principal, a *Activity, manage bool) error {
	ok, err := canSeeActivity(tx, p, a)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(ENotFound, "activity.not_found", a.ID)
	}
	if !manage {
		return nil
	}
	if ok, err = canManageActivity(tx, p, a); err != nil {
		return err
	}
	if !ok {
		return Errorf(EForbidden, "activity.forbidden")
	}
	return nil
}

// CanManageActivity reports whether the principal in ctx may change the activity and its
// attendance; the API uses it to tell a client which buttons to show.
func (db *DB) CanManageActivity(ctx context.Context, a *Activity) (bool, error) {
	return canManageActivity(db.Gorm.WithContext(ctx), PrincipalFrom(ctx), a)
}

// leaderEditable are the fields a group leader may change in their group's activity;
// everything else (title, kind, group, officials, outcomes, money…) is the secretariat's.
func leaderChangedForbidden(before, after *Activity) []FieldError {
	var errs []FieldError
	check := func(field string, same bool) {
		if !same {
			errs = append(errs, FieldError{Field: field, Key: "activity.field_admin_only"})
		}
	}
	check("title", before.Title == after.Title)
	check("kind", before.Kind == after.Kind)
	check("plan_id", ptrEqual(before.PlanID, after.PlanID))
	check("group_id", ptrEqual(before.GroupID, after.GroupID))
	if before.Kind == KindDuty {
		// Other activities take year and month from their start time, which a leader may move.
		check("plan_year", before.PlanYear == after.PlanYear)
		check("month", ptrEqual(before.Month, after.Month))
	}
	check("organisers", slices.Equal(before.Organisers, after.Organisers))
	check("invited", slices.Equal(before.Invited, after.Invited))
	check("officials", slices.Equal(before.Officials, after.Officials))
	check("publicity", slices.Equal(before.Publicity, after.Publicity))
	check("outcomes", slices.Equal(before.Outcomes, after.Outcomes))
	check("charity", before.CharityMoneyFen == after.CharityMoneyFen && before.CharityMaterialsFen == after.CharityMaterialsFen &&
		before.VolunteerHours == after.VolunteerHours)
	return errs
}
