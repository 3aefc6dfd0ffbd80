package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
)

// testServer is the real router over a real database.
type testServer struct {
	t  *testing.T
	db *models.DB
	h  http.Handler
	// auth is the Authorization header sent when a request sets neither Authorization nor
	// Cookie: an admin's token, so tests of other concerns need not sign in. Pass
	// "Authorization": "" to send a request anonymously.
	auth string
	srv  *api.Server
}

func newTestServer(t *testing.T, db *models.DB) *testServer {
	return newTestServerWith(t, db, api.Options{MaxBodyBytes: 64 << 10})
}

// newTestServerWith builds the router with opts and signs its requests in as a fresh admin.
func newTestServerWith(t *testing.T, db *models.DB, opts api.Options) *testServer {
	s := api.New(db, slog.New(slog.DiscardHandler), opts)
	ts := &testServer{t: t, db: db, h: specChecked(t, viaFastHTTP(t, s)), srv: s}
	ts.auth = "Bearer " + mustToken(t, db, "testadmin", models.AccountAdmin, nil)
	return ts
}

// do sends a request and decodes a JSON response into out (when non-nil).
func (ts *testServer) do(method, path, body string, hdr map[string]string, out any) *httptest.ResponseRecorder {
	ts.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	_, hasAuth := hdr["Authorization"]
	if _, hasCookie := hdr["Cookie"]; !hasAuth && !hasCookie && ts.auth != "" {
		req.Header.Set("Authorization", ts.auth)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			ts.t.Fatalf("%s %s: response is not JSON: %v\n%s", method, path, err, rec.Body.String())
		}
	}
	return rec
}

type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
		Fields    []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

func (e apiError) field(name string) string {
	for _, f := range e.Error.Fields {
		if f.Field == name {
			return f.Message
		}
	}
	return ""
}
