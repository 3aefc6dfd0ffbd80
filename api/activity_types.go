package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// activityRequest is the body of create and update; absent fields are left as they are.
// Times are RFC 3339 with an offset ("2026-03-14T14:30:00+08:00"); money is yuan as a decimal
// string ("1234.50"), never a float.
type activityRequest struct {
	PlanID       *uint64          `json:"plan_id"`
	GroupID      *uint64          `json:"group_id"`
	Month        *int             `json:"month"`
	Kind         *string          `json:"kind"`
	Title        *string          `json:"title"`
	Theme        *string          `json:"theme"`
	Category     *string          `json:"category"` // a category code; "" clears it
	StartsAt     *string          `json:"starts_at"`
	EndsAt       *string          `json:"ends_at"`
	AllDay       *bool            `json:"all_day"`
	Location     *string          `json:"location"`
	Description  *string          `json:"description"`
	Status       *string          `json:"status"`
	CancelReason *string          `json:"cancel_reason"`
	Organisers   *[]uint64        `json:"organisers"` // member ids; on create, absent means the group's leaders
	Invited      *[]uint64        `json:"invited"`
	Officials    *[]officialJSON  `json:"officials"`
	Publicity    *[]publicityJSON `json:"publicity"`
	Outcomes     *[]outcomeJSON   `json:"outcomes"`
	Charity      *charityJSON     `json:"charity"`
	Version      *int             `json:"version"`
}

type officialJSON struct {
	Name  string `json:"name"`
	Body  string `json:"body"`
	Level string `json:"level"` // four_bodies_division (四套班子处级), department (部门), township (乡镇)
}

type publicityJSON struct {
	Channel string `json:"channel"`
	Link    string `json:"link"`
}

type outcomeJSON struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	Link string `json:"link"`
}

type charityJSON struct {
	MoneyYuan      *string `json:"money_yuan"`
	MaterialsYuan  *string `json:"materials_yuan"`
	VolunteerHours *int    `json:"volunteer_hours"`
}

// parseTime reads an RFC 3339 time with an offset; a time without one would be ambiguous.
func parseTime(field, s string, errs []models.FieldError) (time.Time, []models.FieldError) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, append(errs, models.FieldError{Field: field, Key: "field.wrong_type", Args: []any{localeKey("type.datetime")}})
	}
	return t, errs
}

// Patch applies the present fields to a and reports fields that cannot be parsed.
func (r *activityRequest) Patch(a *models.Activity) []models.FieldError {
	var errs []models.FieldError
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Title, r.Title)
	set(&a.Theme, r.Theme)
	set(&a.Location, r.Location)
	set(&a.Description, r.Description)
	set(&a.CancelReason, r.CancelReason)
	if r.PlanID != nil {
		a.PlanID = r.PlanID
	}
	if r.GroupID != nil {
		a.GroupID = r.GroupID
	}
	if r.Month != nil {
		a.Month = r.Month
	}
	if r.Kind != nil {
		a.Kind = models.ActivityKind(*r.Kind)
	}
	if r.Status != nil {
		a.Status = models.ActivityStatus(*r.Status)
	}
	if r.Category != nil {
		c := *r.Category
		a.Category = &c
	}
	if r.AllDay != nil {
		a.AllDay = *r.AllDay
	}
	if r.StartsAt != nil {
		a.StartsAt, errs = parseTime(models.FieldStartsAt, *r.StartsAt, errs)
	}
	if r.EndsAt != nil {
		a.EndsAt, errs = parseTime(models.FieldEndsAt, *r.EndsAt, errs)
	}
	if r.Organisers != nil {
		a.Organisers = append([]uint64{}, *r.Organisers...)
	}
	if r.Invited != nil {
		a.Invited = append([]uint64{}, *r.Invited...)
	}
	if r.Officials != nil {
		a.Officials = make([]models.ActivityOfficial, len(*r.Officials))
		for i, o := range *r.Officials {
			a.Officials[i] = models.ActivityOfficial{Name: o.Name, Body: o.Body, Level: models.OfficialLevel(o.Level)}
		}
	}
	if r.Publicity != nil {
		a.Publicity = make([]models.ActivityPublicity, len(*r.Publicity))
		for i, p := range *r.Publicity {
			a.Publicity[i] = models.ActivityPublicity{Channel: p.Channel, Link: p.Link}
		}
	}
	if r.Outcomes != nil {
		a.Outcomes = make([]models.ActivityOutcome, len(*r.Outcomes))
		for i, o := range *r.Outcomes {
			a.Outcomes[i] = models.ActivityOutcome{Kind: o.Kind, Text: o.Text, Link: o.Link}
		}
	}
	if ch := r.Charity; ch != nil {
		for _, m := range []struct {
			field string
			src   *string
			dst   *int64
		}{{"charity.money_yuan", ch.MoneyYuan, &a.CharityMoneyFen}, {"charity.materials_yuan", ch.MaterialsYuan, &a.CharityMaterialsFen}} {
			if m.src == nil {
				continue
			}
			fen, ok := models.ParseYuan(*m.src)
			if !ok {
				errs = append(errs, models.FieldError{Field: m.field, Key: "activity.money.invalid", Args: []any{*m.src}})
			}
			*m.dst = fen
		}
		if ch.VolunteerHours != nil {
			a.VolunteerHours = *ch.VolunteerHours
		}
	}
	return errs
}

