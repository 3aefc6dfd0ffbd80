package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

func TestSessionSignIn(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ts := newTestServerWith(t, db, api.Options{BaseURL: "https://rota.example.cn"})
		m := modelstest.MustCreateMember(t, db, models.Member{Name: "吴晓梅"})
		mustAccount(t, db, "wu", models.AccountMember, &m.ID)
		anon := map[string]string{"Authorization": ""}

		var e apiError
		if rec := ts.do("GET", "/api/v1/members", "", anon, &e); rec.Code != 401 || e.Error.Message != "请先登录" {
			t.Fatalf("anonymous: %d %s", rec.Code, rec.Body)
		}
		var me struct {
			Username   string `json:"username"`
			Role       string `json:"role"`
			MemberName string `json:"member_name"`
			CSRF       string `json:"csrf_token"`
		}
		rec := ts.do("POST", "/api/v1/auth/login", `{"username":"WU","password":"`+testPassword+`"}`, anon, &me)
		if rec.Code != 200 || me.Username != "wu" || me.MemberName != "吴晓梅" || me.CSRF == "" {
			t.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
		ck := rec.Result().Cookies()[0]
		if ck.Name != "rota_session" || !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Value == "" {
			t.Fatalf("cookie: %+v", ck)
		}
		cookie := map[string]string{"Cookie": "rota_session=" + ck.Value}
		if rec := ts.do("GET", "/api/v1/auth/me", "", cookie, &me); rec.Code != 200 || me.Role != "member" {
			t.Fatalf("me with cookie: %d %s", rec.Code, rec.Body)
		}
		// Unsafe requests with the cookie need the CSRF token; a bearer token does not.
		if rec := ts.do("POST", "/api/v1/auth/tokens", `{"name":"日历"}`, cookie, &e); rec.Code != 403 || !strings.Contains(e.Error.Message, "X-CSRF-Token") {
			t.Fatalf("no CSRF token: %d %s", rec.Code, rec.Body)
		}
		withCSRF := map[string]string{"Cookie": cookie["Cookie"], "X-CSRF-Token": me.CSRF}
		var tok struct {
			ID    uint64 `json:"id"`
			Token string `json:"token"`
		}
		if rec := ts.do("POST", "/api/v1/auth/tokens", `{"name":"日历","expires_in_days":30}`, withCSRF, &tok); rec.Code != 201 || !strings.HasPrefix(tok.Token, "rota_") {
			t.Fatalf("token: %d %s", rec.Code, rec.Body)
		}
		bearer := map[string]string{"Authorization": "Bearer " + tok.Token}
		if rec := ts.do("GET", "/api/v1/auth/me", "", bearer, nil); rec.Code != 200 {
			t.Fatalf("bearer: %d", rec.Code)
		}
		// The token is shown once: listings carry only its prefix.
		var list struct {
			Items []map[string]any `json:"items"`
		}
		ts.do("GET", "/api/v1/auth/tokens", "", bearer, &list)
		if len(list.Items) != 1 || list.Items[0]["token"] != nil || !strings.HasPrefix(tok.Token, list.Items[0]["prefix"].(string)) {
			t.Fatalf("token list: %+v", list.Items)
		}
		if rec := ts.do("DELETE", fmt.Sprintf("/api/v1/auth/tokens/%d", tok.ID), "", withCSRF, nil); rec.Code != 204 {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
		}
		if rec := ts.do("GET", "/api/v1/auth/me", "", bearer, &e); rec.Code != 401 {
			t.Fatalf("revoked token still works: %d", rec.Code)
		}
		// A member sees other members without their contact details.
		var members struct {
			Items []struct {
				ID     uint64  `json:"id"`
				Mobile *string `json:"mobile"`
			} `json:"items"`
		}
		modelstest.MustCreateMember(t, db, models.Member{Name: "陈志远", Mobile: strp("13950001111")})
		ts.do("GET", "/api/v1/members", "", cookie, &members)
		for _, x := range members.Items {
			if x.Mobile != nil {
				t.Fatalf("member role sees a mobile number: %+v", members.Items)
			}
		}
		// Logout ends the session.
		if rec := ts.do("POST", "/api/v1/auth/logout", "", withCSRF, nil); rec.Code != 204 {
			t.Fatalf("logout: %d", rec.Code)
		}
		if rec := ts.do("GET", "/api/v1/auth/me", "", cookie, nil); rec.Code != 401 {
			t.Fatalf("after logout: %d", rec.Code)
		}
		// A sign-in posted from another site is refused.
		if rec := ts.do("POST", "/api/v1/auth/login", `{"username":"wu","password":"`+testPassword+`"}`,
			map[string]string{"Authorization": "", "Origin": "https://evil.example.com"}, nil); rec.Code != 403 {
			t.Fatalf("cross-site login: %d", rec.Code)
		}
	})
}

func TestSignInThrottling(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	clock := &testClock{}
	clock.Set(time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	ts := newTestServer(t, db)
	mustAccount(t, db, "chen", models.AccountLeader, nil)
	login := func(user, pw, addr string) (int, string) {
		var e apiError
		rec := ts.do("POST", "/api/v1/auth/login", `{"username":"`+user+`","password":"`+pw+`"}`,
			map[string]string{"Authorization": "", "X-Forwarded-For": addr}, &e)
		return rec.Code, e.Error.Message
	}
	for i := 0; i < 5; i++ {
		if st, msg := login("chen", "wrong-password", ""); st != 401 || msg != "用户名或密码不正确" {
			t.Fatalf("failure %d: %d %q", i, st, msg)
		}
	}
	// The sixth attempt is refused even with the right password, in Chinese.
	if st, msg := login("chen", testPassword, ""); st != 429 || msg != "登录失败次数过多，请 15 分钟后再试" {
		t.Fatalf("after 5 failures: %d %q", st, msg)
	}
	clock.Set(clock.Now().Add(15*time.Minute + time.Second))
	if st, _ := login("chen", testPassword, ""); st != 200 {
		t.Fatalf("after the window: %d", st)
	}
	// Per address: 20 failures over many usernames block the address for every account.
	for i := 0; i < 20; i++ {
		login(fmt.Sprintf("nobody%d", i), "x-password", "")
	}
	if st, _ := login("chen", testPassword, ""); st != 429 {
		t.Fatalf("address after 20 failures: %d", st)
	}
}
