package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// The start of a meeting: a room of members sign in on their phones and check in at once.
// On MariaDB the sign-in's sweep of expired sessions used to deadlock with the other
// sign-ins (500s); every one must now get through, and every check-in count.
func TestRoomSignsInAndChecksInAtOnce(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		const people = 16
		for i := range people {
			m := modelstest.MustCreateMember(t, db, models.Member{Name: fmt.Sprintf("签到成员%02d", i)})
			mustAccount(t, db, fmt.Sprintf("rush%02d", i), models.AccountMember, &m.ID)
		}
		code, err := db.GetCheckinCode(context.Background(), fx.act1)
		if err != nil {
			t.Fatal(err)
		}
		status := make([]string, people)
		var wg sync.WaitGroup
		for i := range people {
			wg.Go(func() { status[i] = signInAndCheckIn(fx, fmt.Sprintf("rush%02d", i), code.Code) })
		}
		wg.Wait()
		for i, s := range status {
			if s != "" {
				t.Errorf("rush%02d: %s", i, s)
			}
		}
		var sheet sheet
		fx.do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", fx.act1), "", nil, &sheet)
		if sheet.Counts.Present != people {
			t.Fatalf("%d check-ins recorded, want %d", sheet.Counts.Present, people)
		}
	})
}

// signInAndCheckIn signs in with a password and checks in with the code through the cookie
// session; it returns what went wrong, or "". It reports nothing through t: it runs on its own
// goroutine.
func signInAndCheckIn(fx *fixture, username, code string) string {
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"username":"`+username+`","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	fx.h.ServeHTTP(rec, req)
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &me) != nil || len(rec.Result().Cookies()) == 0 {
		return fmt.Sprintf("sign in: %d %s", rec.Code, rec.Body)
	}
	req = httptest.NewRequest("POST", fmt.Sprintf("/api/v1/activities/%d/checkin", fx.act1), strings.NewReader(`{"code":"`+code+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRFToken)
	req.AddCookie(rec.Result().Cookies()[0])
	rec = httptest.NewRecorder()
	fx.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		return fmt.Sprintf("check in: %d %s", rec.Code, rec.Body)
	}
	return ""
}
