package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPISpec describes every route of the server. The api package's tests check every request
// they make, and its response, against it, so it cannot drift from the code.
//
//go:embed openapi.yaml
var openAPISpec []byte

// openAPIContentType is YAML's registered media type (RFC 9512).
const openAPIContentType = "application/yaml"

// openAPI answers GET /api/v1/openapi.yaml: public, so client generators and API browsers can
// read it without signing in.
func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, openAPIContentType, openAPISpec)
}
