package roster

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// Default limits of ReadOptions.
const (
	DefaultMaxBytes = 20 << 20
	DefaultMaxRows  = 20000
	// headerSearchRows is how far down a title block may push the header row.
	headerSearchRows = 10
)

// ReadOptions bound what Read accepts.
type ReadOptions struct {
	MaxBytes int64 // files larger than this are refused before parsing; 0 means DefaultMaxBytes
	MaxRows  int   // more data rows than this are refused; 0 means DefaultMaxRows
}

func (o ReadOptions) withDefaults() ReadOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	return o
}

// Problem is something wrong with one cell or row of a roster file, or (Row 0) with the file.
type Problem struct {
	Row    int    // as Excel shows it: 1-based, counting the title and header rows
	Column string // the header text as written in the file; "" for the whole row
	Key    string // translation key
	Args   []any
}

// Message renders the problem's reason in lang.
func (p Problem) Message(lang locale.Lang) string { return locale.T(lang, p.Key, p.Args...) }

// String renders the problem with its position, e.g. 第12行 [手机] 手机号“123”格式不正确….
func (p Problem) String(lang locale.Lang) string {
	switch {
	case p.Row > 0 && p.Column != "":
		return locale.T(lang, "roster.at.cell", p.Row, p.Column, p.Message(lang))
	case p.Row > 0:
		return locale.T(lang, "roster.at.row", p.Row, p.Message(lang))
	}
	return p.Message(lang)
}

// Row is one data row of a roster file, parsed into a member.
type Row struct {
	Line   int           // row number as Excel shows it
	Member models.Member // only the fields of the file's columns are meaningful
	// blankRole records an empty 执委会职务 cell: an update keeps the stored role, a new member needs one.
	blankRole bool
}

// Sheet is a parsed roster file: its recognised columns and its rows, plus what was wrong with them.
type Sheet struct {
	Rows     []Row
	Problems []Problem // row-level problems; Import refuses to write while there are any
	Warnings []Problem // e.g. unknown columns, which are ignored
	headers  map[column]string
}

// Has reports whether the file has the column named by its English identifier (e.g. "mobile").
func (s *Sheet) Has(col string) bool { _, ok := s.headers[column(col)]; return ok }

func (s *Sheet) has(c column) bool { _, ok := s.headers[c]; return ok }

// ReadFile opens and reads a roster file. Its size is checked before anything is read.
func ReadFile(path string, opts ReadOptions) (*Sheet, error) {
	opts = opts.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "roster.file.open", err.Error())
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > opts.MaxBytes {
		return nil, tooLarge(opts.MaxBytes)
	}
	return Read(f, opts)
}

// Read parses a roster from r, whatever the file's name claims: the content decides whether it
// is xlsx or csv. At most MaxBytes+1 bytes are read, so an oversized upload is refused early.
func Read(r io.Reader, opts ReadOptions) (*Sheet, error) {
	opts = opts.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, opts.MaxBytes+1))
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "roster.file.open", err.Error())
	}
	if int64(len(data)) > opts.MaxBytes {
		return nil, tooLarge(opts.MaxBytes)
	}
	var grid [][]string
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))) == 0:
		return nil, models.Errorf(models.EInvalid, "roster.file.empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		grid, err = xlsxGrid(data)
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return nil, models.Errorf(models.EInvalid, "roster.file.xls")
	default:
		grid, err = csvGrid(data, opts.MaxRows+headerSearchRows)
	}
	if err != nil {
		return nil, err
	}
	return parseGrid(grid, opts)
}

func tooLarge(limit int64) error {
	return models.Errorf(models.ETooLarge, "roster.file.too_large", fmt.Sprintf("%d MB", limit>>20))
}

// colAt is a recognised column and its index in the row.
type colAt struct {
	idx int
	col column
}

// findHeader returns the index of the header row among the first rows — the one naming the
// most known columns, which must include 姓名 — and the column of each cell; -1 when none.
func findHeader(rows [][]string) (int, []colAt) {
	best, bestN := -1, 0
	var bestCols []colAt
	for i := 0; i < len(rows) && i < headerSearchRows; i++ {
		var cols []colAt
		seen := map[column]bool{}
		for j, cell := range rows[i] {
			if c, ok := matchHeader(cell); ok && !seen[c] {
				cols, seen[c] = append(cols, colAt{j, c}), true
			}
		}
		if seen[colName] && len(cols) > bestN {
			best, bestN, bestCols = i, len(cols), cols
		}
	}
	return best, bestCols
}

