package models

import (
	"context"
	"database/sql"
	"time"
)

// FeedQuery says which activities a calendar feed shows.
type FeedQuery struct {
	// MemberID limits the feed to activities that concern the member: those of any rotation
	// group they are in, those they organise or are invited to, and federation-wide ones.
	MemberID *uint64
	// GroupID limits the feed to one rotation group's activities (plan_groups.id).
	// With MemberID too, both must hold.
	GroupID *uint64
	// From and To bound the activities by time: an activity is included when it overlaps
	// [From, To). A zero From or To leaves that side open.
	From, To time.Time
	// IncludeCancelledSince keeps activities cancelled at or after this instant, so subscribed
	// calendars see the cancellation (STATUS:CANCELLED) instead of the event silently vanishing.
	// Activities cancelled earlier, and all cancelled ones when it is zero, are left out.
	IncludeCancelledSince time.Time
}

// ActivitiesForFeed returns the activities a calendar feed shows, ordered by start time then id,
// each with its group's number and name, the group's leader names, the organiser names and the
// category labels. Proposed activities are included (a feed may mark them TENTATIVE); the
// activity's Sequence and UpdatedAt are what a feed writes as SEQUENCE and LAST-MODIFIED.
// Times are UTC. The feed is read without a principal: callers decide who may see it.
func (db *DB) ActivitiesForFeed(ctx context.Context, q FeedQuery) ([]ActivityWithGroup, error) {
	tx := db.Gorm.WithContext(ctx).Model(&Activity{})
	if q.MemberID != nil {
		tx = tx.Where(concernsMemberSQL, sql.Named("m", *q.MemberID))
	}
	if q.GroupID != nil {
		tx = tx.Where("activities.group_id = ?", *q.GroupID)
	}
	if !q.From.IsZero() {
		tx = tx.Where("activities.ends_at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		tx = tx.Where("activities.starts_at < ?", q.To.UTC())
	}
	if q.IncludeCancelledSince.IsZero() {
		tx = tx.Where("activities.status <> ?", StatusCancelled)
	} else {
		tx = tx.Where("(activities.status <> ? OR activities.cancelled_at >= ?)", StatusCancelled, q.IncludeCancelledSince.UTC())
	}
	var as []Activity
	if err := tx.Order("activities.starts_at, activities.id").Find(&as).Error; err != nil {
		return nil, Internal(err)
	}
	ptrs := make([]*Activity, len(as))
	for i := range as {
		ptrs[i] = &as[i]
	}
	if err := loadActivityChildren(db.Gorm.WithContext(ctx), ptrs); err != nil {
		return nil, err
	}
	return withGroups(db.Gorm.WithContext(ctx), as)
}
