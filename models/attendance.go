package models

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AttendanceStatus is whether a member came.
type AttendanceStatus string

// Attendance statuses.
const (
	AttendancePresent AttendanceStatus = "present"
	AttendanceAbsent  AttendanceStatus = "absent"
	AttendanceExcused AttendanceStatus = "excused" // 请假
)

// Valid reports whether s is a known status.
func (s AttendanceStatus) Valid() bool {
	return s == AttendancePresent || s == AttendanceAbsent || s == AttendanceExcused
}

// Attendance is one member's attendance at one activity.
type Attendance struct {
	ID          uint64           `gorm:"primaryKey" json:"-"`
	ActivityID  uint64           `json:"-"`
	MemberID    uint64           `json:"member_id"`
	Status      AttendanceStatus `json:"status"`
	CheckedInAt *time.Time       `json:"checked_in_at"` // set when the member checked in themselves
	MemberName  string           `gorm:"-" json:"-"`
}

// TableName is singular in the schema.
func (Attendance) TableName() string { return "attendance" }

// Guest is a non-member who attended.
type Guest struct {
	ID           uint64 `gorm:"primaryKey" json:"-"`
	ActivityID   uint64 `json:"-"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// TableName matches the migration.
func (Guest) TableName() string { return "activity_guests" }

// AttendanceSheet is the whole attendance of one activity: members by id, then guests.
type AttendanceSheet struct {
	ActivityID uint64       `json:"activity_id"`
	Version    int          `json:"version"` // the activity's attendance_version
	Members    []Attendance `json:"members"`
	Guests     []Guest      `json:"guests"`
}

// AttendanceCounts summarise a sheet. Attendances (人次) are members present plus guests,
// the figure the year-end summary adds up.
type AttendanceCounts struct {
	Present     int `json:"present"`
	Absent      int `json:"absent"`
	Excused     int `json:"excused"`
	Guests      int `json:"guests"`
	Attendances int `json:"attendances"`
}

// Counts tallies the sheet.
func (s *AttendanceSheet) Counts() AttendanceCounts {
	var c AttendanceCounts
	for _, m := range s.Members {
		switch m.Status {
		case AttendancePresent:
			c.Present++
		case AttendanceAbsent:
			c.Absent++
		case AttendanceExcused:
			c.Excused++
		}
	}
	c.Guests = len(s.Guests)
	c.Attendances = c.Present + c.Guests
	return c
}

// MaxSheetRows bounds a sheet: a group is about 11 people, the whole committee 132.
const MaxSheetRows = 1000

// sameSheet compares what a person recorded: statuses by member, and the guests in order.
func sameSheet(a, b *AttendanceSheet) bool {
	if len(a.Members) != len(b.Members) || len(a.Guests) != len(b.Guests) {
		return false
	}
	for i := range a.Members {
		if a.Members[i].MemberID != b.Members[i].MemberID || a.Members[i].Status != b.Members[i].Status {
			return false
		}
	}
	for i := range a.Guests {
		if a.Guests[i].Name != b.Guests[i].Name || a.Guests[i].Organisation != b.Guests[i].Organisation {
			return false
		}
	}
	return true
}

func loadSheet(tx *gorm.DB, a *Activity) (*AttendanceSheet, error) {
	s := &AttendanceSheet{ActivityID: a.ID, Version: a.AttendanceVersion, Members: []Attendance{}, Guests: []Guest{}}
	if err := tx.Where("activity_id = ?", a.ID).Order("member_id").Find(&s.Members).Error; err != nil {
		return nil, Internal(err)
	}
	if err := tx.Where("activity_id = ?", a.ID).Order("id").Find(&s.Guests).Error; err != nil {
		return nil, Internal(err)
	}
	if len(s.Members) > 0 {
		ids := make([]uint64, len(s.Members))
		for i, m := range s.Members {
			ids[i] = m.MemberID
		}
		var ms []Member
		if err := tx.Select("id", "name").Where("id IN ?", ids).Find(&ms).Error; err != nil {
			return nil, Internal(err)
		}
		names := map[uint64]string{}
		for _, m := range ms {
			names[m.ID] = m.Name
		}
		for i := range s.Members {
			s.Members[i].MemberName = names[s.Members[i].MemberID]
		}
	}
	return s, nil
}

// GetAttendance returns the attendance sheet of an activity the principal in ctx may see.
func (db *DB) GetAttendance(ctx context.Context, activityID uint64) (*AttendanceSheet, error) {
	tx := db.Gorm.WithContext(ctx)
	a, err := getActivity(tx, activityID)
	if err != nil {
		return nil, err
	}
	if err := authorizeActivity(tx, PrincipalFrom(ctx), a, false); err != nil {
		return nil, err
	}
	return loadSheet(tx, a)
}

// ReplaceAttendance records the whole sheet of an activity: members not on it are removed.
// Recording the sheet that is already stored changes nothing and writes no audit, whatever
// version is sent, so a retried request is harmless; any other sheet needs the current
// version. It reports whether anything changed. Leaders (own group) and the secretariat only.
func (db *DB) ReplaceAttendance(ctx context.Context, activityID uint64, version int, sheet *AttendanceSheet) (*AttendanceSheet, bool, error) {
	if errs := normalizeSheet(sheet); len(errs) > 0 {
		return nil, false, Invalid(errs...)
	}
	var out *AttendanceSheet
	changed := false
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		a, err := getActivity(db.forUpdate(tx), activityID)
		if err != nil {
			return err
		}
		if err := authorizeActivity(tx, PrincipalFrom(ctx), a, true); err != nil {
			return err
		}
		cur, err := loadSheet(tx, a)
		if err != nil {
			return err
		}
		if sameSheet(cur, sheet) {
			out = cur
			return nil
		}
		if a.AttendanceVersion != version {
			return Errorf(EConflict, "error.stale_version", a.AttendanceVersion)
		}
		if err := checkMembersExist(tx, sheet.Members); err != nil {
			return err
		}
		if a.StartsAt.After(db.Now()) && slices.ContainsFunc(sheet.Members, func(m Attendance) bool { return m.Status == AttendancePresent }) {
			return Invalid(FieldError{Field: "members", Key: "attendance.future"})
		}
		checkedIn := map[uint64]*time.Time{}
		for _, m := range cur.Members {
			checkedIn[m.MemberID] = m.CheckedInAt
		}
		for i := range sheet.Members {
			m := &sheet.Members[i]
			m.ID, m.ActivityID, m.CheckedInAt = 0, a.ID, nil
			if m.Status == AttendancePresent {
				m.CheckedInAt = checkedIn[m.MemberID] // a self check-in keeps its time while the member stays present
			}
		}
		if err := writeSheet(tx, a.ID, sheet); err != nil {
			return err
		}
		res := tx.Model(&Activity{}).Where("id = ? AND attendance_version = ?", a.ID, a.AttendanceVersion).
			Update("attendance_version", a.AttendanceVersion+1)
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", a.AttendanceVersion)
		}
		a.AttendanceVersion++
		if out, err = loadSheet(tx, a); err != nil {
			return err
		}
		changed = true
		return db.Audit(tx, "attendance.replace", "attendance", a.ID, sheetAuditView(cur), sheetAuditView(out))
	})
	return out, changed, err
}

func writeSheet(tx *gorm.DB, activityID uint64, sheet *AttendanceSheet) error {
	if err := tx.Where("activity_id = ?", activityID).Delete(&Attendance{}).Error; err != nil {
		return Internal(err)
	}
	if err := tx.Where("activity_id = ?", activityID).Delete(&Guest{}).Error; err != nil {
		return Internal(err)
	}
	if len(sheet.Members) > 0 {
		if err := tx.CreateInBatches(&sheet.Members, 200).Error; err != nil {
			return Internal(err)
		}
	}
	if len(sheet.Guests) > 0 {
		for i := range sheet.Guests {
			sheet.Guests[i].ID, sheet.Guests[i].ActivityID = 0, activityID
		}
		if err := tx.CreateInBatches(&sheet.Guests, 200).Error; err != nil {
			return Internal(err)
		}
	}
	return nil
}

// normalizeSheet sorts members by id, cleans guest names and reports what is wrong.
func normalizeSheet(s *AttendanceSheet) []FieldError {
	var errs []FieldError
	if len(s.Members)+len(s.Guests) > MaxSheetRows {
		return []FieldError{{Field: "members", Key: "field.too_many", Args: []any{MaxSheetRows}}}
	}
	seen := map[uint64]bool{}
	for i, m := range s.Members {
		f := fmt.Sprintf("members[%d]", i)
		if m.MemberID == 0 {
			errs = append(errs, FieldError{Field: f + ".member_id", Key: "field.required"})
		} else if seen[m.MemberID] {
			errs = append(errs, FieldError{Field: f + ".member_id", Key: "attendance.duplicate_member", Args: []any{m.MemberID}})
		}
		seen[m.MemberID] = true
		if !m.Status.Valid() {
			errs = append(errs, FieldError{Field: f + ".status", Key: "attendance.status.invalid", Args: []any{string(m.Status)}})
		}
	}
	for i := range s.Guests {
		g := &s.Guests[i]
		g.Name, g.Organisation = cleanText(g.Name), cleanText(g.Organisation)
		f := fmt.Sprintf("guests[%d]", i)
		if g.Name == "" {
			errs = append(errs, FieldError{Field: f + ".name", Key: "field.required"})
		} else if utf8.RuneCountInString(g.Name) > 64 {
			errs = append(errs, FieldError{Field: f + ".name", Key: "field.too_long", Args: []any{64}})
		}
		if utf8.RuneCountInString(g.Organisation) > 200 {
			errs = append(errs, FieldError{Field: f + ".organisation", Key: "field.too_long", Args: []any{200}})
		}
	}
	slices.SortFunc(s.Members, func(a, b Attendance) int { return cmpUint(a.MemberID, b.MemberID) })
	if s.Members == nil {
		s.Members = []Attendance{}
	}
	if s.Guests == nil {
		s.Guests = []Guest{}
	}
	return errs
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func checkMembersExist(tx *gorm.DB, ms []Attendance) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]uint64, len(ms))
	for i, m := range ms {
		ids[i] = m.MemberID
	}
	var found []uint64
	if err := tx.Model(&Member{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return Internal(err)
	}
	for i, id := range ids {
		if !slices.Contains(found, id) {
			return Invalid(FieldError{Field: fmt.Sprintf("members[%d].member_id", i), Key: "member.not_found", Args: []any{id}})
		}
	}
	return nil
}

// sheetAuditView is a sheet as the audit log keeps it: statuses by member id, guests, counts.
func sheetAuditView(s *AttendanceSheet) map[string]any {
	members := map[string]AttendanceStatus{}
	for _, m := range s.Members {
		members[fmt.Sprint(m.MemberID)] = m.Status
	}
	return map[string]any{"version": s.Version, "members": members, "guests": s.Guests, "counts": s.Counts()}
}
