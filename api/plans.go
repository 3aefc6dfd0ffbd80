package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/scheduler"
	"github.com/gsl/rota/scheduler/duty"
	"github.com/gsl/rota/scheduler/planner"
)

func (s *Server) planRoutes(v1 *echo.Group) {
	v1.GET("/plans", s.listPlans)
	v1.POST("/plans", s.createPlan, s.requireRole(rolesAdmin...))
	v1.GET("/plans/:id", s.getPlan)
	v1.GET("/plans/:id/versions", s.planVersions)
	v1.GET("/plans/:id/members/:member_id/explain", s.explainMember)
	v1.POST("/plans/:id/edits", s.editPlan, s.requireRole(rolesAdmin...))
	v1.POST("/plans/:id/publish", s.publishPlan, s.requireRole(rolesAdmin...))
}

// createPlanRequest asks the planner for a draft of a year.
type createPlanRequest struct {
	Year        int                `json:"year"`
	Mode        string             `json:"mode"`
	Groups      int                `json:"groups"`
	Seed        uint64             `json:"seed"`
	TimeLimitMS int                `json:"time_limit_ms"`
	MinSize     int                `json:"min_size"`
	MaxSize     int                `json:"max_size"`
	Leaders     *planner.Bounds    `json:"leaders"`
	NoDuty      []duty.NoDutyMonth `json:"no_duty"`
}

func (r *createPlanRequest) options() (scheduler.DraftOptions, []models.FieldError) {
	var errs []models.FieldError
	o := scheduler.DraftOptions{Year: r.Year, Mode: planner.Mode(r.Mode), Groups: r.Groups, Seed: r.Seed,
		TimeLimit: 3 * time.Second, MinSize: r.MinSize, MaxSize: r.MaxSize, NoDuty: r.NoDuty}
	switch o.Mode {
	case "", planner.ModeIndustry, planner.ModeRegion, planner.ModeDiverse:
	default:
		errs = append(errs, models.FieldError{Field: "mode", Key: "plan.mode.invalid", Args: []any{r.Mode}})
	}
	if r.Groups < 0 || r.Groups > 500 {
		errs = append(errs, models.FieldError{Field: "groups", Key: "field.out_of_range"})
	}
	if r.TimeLimitMS < 0 || r.TimeLimitMS > 30000 {
		errs = append(errs, models.FieldError{Field: "time_limit_ms", Key: "field.out_of_range"})
	} else if r.TimeLimitMS > 0 {
		o.TimeLimit = time.Duration(r.TimeLimitMS) * time.Millisecond
	}
	if r.MinSize < 0 || r.MaxSize < 0 || (r.MaxSize > 0 && r.MinSize > r.MaxSize) {
		errs = append(errs, models.FieldError{Field: "max_size", Key: "field.out_of_range"})
	}
	if r.Leaders != nil {
		if r.Leaders.Min < 0 || r.Leaders.Max < r.Leaders.Min {
			errs = append(errs, models.FieldError{Field: "leaders", Key: "field.out_of_range"})
		}
		o.Leaders = *r.Leaders
	}
	for _, nd := range r.NoDuty {
		if nd.Month < 1 || nd.Month > 12 {
			errs = append(errs, models.FieldError{Field: "no_duty", Key: "field.out_of_range"})
			break
		}
	}
	return o, errs
}

func (s *Server) createPlan(c echo.Context) error {
	var req createPlanRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	opts, errs := req.options()
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	d, _, err := s.sched.CreateDraft(c.Request().Context(), opts)
	if err != nil {
		return err
	}
	return s.respondPlan(c, http.StatusCreated, d)
}

func (s *Server) listPlans(c echo.Context) error {
	year := 0
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < duty.MinYear || y > duty.MaxYear {
			return models.Invalid(models.FieldError{Field: "year", Key: "plan.year.range", Args: []any{duty.MinYear, duty.MaxYear}})
		}
		year = y
	}
	plans, err := s.db.ListPlans(c.Request().Context(), year)
	if err != nil {
		return err
	}
	out := listResponse[planSummary]{Items: []planSummary{}}
	for _, p := range plans {
		if canSeePlan(principal(c), &p) {
			out.Items = append(out.Items, newPlanSummary(&p))
		}
	}
	out.Total, out.Limit = int64(len(out.Items)), len(out.Items)
	return c.JSON(http.StatusOK, out)
}

