package roster

import (
	"context"
	"encoding/csv"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/gsl/rota/models"
)

// Export formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// SheetName is the worksheet an xlsx export writes.
const SheetName = "执委会名单"

// Column widths in Excel's units (about one Latin character each).
const (
	minColWidth = 6
	maxColWidth = 50
)

// Export writes every member in roster order, under the Chinese headers Import reads, so that
// importing the export changes nothing. CSV is UTF-8 with a BOM, which Excel needs to show Chinese.
func Export(ctx context.Context, db *models.DB, w io.Writer, format string) error {
	members, err := db.AllMembers(ctx)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(members)+1)
	header := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		header[i] = c.header
	}
	rows = append(rows, header)
	for i := range members {
		rows = append(rows, exportRow(&members[i]))
	}
	switch format {
	case FormatCSV:
		return writeCSV(w, rows)
	case FormatXLSX:
		return writeXLSX(w, rows)
	}
	return models.Errorf(models.EInvalid, "roster.export.format", format)
}

// exportRow renders a member as cells, each in a form Import reads back to the same value.
func exportRow(m *models.Member) []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		var v string
		switch c.col {
		case colMemberNo:
			if m.MemberNo != nil {
				v = *m.MemberNo
			}
		case colName:
			v = m.Name
		case colGender:
			v = m.Gender
		case colCompany:
			v = m.Company
		case colTitle:
			v = m.Title
		case colRole:
			v = m.Role.Label()
		case colIndustry:
			v = m.Industry
		case colRegion:
			v = m.Region
		case colMobile:
			if m.Mobile != nil {
				v = *m.Mobile
			}
		case colEmail:
			v = m.Email
		case colDeputy:
			v = m.DeputyLevel.Label()
		case colCPPCC:
			v = m.CPPCCLevel.Label()
		case colJoinedOn:
			v = m.JoinedOn.String()
		case colLeftOn:
			v = m.LeftOn.String()
		case colUnavailable:
			v = monthList(m.UnavailableMonths)
		case colActive:
			v = "在任"
			if !m.Active {
				v = "离任"
			}
		}
		out[i] = v
	}
	return out
}

// monthList writes months as 1、2、12: a comma-separated list would be read by Excel as a number.
func monthList(ms models.MonthSet) string {
	s := ""
	for i, m := range ms {
		if i > 0 {
			s += "、"
		}
		s += itoa(m)
	}
	return s
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

func writeCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // Excel on Windows is the reader
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func writeXLSX(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keeps mobiles and numbers as typed
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	for i, wd := range columnWidths(rows) {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(exportColumns))
	for r, row := range rows {
		style := text
		if r == 0 {
			style = bold
		}
		for i, v := range row {
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// columnWidths sizes each column to its longest cell. Excel has no auto-fit in the file format,
// and a Chinese character is about two Latin ones wide, so it counts double.
func columnWidths(rows [][]string) []float64 {
	out := make([]float64, len(exportColumns))
	for _, row := range rows {
		for i, v := range row {
			if wd := float64(displayWidth(v)) + 2; wd > out[i] {
				out[i] = wd
			}
		}
	}
	for i := range out {
		out[i] = min(max(out[i], minColWidth), maxColWidth)
	}
	return out
}

// displayWidth counts East Asian wide and full-width characters as 2 columns, others as 1.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
