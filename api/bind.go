package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// decodeJSON reads the request body into v strictly: JSON only, no unknown fields, one value.
// Every failure becomes a 4xx that says, per field where it can, what is wrong.
func decodeJSON(c echo.Context, v any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
			return &models.Error{Code: codeUnsupportedMedia, Key: "error.unsupported_media"}
		}
	}
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err)
		}
		return models.Errorf(models.EInvalid, "error.body_malformed", "trailing data after the JSON value")
	}
	return nil
}

// decodeOptionalJSON is decodeJSON for bodies that may be left out entirely (a version or a
// reason a client need not send).
func decodeOptionalJSON(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return decodeJSON(c, v)
}

func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return errBodyTooLarge(mbe.Limit)
	case errors.Is(err, io.EOF):
		return models.Errorf(models.EInvalid, "error.body_empty")
	case errors.As(err, &syn):
		return models.Errorf(models.EInvalid, "error.body_malformed", "offset "+strconv.FormatInt(syn.Offset, 10)+": "+syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Errorf(models.EInvalid, "error.body_malformed", "unexpected end of input")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return models.Invalid(models.FieldError{Field: field, Key: "field.wrong_type", Args: []any{typeName(typ.Type)}})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return models.Invalid(models.FieldError{Field: name, Key: "field.unknown"})
	}
	return models.Errorf(models.EInvalid, "error.body_malformed", err.Error())
}

// typeName is the translation of the JSON type a Go type expects.
func typeName(t reflect.Type) locale.Key {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "type.string"
	case reflect.Bool:
		return "type.boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "type.integer"
	case reflect.Float32, reflect.Float64:
		return "type.number"
	case reflect.Slice, reflect.Array:
		return "type.array"
	}
	return "type.object"
}
