package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// errorBody is what every failed request returns.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string         `json:"code"`
	Message   string         `json:"message"`
	Fields    []fieldMessage `json:"fields,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
}

type fieldMessage struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var statusOf = map[string]int{
	models.EInvalid:      http.StatusBadRequest,
	models.ENotFound:     http.StatusNotFound,
	models.EConflict:     http.StatusConflict,
	models.EForbidden:    http.StatusForbidden,
	models.EUnauthorized: http.StatusUnauthorized,
	models.ETooLarge:     http.StatusRequestEntityTooLarge,
	models.EInternal:     http.StatusInternalServerError,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
	codeRateLimited:      http.StatusTooManyRequests,
	codeUnsupportedMedia: http.StatusUnsupportedMediaType,
}

// Codes only the HTTP layer produces.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeRateLimited      = "rate_limited"
	codeUnsupportedMedia = "unsupported_media"
)

// lang is the language a request reads messages in: Accept-Language, else the default.
func (s *Server) lang(c echo.Context) locale.Lang {
	return s.langOf(c.Request().Header.Get("Accept-Language"))
}

// langOf is the language of an Accept-Language header value, the default when there is none.
func (s *Server) langOf(acceptLanguage string) locale.Lang {
	if acceptLanguage != "" {
		return locale.Parse(acceptLanguage)
	}
	return s.opts.DefaultLang
}

// detail is the error part of a response body: appErr's messages in lang.
func detail(appErr *models.Error, lang locale.Lang, requestID string) errorDetail {
	d := errorDetail{Code: appErr.Code, Message: appErr.Message(lang), RequestID: requestID}
	for _, f := range appErr.Fields {
		d.Fields = append(d.Fields, fieldMessage{Field: f.Field, Message: f.Message(lang)})
	}
	return d
}

// handleError is the one place an error becomes a response.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	appErr := s.toAppError(err)
	status := statusOf[appErr.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.Error("internal error", "err", err, "request_id", rid, "path", c.Request().URL.Path)
	}
	body := errorBody{Error: detail(appErr, s.lang(c), rid)}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, body)
}

// toAppError maps anything a handler or Echo returns onto the application error type.
func (s *Server) toAppError(err error) *models.Error {
	var appErr *models.Error
	if errors.As(err, &appErr) {
		return appErr
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return models.Errorf(models.ENotFound, "error.route_not_found")
		case http.StatusMethodNotAllowed:
			return &models.Error{Code: codeMethodNotAllowed, Key: "error.method_not_allowed"}
		case http.StatusRequestEntityTooLarge:
			return errBodyTooLarge(s.opts.MaxBodyBytes)
		case http.StatusUnauthorized:
			return models.Errorf(models.EUnauthorized, "error.unauthorized")
		case http.StatusForbidden:
			return models.Errorf(models.EForbidden, "error.forbidden")
		case http.StatusTooManyRequests:
			return &models.Error{Code: codeRateLimited, Key: "error.rate_limited"}
		case http.StatusBadRequest:
			return models.Errorf(models.EInvalid, "error.body_malformed", fmt.Sprint(he.Message))
		}
	}
	return models.Internal(err)
}

func errBodyTooLarge(limit int64) *models.Error {
	return models.Errorf(models.ETooLarge, "error.body_too_large", humanBytes(limit))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// errorWithBody renders err like handleError and adds one more field to the body, e.g. the
// current state on a conflict or the preview of a refused edit.
func (s *Server) errorWithBody(c echo.Context, err error, key string, extra any) error {
	appErr := s.toAppError(err)
	status := statusOf[appErr.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	d := detail(appErr, s.lang(c), c.Response().Header().Get(echo.HeaderXRequestID))
	return c.JSON(status, map[string]any{"error": d, key: extra})
}
