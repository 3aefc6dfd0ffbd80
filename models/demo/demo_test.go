package demo_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
	"github.com/gsl/rota/models/modelstest"
)

// TestRosterShape checks the demo federation has the reference shape the planner is tuned on.
func TestRosterShape(t *testing.T) {
	recs, err := csv.NewReader(bytes.NewReader(demo.RosterCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	people := recs[1:]
	if len(people) != 132 {
		t.Fatalf("%d people, want 132", len(people))
	}
	roles := map[models.Role]int{}
	industries := map[string]int{}
	regions := map[string]int{}
	mobiles := map[string]bool{}
	names := map[string]bool{}
	deputies, cppcc, emails, unavailable, joined2017 := 0, 0, 0, 0, 0
	for _, r := range people {
		role, ok := models.ParseRole(r[5])
		if !ok {
			t.Fatalf("role %q not recognised", r[5])
		}
		roles[role]++
		if r[6] != "" {
			industries[r[6]]++
		}
		regions[r[7]]++
		if mobiles[r[8]] {
			t.Errorf("mobile %s repeated", r[8])
		}
		if _, ok := models.NormalizeMobile(r[8]); !ok {
			t.Errorf("mobile %s not valid", r[8])
		}
		mobiles[r[8]] = true
		if names[r[1]] {
			t.Errorf("name %s repeated", r[1])
		}
		names[r[1]] = true
		if r[9] != "" {
			emails++
		}
		if r[10] != "" {
			deputies++
		}
		if r[11] != "" {
			cppcc++
		}
		if r[14] != "" {
			unavailable++
		}
		if r[12] == "2017-11-01" {
			joined2017++
		}
	}
	wantRoles := map[models.Role]int{models.RoleChair: 1, models.RoleOfficer: 2, models.RoleViceChair: 9,
		models.RoleVicePresident: 27, models.RoleStandingMember: 93}
	for r, n := range wantRoles {
		if roles[r] != n {
			t.Errorf("%s: %d, want %d", r.Label(), roles[r], n)
		}
	}
	if industries["电机电器"] != 28 || industries["茶业"] != 14 || industries["船舶修造"] != 10 || len(industries) < 12 {
		t.Errorf("industries not the uneven county mix: %v", industries)
	}
	if regions["城阳"] <= regions["溪北洋"] || regions["城阳"]+regions["赛岐"] < 30 || len(regions) < 15 {
		t.Errorf("regions not spread as a county's are: %v", regions)
	}
	if deputies != 14 || cppcc != 30 {
		t.Errorf("%d deputies and %d CPPCC members, want 14 and 30", deputies, cppcc)
	}
	if emails < 3 || emails > 30 || unavailable < 3 || unavailable > 30 || joined2017 < 100 {
		t.Errorf("emails %d, unavailable %d, joined 2017-11-01 %d: want a few, a few, most", emails, unavailable, joined2017)
	}
}

// TestLoad loads the demo federation into an empty database once, and never over real data.
func TestLoad(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		n, err := demo.Load(ctx, db)
		if err != nil || n != 132 {
			t.Fatalf("Load = %d, %v; want 132", n, err)
		}
		all, err := db.AllMembers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 132 || all[0].Role != models.RoleChair || all[0].MemberNo == nil || *all[0].MemberNo != "FA001" {
			t.Fatalf("first of %d members: %+v", len(all), all[0])
		}
		if n, err := demo.Load(ctx, db); err != nil || n != 0 {
			t.Fatalf("second Load = %d, %v; want 0", n, err)
		}
	})
}

// TestLoadLeavesRealData does nothing when the secretariat already has members.
func TestLoadLeavesRealData(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	modelstest.MustCreateMember(t, db, models.Member{Name: "真实成员"})
	if n, err := demo.Load(context.Background(), db); err != nil || n != 0 {
		t.Fatalf("Load = %d, %v; want 0", n, err)
	}
	if c, _ := db.CountMembers(context.Background()); c != 1 {
		t.Fatalf("%d members, want 1", c)
	}
}
