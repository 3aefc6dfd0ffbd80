package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// activityRoutes registers activities, their attendance and check-in. Reading is for every
// signed-in role (members see the activities that concern them); the rules on whose group an
// activity is are applied in models.
func (s *Server) activityRoutes(v1 *echo.Group) {
	v1.GET("/activities", s.listActivities)
	v1.POST("/activities", s.createActivity, s.requireRole(rolesAdmin...))
	v1.GET("/activities/:id", s.getActivity)
	v1.PATCH("/activities/:id", s.updateActivity, s.requireRole(rolesManage...))
	v1.GET("/activities/:id/attendance", s.getAttendance)
	v1.PUT("/activities/:id/attendance", s.putAttendance, s.requireRole(rolesManage...))
	v1.GET("/activities/:id/checkin-code", s.getCheckinCode, s.requireRole(rolesManage...))
	v1.POST("/activities/:id/checkin", s.checkIn, s.requireRole(rolesCheckIn...))
	// The page that calendar events link to (activity_page.go).
	s.echo.GET("/activities/:id", s.activityPage)
}

func (s *Server) listActivities(c echo.Context) error {
	var f models.ActivityFilter
	var errs []models.FieldError
	q := c.QueryParams()
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"year", &f.Year, models.MinActivityYear, models.MaxActivityYear}, {"month", &f.Month, 1, 12}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				errs = append(errs, models.FieldError{Field: p.name, Key: "field.out_of_range"})
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  **uint64
	}{{"group", &f.GroupID}, {"member", &f.MemberID}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				errs = append(errs, models.FieldError{Field: p.name, Key: "field.wrong_type", Args: []any{localeKey("type.integer")}})
			}
			*p.dst = &n
		}
	}
	f.Category, f.Status = q.Get("category"), models.ActivityStatus(q.Get("status"))
	if f.Status != "" && !f.Status.Valid() {
		errs = append(errs, models.FieldError{Field: "status", Key: "activity.status.invalid", Args: []any{string(f.Status)}})
	}
	f.Limit, f.Offset, errs = pageParams(c, 50, errs)
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	as, total, err := s.db.ListActivities(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := listResponse[activityResponse]{Items: make([]activityResponse, len(as)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for i := range as {
		out.Items[i] = s.newActivityResponse(s.lang(c), &as[i])
	}
	return c.JSON(http.StatusOK, out)
}

// activityDetail is the full response for one activity: with suggestions and whether the
// principal may edit it.
func (s *Server) activityDetail(c echo.Context, id uint64) (*activityResponse, error) {
	ctx := c.Request().Context()
	a, err := s.db.GetActivity(ctx, id)
	if err != nil {
		return nil, err
	}
	out := s.newActivityResponse(s.lang(c), a)
	if out.Suggestions, err = s.db.ActivitySuggestions(ctx, &a.Activity); err != nil {
		return nil, err
	}
	canEdit, err := s.db.CanManageActivity(ctx, &a.Activity)
	if err != nil {
		return nil, err
	}
	out.CanEdit = &canEdit
	return &out, nil
}

func (s *Server) getActivity(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	out, err := s.activityDetail(c, id)
	if err != nil {
		return err
	}
	setETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}

func (s *Server) createActivity(c echo.Context) error {
	var req activityRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a := models.Activity{Kind: models.KindDuty}
	if errs := req.Patch(&a); len(errs) > 0 { // organisers left nil default to the duty group's leaders
		return models.Invalid(errs...)
	}
	if err := s.db.CreateActivity(c.Request().Context(), &a); err != nil {
		return err
	}
	out, err := s.activityDetail(c, a.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/activities/"+strconv.FormatUint(a.ID, 10))
	setETag(c, out.Version)
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) updateActivity(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req activityRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	_, err = s.db.UpdateActivity(c.Request().Context(), id, version, req.Patch)
	if stale, ok := isStale(err); ok {
		current, cerr := s.activityDetail(c, id)
		if cerr != nil {
			return cerr
		}
		return s.conflictWithCurrent(c, stale, current)
	}
	if err != nil {
		return err
	}
	out, err := s.activityDetail(c, id)
	if err != nil {
		return err
	}
	setETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}
