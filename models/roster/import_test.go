package roster_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/demo"
	"github.com/gsl/rota/models/modelstest"
	"github.com/gsl/rota/models/roster"
)

var testCtx = models.WithActor(context.Background(), models.Actor{Name: "tester"})

func importBytes(t testing.TB, db *models.DB, data []byte, opts roster.ImportOptions) (*roster.Report, error) {
	t.Helper()
	return roster.Import(testCtx, db, mustRead(t, data), opts)
}

func mustImport(t testing.TB, db *models.DB, data []byte, opts roster.ImportOptions) *roster.Report {
	t.Helper()
	rep, err := importBytes(t, db, data, opts)
	if err != nil {
		t.Fatalf("Import: %v\n%s", err, render(rep.Problems, locale.ZH))
	}
	return rep
}

// state is everything an import could change: the members, field by field, and the audit count.
type state struct {
	members []models.Member
	audit   int64
}

func stateOf(t testing.TB, db *models.DB) state {
	t.Helper()
	all, err := db.AllMembers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Gorm.Model(&models.AuditEntry{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return state{all, n}
}

func sameState(t testing.TB, before, after state) {
	t.Helper()
	if before.audit != after.audit {
		t.Errorf("audit rows %d → %d", before.audit, after.audit)
	}
	if !reflect.DeepEqual(before.members, after.members) {
		t.Errorf("members changed (%d → %d)", len(before.members), len(after.members))
		for i := range min(len(before.members), len(after.members)) {
			if !reflect.DeepEqual(before.members[i], after.members[i]) {
				t.Fatalf("first difference:\n%+v\n%+v", before.members[i], after.members[i])
			}
		}
	}
}

func counts(r *roster.Report) string {
	return fmt.Sprintf("created %d updated %d unchanged %d missing %d deactivated %d problems %d",
		r.Created, r.Updated, r.Unchanged, len(r.Missing), len(r.Deactivated), len(r.Problems))
}

// demoWith is the demo roster with its CSV text edited.
func demoWith(replace ...string) []byte {
	return []byte(strings.NewReplacer(replace...).Replace(string(demo.RosterCSV())))
}

func TestImportCreatesAudited(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		rep := mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		if got := counts(rep); got != "created 132 updated 0 unchanged 0 missing 0 deactivated 0 problems 0" || !rep.Written {
			t.Fatalf("%s written %v", got, rep.Written)
		}
		entries, n, err := db.ListAudit(testCtx, models.AuditFilter{Entity: "member", Limit: 500})
		if err != nil || n != 132 {
			t.Fatalf("%d audit entries, %v", n, err)
		}
		e := entries[0]
		if e.Action != roster.ActionCreate || e.Actor != "tester" || e.AfterJSON == nil || !strings.Contains(*e.AfterJSON, "1395000") {
			t.Errorf("audit entry %+v", e)
		}
	})
}

func TestDryRunWritesNothing(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		before := stateOf(t, db)
		rep := mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{DryRun: true})
		if rep.Created != 132 || rep.Written {
			t.Fatalf("dry run: %s written %v", counts(rep), rep.Written)
		}
		sameState(t, before, stateOf(t, db))
	})
}

func TestFailedRunWritesNothing(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		before := stateOf(t, db)
		// One good change (a new company), one new member, and one bad mobile: nothing may land.
		data := demoWith("福安市达嘉机电有限公司", "福安市达嘉电机集团有限公司", "13950000132", "1395000013")
		data = append(data, []byte("FA200,新成员,男,,,常执委,,,13950009999,,,,,,,在任\n")...)
		rep, err := importBytes(t, db, data, roster.ImportOptions{DeactivateMissing: true})
		if models.ErrorCode(err) != models.EInvalid || rep.Written || len(rep.Problems) != 1 {
			t.Fatalf("err %v, %s", err, counts(rep))
		}
		if msg := rep.Problems[0].String(locale.ZH); msg != "第133行 [手机] 手机号“1395000013”格式不正确，应为 11 位手机号" {
			t.Errorf("problem: %s", msg)
		}
		sameState(t, before, stateOf(t, db))
	})
}

func TestReimportIsNoop(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		before := stateOf(t, db)
		rep := mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{DeactivateMissing: true})
		if got := counts(rep); got != "created 0 updated 0 unchanged 132 missing 0 deactivated 0 problems 0" {
			t.Fatal(got)
		}
		sameState(t, before, stateOf(t, db))
	})
}

