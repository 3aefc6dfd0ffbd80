package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// attendanceRequest is the whole sheet of an activity. PUT replaces what is stored.
type attendanceRequest struct {
	Members []struct {
		MemberID uint64 `json:"member_id"`
		Status   string `json:"status"` // present, absent, excused
	} `json:"members"`
	Guests []struct {
		Name         string `json:"name"`
		Organisation string `json:"organisation"`
	} `json:"guests"`
	Version *int `json:"version"`
}

type attendanceEntry struct {
	MemberID    uint64                  `json:"member_id"`
	Name        string                  `json:"name"`
	Status      models.AttendanceStatus `json:"status"`
	CheckedInAt *time.Time              `json:"checked_in_at"`
}

type attendanceResponse struct {
	ActivityID uint64                  `json:"activity_id"`
	Version    int                     `json:"version"`
	Members    []attendanceEntry       `json:"members"`
	Guests     []models.Guest          `json:"guests"`
	Counts     models.AttendanceCounts `json:"counts"`
}

func newAttendanceResponse(s *models.AttendanceSheet) attendanceResponse {
	out := attendanceResponse{ActivityID: s.ActivityID, Version: s.Version, Members: make([]attendanceEntry, len(s.Members)),
		Guests: s.Guests, Counts: s.Counts()}
	for i, m := range s.Members {
		out.Members[i] = attendanceEntry{MemberID: m.MemberID, Name: m.MemberName, Status: m.Status, CheckedInAt: m.CheckedInAt}
	}
	return out
}

func (s *Server) getAttendance(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	sheet, err := s.db.GetAttendance(c.Request().Context(), id)
	if err != nil {
		return err
	}
	setETag(c, sheet.Version)
	return c.JSON(http.StatusOK, newAttendanceResponse(sheet))
}

// putAttendance records the whole sheet. The same sheet twice is a no-op (200, no audit), so a
// retry is safe; a different sheet needs the version the client last saw.
func (s *Server) putAttendance(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req attendanceRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		version = 0 // only an identical sheet is accepted without a version
	}
	sheet := &models.AttendanceSheet{ActivityID: id}
	for _, m := range req.Members {
		sheet.Members = append(sheet.Members, models.Attendance{MemberID: m.MemberID, Status: models.AttendanceStatus(m.Status)})
	}
	for _, g := range req.Guests {
		sheet.Guests = append(sheet.Guests, models.Guest{Name: g.Name, Organisation: g.Organisation})
	}
	out, _, err := s.db.ReplaceAttendance(c.Request().Context(), id, version, sheet)
	if stale, ok := isStale(err); ok {
		cur, cerr := s.db.GetAttendance(c.Request().Context(), id)
		if cerr != nil {
			return cerr
		}
		return s.conflictWithCurrent(c, stale, newAttendanceResponse(cur))
	}
	if err != nil {
		return err
	}
	setETag(c, out.Version)
	return c.JSON(http.StatusOK, newAttendanceResponse(out))
}
