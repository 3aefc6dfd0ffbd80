package models_test

import (
	"context"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

func ptr[T any](v T) *T { return &v }

func TestMemberLifecycle(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		m := modelstest.MustCreateMember(t, db, models.Member{
			Name: " 林 建华 ", Role: models.RoleVicePresident, Industry: "电机电器", Region: "赛岐",
			Mobile: ptr("１３８ ０００１-２３４５"), DeputyLevel: models.LevelCity,
			UnavailableMonths: models.MonthSet{2, 8}, JoinedOn: models.NewDate(2017, 11, 1),
		})
		got, err := db.GetMember(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "林 建华" || *got.Mobile != "13800012345" || !got.Active || got.Version != 1 {
			t.Fatalf("stored member not normalised: %+v mobile=%v", got, *got.Mobile)
		}
		if got.JoinedOn.String() != "2017-11-01" || got.UnavailableMonths.String() != "2,8" || got.DeputyLevel != models.LevelCity {
			t.Fatalf("dates/months/levels did not round-trip: %s %s %s", got.JoinedOn, got.UnavailableMonths, got.DeputyLevel)
		}

		// A second member with the same mobile is refused, naming the holder.
		err = db.CreateMember(ctx, &models.Member{Name: "重复", Role: models.RoleStandingMember, Mobile: ptr("13800012345")})
		var ae *models.Error
		if models.ErrorCode(err) != models.EConflict || !asErr(err, &ae) || ae.Fields[0].Field != "mobile" {
			t.Fatalf("duplicate mobile: got %v", err)
		}

		// Stale version is a conflict, never a silent overwrite.
		if _, err := db.UpdateMember(ctx, m.ID, 1, func(x *models.Member) { x.Company = "甲公司" }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateMember(ctx, m.ID, 1, func(x *models.Member) { x.Company = "乙公司" }); models.ErrorCode(err) != models.EConflict {
			t.Fatalf("stale update: want conflict, got %v", err)
		}
		got, _ = db.GetMember(ctx, m.ID)
		if got.Company != "甲公司" || got.Version != 2 {
			t.Fatalf("after stale update: company=%q version=%d", got.Company, got.Version)
		}

		if _, err := db.DeactivateMember(ctx, m.ID, 2, models.NewDate(2026, 6, 30)); err != nil {
			t.Fatal(err)
		}
		inactive := false
		list, total, err := db.ListMembers(ctx, models.MemberFilter{Active: &inactive})
		if err != nil || total != 1 || list[0].LeftOn.String() != "2026-06-30" {
			t.Fatalf("inactive listing: %v %d %+v", err, total, list)
		}

		entries, n, err := db.ListAudit(ctx, models.AuditFilter{Entity: "member"})
		if err != nil || n != 3 {
			t.Fatalf("audit: want 3 entries (create, update, deactivate), got %d %v", n, err)
		}
		if entries[0].Action != "member.update" || entries[0].BeforeJSON == nil || entries[0].AfterJSON == nil {
			t.Fatalf("newest audit entry should carry before and after: %+v", entries[0])
		}
	})
}

func TestMemberValidation(t *testing.T) {
	m := models.Member{Role: "boss", Mobile: ptr("12345"), Email: "not-an-email", Gender: "x",
		JoinedOn: models.NewDate(2020, 1, 1), LeftOn: models.NewDate(2019, 1, 1)}
	m.Normalize()
	fields := map[string]bool{}
	for _, f := range m.Validate() {
		fields[f.Field] = true
	}
	for _, want := range []string{"name", "role", "mobile", "email", "gender", "left_on"} {
		if !fields[want] {
			t.Errorf("no error for %s; got %v", want, fields)
		}
	}
}

func asErr(err error, target **models.Error) bool {
	e, ok := err.(*models.Error)
	*target = e
	return ok
}
