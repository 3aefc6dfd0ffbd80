package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// accountResponse is an account as the secretariat sees it; never the password hash.
type accountResponse struct {
	ID          uint64             `json:"id"`
	Username    string             `json:"username"`
	DisplayName string             `json:"display_name"`
	Role        models.AccountRole `json:"role"`
	MemberID    *uint64            `json:"member_id"`
	Active      bool               `json:"active"`
	Version     int                `json:"version"`
	LastLoginAt *time.Time         `json:"last_login_at"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	// Password is present only when the server generated one (create, reset): shown once.
	Password string `json:"password,omitempty"`
}

func newAccountResponse(a *models.Account) accountResponse {
	return accountResponse{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Role: a.Role, MemberID: a.MemberID,
		Active: a.Active, Version: a.Version, LastLoginAt: a.LastLoginAt, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
}

type accountCreateRequest struct {
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	Role        string  `json:"role"`
	MemberID    *uint64 `json:"member_id"`
	Password    string  `json:"password"` // empty: the server generates one and returns it once
}

// accountUpdateRequest changes an account; member_id null unlinks it, absent leaves it.
type accountUpdateRequest struct {
	DisplayName *string         `json:"display_name"`
	Role        *string         `json:"role"`
	MemberID    json.RawMessage `json:"member_id"`
	Active      *bool           `json:"active"`
	Version     *int            `json:"version"`
}

func (r *accountUpdateRequest) change() (models.AccountChange, []models.FieldError) {
	ch := models.AccountChange{DisplayName: r.DisplayName, Active: r.Active}
	var errs []models.FieldError
	if r.Role != nil {
		role := models.AccountRole(*r.Role)
		ch.Role = &role
	}
	if len(r.MemberID) > 0 {
		var id *uint64
		if err := json.Unmarshal(r.MemberID, &id); err != nil || (id != nil && *id == 0) {
			errs = append(errs, models.FieldError{Field: models.FieldMemberID, Key: "field.wrong_type", Args: []any{localeKey("type.integer")}})
		}
		ch.MemberID = &id
	}
	return ch, errs
}

type passwordResetRequest struct {
	Password string `json:"password"` // empty: generate one
}

func (s *Server) listAccounts(c echo.Context) error {
	as, err := s.db.ListAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	out := listResponse[accountResponse]{Items: make([]accountResponse, len(as)), Total: int64(len(as)), Limit: len(as)}
	for i := range as {
		out.Items[i] = newAccountResponse(&as[i])
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := s.db.GetAccount(c.Request().Context(), id)
	if err != nil {
		return err
	}
	setETag(c, a.Version)
	return c.JSON(http.StatusOK, newAccountResponse(a))
}

func (s *Server) createAccount(c echo.Context) error {
	var req accountCreateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, pw, err := s.db.CreateAccount(c.Request().Context(), models.NewAccount{Username: req.Username, DisplayName: req.DisplayName,
		Role: models.AccountRole(req.Role), MemberID: req.MemberID, Password: req.Password})
	if err != nil {
		return err
	}
	out := newAccountResponse(a)
	if req.Password == "" {
		out.Password = pw
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/accounts/"+strconv.FormatUint(a.ID, 10))
	c.Response().Header().Set("Cache-Control", "no-store")
	setETag(c, a.Version)
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) updateAccount(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req accountUpdateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	ch, errs := req.change()
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	a, err := s.db.UpdateAccount(c.Request().Context(), id, version, ch)
	if err != nil {
		return err
	}
	setETag(c, a.Version)
	return c.JSON(http.StatusOK, newAccountResponse(a))
}

func (s *Server) resetPassword(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req passwordResetRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	pw, err := s.db.SetPassword(c.Request().Context(), id, nil, req.Password)
	if err != nil {
		return err
	}
	out := map[string]any{"id": id}
	if req.Password == "" {
		out["password"] = pw
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}
