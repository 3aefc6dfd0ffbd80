package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// auditRoutes: the audit log is the secretariat's.
func (s *Server) auditRoutes(v1 *echo.Group) {
	v1.GET("/audit", s.listAudit, s.requireRole(rolesAdmin...))
}

type auditResponse struct {
	ID        uint64          `json:"id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	RequestID string          `json:"request_id"`
}

func auditJSON(s *string) json.RawMessage {
	if s == nil || !json.Valid([]byte(*s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

func (s *Server) listAudit(c echo.Context) error {
	q := c.QueryParams()
	f := models.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Actor: q.Get("actor")}
	var errs []models.FieldError
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			d, derr := models.ParseDate(v)
			if derr != nil {
				errs = append(errs, models.FieldError{Field: "since", Key: "field.wrong_type", Args: []any{localeKey("type.datetime")}})
			}
			t = time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 0, 0, 0, 0, s.opts.Location)
		}
		f.Since = t
	}
	f.Limit, f.Offset, errs = pageParams(c, 50, errs)
	if len(errs) > 0 {
		return models.Invalid(errs...)
	}
	entries, total, err := s.db.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := listResponse[auditResponse]{Items: make([]auditResponse, len(entries)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for i, e := range entries {
		out.Items[i] = auditResponse{ID: e.ID, At: e.At.In(s.opts.Location), Actor: e.Actor, Action: e.Action, Entity: e.Entity,
			EntityID: e.EntityID, Before: auditJSON(e.BeforeJSON), After: auditJSON(e.AfterJSON), RequestID: e.RequestID}
	}
	return c.JSON(http.StatusOK, out)
}
