package models

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// HolidayOverride is one day of the official schedule entered by the secretariat: a day off,
// a make-up working day (调休上班), or a correction back to an ordinary workday or rest day.
type HolidayOverride struct {
	ID        uint64    `gorm:"primaryKey" json:"-"`
	Day       Date      `json:"date"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"` // holiday, makeup_workday, workday, rest_day
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// HolidayKinds are the kinds an override may have.
var HolidayKinds = []string{"holiday", "makeup_workday", "workday", "rest_day"}

// AllHolidayOverrides returns every override, in date order.
func (db *DB) AllHolidayOverrides(ctx context.Context) ([]HolidayOverride, error) {
	var out []HolidayOverride
	if err := db.Gorm.WithContext(ctx).Order("day").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// ValidateHolidayOverrides checks a year's entries: dates in the year, once each, known kinds.
// Entries without a date are left to the caller, who knows why the date could not be read.
func ValidateHolidayOverrides(year int, days []HolidayOverride) []FieldError {
	var errs []FieldError
	seen := map[string]bool{}
	for i, d := range days {
		field := "days[" + strconv.Itoa(i) + "]"
		switch {
		case d.Day.IsZero():
		case d.Day.Time().Year() != year:
			errs = append(errs, FieldError{Field: field + ".date", Key: "holiday.date.year", Args: []any{year}})
		case seen[d.Day.String()]:
			errs = append(errs, FieldError{Field: field + ".date", Key: "holiday.date.duplicate", Args: []any{d.Day.String()}})
		}
		seen[d.Day.String()] = true
		if !contains(HolidayKinds, d.Kind) {
			errs = append(errs, FieldError{Field: field + ".kind", Key: "holiday.kind.invalid", Args: []any{d.Kind}})
		}
		if len([]rune(d.Name)) > 64 {
			errs = append(errs, FieldError{Field: field + ".name", Key: "field.too_long", Args: []any{64}})
		}
	}
	return errs
}

// ReplaceHolidayOverrides replaces a year's overrides with days, in one audited transaction.
func (db *DB) ReplaceHolidayOverrides(ctx context.Context, year int, days []HolidayOverride) error {
	if errs := ValidateHolidayOverrides(year, days); len(errs) > 0 {
		return Invalid(errs...)
	}
	for _, d := range days {
		if d.Day.IsZero() {
			return Invalid(FieldError{Field: "days", Key: "field.required"})
		}
	}
	from, to := NewDate(year, 1, 1), NewDate(year+1, 1, 1)
	return db.Tx(ctx, func(tx *gorm.DB) error {
		var before []HolidayOverride
		if err := tx.Where("day >= ? AND day < ?", from, to).Order("day").Find(&before).Error; err != nil {
			return Internal(err)
		}
		if err := tx.Where("day >= ? AND day < ?", from, to).Delete(&HolidayOverride{}).Error; err != nil {
			return Internal(err)
		}
		who, now := ActorFrom(ctx).Name, db.Now()
		after := make([]HolidayOverride, len(days))
		for i, d := range days {
			after[i] = HolidayOverride{Day: d.Day, Name: cleanText(d.Name), Kind: d.Kind, UpdatedBy: who, UpdatedAt: now}
		}
		if len(after) > 0 {
			if err := tx.Create(&after).Error; err != nil {
				return Internal(err)
			}
		}
		return db.Audit(tx, "holidays.replace", "holidays", year, before, after)
	})
}
