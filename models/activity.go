package models

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ActivityKind says who an activity belongs to.
type ActivityKind string

// Activity kinds: the month's duty group's activity, a federation-wide one, or an ad hoc one.
const (
	KindDuty       ActivityKind = "duty"
	KindFederation ActivityKind = "federation"
	KindAdhoc      ActivityKind = "adhoc"
)

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool { return k == KindDuty || k == KindFederation || k == KindAdhoc }

// ActivityStatus is where an activity is in its life.
type ActivityStatus string

// Activity statuses: proposed (theme/date not yet confirmed), scheduled, held, cancelled.
const (
	StatusProposed  ActivityStatus = "proposed"
	StatusScheduled ActivityStatus = "scheduled"
	StatusHeld      ActivityStatus = "held"
	StatusCancelled ActivityStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s ActivityStatus) Valid() bool {
	return s == StatusProposed || s == StatusScheduled || s == StatusHeld || s == StatusCancelled
}

// OfficialLevel is the rank of an invited official; the year-end summary counts activities
// with division-level leaders of the four leading bodies (四套班子处级领导).
type OfficialLevel string

// Official levels.
const (
	OfficialFourBodiesDivision OfficialLevel = "four_bodies_division" // 四套班子处级
	OfficialDepartment         OfficialLevel = "department"           // 部门
	OfficialTownship           OfficialLevel = "township"             // 乡镇
)

// PublicityChannels are where an activity was publicised.
var PublicityChannels = []string{"website", "wechat_group", "journal", "wechat_official", "newspaper", "tv", "other"}

// OutcomeKinds are what an activity produced.
var OutcomeKinds = []string{"research_report", "collective_proposal", "other"}

// Activity is one event: the month's duty activity of a rotation group, or a federation-wide
// or ad hoc one. Times are stored in UTC.
type Activity struct {
	ID                  uint64         `gorm:"primaryKey" json:"id"`
	PlanYear            int            `json:"plan_year"`
	PlanID              *uint64        `json:"plan_id"`
	GroupID             *uint64        `json:"group_id"` // plan_groups.id; set for duty activities
	Month               *int           `json:"month"`    // the duty month, 1–12
	Kind                ActivityKind   `json:"kind"`
	Title               string         `json:"title"`
	Theme               string         `json:"theme"`
	Category            *string        `json:"category"` // categories.code
	StartsAt            time.Time      `json:"starts_at"`
	EndsAt              time.Time      `json:"ends_at"`
	AllDay              bool           `json:"all_day"`
	Location            string         `json:"location"`
	Description         string         `json:"description"`
	Status              ActivityStatus `json:"status"`
	CancelReason        string         `json:"cancel_reason"`
	CancelledAt         *time.Time     `json:"cancelled_at"`
	CharityMoneyFen     int64          `json:"charity_money_fen"`
	CharityMaterialsFen int64          `json:"charity_materials_fen"`
	VolunteerHours      int            `json:"volunteer_hours"`
	CheckinCode         string         `json:"-"` // a secret of the room, not of the record: kept out of audits
	Version             int            `json:"version"`
	// Sequence rises whenever a detail a calendar shows changes (time, place, title, status);
	// calendar feeds write it as the event's SEQUENCE so subscribed phones update.
	Sequence          int       `json:"sequence"`
	AttendanceVersion int       `json:"attendance_version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`

	Organisers []uint64            `gorm:"-" json:"organisers"`
	Invited    []uint64            `gorm:"-" json:"invited"`
	Officials  []ActivityOfficial  `gorm:"-" json:"officials"`
	Publicity  []ActivityPublicity `gorm:"-" json:"publicity"`
	Outcomes   []ActivityOutcome   `gorm:"-" json:"outcomes"`
}

// ActivityOfficial is an official invited to an activity.
type ActivityOfficial struct {
	ID         uint64        `gorm:"primaryKey" json:"-"`
	ActivityID uint64        `json:"-"`
	Name       string        `json:"name"`
	Body       string        `json:"body"` // e.g. 市政协, 市商务局, 赛岐镇
	Level      OfficialLevel `json:"level"`
}

// ActivityPublicity is one place the activity was publicised.
type ActivityPublicity struct {
	ID         uint64 `gorm:"primaryKey" json:"-"`
	ActivityID uint64 `json:"-"`
	Channel    string `json:"channel"`
	Link       string `json:"link"`
}

// TableName is singular in the schema.
func (ActivityPublicity) TableName() string { return "activity_publicity" }

