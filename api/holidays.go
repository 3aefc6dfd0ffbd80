package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler/duty"
)

func (s *Server) holidayRoutes(v1 *echo.Group) {
	v1.GET("/holidays/:year", s.getHolidays)
	v1.PUT("/holidays/:year", s.putHolidays, s.requireRole(rolesAdmin...))
}

// holidaysResponse is a year's official schedule as the planner uses it.
type holidaysResponse struct {
	Year int `json:"year"`
	// LibraryCovers says whether the holiday library has the year; when not, dates come only
	// from the secretariat's entries and proposals warn about it.
	LibraryCovers bool             `json:"library_covers"`
	Days          []holidayDay     `json:"days"`
	Overrides     []holidayDayEdit `json:"overrides"`
}

type holidayDay struct {
	Date     string `json:"date"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
}

// holidayDayEdit is one day the secretariat enters.
type holidayDayEdit struct {
	Date string `json:"date"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type holidaysRequest struct {
	Days []holidayDayEdit `json:"days"`
}

func yearParam(c echo.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < duty.MinYear || y > duty.MaxYear {
		return 0, models.Invalid(models.FieldError{Field: "year", Key: "plan.year.range", Args: []any{duty.MinYear, duty.MaxYear}})
	}
	return y, nil
}

func (s *Server) getHolidays(c echo.Context) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cal, err := s.sched.HolidayCalendar(ctx)
	if err != nil {
		return err
	}
	out := holidaysResponse{Year: year, LibraryCovers: duty.LibraryCovers(year), Days: []holidayDay{}, Overrides: []holidayDayEdit{}}
	for _, d := range cal.Year(year) {
		out.Days = append(out.Days, holidayDay{Date: d.Date.String(), Name: d.Name, Kind: string(d.Kind), KindName: d.Kind.Name()})
	}
	stored, err := s.db.AllHolidayOverrides(ctx)
	if err != nil {
		return err
	}
	for _, o := range stored {
		if o.Day.Time().Year() == year {
			out.Overrides = append(out.Overrides, holidayDayEdit{Date: o.Day.String(), Name: o.Name, Kind: o.Kind})
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) putHolidays(c echo.Context) error {
	year, err := yearParam(c)
	if err != nil {
		return err
	}
	var req holidaysRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Days) > 366 {
		return models.Invalid(models.FieldError{Field: "days", Key: "field.out_of_range"})
	}
	days := make([]models.HolidayOverride, len(req.Days))
	var errs []models.FieldError
	for i, d := range req.Days {
		day, err := models.ParseDate(d.Date)
		if err != nil || day.IsZero() {
			errs = append(errs, models.FieldError{Field: "days[" + strconv.Itoa(i) + "].date", Key: "field.wrong_type", Args: []any{localeKey("type.date")}})
		}
		days[i] = models.HolidayOverride{Day: day, Name: d.Name, Kind: d.Kind}
	}
	if errs = append(errs, models.ValidateHolidayOverrides(year, days)...); len(errs) > 0 {
		return models.Invalid(errs...)
	}
	if err := s.db.ReplaceHolidayOverrides(c.Request().Context(), year, days); err != nil {
		return err
	}
	return s.getHolidays(c)
}