// canSeePlan: drafts are the secretariat's working papers; everyone signed in sees published plans.
func canSeePlan(p *models.Principal, plan *models.Plan) bool {
	if plan.Status != models.PlanDraft {
		return true
	}
	return p != nil && (p.Role == models.AccountAdmin || p.Role == models.AccountViewer)
}

// loadVisiblePlan returns the plan's detail, or not_found when the caller may not see it, so a
// draft's existence does not leak.
func (s *Server) loadVisiblePlan(c echo.Context) (*models.PlanDetail, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	d, err := s.db.GetPlanDetail(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if !canSeePlan(principal(c), &d.Plan) {
		return nil, models.Errorf(models.ENotFound, "plan.not_found", id)
	}
	return d, nil
}

func (s *Server) getPlan(c echo.Context) error {
	d, err := s.loadVisiblePlan(c)
	if err != nil {
		return err
	}
	return s.respondPlan(c, http.StatusOK, d)
}

func (s *Server) respondPlan(c echo.Context, status int, d *models.PlanDetail) error {
	members, err := s.db.AllMembers(c.Request().Context())
	if err != nil {
		return err
	}
	setETag(c, d.Plan.Version)
	return c.JSON(status, newPlanResponse(d, members))
}

// editRequest is an adjustment: answered as a preview unless confirm is true.
type editRequest struct {
	scheduler.Edit
	Confirm        bool   `json:"confirm"`
	OverrideReason string `json:"override_reason"`
	Version        *int   `json:"version"`
}

func (s *Server) editPlan(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req editRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.OverrideReason) > 500 {
		return models.Invalid(models.FieldError{Field: "override_reason", Key: "field.too_long", Args: []any{500}})
	}
	ctx := c.Request().Context()
	if !req.Confirm {
		res, err := s.sched.Preview(ctx, id, req.Edit)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	res, err := s.sched.Apply(ctx, id, version, req.Edit, req.OverrideReason)
	if err != nil && res != nil {
		// A rule-breaking edit without an override: say why, with the preview, so the client can ask for a reason.
		return s.errorWithBody(c, err, "preview", res)
	}
	if err != nil {
		return err
	}
	setETag(c, res.Version)
	return c.JSON(http.StatusOK, res)
}

type versionRequest struct {
	Version *int `json:"version"`
}

func (s *Server) publishPlan(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req versionRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	if _, err := s.db.PublishPlan(c.Request().Context(), id, version); err != nil {
		return err
	}
	d, err := s.db.GetPlanDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.respondPlan(c, http.StatusOK, d)
}

// versionResponse is one version of a plan and what changed in it.
type versionResponse struct {
	Version   int                 `json:"version"`
	Changes   []models.PlanChange `json:"changes"`
	CreatedBy string              `json:"created_by"`
	CreatedAt time.Time           `json:"created_at"`
}

func (s *Server) planVersions(c echo.Context) error {
	d, err := s.loadVisiblePlan(c)
	if err != nil {
		return err
	}
	vs, err := s.db.PlanVersions(c.Request().Context(), d.Plan.ID)
	if err != nil {
		return err
	}
	out := make([]versionResponse, len(vs))
	for i, v := range vs {
		out[i] = versionResponse{Version: v.Version, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt.UTC(), Changes: []models.PlanChange{}}
		_ = json.Unmarshal([]byte(v.ChangesJSON), &out[i].Changes)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

func (s *Server) explainMember(c echo.Context) error {
	d, err := s.loadVisiblePlan(c)
	if err != nil {
		return err
	}
	memberID, err := strconv.ParseUint(c.Param("member_id"), 10, 64)
	if err != nil {
		return models.Invalid(models.FieldError{Field: "member_id", Key: "field.wrong_type", Args: []any{localeKey("type.integer")}})
	}
	ex, err := s.sched.Explain(c.Request().Context(), d.Plan.ID, memberID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ex)
}
