package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// MemberFilter narrows a member listing. Empty fields do not filter.
type MemberFilter struct {
	Role     Role
	Industry string
	Region   string
	Active   *bool
	Query    string // matches name, company or mobile
	Limit    int
	Offset   int
}

// ListMembers returns a page of members in roster order (role, then id) and the total that match.
func (db *DB) ListMembers(ctx context.Context, f MemberFilter) ([]Member, int64, error) {
	q := db.Gorm.WithContext(ctx).Model(&Member{})
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.Industry != "" {
		q = q.Where("industry = ?", f.Industry)
	}
	if f.Region != "" {
		q = q.Where("region = ?", f.Region)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where("name LIKE ? ESCAPE '!' OR company LIKE ? ESCAPE '!' OR mobile LIKE ? ESCAPE '!'", like, like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, Internal(err)
	}
	var out []Member
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	if limit > 1000 {
		limit = 1000
	}
	if err := q.Order(roleOrderSQL + ", id").Limit(limit).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, 0, Internal(err)
	}
	return out, total, nil
}

// AllMembers returns every member in roster order; the importer and the planner need the whole roster.
func (db *DB) AllMembers(ctx context.Context) ([]Member, error) {
	var out []Member
	if err := db.Gorm.WithContext(ctx).Order(roleOrderSQL + ", id").Find(&out).Error; err != nil {
		return nil, Internal(err)
	}
	return out, nil
}

// roleOrderSQL sorts members the way a roster lists them: chair first, ordinary members last.
const roleOrderSQL = "CASE role WHEN 'chair' THEN 0 WHEN 'officer' THEN 1 WHEN 'vice_chair' THEN 2 " +
	"WHEN 'vice_president' THEN 3 WHEN 'standing_member' THEN 4 ELSE 5 END"

func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// GetMember returns one member or a not_found error.
func (db *DB) GetMember(ctx context.Context, id uint64) (*Member, error) {
	return getMember(db.Gorm.WithContext(ctx), id)
}

func getMember(tx *gorm.DB, id uint64) (*Member, error) {
	var m Member
	err := tx.First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "member.not_found", id)
	}
	if err != nil {
		return nil, Internal(err)
	}
	return &m, nil
}

// CreateMember validates and stores a new member, audited.
func (db *DB) CreateMember(ctx context.Context, m *Member) error {
	m.Normalize()
	if errs := m.Validate(); len(errs) > 0 {
		return Invalid(errs...)
	}
	m.ID, m.Version, m.Active = 0, 1, m.LeftOn.IsZero()
	return db.Tx(ctx, func(tx *gorm.DB) error {
		if err := checkUnique(tx, m); err != nil {
			return err
		}
		if err := tx.Create(m).Error; err != nil {
			return uniqueOrInternal(err)
		}
		return db.Audit(tx, "member.create", "member", m.ID, nil, m)
	})
}

// UpdateMember applies change to the member if its version still equals version,
// so a secretary never silently overwrites another's edit: a stale version gets a conflict.
func (db *DB) UpdateMember(ctx context.Context, id uint64, version int, change func(*Member)) (*Member, error) {
	return db.updateMember(ctx, id, version, change, nil)
}

// updateMember is UpdateMember with a step that runs in the same transaction after the update.
func (db *DB) updateMember(ctx context.Context, id uint64, version int, change func(*Member), after func(tx *gorm.DB) error) (*Member, error) {
	var out *Member
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		cur, err := getMember(tx, id)
		if err != nil {
			return err
		}
		if version != 0 && cur.Version != version {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		before := *cur
		next := *cur
		change(&next)
		next.ID, next.CreatedAt = cur.ID, cur.CreatedAt
		next.Normalize()
		if errs := next.Validate(); len(errs) > 0 {
			return Invalid(errs...)
		}
		if err := checkUnique(tx, &next); err != nil {
			return err
		}
		next.Version = cur.Version + 1
		res := tx.Model(&Member{}).Where("id = ? AND version = ?", id, cur.Version).
			Select("*").Omit("id", "created_at").Updates(&next)
		if res.Error != nil {
			return uniqueOrInternal(res.Error)
		}
		if res.RowsAffected == 0 {
			return Errorf(EConflict, "error.stale_version", cur.Version)
		}
		out = &next
		if after != nil {
			if err := after(tx); err != nil {
				return err
			}
		}
		return db.Audit(tx, "member.update", "member", id, before, next)
	})
	return out, err
}

// DeactivateMember marks a member as having left on leftOn (today where people are, when zero). The member is kept:
// past activities and attendance still name them.
func (db *DB) DeactivateMember(ctx context.Context, id uint64, version int, leftOn Date) (*Member, error) {
	if leftOn.IsZero() {
		leftOn = db.Today()
	}
	// Future activities drop the member from organisers and invited in the same transaction.
	return db.updateMember(ctx, id, version, func(m *Member) {
		m.Active = false
		m.LeftOn = leftOn
	}, func(tx *gorm.DB) error { return db.removeMemberFromFutureActivities(tx, id) })
}

// checkUnique turns a duplicate mobile or member number into a conflict naming the holder,
// which is more useful to a secretary than the database's constraint name.
func checkUnique(tx *gorm.DB, m *Member) error {
	var errs []FieldError
	if m.Mobile != nil {
		var other Member
		if err := tx.Where("mobile = ? AND id <> ?", *m.Mobile, m.ID).Limit(1).Find(&other).Error; err != nil {
			return Internal(err)
		}
		if other.ID != 0 {
			errs = append(errs, FieldError{Field: FieldMobile, Key: "member.mobile.taken", Args: []any{*m.Mobile, other.Name}})
		}
	}
	if m.MemberNo != nil {
		var other Member
		if err := tx.Where("member_no = ? AND id <> ?", *m.MemberNo, m.ID).Limit(1).Find(&other).Error; err != nil {
			return Internal(err)
		}
		if other.ID != 0 {
			errs = append(errs, FieldError{Field: FieldMemberNo, Key: "member.member_no.taken", Args: []any{*m.MemberNo, other.Name}})
		}
	}
	if len(errs) > 0 {
		return &Error{Code: EConflict, Key: "error.validation", Fields: errs}
	}
	return nil
}

func uniqueOrInternal(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Errorf(EConflict, "member.duplicate")
	}
	return Internal(err)
}

// CountMembers returns how many members are stored; start-up loads the demo federation when it is zero.
func (db *DB) CountMembers(ctx context.Context) (int64, error) {
	var n int64
	err := db.Gorm.WithContext(ctx).Model(&Member{}).Count(&n).Error
	return n, err
}
