package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// categoryRoutes: everyone signed in reads categories; the secretariat adds, relabels and
// deletes unused ones.
func (s *Server) categoryRoutes(v1 *echo.Group) {
	admin := s.requireRole(rolesAdmin...)
	v1.GET("/categories", s.listCategories)
	v1.POST("/categories", s.createCategory, admin)
	v1.PATCH("/categories/:code", s.updateCategory, admin)
	v1.DELETE("/categories/:code", s.deleteCategory, admin)
}

type categoryRequest struct {
	Code    *string `json:"code"`
	LabelZH *string `json:"label_zh"`
	LabelEN *string `json:"label_en"`
	Version *int    `json:"version"`
}

type categoryResponse struct {
	Code    string `json:"code"`
	LabelZH string `json:"label_zh"`
	LabelEN string `json:"label_en"`
	Builtin bool   `json:"builtin"`
	Version int    `json:"version"`
}

func newCategoryResponse(c *models.Category) categoryResponse {
	return categoryResponse{Code: c.Code, LabelZH: c.LabelZH, LabelEN: c.LabelEN, Builtin: c.Builtin, Version: c.Version}
}

func (s *Server) listCategories(c echo.Context) error {
	cs, err := s.db.ListCategories(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]categoryResponse, len(cs))
	for i := range cs {
		out[i] = newCategoryResponse(&cs[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

func (s *Server) createCategory(c echo.Context) error {
	var req categoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var cat models.Category
	for _, f := range []struct {
		src *string
		dst *string
	}{{req.Code, &cat.Code}, {req.LabelZH, &cat.LabelZH}, {req.LabelEN, &cat.LabelEN}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if err := s.db.CreateCategory(c.Request().Context(), &cat); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/categories/"+cat.Code)
	setETag(c, cat.Version)
	return c.JSON(http.StatusCreated, newCategoryResponse(&cat))
}

func (s *Server) updateCategory(c echo.Context) error {
	var req categoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Code != nil && *req.Code != c.Param("code") {
		return models.Invalid(models.FieldError{Field: "code", Key: "category.code.immutable"})
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		return err
	}
	cat, err := s.db.UpdateCategory(c.Request().Context(), c.Param("code"), version, req.LabelZH, req.LabelEN)
	if stale, ok := isStale(err); ok {
		cur, cerr := s.db.GetCategory(c.Request().Context(), c.Param("code"))
		if cerr != nil {
			return cerr
		}
		return s.conflictWithCurrent(c, stale, newCategoryResponse(cur))
	}
	if err != nil {
		return err
	}
	setETag(c, cat.Version)
	return c.JSON(http.StatusOK, newCategoryResponse(cat))
}

func (s *Server) deleteCategory(c echo.Context) error {
	if err := s.db.DeleteCategory(c.Request().Context(), c.Param("code")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