// parseGrid finds the header and turns every non-empty row below it into a Row.
func parseGrid(grid [][]string, opts ReadOptions) (*Sheet, error) {
	hdr, cols := findHeader(grid)
	if hdr < 0 {
		return nil, models.Errorf(models.EInvalid, "roster.file.no_name_column")
	}
	s := &Sheet{headers: map[column]string{}}
	byIdx := map[int]column{}
	for _, ca := range cols {
		byIdx[ca.idx] = ca.col
	}
	for j, cell := range grid[hdr] {
		text := strings.TrimSpace(cell)
		if c, ok := byIdx[j]; ok {
			s.headers[c] = text
			continue
		}
		if text == "" {
			continue
		}
		if c, ok := matchHeader(text); ok {
			s.Warnings = append(s.Warnings, Problem{Row: hdr + 1, Column: text, Key: "roster.warn.duplicate_column", Args: []any{s.headers[c]}})
		} else {
			s.Warnings = append(s.Warnings, Problem{Row: hdr + 1, Column: text, Key: "roster.warn.unknown_column"})
		}
	}
	data := 0
	for i := hdr + 1; i < len(grid); i++ {
		if !blankRow(grid[i]) {
			data++
		}
	}
	if data > opts.MaxRows {
		return nil, models.Errorf(models.ETooLarge, "roster.file.too_many_rows", data, opts.MaxRows)
	}
	s.Rows = make([]Row, 0, data)
	for i := hdr + 1; i < len(grid); i++ {
		if blankRow(grid[i]) {
			continue
		}
		row, probs := s.parseRow(i+1, grid[i], cols)
		s.Rows = append(s.Rows, row)
		s.Problems = append(s.Problems, probs...)
	}
	s.checkDuplicates()
	return s, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRow reads one row's cells into a member and validates it.
func (s *Sheet) parseRow(line int, cells []string, cols []colAt) (Row, []Problem) {
	row := Row{Line: line}
	m := &row.Member
	var probs []Problem
	bad := func(c column, key string, args ...any) {
		probs = append(probs, Problem{Row: line, Column: s.headers[c], Key: key, Args: args})
	}
	m.Active = true
	activeSet := false
	for _, ca := range cols {
		c, v := ca.col, ""
		if ca.idx < len(cells) {
			v = strings.TrimSpace(cells[ca.idx])
		}
		switch c {
		case colMemberNo:
			m.MemberNo = &v
		case colName:
			m.Name = v
		case colGender:
			m.Gender = v
		case colCompany:
			m.Company = v
		case colTitle:
			m.Title = v
		case colRole:
			if v == "" {
				row.blankRole = true
				continue
			}
			r, ok := models.ParseRole(v)
			if !ok {
				bad(c, "member.role.invalid", v)
				r = models.RoleMember
			}
			m.Role = r
		case colIndustry:
			m.Industry = v
		case colRegion:
			m.Region = v
		case colMobile:
			m.Mobile = &v
		case colEmail:
			m.Email = v
		case colDeputy, colCPPCC:
			l, ok := models.ParseLevel(v)
			if !ok {
				bad(c, "member.level.invalid", v)
			}
			if c == colDeputy {
				m.DeputyLevel = l
			} else {
				m.CPPCCLevel = l
			}
		case colJoinedOn, colLeftOn:
			d, err := parseDate(v)
			if err != nil {
				bad(c, "roster.date.invalid", v)
			}
			if c == colJoinedOn {
				m.JoinedOn = d
			} else {
				m.LeftOn = d
			}
		case colUnavailable:
			ms, err := models.ParseMonthSet(v)
			if err != nil {
				bad(c, "roster.months.invalid", v)
			}
			m.UnavailableMonths = ms
		case colActive:
			a, ok := parseActive(v)
			if !ok {
				bad(c, "roster.status.invalid", v)
			}
			m.Active, activeSet = a, true
		}
	}
	if !s.has(colRole) {
		row.blankRole = true
	}
	if !activeSet && s.has(colLeftOn) {
		m.Active = m.LeftOn.IsZero()
	}
	m.Normalize()
	if m.Mobile != nil {
		if _, ok := models.NormalizeMobile(*m.Mobile); !ok {
			// Validate reports it too, but with the cleaned text; the secretary searches for what they typed.
			bad(colMobile, "member.mobile.invalid", cellText(cells, cols, colMobile))
		}
	}
	if row.blankRole {
		m.Role = models.RoleMember // placeholder so Validate passes; Import decides
	}
	for _, fe := range m.Validate() {
		if fe.Field == models.FieldMobile {
			continue // already reported above with the cell's own text
		}
		c := columnField[fe.Field]
		bad(c, fe.Key, fe.Args...)
	}
	if row.blankRole {
		m.Role = ""
	}
	return row, probs
}

func cellText(cells []string, cols []colAt, want column) string {
	for _, ca := range cols {
		if ca.col == want && ca.idx < len(cells) {
			return strings.TrimSpace(cells[ca.idx])
		}
	}
	return ""
}

// parseDate reads a date as ParseDate does, plus "2017-11-01 00:00:00" and Excel serial
// numbers (a date cell formatted as a number, or a CSV saved from one).
func parseDate(s string) (models.Date, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	if d, err := models.ParseDate(s); err == nil {
		return d, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 100000 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return models.NewDate(t.Year(), t.Month(), t.Day()), nil
		}
	}
	return models.Date{}, errors.New("invalid date")
}

// parseActive reads the 状态 column: 在任 or 离任, and the yes/no spellings of an English sheet.
func parseActive(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "在任", "是", "active", "yes", "y", "true", "1":
		return true, true
	case "离任", "否", "已离任", "inactive", "left", "no", "n", "false", "0":
		return false, true
	}
	return true, false
}

// checkDuplicates reports a mobile or member number used on two rows, naming both.
func (s *Sheet) checkDuplicates() {
	mobiles := map[string]int{}
	numbers := map[string]int{}
	for i := range s.Rows {
		r := &s.Rows[i]
		if m := r.Member.Mobile; m != nil {
			if j, ok := mobiles[*m]; ok {
				o := s.Rows[j]
				s.Problems = append(s.Problems, Problem{Row: r.Line, Column: s.headers[colMobile],
					Key: "roster.dup.mobile", Args: []any{*m, r.Member.Name, o.Line, o.Member.Name}})
			} else {
				mobiles[*m] = i
			}
		}
		if n := r.Member.MemberNo; n != nil {
			if j, ok := numbers[*n]; ok {
				o := s.Rows[j]
				s.Problems = append(s.Problems, Problem{Row: r.Line, Column: s.headers[colMemberNo],
					Key: "roster.dup.member_no", Args: []any{*n, r.Member.Name, o.Line, o.Member.Name}})
			} else {
				numbers[*n] = i
			}
		}
	}
}