func TestImportUpdatesMatched(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		before := stateOf(t, db)
		// Matched by 编号: the chair's company changes.
		rep := mustImport(t, db, demoWith("福安市达嘉机电有限公司", "福安市达嘉电机集团有限公司"), roster.ImportOptions{})
		if rep.Updated != 1 || rep.Unchanged != 131 {
			t.Fatal(counts(rep))
		}
		chair, _ := db.GetMember(testCtx, before.members[0].ID)
		if chair.Company != "福安市达嘉电机集团有限公司" || chair.Version != 2 {
			t.Errorf("chair after update: %+v", chair)
		}
		// Without an 编号 column rows match by mobile; absent columns keep what is stored.
		rep = mustImport(t, db, csvBytes([]string{"姓名", "手机"}, []string{"谢振成", "13950000001"}), roster.ImportOptions{})
		if rep.Unchanged != 1 || rep.Created != 0 || len(rep.Missing) != 131 {
			t.Fatal(counts(rep))
		}
		rep = mustImport(t, db, csvBytes([]string{"姓名", "手机", "执委会职务"}, []string{"谢振成", "13950000001", "兼职副主席"}), roster.ImportOptions{})
		chair, _ = db.GetMember(testCtx, before.members[0].ID)
		if rep.Updated != 1 || chair.Role != models.RoleViceChair || chair.Company != "福安市达嘉电机集团有限公司" {
			t.Errorf("%s; %+v", counts(rep), chair)
		}
		if after := stateOf(t, db); after.audit != before.audit+2 {
			t.Errorf("audit rows %d, want %d", after.audit, before.audit+2)
		}
	})
}

func TestMissingMembers(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		db.Now = func() time.Time { return time.Date(2026, 3, 4, 20, 0, 0, 0, time.UTC) } // 5 March in Fu'an
		mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		lines := strings.Split(string(demo.RosterCSV()), "\n")
		without := []byte(strings.Join(append(lines[:2:2], lines[4:]...), "\n")) // drop FA002, FA003
		rep := mustImport(t, db, without, roster.ImportOptions{})
		if len(rep.Missing) != 2 || rep.Missing[0].MemberNo != "FA002" || len(rep.Deactivated) != 0 {
			t.Fatal(counts(rep))
		}
		if m, _ := db.GetMember(testCtx, 2); !m.Active {
			t.Fatal("missing member deactivated without the flag")
		}
		rep = mustImport(t, db, without, roster.ImportOptions{DeactivateMissing: true})
		if len(rep.Deactivated) != 2 {
			t.Fatal(counts(rep))
		}
		m, _ := db.GetMember(testCtx, 2)
		if m.Active || m.LeftOn.String() != "2026-03-05" || m.Version != 2 {
			t.Errorf("deactivated member: active %v left %s version %d", m.Active, m.LeftOn, m.Version)
		}
		entries, _, _ := db.ListAudit(testCtx, models.AuditFilter{EntityID: "2"})
		if len(entries) == 0 || entries[0].Action != roster.ActionDeactivate {
			t.Errorf("no deactivate audit: %+v", entries)
		}
		// Once left, they are no longer reported missing.
		if rep = mustImport(t, db, without, roster.ImportOptions{}); len(rep.Missing) != 0 {
			t.Error(counts(rep))
		}
	})
}

func TestImportConflictsWithStored(t *testing.T) {
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
		before := stateOf(t, db)
		data := csvBytes([]string{"编号", "姓名", "执委会职务", "手机"},
			[]string{"FA300", "重名者", "常执委", "13950000005"},
			[]string{"FA301", "无职务", "", "13950009999"})
		rep, err := importBytes(t, db, data, roster.ImportOptions{})
		got := render(rep.Problems, locale.ZH)
		if err == nil || !strings.Contains(got, "第2行 [手机] 手机号 13950000005 已被成员“谢新秀”使用") ||
			!strings.Contains(got, "第3行 [执委会职务] 新成员须填写执委会职务") {
			t.Fatalf("err %v; problems:\n%s", err, got)
		}
		sameState(t, before, stateOf(t, db))
	})
}

