package api

import (
	"bytes"
	"embed"
	"html/template"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

//go:embed templates/*.html
var pageFS embed.FS

// pages holds every HTML template, parsed once at start-up. "t" translates a key into the
// page's language; renderPage binds it per request on a clone, so requests never share it.
var pages = template.Must(template.New("").
	Funcs(template.FuncMap{"t": func(string) string { return "" }}).
	ParseFS(pageFS, "templates/*.html"))

// renderPage executes the named template in lang and returns the HTML.
func renderPage(name string, lang locale.Lang, data any) ([]byte, error) {
	tmpl, err := pages.Clone()
	if err != nil {
		return nil, models.Internal(err)
	}
	tmpl.Funcs(template.FuncMap{"t": func(key string) string { return locale.T(lang, key) }})
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, models.Internal(err)
	}
	return buf.Bytes(), nil
}