// ActivityOutcome is something an activity produced: a research report, a collective proposal.
type ActivityOutcome struct {
	ID         uint64 `gorm:"primaryKey" json:"-"`
	ActivityID uint64 `json:"-"`
	Kind       string `json:"kind"`
	Text       string `json:"text"`
	Link       string `json:"link"`
}

type activityOrganiser struct {
	ID         uint64 `gorm:"primaryKey"`
	ActivityID uint64
	MemberID   uint64
}

func (activityOrganiser) TableName() string { return "activity_organisers" }

type activityInvitee struct {
	ID         uint64 `gorm:"primaryKey"`
	ActivityID uint64
	MemberID   uint64
}

func (activityInvitee) TableName() string { return "activity_invitees" }

// Field names of activity validation errors; they match the API's JSON fields.
const (
	FieldTheme        = "theme"
	FieldCategory     = "category"
	FieldStartsAt     = "starts_at"
	FieldEndsAt       = "ends_at"
	FieldLocation     = "location"
	FieldDescription  = "description"
	FieldStatus       = "status"
	FieldCancelReason = "cancel_reason"
	FieldKind         = "kind"
	FieldPlanYear     = "plan_year"
	FieldMonth        = "month"
	FieldGroupID      = "group_id"
	FieldPlanID       = "plan_id"
)

// Limits of activity text, in characters; the MySQL columns are as wide.
var activityLimits = map[string]int{
	FieldTitle: 200, FieldTheme: 200, FieldLocation: 200, FieldDescription: 5000, FieldCancelReason: 500,
}

// Activity time bounds: a date outside them is a typo, not an activity.
const (
	MinActivityYear   = 2000
	MaxActivityYear   = 2100
	MaxActivityLength = 31 * 24 * time.Hour
	maxListLength     = 100
	maxOutcomeText    = 2000
	maxLinkLength     = 500
	maxMoneyFen       = 100_000_000_000 * 100 // a hundred billion yuan
	maxVolunteerHours = 10_000_000
)

// cleanMultiline keeps line breaks and tabs but drops the other control characters.
func cleanMultiline(s string) string {
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n"))
	return strings.TrimSpace(s)
}

// Normalize cleans the activity's text in place.
func (a *Activity) Normalize() {
	for _, p := range []*string{&a.Title, &a.Theme, &a.Location, &a.CancelReason} {
		*p = cleanText(*p)
	}
	a.Description = cleanMultiline(a.Description)
	a.StartsAt, a.EndsAt = a.StartsAt.UTC(), a.EndsAt.UTC()
	if a.Category != nil && *a.Category == "" {
		a.Category = nil
	}
	for i := range a.Officials {
		o := &a.Officials[i]
		o.Name, o.Body = cleanText(o.Name), cleanText(o.Body)
	}
	for i := range a.Publicity {
		a.Publicity[i].Link = strings.TrimSpace(a.Publicity[i].Link)
	}
	for i := range a.Outcomes {
		o := &a.Outcomes[i]
		o.Text, o.Link = cleanMultiline(o.Text), strings.TrimSpace(o.Link)
	}
	a.Organisers, a.Invited = uniqueIDs(a.Organisers), uniqueIDs(a.Invited)
}