// TestRoundTrip: exporting and importing the export changes nothing, field by field.
func TestRoundTrip(t *testing.T) {
	for _, format := range []string{roster.FormatXLSX, roster.FormatCSV} {
		t.Run(format, func(t *testing.T) {
			modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
				mustImport(t, db, demo.RosterCSV(), roster.ImportOptions{})
				// The awkward cases: no mobile, no number, left, a provincial seat.
				modelstest.MustCreateMember(t, db, models.Member{Name: "无手机", Role: models.RoleMember, CPPCCLevel: models.LevelProvincial})
				if _, err := db.DeactivateMember(testCtx, 5, 0, models.NewDate(2024, 6, 30)); err != nil {
					t.Fatal(err)
				}
				before := stateOf(t, db)
				var buf bytes.Buffer
				if err := roster.Export(testCtx, db, &buf, format); err != nil {
					t.Fatal(err)
				}
				rep := mustImport(t, db, buf.Bytes(), roster.ImportOptions{DeactivateMissing: true})
				if got := counts(rep); got != "created 0 updated 0 unchanged 133 missing 0 deactivated 0 problems 0" || len(rep.Warnings) > 0 {
					t.Fatalf("%s %v", got, rep.Warnings)
				}
				sameState(t, before, stateOf(t, db))
				if format == roster.FormatCSV && !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF编号,姓名")) {
					t.Errorf("CSV does not start with a BOM and the Chinese header: %q", buf.Bytes()[:20])
				}
			})
		})
	}
}

// TestExportLayout: an export opens in Excel readable — Chinese columns wide enough, header frozen and bold.
func TestExportLayout(t *testing.T) {
	db := modelstest.MustOpenDB(t)
	if _, err := demo.Load(testCtx, db); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := roster.Export(testCtx, db, &buf, roster.FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	width := func(col string) float64 { w, _ := f.GetColWidth(sheet, col); return w }
	// 单位 holds names like 福安市达嘉机电有限公司: 11 characters, 22 columns wide on screen.
	if w := width("D"); w < 22 || w > 50 {
		t.Errorf("单位 column width %.1f, want room for 11 Chinese characters", w)
	}
	if w := width("I"); w < 11 || w > 16 {
		t.Errorf("手机 column width %.1f, want about 11 digits", w)
	}
	if width("D") <= width("I") {
		t.Error("Chinese company column not wider than the mobile column")
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v %v", panes, err)
	}
	style, _ := f.GetCellStyle(sheet, "B1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Error("header not bold")
	}
	if v, _ := f.GetCellValue(sheet, "I2"); v != "13950000001" {
		t.Errorf("mobile cell %q", v)
	}
}

// bigRoster is n standing members with numbers and mobiles.
func bigRoster(n int) []byte {
	var b bytes.Buffer
	b.WriteString("编号,姓名,性别,单位,职务,执委会职务,行业,区域/乡镇,手机,人大代表,政协委员,入会日期,不可值班月份\n")
	for i := range n {
		fmt.Fprintf(&b, "B%05d,成员%05d,男,福安市第%d电机有限公司,总经理,常执委,电机电器,城阳,1396%07d,,县级,2017-11-01,1、2\n", i, i, i, i)
	}
	return b.Bytes()
}

func TestImport10k(t *testing.T) {
	data := bigRoster(10000)
	modelstest.ForEach(t, func(t *testing.T, db *models.DB) {
		rep := mustImport(t, db, data, roster.ImportOptions{})
		if n, _ := db.CountMembers(testCtx); rep.Created != 10000 || n != 10000 {
			t.Fatalf("%s; %d stored", counts(rep), n)
		}
	})
}

// BenchmarkImport10k measures a first import of 10,000 rows (go test -bench Import10k ./models/roster/;
// with ROTA_TEST_MYSQL_DSN set it runs on MariaDB too).
func BenchmarkImport10k(b *testing.B) {
	data := bigRoster(10000)
	for _, be := range modelstest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := be.Open(b)
				b.StartTimer()
				rep := mustImport(b, db, data, roster.ImportOptions{})
				if rep.Created != 10000 {
					b.Fatal(counts(rep))
				}
			}
		})
	}
}

// BenchmarkReimport10kChanged measures the slower path: 10,000 stored members, every row changed.
func BenchmarkReimport10kChanged(b *testing.B) {
	data := bigRoster(10000)
	changed := bytes.ReplaceAll(data, []byte("总经理"), []byte("董事长"))
	for _, be := range modelstest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := be.Open(b)
				mustImport(b, db, data, roster.ImportOptions{})
				b.StartTimer()
				if rep := mustImport(b, db, changed, roster.ImportOptions{}); rep.Updated != 10000 {
					b.Fatal(counts(rep))
				}
			}
		})
	}
}
