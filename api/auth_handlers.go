package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// authRoutes registers sign-in, the signed-in person's own resources and account management.
// The sign-in is public; v1 requires a principal.
func (s *Server) authRoutes(v1 *echo.Group) {
	s.echo.POST("/api/v1/auth/login", s.login, s.bodyLimit)
	v1.POST("/auth/logout", s.logout)
	v1.GET("/auth/me", s.me)
	v1.POST("/auth/password", s.changePassword)
	v1.GET("/auth/tokens", s.listTokens)
	v1.POST("/auth/tokens", s.createToken)
	v1.DELETE("/auth/tokens/:id", s.revokeToken)

	admin := s.requireRole(rolesAdmin...)
	v1.GET("/accounts", s.listAccounts, admin)
	v1.POST("/accounts", s.createAccount, admin)
	v1.GET("/accounts/:id", s.getAccount, admin)
	v1.PATCH("/accounts/:id", s.updateAccount, admin)
	v1.POST("/accounts/:id/password", s.resetPassword, admin)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// meResponse is the signed-in person. CSRFToken is set for cookie sessions: a page reloaded
// after sign-in gets it here.
type meResponse struct {
	ID          uint64             `json:"id"`
	Username    string             `json:"username"`
	DisplayName string             `json:"display_name"`
	Role        models.AccountRole `json:"role"`
	MemberID    *uint64            `json:"member_id"`
	MemberName  string             `json:"member_name,omitempty"`
	CSRFToken   string             `json:"csrf_token,omitempty"`
	ExpiresAt   *time.Time         `json:"session_expires_at,omitempty"`
}

func (s *Server) newMeResponse(c echo.Context, a *models.Account) meResponse {
	out := meResponse{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Role: a.Role, MemberID: a.MemberID}
	if a.MemberID != nil {
		if m, err := s.db.GetMember(c.Request().Context(), *a.MemberID); err == nil {
			out.MemberName = m.Name
		}
	}
	out.CSRFToken, _ = c.Get(ctxCSRF).(string)
	return out
}

func (s *Server) login(c echo.Context) error {
	if err := s.checkOrigin(c); err != nil {
		return err
	}
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var errs []models.FieldError
	if req.Username == "" {
		errs = append(errs, models.FieldError{Field: models.FieldUsername, Key: "field.required"})
	}
	if req.Password == "" || len(req.Password) > 4*models.MaxPasswordLength {
		errs = append(errs, models.FieldError{Field: models.FieldPassword, Key: "field.required"})
	}
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	sess, err := s.db.Login(c.Request().Context(), req.Username, req.Password, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(c, sess.Token, sess.ExpiresAt)
	c.Set(ctxCSRF, sess.CSRFToken)
	out := s.newMeResponse(c, sess.Account)
	out.ExpiresAt = &sess.ExpiresAt
	return c.JSON(http.StatusOK, out)
}

func (s *Server) logout(c echo.Context) error {
	if token, ok := c.Get(ctxSession).(string); ok {
		if err := s.db.Logout(c.Request().Context(), token); err != nil {
			return err
		}
		s.setSessionCookie(c, "", time.Time{})
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	a, err := s.db.GetAccount(c.Request().Context(), principal(c).AccountID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.newMeResponse(c, a))
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (s *Server) changePassword(c echo.Context) error {
	var req passwordChangeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.NewPassword == "" {
		return models.Invalid(models.FieldError{Field: "new_password", Key: "field.required"})
	}
	if _, err := s.db.SetPassword(c.Request().Context(), principal(c).AccountID, &req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type tokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// tokenResponse describes a token; Token (the secret) is present only in the creation response.
type tokenResponse struct {
	ID         uint64     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Token      string     `json:"token,omitempty"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

func newTokenResponse(t *models.APIToken) tokenResponse {
	return tokenResponse{ID: t.ID, Name: t.Name, Prefix: t.Prefix, ExpiresAt: t.ExpiresAt.UTC(), LastUsedAt: t.LastUsedAt,
		RevokedAt: t.RevokedAt, CreatedAt: t.CreatedAt.UTC()}
}

// defaultTokenDays is a token's lifetime when the request does not say.
const defaultTokenDays = 90

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	days := defaultTokenDays
	if req.ExpiresInDays != nil {
		days = *req.ExpiresInDays
	}
	t, secret, err := s.db.CreateAPIToken(c.Request().Context(), principal(c).AccountID, req.Name, days)
	if err != nil {
		return err
	}
	out := newTokenResponse(t)
	out.Token = secret
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.db.ListAPITokens(c.Request().Context(), principal(c).AccountID)
	if err != nil {
		return err
	}
	out := make([]tokenResponse, len(ts))
	for i := range ts {
		out[i] = newTokenResponse(&ts[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.db.RevokeAPIToken(c.Request().Context(), principal(c).AccountID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
