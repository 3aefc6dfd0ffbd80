package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// memberRequest is the body of create and update; absent fields are left as they are.
type memberRequest struct {
	MemberNo          *string `json:"member_no"`
	Name              *string `json:"name"`
	Gender            *string `json:"gender"`
	Company           *string `json:"company"`
	Title             *string `json:"title"`
	Role              *string `json:"role"`
	Industry          *string `json:"industry"`
	Region            *string `json:"region"`
	Mobile            *string `json:"mobile"`
	Email             *string `json:"email"`
	DeputyLevel       *string `json:"deputy_level"`
	CPPCCLevel        *string `json:"cppcc_level"`
	JoinedOn          *string `json:"joined_on"`
	LeftOn            *string `json:"left_on"`
	UnavailableMonths *[]int  `json:"unavailable_months"`
	// Version guards updates against overwriting someone else's edit (or send If-Match).
	Version *int `json:"version"`
}

// Patch applies the present fields to m and reports fields that cannot be parsed.
func (r *memberRequest) Patch(m *models.Member) []models.FieldError {
	var errs []models.FieldError
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&m.Name, r.Name)
	set(&m.Gender, r.Gender)
	set(&m.Company, r.Company)
	set(&m.Title, r.Title)
	set(&m.Industry, r.Industry)
	set(&m.Region, r.Region)
	set(&m.Email, r.Email)
	if r.MemberNo != nil {
		m.MemberNo = r.MemberNo
	}
	if r.Mobile != nil {
		m.Mobile = r.Mobile
	}
	if r.Role != nil {
		role, ok := models.ParseRole(*r.Role)
		if !ok {
			errs = append(errs, models.FieldError{Field: models.FieldRole, Key: "member.role.invalid", Args: []any{*r.Role}})
		}
		m.Role = role
	}
	for _, lv := range []struct {
		field string
		src   *string
		dst   *models.Level
	}{{models.FieldDeputy, r.DeputyLevel, &m.DeputyLevel}, {models.FieldCPPCC, r.CPPCCLevel, &m.CPPCCLevel}} {
		if lv.src == nil {
			continue
		}
		l, ok := models.ParseLevel(*lv.src)
		if !ok {
			errs = append(errs, models.FieldError{Field: lv.field, Key: "member.level.invalid", Args: []any{*lv.src}})
		}
		*lv.dst = l
	}
	for _, d := range []struct {
		field string
		src   *string
		dst   *models.Date
	}{{models.FieldJoinedOn, r.JoinedOn, &m.JoinedOn}, {models.FieldLeftOn, r.LeftOn, &m.LeftOn}} {
		if d.src == nil {
			continue
		}
		v, err := models.ParseDate(*d.src)
		if err != nil {
			errs = append(errs, models.FieldError{Field: d.field, Key: "field.wrong_type", Args: []any{localeKey("type.date")}})
		}
		*d.dst = v
	}
	if r.UnavailableMonths != nil {
		ms := models.MonthSet{}
		for _, mo := range *r.UnavailableMonths {
			if mo < 1 || mo > 12 {
				errs = append(errs, models.FieldError{Field: "unavailable_months", Key: "field.out_of_range"})
				break
			}
			if !ms.Has(mo) {
				ms = append(ms, mo)
			}
		}
		m.UnavailableMonths = ms
	}
	return errs
}

