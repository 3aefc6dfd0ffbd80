package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

type checkinCodeResponse struct {
	ActivityID uint64    `json:"activity_id"`
	Code       string    `json:"code"`
	OpensAt    time.Time `json:"opens_at"`
	ClosesAt   time.Time `json:"closes_at"`
	// URL is what the QR code at the venue encodes: the check-in page with the code filled in.
	URL string `json:"url"`
}

func (s *Server) getCheckinCode(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	code, err := s.db.GetCheckinCode(c.Request().Context(), id)
	if err != nil {
		return err
	}
	link := strings.TrimRight(s.opts.BaseURL, "/") + "/checkin?activity=" + strconv.FormatUint(id, 10) + "&code=" + url.QueryEscape(code.Code)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, checkinCodeResponse{ActivityID: id, Code: code.Code,
		OpensAt: code.Opens.In(s.opts.Location), ClosesAt: code.Closes.In(s.opts.Location), URL: link})
}

type checkinRequest struct {
	Code string `json:"code"`
}

func (s *Server) checkIn(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req checkinRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	code := strings.TrimSpace(req.Code)
	if code == "" || len(code) > 64 {
		return models.Invalid(models.FieldError{Field: "code", Key: "checkin.invalid_code"})
	}
	a, err := s.db.CheckIn(c.Request().Context(), id, code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, attendanceEntry{MemberID: a.MemberID, Status: a.Status, CheckedInAt: a.CheckedInAt})
}
