package api

import "github.com/labstack/echo/v4"

// RouteInfo is one registered route: its method and path template.
type RouteInfo struct {
	Method string
	Path   string
}

// Routes lists the routes the server answers, without Echo's internal not-found routes;
// the role-matrix test checks that every one of them has a row.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound {
			continue
		}
		out = append(out, RouteInfo{Method: r.Method, Path: r.Path})
	}
	return out
}