// memberResponse is a member as the API shows it.
type memberResponse struct {
	ID                uint64       `json:"id"`
	MemberNo          *string      `json:"member_no"`
	Name              string       `json:"name"`
	Gender            string       `json:"gender"`
	Company           string       `json:"company"`
	Title             string       `json:"title"`
	Role              models.Role  `json:"role"`
	RoleLabel         string       `json:"role_label"`
	Industry          string       `json:"industry"`
	Region            string       `json:"region"`
	Mobile            *string      `json:"mobile"`
	Email             string       `json:"email"`
	DeputyLevel       models.Level `json:"deputy_level"`
	CPPCCLevel        models.Level `json:"cppcc_level"`
	Active            bool         `json:"active"`
	JoinedOn          models.Date  `json:"joined_on"`
	LeftOn            models.Date  `json:"left_on"`
	UnavailableMonths []int        `json:"unavailable_months"`
	Version           int          `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

func newMemberResponse(m *models.Member) memberResponse {
	months := []int(m.UnavailableMonths)
	if months == nil {
		months = []int{}
	}
	return memberResponse{
		ID: m.ID, MemberNo: m.MemberNo, Name: m.Name, Gender: m.Gender, Company: m.Company, Title: m.Title,
		Role: m.Role, RoleLabel: m.Role.Label(), Industry: m.Industry, Region: m.Region, Mobile: m.Mobile,
		Email: m.Email, DeputyLevel: m.DeputyLevel, CPPCCLevel: m.CPPCCLevel, Active: m.Active,
		JoinedOn: m.JoinedOn, LeftOn: m.LeftOn, UnavailableMonths: months, Version: m.Version,
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
}

// listResponse is one page of a listing.
type listResponse[T any] struct {
	Items  []T   `json:"items"`
	Total  int64 `json:"total"`
	Limit  int   `json:"limit"`
	Offset int   `json:"offset"`
}

func (s *Server) listMembers(c echo.Context) error {
	var f models.MemberFilter
	var errs []models.FieldError
	q := c.QueryParams()
	if v := q.Get("role"); v != "" {
		role, ok := models.ParseRole(v)
		if !ok {
			errs = append(errs, models.FieldError{Field: "role", Key: "member.role.invalid", Args: []any{v}})
		}
		f.Role = role
	}
	f.Industry, f.Region, f.Query = q.Get("industry"), q.Get("region"), q.Get("q")
	if v := q.Get("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, models.FieldError{Field: "active", Key: "field.wrong_type", Args: []any{localeKey("type.boolean")}})
		}
		f.Active = &b
	}
	f.Limit, f.Offset, errs = pageParams(c, 200, errs)
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	members, total, err := s.db.ListMembers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := listResponse[memberResponse]{Items: make([]memberResponse, len(members)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for i := range members {
		out.Items[i] = redactMember(c, newMemberResponse(&members[i]))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getMember(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	m, err := s.db.GetMember(c.Request().Context(), id)
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	return c.JSON(http.StatusOK, redactMember(c, newMemberResponse(m)))
}

func (s *Server) createMember(c echo.Context) error {
	var req memberRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var m models.Member
	errs := req.Patch(&m)
	if req.Role == nil {
		errs = append(errs, models.FieldError{Field: models.FieldRole, Key: "field.required"})
	}
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	if err := s.db.CreateMember(c.Request().Context(), &m); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/members/"+strconv.FormatUint(m.ID, 10))
	setETag(c, m.Version)
	return c.JSON(http.StatusCreated, newMemberResponse(&m))
}

func (s *Server) updateMember(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req memberRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var patchErrs []models.FieldError
	m, err := s.db.UpdateMember(c.Request().Context(), id, version, func(m *models.Member) { patchErrs = req.Patch(m) })
	if len(patchErrs) > 0 {
		return models.Invalid(patchErrs...)
	}
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	return c.JSON(http.StatusOK, newMemberResponse(m))
}

// deactivateRequest optionally says when the member left and which version the client saw.
type deactivateRequest struct {
	LeftOn  *string `json:"left_on"`
	Version *int    `json:"version"`
}

func (s *Server) deactivateMember(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req deactivateRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	var leftOn models.Date
	if req.LeftOn != nil {
		if leftOn, err = models.ParseDate(*req.LeftOn); err != nil {
			return models.Invalid(models.FieldError{Field: models.FieldLeftOn, Key: "field.wrong_type", Args: []any{localeKey("type.date")}})
		}
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	m, err := s.db.DeactivateMember(c.Request().Context(), id, version, leftOn)
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	return c.JSON(http.StatusOK, newMemberResponse(m))
}

// idParam reads the :id path parameter.
func idParam(c echo.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, models.Invalid(models.FieldError{Field: "id", Key: "field.wrong_type", Args: []any{localeKey("type.integer")}})
	}
	return id, nil
}

// pageParams reads limit and offset; limit defaults to def and is capped at 1000.
func pageParams(c echo.Context, def int, errs []models.FieldError) (int, int, []models.FieldError) {
	limit, offset := def, 0
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &limit, 1000}, {"offset", &offset, 1 << 30}} {
		v := c.QueryParam(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > p.max || (p.name == "limit" && n == 0) {
			errs = append(errs, models.FieldError{Field: p.name, Key: "field.out_of_range"})
			continue
		}
		*p.dst = n
	}
	return limit, offset, errs
}

// expectedVersion takes the version the client last saw from If-Match ("3" or W/"3") or the body.
// It is required: an update that does not say which version it edits could silently overwrite another's.
func expectedVersion(c echo.Context, body *int) (int, error) {
	if h := c.Request().Header.Get("If-Match"); h != "" && h != "*" {
		v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
		if err != nil {
			return 0, models.Invalid(models.FieldError{Field: "If-Match", Key: "field.wrong_type", Args: []any{localeKey("type.integer")}})
		}
		return v, nil
	}
	if body != nil && *body > 0 {
		return *body, nil
	}
	return 0, models.Invalid(models.FieldError{Field: "version", Key: "field.version_required"})
}

func setETag(c echo.Context, version int) {
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}

// redactMember hides other members' contact details from member-role accounts: a standing
// member may see who is in the committee, not everyone's mobile and e-mail. Admins, leaders
// and viewers work with the roster and see it whole.
func redactMember(c echo.Context, r memberResponse) memberResponse {
	p := principal(c)
	if p == nil || p.Role != models.AccountMember || (p.MemberID != nil && *p.MemberID == r.ID) {
		return r
	}
	r.Mobile, r.Email, r.MemberNo = nil, "", nil
	return r
}
