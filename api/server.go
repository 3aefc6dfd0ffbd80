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
	"github.com/gsl/rota/scheduler"
)

// Options are the settings the API needs.
type Options struct {
	BaseURL      string
	MaxBodyBytes int64
	Location     *time.Location
	DefaultLang  locale.Lang
	// Feeds tunes the calendar feeds (reminder, history, cache); zero values take the defaults.
	Feeds FeedOptions
}

// Server holds the handlers' dependencies and the router.
type Server struct {
	db   *models.DB
	log  *slog.Logger
	opts Options
	echo *echo.Echo
	// sched plans years and previews and applies the secretariat's adjustments.
	sched *scheduler.Service
	// feeds serves the calendar feeds; Handler puts its fast path in front of Echo.
	feeds *feedHandler
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
	s := &Server{db: db, log: log, opts: opts, echo: echo.New(), sched: &scheduler.Service{DB: db, Log: log}}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.requestLogger())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	// Behind a reverse proxy on the same host or private network, X-Forwarded-For names the client;
	// from anywhere else it is ignored, so sign-in throttling per address cannot be dodged.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	e.Use(s.authenticate)
	s.routes()
	return s
}

// Handler is the HTTP handler to serve: Echo, behind the fast path that answers polls of
// cached calendar feeds (feeds_fast.go).
func (s *Server) Handler() http.Handler { return &feedFastPath{h: s.feeds, next: s.echo} }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/api/v1/openapi.yaml", s.openAPI)

	// Everything under /api/v1 needs a signed-in principal, except POST /auth/login (authRoutes).
	v1 := e.Group("/api/v1", s.bodyLimit, s.requireSignIn)
	admin := s.requireRole(models.AccountAdmin)
	v1.GET("/members", s.listMembers)
	v1.POST("/members", s.createMember, admin)
	v1.GET("/members/:id", s.getMember)
	v1.PATCH("/members/:id", s.updateMember, admin)
	v1.POST("/members/:id/deactivate", s.deactivateMember, admin)
	s.authRoutes(v1)
	s.activityRoutes(v1)
	s.categoryRoutes(v1)
	s.auditRoutes(v1)
	s.planRoutes(v1)
	s.holidayRoutes(v1)
	s.feedRoutes(v1)
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
				slog.String("method", v.Method), slog.String("uri", redactFeedURI(v.URI)), slog.Int("status", v.Status),
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
