// Package roster imports the executive-committee roster from the spreadsheets the secretariat
// keeps (.xlsx and .csv, as Excel in China saves them) and exports it back in the same shape,
// so that exporting and re-importing changes nothing.
package roster

import (
	"strings"

	"golang.org/x/text/width"

	"github.com/gsl/rota/models"
)

// column identifies one roster field; its value is the English header an export-import
// round trip in English would use.
type column string

const (
	colMemberNo    column = "member_no"
	colName        column = "name"
	colGender      column = "gender"
	colCompany     column = "company"
	colTitle       column = "title"
	colRole        column = "role"
	colIndustry    column = "industry"
	colRegion      column = "region"
	colMobile      column = "mobile"
	colEmail       column = "email"
	colDeputy      column = "deputy"
	colCPPCC       column = "cppcc"
	colJoinedOn    column = "joined_on"
	colLeftOn      column = "left_on"
	colUnavailable column = "unavailable_months"
	colActive      column = "active"
)

// exportColumns is the column order of an export, with the Chinese header each gets.
var exportColumns = []struct {
	col    column
	header string
}{
	{colMemberNo, "编号"}, {colName, "姓名"}, {colGender, "性别"}, {colCompany, "单位"}, {colTitle, "职务"},
	{colRole, "执委会职务"}, {colIndustry, "行业"}, {colRegion, "区域/乡镇"}, {colMobile, "手机"}, {colEmail, "邮箱"},
	{colDeputy, "人大代表"}, {colCPPCC, "政协委员"}, {colJoinedOn, "入会日期"}, {colLeftOn, "离任日期"},
	{colUnavailable, "不可值班月份"}, {colActive, "状态"},
}

// headerAliases maps a normalised header cell to its column: the Chinese names secretaries
// use, and the English identifiers.
var headerAliases = map[string]column{
	"编号": colMemberNo, "会员编号": colMemberNo, "成员编号": colMemberNo, "序号编号": colMemberNo,
	"姓名": colName, "名字": colName,
	"性别": colGender,
	"单位": colCompany, "工作单位": colCompany, "企业": colCompany, "企业名称": colCompany, "单位名称": colCompany,
	"职务": colTitle, "单位职务": colTitle, "企业职务": colTitle,
	"执委会职务": colRole, "商会职务": colRole, "工商联职务": colRole, "执委职务": colRole,
	"行业": colIndustry, "所属行业": colIndustry, "产业": colIndustry,
	"区域/乡镇": colRegion, "区域": colRegion, "乡镇": colRegion, "乡镇/街道": colRegion, "乡镇(街道)": colRegion,
	"所在乡镇": colRegion, "地区": colRegion,
	"手机": colMobile, "手机号": colMobile, "手机号码": colMobile, "联系电话": colMobile, "电话": colMobile,
	"邮箱": colEmail, "电子邮箱": colEmail, "电子邮件": colEmail, "e-mail": colEmail,
	"人大代表": colDeputy,
	"政协委员": colCPPCC,
	"入会日期": colJoinedOn, "入会时间": colJoinedOn,
	"离任日期": colLeftOn, "离任时间": colLeftOn,
	"不可值班月份": colUnavailable, "不能值班月份": colUnavailable,
	"状态": colActive, "在任状态": colActive,
	"deputy_level": colDeputy, "cppcc_level": colCPPCC, "phone": colMobile,
}

func init() {
	for _, c := range exportColumns {
		headerAliases[string(c.col)] = c.col
	}
}

// columnField maps the field names of models.FieldError to the roster column they come from.
var columnField = map[string]column{
	models.FieldMemberNo: colMemberNo, models.FieldName: colName, models.FieldGender: colGender,
	models.FieldCompany: colCompany, models.FieldTitle: colTitle, models.FieldRole: colRole,
	models.FieldIndustry: colIndustry, models.FieldRegion: colRegion, models.FieldMobile: colMobile,
	models.FieldEmail: colEmail, models.FieldDeputy: colDeputy, models.FieldCPPCC: colCPPCC,
	models.FieldJoinedOn: colJoinedOn, models.FieldLeftOn: colLeftOn,
}

// matchHeader recognises a header cell. Secretaries decorate headers with required-field
// stars, full-width characters, spaces and hints in brackets ("入会日期（年-月-日）"), so those
// are dropped before looking the name up.
func matchHeader(cell string) (column, bool) {
	s := strings.ToLower(width.Narrow.String(cell))
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00a0', '\u3000', '*', ':', '＊':
			return -1
		}
		return r
	}, s)
	if c, ok := headerAliases[s]; ok {
		return c, true
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		if c, ok := headerAliases[s[:i]]; ok {
			return c, true
		}
	}
	return "", false
}
