package models

import (
	"context"
	"errors"
	"regexp"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Category is an activity category (活动类别). The six of the rota are seeded by the
// migration; the secretariat may add more. A category in use is never deleted.
type Category struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	Code      string    `json:"code"`
	LabelZH   string    `gorm:"column:label_zh" json:"label_zh"`
	LabelEN   string    `gorm:"column:label_en" json:"label_en"`
	Builtin   bool      `json:"builtin"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var categoryCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Validate checks a normalised category.
func (c *Category) Validate() []FieldError {
	var errs []FieldError
	if !categoryCodeRe.MatchString(c.Code) {
		errs = append(errs, FieldError{Field: "code", Key: "category.code.invalid"})
	}
	for _, l := range []struct {
		field, v string
		max      int
	}{{"label_zh", c.LabelZH, 32}, {"label_en", c.LabelEN, 64}} {
		if l.v == "" {
			errs = append(errs, FieldError{Field: l.field, Key: "field.required"})
		} else if utf8.RuneCountInString(l.v) > l.max {
			errs = append(errs, FieldError{Field: l.field, Key: "field.too_long", Args: []any{l.max}})
		}
	}
	return errs
}

// ListCategories returns every category, the built-in ones first.
func (db *DB) ListCategories(ctx context.Context) ([]Category, error) {
	var out []Category
	if err := db.Gorm.WithContext(ctx).Order("builtin DESC, id").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// GetCategory returns a category by code or not_found.
func (db *DB) GetCategory(ctx context.Context, code string) (*Category, error) {
	return getCategory(db.Gorm.WithContext(ctx), code)
}

func getCategory(tx *gorm.DB, code string) (*Category, error) {
	var c Category
	err := tx.Where("code = ?", code).First(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "category.not_found", code)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &c, nil
}

// CreateCategory stores a new category, audited.
func (db *DB) CreateCategory(ctx context.Context, c *Category) error {
	c.Code, c.LabelZH, c.LabelEN = cleanText(c.Code), cleanText(c.LabelZH), cleanText(c.LabelEN)
	if errs := c.Validate(); len(errs) > 0 {
		return Invalid(errs...)
	}
	c.ID, c.Version, c.Builtin = 0, 1, false
	return db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Category{}).Where("code = ?", c.Code).Count(&n).Error; err != nil {
			return Internal(err)
		}
		if n > 0 {
			return &Error{Code: EConflict, Key: "error.validation", Fields: []FieldError{{Field: "code", Key: "category.code.taken", Args: []any{c.Code}}}}
		}
		if err := tx.Create(c).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return Errorf(EConflict, "category.code.taken", c.Code)
			}
			return Internal(err)
		}
		return db.Audit(tx, "category.create", "category", c.Code, nil, c)
	})
}

// UpdateCategory changes a category's labels if it is still at version. The code is the
// category's identity in activities and statistics and never changes.
func (db *DB) UpdateCategory(ctx context.Context, code string, version int, labelZH, labelEN *string) (*Category, error) {
	var out *Category
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		cur, err := getCategory(db.forUpdate(tx), code)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		next := *cur
		if labelZH != nil {
			next.LabelZH = cleanText(*labelZH)
		}
		if labelEN != nil {
			next.LabelEN = cleanText(*labelEN)
		}
		if errs := next.Validate(); len(errs) > 0 {
			return Invalid(errs...)
		}
		next.Version++
		next.UpdatedAt = db.Now().UTC()
		res := tx.Model(&Category{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
			Updates(map[string]any{"label_zh": next.LabelZH, "label_en": next.LabelEN, "version": next.Version, "updated_at": next.UpdatedAt})
		if res.Error != nil {
			return Internal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		out = &next
		return db.Audit(tx, "category.update", "category", code, cur, next)
	})
	return out, err
}

// DeleteCategory removes a category no activity uses; one in use is a conflict that says how
// many activities use it, so the secretary knows what to recategorise first.
func (db *DB) DeleteCategory(ctx context.Context, code string) error {
	return db.Tx(ctx, func(tx *gorm.DB) error {
		cur, err := getCategory(db.forUpdate(tx), code)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Activity{}).Where("category = ?", code).Count(&n).Error; err != nil {
			return Internal(err)
		}
		if n > 0 {
			return Errorf(EConflict, "category.in_use", cur.LabelZH, n)
		}
		if err := tx.Delete(&Category{}, cur.ID).Error; err != nil {
			return Internal(err)
		}
		return db.Audit(tx, "category.delete", "category", code, cur, nil)
	})
}
