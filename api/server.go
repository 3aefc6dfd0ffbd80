// Package api is the HTTP face of rota: Echo handlers, request and response types,
// and the error handler that turns application errors into statuses and messages.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// Options are the settings the API needs.
type Options struct {
	BaseURL      string
	MaxBodyBytes int64
	Location     *time.Location
	DefaultLang  locale.Lang
}

// Server holds the handlers' dependencies and the router.
type Server struct {
	db   *models.DB
	log  *slog.Logger
	opts Options
	echo *echo.Echo
}

// New builds the router with every route and middleware.
func New(db *models.DB, log *slog.Logger, opts Options) *Server {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.DefaultLang == "" {
		opts.DefaultLang = locale.ZH
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	s := &Server{db: db, log: log, opts: opts, echo: echo.New()}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.Use(s.actor)
	s.routes()
	return s
}

// Handler is the HTTP handler to serve.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)

	v1 := e.Group("/api/v1", s.bodyLimit)
	v1.GET("/members", s.listMembers)
	v1.POST("/members", s.createMember)
	v1.GET("/members/:id", s.getMember)
	v1.PATCH("/members/:id", s.updateMember)
	v1.POST("/members/:id/deactivate", s.deactivateMember)
}

// actor attaches who is acting to the request's context so every write is audited
// under that name and request ID. Authentication replaces the anonymous actor here
// without touching the handlers.
func (s *Server) actor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		rid := c.Response().Header().Get(echo.HeaderXRequestID)
		ctx := models.WithActor(c.Request().Context(), models.Actor{Name: "anonymous", RequestID: rid})
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(context.Background(), level, "request",
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("request_id", v.RequestID))
			return nil
		},
	})
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
	return err
}

// bodyLimit refuses bodies over the configured size before any handler reads them.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.opts.MaxBodyBytes {
			return errBodyTooLarge(s.opts.MaxBodyBytes)
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, s.opts.MaxBodyBytes)
		return next(c)
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		s.log.Warn("database not reachable", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}
