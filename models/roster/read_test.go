package roster_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/roster"
)

func csvBytes(rows ...[]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

// xlsxBytes builds a workbook from rows (nil cells skipped) and merged ranges like "A1:A2".
func xlsxBytes(t testing.TB, rows [][]any, merges ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t testing.TB, data []byte) *roster.Sheet {
	t.Helper()
	s, err := roster.Read(bytes.NewReader(data), roster.ReadOptions{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return s
}

func render(ps []roster.Problem, lang locale.Lang) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String(lang) + "\n")
	}
	return b.String()
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

var basicHeader = []string{"编号", "姓名", "执委会职务", "手机"}

// TestReadLayouts covers the shapes real roster files come in.
func TestReadLayouts(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes(csvBytes(basicHeader, []string{"FA001", "陈建国", "副会长", "13950001111"}))
	tests := []struct {
		name      string
		data      []byte
		wantLines []int    // Excel row numbers of the data rows
		wantNames []string // names read
		check     func(t *testing.T, s *roster.Sheet)
	}{{
		name:      "empty rows skipped, Excel numbering kept",
		data:      []byte("姓名,手机,执委会职务\n陈建国,13950001111,常执委\n\n,,\n林秀梅,13950002222,常执委\n"),
		wantLines: []int{2, 5}, wantNames: []string{"陈建国", "林秀梅"},
	}, {
		name:      "header in another order, English headers",
		data:      csvBytes([]string{"mobile", "role", "name", "member_no"}, []string{"13950001111", "vice_chair", "陈建国", "FA009"}),
		wantLines: []int{2}, wantNames: []string{"陈建国"},
		check: func(t *testing.T, s *roster.Sheet) {
			m := s.Rows[0].Member
			if m.Role != models.RoleViceChair || str(m.MemberNo) != "FA009" || str(m.Mobile) != "13950001111" {
				t.Errorf("columns mismatched: %+v", m)
			}
		},
	}, {
		name: "header below a title row",
		data: csvBytes([]string{"福安市工商联第十三届执委会名单"}, []string{""}, []string{"序号", "姓名", "手机号码", "执委会职务"},
			[]string{"1", "陈建国", "13950001111", "常执委"}),
		wantLines: []int{4}, wantNames: []string{"陈建国"},
		check: func(t *testing.T, s *roster.Sheet) {
			if len(s.Warnings) != 1 || s.Warnings[0].Column != "序号" {
				t.Errorf("unknown column 序号 not warned about: %v", s.Warnings)
			}
		},
	}, {
		name:      "full-width digits and spaces in mobile",
		data:      csvBytes(basicHeader, []string{"FA001", " 陈建国 ", "常执委", "１３９ ５０００ １１１１"}),
		wantLines: []int{2}, wantNames: []string{"陈建国"},
		check: func(t *testing.T, s *roster.Sheet) {
			if got := str(s.Rows[0].Member.Mobile); got != "13950001111" || len(s.Problems) > 0 {
				t.Errorf("mobile %q, problems %v", got, render(s.Problems, locale.ZH))
			}
		},
	}, {
		name:      "UTF-8 with BOM",
		data:      append([]byte("\uFEFF"), csvBytes(basicHeader, []string{"FA001", "陈建国", "副会长", "13950001111"})...),
		wantLines: []int{2}, wantNames: []string{"陈建国"},
		check: func(t *testing.T, s *roster.Sheet) {
			if !s.Has("member_no") {
				t.Error("BOM hid the 编号 header")
			}
		},
	}, {
		name: "GBK csv as Excel in China saves it", data: gbk,
		wantLines: []int{2}, wantNames: []string{"陈建国"},
	}, {
		name: "merged header cells in xlsx",
		data: xlsxBytes(t, [][]any{
			{"福安市工商联第十三届执委会名单"},
			{"姓名", "执委会职务", "联系方式", nil, "行业"},
			{nil, nil, "手机", "邮箱", nil},
			{"陈建国", "副会长", "13950001111", "chen@example.com", "电机电器"},
			{"林秀梅", "常执委", "13950002222", "", nil},
		}, "A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "E4:E5"),
		wantLines: []int{4, 5}, wantNames: []string{"陈建国", "林秀梅"},
		check: func(t *testing.T, s *roster.Sheet) {
			m := s.Rows[1].Member
			if m.Role != models.RoleStandingMember || str(m.Mobile) != "13950002222" || m.Industry != "电机电器" {
				t.Errorf("merged cells misread: %+v", m)
			}
			if len(s.Problems) > 0 {
				t.Error(render(s.Problems, locale.ZH))
			}
		},
	}, {
		name: "date cells in xlsx as dates, serials and text",
		data: func() []byte {
			f := excelize.NewFile()
			_ = f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "执委会职务", "入会日期", "离任日期"})
			_ = f.SetSheetRow("Sheet1", "A2", &[]any{"陈建国", "常执委", time.Date(2017, 11, 1, 0, 0, 0, 0, time.UTC), 43831})
			_ = f.SetSheetRow("Sheet1", "A3", &[]any{"林秀梅", "常执委", "2017年11月1日", "2020/1/1"})
			var b bytes.Buffer
			_ = f.Write(&b)
			return b.Bytes()
		}(),
		wantLines: []int{2, 3}, wantNames: []string{"陈建国", "林秀梅"},
		check: func(t *testing.T, s *roster.Sheet) {
			for _, r := range s.Rows {
				if r.Member.JoinedOn.String() != "2017-11-01" || r.Member.LeftOn.String() != "2020-01-01" || r.Member.Active {
					t.Errorf("row %d dates: joined %s left %s active %v", r.Line, r.Member.JoinedOn, r.Member.LeftOn, r.Member.Active)
				}
			}
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustRead(t, tc.data)
			var lines []int
			var names []string
			for _, r := range s.Rows {
				lines, names = append(lines, r.Line), append(names, r.Member.Name)
			}
			if !equal(lines, tc.wantLines) || !equal(names, tc.wantNames) {
				t.Fatalf("rows %v %v, want %v %v", lines, names, tc.wantLines, tc.wantNames)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
		})
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadRenamedFiles: the content decides, not the name a secretary gave the file.
func TestReadRenamedFiles(t *testing.T) {
	dir := t.TempDir()
	csvData := csvBytes(basicHeader, []string{"FA001", "陈建国", "常执委", "13950001111"})
	xlsxData := xlsxBytes(t, [][]any{{"编号", "姓名", "执委会职务", "手机"}, {"FA001", "陈建国", "常执委", "13950001111"}})
	for name, data := range map[string][]byte{"renamed-csv.xlsx": csvData, "renamed-xlsx.csv": xlsxData} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := roster.ReadFile(path, roster.ReadOptions{})
		if err != nil || len(s.Rows) != 1 || s.Rows[0].Member.Name != "陈建国" {
			t.Errorf("%s: %v, %+v", name, err, s)
		}
	}
}

// TestReadRefusals: files that cannot be a roster get one clear file-level message.
func TestReadRefusals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	garbage[0] = 0x81 // not a zip or OLE signature
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(csvBytes(basicHeader))
	var many bytes.Buffer
	many.WriteString("姓名,执委会职务\n")
	for range 20001 {
		many.WriteString("某某,常执委\n")
	}
	tests := []struct {
		name string
		data []byte
		want string // in the Chinese message
	}{
		{"random bytes", garbage, "请另存为 .xlsx 或 .csv"},
		{"UTF-16 text", utf16, "UTF-16"},
		{"old xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), "请另存为 .xlsx 或 .csv"},
		{"no name column", csvBytes([]string{"单位", "手机"}, []string{"某公司", "13950001111"}), "没有“姓名”列"},
		{"empty file", []byte("\uFEFF \n"), "文件是空的"},
		{"too many rows", many.Bytes(), "超过上限 20000 行"},
		{"broken zip", []byte("PK\x03\x04 not really a workbook"), "无法读取 Excel 文件"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := roster.Read(bytes.NewReader(tc.data), roster.ReadOptions{})
			var e *models.Error
			if !errors.As(err, &e) || !strings.Contains(e.Message(locale.ZH), tc.want) {
				t.Fatalf("err = %v, want a message with %q", err, tc.want)
			}
			if e.Message(locale.EN) == e.Message(locale.ZH) {
				t.Errorf("no English message for %s", e.Key)
			}
		})
	}
}

// TestReadTooLarge: a 20 MB upload is refused from its size, before any parsing.
func TestReadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(20<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = roster.ReadFile(path, roster.ReadOptions{})
	if models.ErrorCode(err) != models.ETooLarge || !strings.Contains(err.(*models.Error).Message(locale.ZH), "20 MB") {
		t.Fatalf("ReadFile = %v, want too_large naming 20 MB", err)
	}
	// A stream (an upload) is cut off after the limit rather than read to its end.
	r := &countingReader{}
	_, err = roster.Read(r, roster.ReadOptions{MaxBytes: 1 << 20})
	if models.ErrorCode(err) != models.ETooLarge || r.n > 1<<20+64<<10 {
		t.Fatalf("Read = %v after %d bytes; want too_large after about 1 MB", err, r.n)
	}
}

// countingReader is an endless stream of CSV-looking bytes.
type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	c.n += len(p)
	return len(p), nil
}