type groupRef struct {
	ID      uint64   `json:"id"`
	Number  int      `json:"number"`
	Name    string   `json:"name"`
	Leaders []string `json:"leaders"`
}

type categoryRef struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type memberRef struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

type charityResponse struct {
	MoneyYuan      string `json:"money_yuan"`
	MaterialsYuan  string `json:"materials_yuan"`
	VolunteerHours int    `json:"volunteer_hours"`
}

// activityResponse is an activity as the API shows it. Times are RFC 3339 in the federation's
// time zone (Asia/Shanghai), e.g. "2026-03-14T14:30:00+08:00".
type activityResponse struct {
	ID                uint64                     `json:"id"`
	PlanYear          int                        `json:"plan_year"`
	PlanID            *uint64                    `json:"plan_id"`
	Group             *groupRef                  `json:"group"`
	Month             *int                       `json:"month"`
	Kind              models.ActivityKind        `json:"kind"`
	Title             string                     `json:"title"`
	Theme             string                     `json:"theme"`
	Category          *categoryRef               `json:"category"`
	StartsAt          time.Time                  `json:"starts_at"`
	EndsAt            time.Time                  `json:"ends_at"`
	AllDay            bool                       `json:"all_day"`
	Location          string                     `json:"location"`
	Description       string                     `json:"description"`
	Status            models.ActivityStatus      `json:"status"`
	CancelReason      string                     `json:"cancel_reason"`
	CancelledAt       *time.Time                 `json:"cancelled_at"`
	Organisers        []memberRef                `json:"organisers"`
	Invited           []uint64                   `json:"invited"`
	Officials         []models.ActivityOfficial  `json:"officials"`
	Publicity         []models.ActivityPublicity `json:"publicity"`
	Outcomes          []models.ActivityOutcome   `json:"outcomes"`
	Charity           charityResponse            `json:"charity"`
	Version           int                        `json:"version"`
	Sequence          int                        `json:"sequence"`
	AttendanceVersion int                        `json:"attendance_version"`
	CanEdit           *bool                      `json:"can_edit,omitempty"`
	Suggestions       []models.Suggestion        `json:"suggestions,omitempty"`
	CreatedAt         time.Time                  `json:"created_at"`
	UpdatedAt         time.Time                  `json:"updated_at"`
}

func (s *Server) newActivityResponse(lang locale.Lang, a *models.ActivityWithGroup) activityResponse {
	loc := s.opts.Location
	out := activityResponse{
		ID: a.ID, PlanYear: a.PlanYear, PlanID: a.PlanID, Month: a.Month, Kind: a.Kind, Title: a.Title, Theme: a.Theme,
		StartsAt: a.StartsAt.In(loc), EndsAt: a.EndsAt.In(loc), AllDay: a.AllDay, Location: a.Location,
		Description: a.Description, Status: a.Status, CancelReason: a.CancelReason,
		Invited: a.Invited, Officials: a.Officials, Publicity: a.Publicity, Outcomes: a.Outcomes,
		Charity: charityResponse{MoneyYuan: models.FormatYuan(a.CharityMoneyFen), MaterialsYuan: models.FormatYuan(a.CharityMaterialsFen),
			VolunteerHours: a.VolunteerHours},
		Version: a.Version, Sequence: a.Sequence, AttendanceVersion: a.AttendanceVersion,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
	}
	if a.CancelledAt != nil {
		t := a.CancelledAt.In(loc)
		out.CancelledAt = &t
	}
	if a.GroupID != nil {
		out.Group = &groupRef{ID: *a.GroupID, Number: a.GroupNumber, Name: a.GroupName, Leaders: a.LeaderNames}
	}
	if a.Category != nil {
		label := a.CategoryLabelZH
		if lang == locale.EN && a.CategoryLabelEN != "" {
			label = a.CategoryLabelEN
		}
		out.Category = &categoryRef{Code: *a.Category, Label: label}
	}
	out.Organisers = make([]memberRef, len(a.Organisers))
	for i, id := range a.Organisers {
		name := ""
		if i < len(a.OrganiserNames) {
			name = a.OrganiserNames[i]
		}
		out.Organisers[i] = memberRef{ID: id, Name: name}
	}
	return out
}

// conflictWithCurrent is a 409 that carries the record as it now is, so a client can show what
// changed and let the person redo their edit on top of it.
func (s *Server) conflictWithCurrent(c echo.Context, appErr *models.Error, current any) error {
	return s.errorWithBody(c, appErr, "current", current)
}

// isStale reports whether err is the stale-version conflict.
func isStale(err error) (*models.Error, bool) {
	e, ok := err.(*models.Error)
	if !ok || e.Code != models.EConflict || e.Key != "error.stale_version" {
		return nil, false
	}
	return e, true
}