// uniqueIDs drops repeats, keeping the first of each; nil stays nil ("not given").
func uniqueIDs(ids []uint64) []uint64 {
	if ids == nil {
		return nil
	}
	seen := map[uint64]bool{}
	out := []uint64{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Validate checks a normalised activity; references (category, plan, group, members) are
// checked against the database by the store.
func (a *Activity) Validate() []FieldError {
	var errs []FieldError
	add := func(field, key string, args ...any) {
		errs = append(errs, FieldError{Field: field, Key: key, Args: args})
	}
	if a.Title == "" {
		add(FieldTitle, "field.required")
	}
	texts := map[string]string{FieldTitle: a.Title, FieldTheme: a.Theme, FieldLocation: a.Location,
		FieldDescription: a.Description, FieldCancelReason: a.CancelReason}
	for _, f := range []string{FieldTitle, FieldTheme, FieldLocation, FieldDescription, FieldCancelReason} {
		if utf8.RuneCountInString(texts[f]) > activityLimits[f] {
			add(f, "field.too_long", activityLimits[f])
		}
	}
	if !a.Kind.Valid() {
		add(FieldKind, "activity.kind.invalid", string(a.Kind))
	}
	if !a.Status.Valid() {
		add(FieldStatus, "activity.status.invalid", string(a.Status))
	}
	if a.Status == StatusCancelled && a.CancelReason == "" {
		add(FieldCancelReason, "activity.cancel_reason.required")
	}
	if a.PlanYear < MinActivityYear || a.PlanYear > MaxActivityYear {
		add(FieldPlanYear, "activity.year.range", MinActivityYear, MaxActivityYear)
	}
	if a.Month != nil && (*a.Month < 1 || *a.Month > 12) {
		add(FieldMonth, "field.out_of_range")
	}
	if a.Kind == KindDuty && (a.GroupID == nil || a.PlanID == nil || a.Month == nil) {
		add(FieldGroupID, "activity.duty_needs_group")
	}
	if a.StartsAt.IsZero() {
		add(FieldStartsAt, "field.required")
	} else if y := a.StartsAt.Year(); y < MinActivityYear || y > MaxActivityYear {
		add(FieldStartsAt, "activity.year.range", MinActivityYear, MaxActivityYear)
	}
	if a.EndsAt.IsZero() {
		add(FieldEndsAt, "field.required")
	} else if !a.StartsAt.IsZero() {
		if a.EndsAt.Before(a.StartsAt) {
			add(FieldEndsAt, "activity.ends_before_starts")
		} else if a.EndsAt.Sub(a.StartsAt) > MaxActivityLength {
			add(FieldEndsAt, "activity.too_long", int(MaxActivityLength/(24*time.Hour)))
		}
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"organisers", len(a.Organisers)}, {"invited", len(a.Invited)}, {"officials", len(a.Officials)},
		{"publicity", len(a.Publicity)}, {"outcomes", len(a.Outcomes)}} {
		if l.n > maxListLength {
			add(l.field, "field.too_many", maxListLength)
		}
	}
	for i, o := range a.Officials {
		f := fmt.Sprintf("officials[%d]", i)
		if o.Name == "" {
			add(f+".name", "field.required")
		} else if utf8.RuneCountInString(o.Name) > 64 {
			add(f+".name", "field.too_long", 64)
		}
		if utf8.RuneCountInString(o.Body) > 100 {
			add(f+".body", "field.too_long", 100)
		}
		if o.Level != OfficialFourBodiesDivision && o.Level != OfficialDepartment && o.Level != OfficialTownship {
			add(f+".level", "activity.official_level.invalid", string(o.Level))
		}
	}
	for i, p := range a.Publicity {
		f := fmt.Sprintf("publicity[%d]", i)
		if !contains(PublicityChannels, p.Channel) {
			add(f+".channel", "activity.channel.invalid", p.Channel)
		}
		if e := checkLink(p.Link); e != "" {
			add(f+".link", e, maxLinkLength)
		}
	}
	for i, o := range a.Outcomes {
		f := fmt.Sprintf("outcomes[%d]", i)
		if !contains(OutcomeKinds, o.Kind) {
			add(f+".kind", "activity.outcome_kind.invalid", o.Kind)
		}
		if utf8.RuneCountInString(o.Text) > maxOutcomeText {
			add(f+".text", "field.too_long", maxOutcomeText)
		}
		if e := checkLink(o.Link); e != "" {
			add(f+".link", e, maxLinkLength)
		}
	}
	if a.CharityMoneyFen < 0 || a.CharityMoneyFen > maxMoneyFen {
		add("charity.money_yuan", "field.out_of_range")
	}
	if a.CharityMaterialsFen < 0 || a.CharityMaterialsFen > maxMoneyFen {
		add("charity.materials_yuan", "field.out_of_range")
	}
	if a.VolunteerHours < 0 || a.VolunteerHours > maxVolunteerHours {
		add("charity.volunteer_hours", "field.out_of_range")
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// checkLink returns a translation key when link is not an empty or http(s) address.
func checkLink(link string) string {
	if link == "" {
		return ""
	}
	if len(link) > maxLinkLength {
		return "field.too_long"
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "activity.link.invalid"
	}
	return ""
}

// ParseYuan reads an amount of money written as yuan ("1234", "1234.5", "1,234.50", "¥100")
// into fen, exactly: money is never a float.
func ParseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(strings.NewReplacer(",", "", "，", "", "¥", "", "￥", "", "元", "", " ", "").Replace(s))
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 64)
	f, err2 := strconv.ParseUint(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int64(w*100 + f), true
}

// FormatYuan writes fen as yuan with two decimals: 123456 → "1234.56".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// publishedDetailsDiffer reports whether a change touches what a calendar shows, which
// raises the activity's sequence.
func publishedDetailsDiffer(a, b *Activity) bool {
	return !a.StartsAt.Equal(b.StartsAt) || !a.EndsAt.Equal(b.EndsAt) || a.AllDay != b.AllDay ||
		a.Location != b.Location || a.Title != b.Title || a.Status != b.Status
}
