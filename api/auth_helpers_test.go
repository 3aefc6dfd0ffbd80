package api_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gsl/rota/models"
)

// testPassword is every test account's password.
const testPassword = "correct-horse-9"

// mustAccount creates an account with testPassword.
func mustAccount(t testing.TB, db *models.DB, username string, role models.AccountRole, memberID *uint64) *models.Account {
	t.Helper()
	a, _, err := db.CreateAccount(context.Background(), models.NewAccount{Username: username, Role: role, MemberID: memberID, Password: testPassword})
	if err != nil {
		t.Fatalf("create account %s: %v", username, err)
	}
	return a
}

// mustToken creates an account and returns a personal API token for it.
func mustToken(t testing.TB, db *models.DB, username string, role models.AccountRole, memberID *uint64) string {
	t.Helper()
	a := mustAccount(t, db, username, role, memberID)
	_, token, err := db.CreateAPIToken(context.Background(), a.ID, "test", 30)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func strp(s string) *string { return &s }

// doQuiet sends a request from any goroutine: it reports nothing through t.
func (ts *testServer) doQuiet(method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", ts.auth)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	return rec
}
