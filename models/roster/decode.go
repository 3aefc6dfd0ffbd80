package roster

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/gsl/rota/models"
)

// xlsxGrid reads the first worksheet holding a recognisable header, as the strings Excel displays.
func xlsxGrid(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 256 << 20})
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "roster.file.bad_xlsx", err.Error())
	}
	defer f.Close()
	var first [][]string
	for i, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "roster.file.bad_xlsx", err.Error())
		}
		if err := fillMerged(f, name, rows); err != nil {
			return nil, err
		}
		if i == 0 {
			first = rows
		}
		if row, _ := findHeader(rows); row >= 0 {
			return withSerialDates(f, name, rows), nil
		}
	}
	return first, nil
}

// fillMerged copies a merged range's value (kept by Excel in its top-left cell only) into every
// cell of the range: a header merged over two rows names the column on both, and an industry
// merged down a block of people applies to each of them.
func fillMerged(f *excelize.File, sheet string, rows [][]string) error {
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return models.Errorf(models.EInvalid, "roster.file.bad_xlsx", err.Error())
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		v := m.GetCellValue()
		for r := r1; r <= r2 && r <= len(rows); r++ {
			if r2 > r1+1000 || c2 > c1+100 {
				break // a merge over a whole column would only pad empty rows
			}
			row := rows[r-1]
			for len(row) < c2 {
				row = append(row, "")
			}
			for c := c1; c <= c2; c++ {
				row[c-1] = v
			}
			rows[r-1] = row
		}
	}
	return nil
}

// withSerialDates keeps rows as displayed but remembers the file so date cells whose display
// format is not one ParseDate reads (e.g. Excel's built-in mm-dd-yy) can be read raw.
func withSerialDates(f *excelize.File, sheet string, rows [][]string) [][]string {
	hdr, cols := findHeader(rows)
	for _, ca := range cols {
		c := ca.idx
		if ca.col != colJoinedOn && ca.col != colLeftOn {
			continue
		}
		for r := hdr + 1; r < len(rows); r++ {
			if c >= len(rows[r]) || strings.TrimSpace(rows[r][c]) == "" {
				continue
			}
			if _, err := parseDate(rows[r][c]); err == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				continue
			}
			if raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err == nil {
				if _, err := parseDate(raw); err == nil {
					rows[r][c] = raw
				}
			}
		}
	}
	return rows
}

// csvGrid decodes a CSV as Excel in China writes it: UTF-8 with or without BOM, or GB18030
// (which GBK is a subset of). Tab-separated text is accepted too.
func csvGrid(data []byte, maxRecords int) ([][]string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return nil, models.Errorf(models.EInvalid, "roster.file.utf16")
	case bytes.IndexByte(data, 0) >= 0:
		return nil, models.Errorf(models.EInvalid, "roster.file.encoding")
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return nil, models.Errorf(models.EInvalid, "roster.file.encoding")
		}
		data = dec
	}
	if bytes.ContainsFunc(data, func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r >= 0xE000 && r <= 0xF8FF
	}) {
		// Control and private-use characters do not occur in a roster typed by people: the
		// bytes were something other than text.
		return nil, models.Errorf(models.EInvalid, "roster.file.encoding")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var grid [][]string
	endLine := 0 // the line the previous record ended on
	records := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "roster.file.bad_csv", err.Error())
		}
		// csv.Reader skips blank lines, which Excel shows as rows: keep the numbering Excel's.
		start, _ := cr.FieldPos(0)
		for ; endLine+1 < start; endLine++ {
			grid = append(grid, nil)
		}
		grid = append(grid, rec)
		last, _ := cr.FieldPos(len(rec) - 1)
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		if records++; records > maxRecords {
			break // past the row limit, which parseGrid reports; reading on is wasted work
		}
	}
	return grid, nil
}

// sniffComma picks tab for tab-separated text (Excel's "文本文件(制表符分隔)"), comma otherwise.
func sniffComma(data []byte) rune {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if bytes.Count(head, []byte("\t")) > bytes.Count(head, []byte(",")) {
		return '\t'
	}
	return ','
}
