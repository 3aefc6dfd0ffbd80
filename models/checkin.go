package models

import (
	"context"
	"crypto/subtle"
	"time"

	"gorm.io/gorm"
)

// The self check-in window: from an hour before the start until three hours after the end,
// which covers early arrivals and people who remember on the way home.
const (
	CheckinOpensBefore = time.Hour
	CheckinClosesAfter = 3 * time.Hour
)

// CheckinCode is an activity's check-in code with the window in which it works.
type CheckinCode struct {
	ActivityID uint64
	Code       string
	Opens      time.Time
	Closes     time.Time
}

// GetCheckinCode returns the code to show as a QR code at the venue; leaders of the group and
// the secretariat only.
func (db *DB) GetCheckinCode(ctx context.Context, activityID uint64) (*CheckinCode, error) {
	tx := db.Gorm.WithContext(ctx)
	a, err := getActivity(tx, activityID)
	if err != nil {
		return nil, err
	}
	if err := authorizeActivity(tx, PrincipalFrom(ctx), a, true); err != nil {
		return nil, err
	}
	opens, closes := checkinWindow(a)
	return &CheckinCode{ActivityID: a.ID, Code: a.CheckinCode, Opens: opens, Closes: closes}, nil
}

// CheckIn marks the signed-in member present at the activity when code is the activity's code
// and now is within the window. Checking in twice is harmless. It returns the member's entry.
func (db *DB) CheckIn(ctx context.Context, activityID uint64, code string) (*Attendance, error) {
	p := PrincipalFrom(ctx)
	if p == nil || p.MemberID == nil {
		return nil, Errorf(EForbidden, "checkin.no_member")
	}
	var out *Attendance
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		a, err := getActivity(db.forUpdate(tx), activityID)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(code), []byte(a.CheckinCode)) != 1 {
			if err := authorizeActivity(tx, p, a, false); err != nil {
				return err
			}
			var other int64
			if err := tx.Model(&Activity{}).Where("checkin_code = ?", code).Count(&other).Error; err != nil {
				return Internal(err)
			}
			if other > 0 {
				return Invalid(FieldError{Field: "code", Key: "checkin.wrong_activity"})
			}
			return Invalid(FieldError{Field: "code", Key: "checkin.invalid_code"})
		}
		if a.Status == StatusCancelled {
			return Errorf(EConflict, "checkin.cancelled")
		}
		now := db.Now().UTC()
		opens, closes := checkinWindow(a)
		if now.Before(opens) {
			return Errorf(EConflict, "checkin.not_open", int(CheckinOpensBefore/time.Hour))
		}
		if now.After(closes) {
			return Errorf(EConflict, "checkin.closed")
		}
		var cur Attendance
		if err := tx.Where("activity_id = ? AND member_id = ?", a.ID, *p.MemberID).Limit(1).Find(&cur).Error; err != nil {
			return Internal(err)
		}
		if cur.ID != 0 && cur.Status == AttendancePresent {
			out = &cur
			return nil
		}
		next := Attendance{ActivityID: a.ID, MemberID: *p.MemberID, Status: AttendancePresent, CheckedInAt: &now}
		var before any
		if cur.ID != 0 {
			before = cur
			next.ID = cur.ID
			if err := tx.Model(&Attendance{}).Where("id = ?", cur.ID).
				Updates(map[string]any{"status": next.Status, "checked_in_at": now}).Error; err != nil {
				return Internal(err)
			}
		} else if err := tx.Create(&next).Error; err != nil {
			return Internal(err)
		}
		if err := tx.Model(&Activity{}).Where("id = ?", a.ID).Update("attendance_version", gorm.Expr("attendance_version + 1")).Error; err != nil {
			return Internal(err)
		}
		out = &next
		return db.Audit(tx, "attendance.checkin", "attendance", a.ID, before, next)
	})
	return out, err
}