// TestReadRowProblems: each problem names the Excel row, the column as headed in the file and the reason.
func TestReadRowProblems(t *testing.T) {
	header := []string{"编号", "姓名", "执委会职务", "手机号码", "电子邮箱", "人大代表", "入会日期", "离任日期", "不可值班月份", "单位"}
	row := func(no, name, role, mobile, email, deputy, joined, left, months, company string) []string {
		return []string{no, name, role, mobile, email, deputy, joined, left, months, company}
	}
	data := csvBytes(header,
		row("FA001", "陈建国", "常执委", "13950001111", "", "", "", "", "", ""),
		row("FA002", "", "常执委", "", "", "", "", "", "", ""),
		row("FA003", "林秀梅", "理事长", "", "", "", "", "", "", ""),
		row("FA004", "郑志伟", "常执委", "123", "", "", "", "", "", ""),
		row("FA005", "黄丽", "常执委", "139 5000 1111", "", "", "", "", "", ""),
		row("FA001", "吴海", "常执委", "", "", "", "", "", "", ""),
		row("FA007", "王明", "常执委", "", "wang@", "", "", "", "", ""),
		row("FA008", "李华", "常执委", "", "", "乡级", "", "", "", ""),
		row("FA009", "张平", "常执委", "", "", "", "2017-13-01", "", "", ""),
		row("FA010", "缪安", "常执委", "", "", "", "2020-01-01", "2019-01-01", "", ""),
		row("FA011", "郭清", "常执委", "", "", "", "", "", "13月", ""),
		row("FA012", "钟云", "常执委", "", "", "", "", "", "", strings.Repeat("长", 201)),
	)
	s := mustRead(t, data)
	got := render(s.Problems, locale.ZH)
	for _, want := range []string{
		"第3行 [姓名] 姓名不能为空",
		"第4行 [执委会职务] 执委会职务“理事长”无法识别",
		"第5行 [手机号码] 手机号“123”格式不正确",
		"第6行 [手机号码] 手机号 13950001111（黄丽）与第2行（陈建国）重复",
		"第7行 [编号] 编号 FA001（吴海）与第2行（陈建国）重复",
		"第8行 [电子邮箱] 邮箱“wang@”格式不正确",
		"第9行 [人大代表] 级别“乡级”无法识别",
		"第10行 [入会日期] 日期“2017-13-01”无法识别",
		"第11行 [离任日期] 离任日期早于入会日期",
		"第12行 [不可值班月份] 月份“13月”无法识别",
		"第13行 [单位] 过长，最多 200 个字",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if n := len(s.Problems); n != 11 {
		t.Errorf("%d problems, want 11:\n%s", n, got)
	}
	if en := render(s.Problems, locale.EN); !strings.Contains(en, "row 5 [手机号码]: mobile") {
		t.Errorf("English rendering: %s", en)
	}
}
