package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// How a request proves who it is:
//
//   - Browsers sign in with POST /api/v1/auth/login and get a session cookie (HttpOnly,
//     SameSite=Lax, Secure when base_url is https). Unsafe requests (POST, PUT, PATCH, DELETE)
//     made with the cookie must carry the session's CSRF token in the X-CSRF-Token header: a
//     synchronizer token bound to the session, returned by login and by GET /auth/me. A page of
//     another site can make the browser send the cookie but cannot read the token. The sign-in
//     itself has no session yet, so it checks the Origin header against base_url instead.
//   - Scripts and calendar tools send a personal token: Authorization: Bearer rota_…. Such
//     requests carry no ambient credential, so they need no CSRF token.
//
// Everything under /api/v1 except the sign-in needs one of the two; /healthz, /readyz and the
// calendar feeds stay public.

// Cookie and header names.
const (
	sessionCookie = "rota_session"
	csrfHeader    = "X-CSRF-Token"
)

// Keys of what authentication leaves on the echo.Context.
const (
	ctxPrincipal = "rota.principal"
	ctxCSRF      = "rota.csrf"
	ctxSession   = "rota.session"
)

// authenticate resolves the request's credentials, if any, into the principal and makes it
// the audit actor. Under /api it refuses only a bad bearer token, which is always a mistake
// worth telling; routes decide whether they need a principal. Elsewhere (health checks, feeds,
// pages) credentials that cannot be checked leave the request anonymous, so a health check
// still answers when the database does not.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		rid := c.Response().Header().Get(echo.HeaderXRequestID)
		ctx := models.WithActor(req.Context(), models.Actor{Name: "anonymous", RequestID: rid})
		p, err := s.resolvePrincipal(c, ctx)
		if err != nil && strings.HasPrefix(req.URL.Path, "/api/") {
			return err
		}
		if p != nil {
			ctx = models.WithPrincipal(ctx, p)
			c.Set(ctxPrincipal, p)
		}
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}

// resolvePrincipal checks a bearer token or, failing that, the session cookie.
func (s *Server) resolvePrincipal(c echo.Context, ctx context.Context) (*models.Principal, error) {
	req := c.Request()
	var p *models.Principal
	if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return nil, models.Errorf(models.EUnauthorized, "auth.token.invalid")
		}
		return s.db.TokenPrincipal(ctx, strings.TrimSpace(token))
	} else if ck, err := req.Cookie(sessionCookie); err == nil && ck.Value != "" {
		sp, csrf, err := s.db.SessionPrincipal(ctx, ck.Value)
		switch {
		case err == nil:
			p = sp
			c.Set(ctxCSRF, csrf)
			c.Set(ctxSession, ck.Value)
		case models.ErrorCode(err) != models.EUnauthorized:
			return nil, err
		}
	}
	return p, nil
}

// requireSignIn refuses anonymous requests (401) and cookie-authenticated unsafe requests
// without the session's CSRF token (403), then honours Idempotency-Key on POSTs.
func (s *Server) requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	next = s.idempotency(next)
	return func(c echo.Context) error {
		if principal(c) == nil {
			return models.Errorf(models.EUnauthorized, "error.unauthorized")
		}
		if csrf, ok := c.Get(ctxCSRF).(string); ok && !safeMethod(c.Request().Method) {
			got := c.Request().Header.Get(csrfHeader)
			if subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
				return models.Errorf(models.EForbidden, "auth.csrf")
			}
		}
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// principal returns the signed-in principal of the request, or nil.
func principal(c echo.Context) *models.Principal {
	p, _ := c.Get(ctxPrincipal).(*models.Principal)
	return p
}

// requireRole lets through only principals with one of roles; others get 403. Use it on any
// route whose rule depends only on the role (the plans engineer: requireRole(models.AccountAdmin)).
// Rules that depend on the record — a leader's own group — belong in models.
func (s *Server) requireRole(roles ...models.AccountRole) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principal(c)
			if p == nil {
				return models.Errorf(models.EUnauthorized, "error.unauthorized")
			}
			if !slices.Contains(roles, p.Role) {
				return models.Errorf(models.EForbidden, "error.forbidden")
			}
			return next(c)
		}
	}
}

// Shorthands for the role sets routes use.
var (
	rolesAdmin   = []models.AccountRole{models.AccountAdmin}
	rolesManage  = []models.AccountRole{models.AccountAdmin, models.AccountLeader}
	rolesCheckIn = []models.AccountRole{models.AccountAdmin, models.AccountLeader, models.AccountMember}
)

// secureCookies reports whether cookies get the Secure flag: when the service is reached over https.
func (s *Server) secureCookies() bool {
	return strings.HasPrefix(strings.ToLower(s.opts.BaseURL), "https://")
}

func (s *Server) setSessionCookie(c echo.Context, value string, expires time.Time) {
	ck := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(), Expires: expires}
	if value == "" {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

// checkOrigin refuses a sign-in posted from another site (login CSRF). Requests without an
// Origin header (curl, scripts) are let through: they cannot carry a victim's browser state.
func (s *Server) checkOrigin(c echo.Context) error {
	origin := c.Request().Header.Get("Origin")
	if origin == "" || s.opts.BaseURL == "" {
		return nil
	}
	base, err := url.Parse(s.opts.BaseURL)
	if err != nil {
		return nil
	}
	if !strings.EqualFold(origin, base.Scheme+"://"+base.Host) {
		return models.Errorf(models.EForbidden, "auth.origin")
	}
	return nil
}
