package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

type sheet struct {
	Version int `json:"version"`
	Members []struct {
		MemberID    uint64  `json:"member_id"`
		Name        string  `json:"name"`
		Status      string  `json:"status"`
		CheckedInAt *string `json:"checked_in_at"`
	} `json:"members"`
	Counts models.AttendanceCounts `json:"counts"`
}

func auditCount(t *testing.T, db *models.DB, entity string) int64 {
	_, n, err := db.ListAudit(context.Background(), models.AuditFilter{Entity: entity})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAttendanceSheet(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		path := fmt.Sprintf("/api/v1/activities/%d/attendance", fx.act1)
		body := fmt.Sprintf(`{"members":[{"member_id":%d,"status":"present"},{"member_id":%d,"status":"excused"}],"guests":[{"name":"王主任","organisation":"市商务局"},{"name":"李行长","organisation":"农商行"}],"version":1}`,
			fx.member1.ID, fx.leader1.ID)
		var s sheet
		rec := fx.do("PUT", path, body, fx.as(pLeader), &s)
		if rec.Code != 200 || s.Version != 2 || s.Counts != (models.AttendanceCounts{Present: 1, Excused: 1, Guests: 2, Attendances: 3}) {
			t.Fatalf("record: %d %s", rec.Code, rec.Body)
		}
		audits := auditCount(t, db, "attendance")
		// The same sheet again — even with the old version, as a retry would send it — changes nothing.
		rec = fx.do("PUT", path, body, fx.as(pLeader), &s)
		if rec.Code != 200 || s.Version != 2 || auditCount(t, db, "attendance") != audits {
			t.Fatalf("repeat: %d version %d, audits %d → %d", rec.Code, s.Version, audits, auditCount(t, db, "attendance"))
		}
		// A different sheet on the old version is a conflict that shows the current sheet.
		changed := strings.Replace(body, `"excused"`, `"absent"`, 1)
		var conflict struct {
			Current sheet `json:"current"`
		}
		if rec := fx.do("PUT", path, changed, nil, &conflict); rec.Code != 409 || conflict.Current.Version != 2 || conflict.Current.Counts.Attendances != 3 {
			t.Fatalf("stale sheet: %d %s", rec.Code, rec.Body)
		}
		// An edit after the fact by the secretariat is audited with before and after.
		changed = strings.Replace(changed, `"version":1`, `"version":2`, 1)
		if rec := fx.do("PUT", path, changed, nil, &s); rec.Code != 200 || s.Counts.Absent != 1 || s.Counts.Excused != 0 {
			t.Fatalf("edit: %d %s", rec.Code, rec.Body)
		}
		entries, _, _ := db.ListAudit(context.Background(), models.AuditFilter{Entity: "attendance"})
		if len(entries) != 2 || entries[0].Actor != "testadmin" || !strings.Contains(*entries[0].BeforeJSON, "excused") || !strings.Contains(*entries[0].AfterJSON, "absent") {
			t.Fatalf("audit of the edit: %+v", entries)
		}

		var e apiError
		bad := fmt.Sprintf(`{"members":[{"member_id":%d,"status":"late"},{"member_id":%d,"status":"present"},{"member_id":%d,"status":"present"}],"guests":[{"name":""}],"version":3}`,
			fx.member1.ID, fx.leader1.ID, fx.leader1.ID)
		if rec := fx.do("PUT", path, bad, nil, &e); rec.Code != 400 || e.field("members[0].status") == "" || e.field("members[2].member_id") == "" || e.field("guests[0].name") == "" {
			t.Fatalf("bad sheet: %d %s", rec.Code, rec.Body)
		}
		// Presence cannot be recorded for an activity that has not started.
		future := fmt.Sprintf(`{"members":[{"member_id":%d,"status":"present"}],"version":1}`, fx.leader2.ID)
		if rec := fx.do("PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", fx.act2), future, nil, &e); rec.Code != 400 {
			t.Fatalf("future attendance: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestSelfCheckIn(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		var code struct {
			Code string `json:"code"`
			URL  string `json:"url"`
		}
		if rec := fx.do("GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", fx.act1), "", fx.as(pLeader), &code); rec.Code != 200 ||
			len(code.Code) < 12 || !strings.HasPrefix(code.URL, "https://rota.example.cn/checkin?activity=") {
			t.Fatalf("code: %d %s", rec.Code, rec.Body)
		}
		other, _ := db.GetCheckinCode(context.Background(), fx.act2)
		checkin := func(act uint64, c string) (int, string) {
			var e apiError
			rec := fx.do("POST", fmt.Sprintf("/api/v1/activities/%d/checkin", act), `{"code":"`+c+`"}`, fx.as(pMember), &e)
			msg := e.Error.Message
			if f := e.field("code"); f != "" {
				msg = f
			}
			return rec.Code, msg
		}
		if st, msg := checkin(fx.act1, other.Code); st != 400 || msg != "签到码不属于此活动" {
			t.Fatalf("another activity's code: %d %q", st, msg)
		}
		// Before the window: the activity starts at 05:30Z, check-in opens at 04:30Z.
		fx.clock.Set(time.Date(2026, 3, 14, 4, 29, 0, 0, time.UTC))
		if st, msg := checkin(fx.act1, code.Code); st != 409 || msg != "签到尚未开始（活动开始前1小时开放）" {
			t.Fatalf("too early: %d %q", st, msg)
		}
		// After it: ends 07:30Z, closes 10:30Z.
		fx.clock.Set(time.Date(2026, 3, 14, 10, 31, 0, 0, time.UTC))
		if st, msg := checkin(fx.act1, code.Code); st != 409 || msg != "签到已结束" {
			t.Fatalf("too late: %d %q", st, msg)
		}
		fx.clock.Set(time.Date(2026, 3, 14, 4, 31, 0, 0, time.UTC))
		if st, msg := checkin(fx.act1, code.Code); st != 200 {
			t.Fatalf("in the window: %d %q", st, msg)
		}
		if st, _ := checkin(fx.act1, code.Code); st != 200 {
			t.Fatalf("checking in twice: %d", st)
		}
		var s sheet
		fx.do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", fx.act1), "", fx.as(pMember), &s)
		if s.Counts.Present != 1 || s.Members[0].Name != "吴晓梅" || s.Members[0].CheckedInAt == nil || auditCount(t, db, "attendance") != 1 {
			t.Fatalf("after check-in: %+v", s)
		}
		// A viewer or an account without a member cannot check in.
		if rec := fx.do("POST", fmt.Sprintf("/api/v1/activities/%d/checkin", fx.act1), `{"code":"`+code.Code+`"}`, nil, nil); rec.Code != 403 {
			t.Fatalf("admin without member: %d", rec.Code)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		fx := newFixture(t, db)
		body := `{"kind":"adhoc","title":"银企对接会","starts_at":"2026-05-10T09:00:00+08:00","ends_at":"2026-05-10T11:00:00+08:00"}`
		hdr := map[string]string{"Idempotency-Key": "create-1"}
		var a, b activity
		r1 := fx.do("POST", "/api/v1/activities", body, hdr, &a)
		r2 := fx.do("POST", "/api/v1/activities", body, hdr, &b)
		if r1.Code != 201 || r2.Code != 201 || a.ID != b.ID || r2.Header().Get("Idempotent-Replayed") != "true" || r2.Header().Get("Location") != r1.Header().Get("Location") {
			t.Fatalf("replay: %d %d ids %d %d", r1.Code, r2.Code, a.ID, b.ID)
		}
		var n int64
		db.Gorm.Model(&models.Activity{}).Where("title = ?", "银企对接会").Count(&n)
		if n != 1 || auditCount(t, db, "activity") != 3 {
			t.Fatalf("the repeat ran again: %d activities", n)
		}
		var e apiError
		if rec := fx.do("POST", "/api/v1/activities", strings.Replace(body, "银企", "政企", 1), hdr, &e); rec.Code != 409 || !strings.Contains(e.Error.Message, "Idempotency-Key") {
			t.Fatalf("same key, other body: %d %s", rec.Code, rec.Body)
		}
		// Keys are per account: another account's identical key runs.
		if rec := fx.do("POST", fmt.Sprintf("/api/v1/activities/%d/checkin", fx.act1), `{"code":"nope"}`, fx.as(pMember, "Idempotency-Key", "create-1"), nil); rec.Code != 400 {
			t.Fatalf("other account, same key: %d %s", rec.Code, rec.Body)
		}
		// A failed request is not stored: the same key may be retried after fixing the body.
		fx.clock.Set(fx.now.Add(25 * time.Hour))
		bad := fx.do("POST", "/api/v1/activities", `{"title":""}`, map[string]string{"Idempotency-Key": "k2"}, nil)
		good := fx.do("POST", "/api/v1/activities", body, map[string]string{"Idempotency-Key": "k2"}, nil)
		if bad.Code != 400 || good.Code != 201 {
			t.Fatalf("retry after failure: %d then %d", bad.Code, good.Code)
		}
		// After 24 hours a key is forgotten.
		if rec := fx.do("POST", "/api/v1/activities", strings.Replace(body, "银企", "政企", 1), hdr, nil); rec.Code != 201 {
			t.Fatalf("expired key: %d %s", rec.Code, rec.Body)
		}
	})
}
