package models

import (
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
)

// activityZone is the federation's clock for months and years: Asia/Shanghai. China has kept
// UTC+8 without daylight saving since 1991, so a fixed zone is exact for every year an
// activity may have (2000–2100) and needs no tzdata on the server.
var activityZone = time.FixedZone("Asia/Shanghai", 8*60*60)

// ActivityWithGroup is an activity with what a reader needs besides its own row: its rotation
// group's number and name, the names of the group's leaders and of the organisers, and the
// category's labels. Lists, details and calendar feeds all return it.
type ActivityWithGroup struct {
	Activity
	GroupNumber     int      // 0 when the activity has no group
	GroupName       string   // e.g. 第3轮值组
	LeaderNames     []string // the group's leaders (vice-chairs, vice-presidents), in roster order
	OrganiserNames  []string // in the order of Activity.Organisers
	CategoryLabelZH string
	CategoryLabelEN string
}

func getActivity(tx *gorm.DB, id uint64) (*Activity, error) {
	var a Activity
	err := tx.First(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENotFound, "activity.not_found", id)
	}
	if err != nil {
		return nil, Internal(err)
	}
	if err := loadActivityChildren(tx, []*Activity{&a}); err != nil {
		return nil, err
	}
	return &a, nil
}

// loadActivityChildren fills the lists of each activity with one query per list.
func loadActivityChildren(tx *gorm.DB, as []*Activity) error {
	if len(as) == 0 {
		return nil
	}
	ids := make([]uint64, len(as))
	byID := map[uint64]*Activity{}
	for i, a := range as {
		ids[i] = a.ID
		byID[a.ID] = a
		a.Organisers, a.Invited = []uint64{}, []uint64{}
		a.Officials, a.Publicity, a.Outcomes = []ActivityOfficial{}, []ActivityPublicity{}, []ActivityOutcome{}
	}
	var orgs []activityOrganiser
	var invs []activityInvitee
	var offs []ActivityOfficial
	var pubs []ActivityPublicity
	var outs []ActivityOutcome
	for _, q := range []any{&orgs, &invs, &offs, &pubs, &outs} {
		if err := tx.Where("activity_id IN ?", ids).Order("id").Find(q).Error; err != nil {
			return Internal(err)
		}
	}
	for _, o := range orgs {
		byID[o.ActivityID].Organisers = append(byID[o.ActivityID].Organisers, o.MemberID)
	}
	for _, o := range invs {
		byID[o.ActivityID].Invited = append(byID[o.ActivityID].Invited, o.MemberID)
	}
	// Children are values: their row ids are dropped so an edit compares by content.
	for _, o := range offs {
		a := byID[o.ActivityID]
		o.ID, o.ActivityID = 0, 0
		a.Officials = append(a.Officials, o)
	}
	for _, o := range pubs {
		a := byID[o.ActivityID]
		o.ID, o.ActivityID = 0, 0
		a.Publicity = append(a.Publicity, o)
	}
	for _, o := range outs {
		a := byID[o.ActivityID]
		o.ID, o.ActivityID = 0, 0
		a.Outcomes = append(a.Outcomes, o)
	}
	return nil
}

// withGroups decorates activities (children already loaded) with group, leader, organiser
// and category names, in a fixed number of queries whatever the count.
func withGroups(tx *gorm.DB, as []Activity) ([]ActivityWithGroup, error) {
	out := make([]ActivityWithGroup, len(as))
	var groupIDs, memberIDs []uint64
	var codes []string
	for i, a := range as {
		out[i].Activity = a
		if a.GroupID != nil {
			groupIDs = append(groupIDs, *a.GroupID)
		}
		memberIDs = append(memberIDs, a.Organisers...)
		if a.Category != nil {
			codes = append(codes, *a.Category)
		}
	}
	groups := map[uint64]PlanGroup{}
	leaders := map[uint64][]string{}
	if len(groupIDs) > 0 {
		var gs []PlanGroup
		if err := tx.Where("id IN ?", groupIDs).Find(&gs).Error; err != nil {
			return nil, Internal(err)
		}
		for _, g := range gs {
			groups[g.ID] = g
		}
		var rows []struct {
			GroupID uint64
			Name    string
		}
		err := tx.Table("plan_group_members").Select("plan_group_members.group_id, members.name").
			Joins("JOIN members ON members.id = plan_group_members.member_id").
			Where("plan_group_members.group_id IN ? AND plan_group_members.is_leader = ?", groupIDs, true).
			Order(roleOrderSQL + ", members.id").Scan(&rows).Error
		if err != nil {
			return nil, Internal(err)
		}
		for _, r := range rows {
			leaders[r.GroupID] = append(leaders[r.GroupID], r.Name)
		}
	}
	names := map[uint64]string{}
	if len(memberIDs) > 0 {
		var ms []Member
		if err := tx.Select("id", "name").Where("id IN ?", memberIDs).Find(&ms).Error; err != nil {
			return nil, Internal(err)
		}
		for _, m := range ms {
			names[m.ID] = m.Name
		}
	}
	cats := map[string]Category{}
	if len(codes) > 0 {
		var cs []Category
		if err := tx.Where("code IN ?", codes).Find(&cs).Error; err != nil {
			return nil, Internal(err)
		}
		for _, c := range cs {
			cats[c.Code] = c
		}
	}
	for i := range out {
		a := &out[i]
		if a.GroupID != nil {
			g := groups[*a.GroupID]
			a.GroupNumber, a.GroupName = g.Number, g.Name
			a.LeaderNames = slices.Clone(leaders[*a.GroupID])
		}
		if a.LeaderNames == nil {
			a.LeaderNames = []string{}
		}
		a.OrganiserNames = make([]string, len(a.Organisers))
		for j, id := range a.Organisers {
			a.OrganiserNames[j] = names[id]
		}
		if a.Category != nil {
			c := cats[*a.Category]
			a.CategoryLabelZH, a.CategoryLabelEN = c.LabelZH, c.LabelEN
		}
	}
	return out, nil
}

// concernsMemberSQL selects the activities that concern a member: those of a group they are in,
// those they organise or are invited to, and federation-wide ones, which concern everyone.
const concernsMemberSQL = "(activities.group_id IN (SELECT group_id FROM plan_group_members WHERE member_id = @m)" +
	" OR activities.id IN (SELECT activity_id FROM activity_organisers WHERE member_id = @m)" +
	" OR activities.id IN (SELECT activity_id FROM activity_invitees WHERE member_id = @m)" +
	" OR activities.kind = 'federation')"
