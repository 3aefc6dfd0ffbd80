package models

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Role is a member's position on the executive committee (执委会职务).
type Role string

// The committee roles of DOMAIN.md. Officer covers the full-time officers (专职副主席, 秘书长)
// who, like the chair, are on the committee but in no rotation group.
const (
	RoleChair          Role = "chair"
	RoleViceChair      Role = "vice_chair"
	RoleVicePresident  Role = "vice_president"
	RoleStandingMember Role = "standing_member"
	RoleMember         Role = "member"
	RoleOfficer        Role = "officer"
)

// Roles lists every role in the order rosters present them.
var Roles = []Role{RoleChair, RoleOfficer, RoleViceChair, RoleVicePresident, RoleStandingMember, RoleMember}

var roleLabels = map[Role]string{
	RoleChair:          "主席",
	RoleOfficer:        "专职副主席",
	RoleViceChair:      "兼职副主席",
	RoleVicePresident:  "副会长",
	RoleStandingMember: "常执委",
	RoleMember:         "执委",
}

// roleAliases are the ways secretaries write roles in their spreadsheets.
var roleAliases = map[string]Role{
	"主席": RoleChair, "会长": RoleChair, "主席(会长)": RoleChair, "主席（会长）": RoleChair,
	"专职副主席": RoleOfficer, "秘书长": RoleOfficer, "专职": RoleOfficer, "专职人员": RoleOfficer, "党组书记": RoleOfficer,
	"兼职副主席": RoleViceChair, "副主席": RoleViceChair,
	"副会长": RoleVicePresident,
	"常执委": RoleStandingMember, "常务执委": RoleStandingMember, "常委": RoleStandingMember, "常务委员": RoleStandingMember,
	"执委": RoleMember, "会员": RoleMember, "执行委员": RoleMember,
}

// Label is the role's Chinese name.
func (r Role) Label() string { return roleLabels[r] }

// IsLeader reports whether the role leads a rotation group (vice-chairs and vice-presidents).
func (r Role) IsLeader() bool { return r == RoleViceChair || r == RoleVicePresident }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// ParseRole accepts a Chinese label or an English identifier.
func ParseRole(s string) (Role, bool) {
	s = strings.TrimSpace(s)
	if r := Role(strings.ToLower(s)); r.Valid() {
		return r, true
	}
	r, ok := roleAliases[strings.ReplaceAll(s, " ", "")]
	return r, ok
}

// Level is the level of a people's congress or CPPCC seat.
type Level string

// Seat levels. LevelUnspecified records "是" in a roster that does not say which level.
const (
	LevelNone        Level = ""
	LevelUnspecified Level = "yes"
	LevelNational    Level = "national"
	LevelProvincial  Level = "provincial"
	LevelCity        Level = "city"
	LevelCounty      Level = "county"
)

var levelLabels = map[Level]string{
	LevelUnspecified: "是", LevelNational: "全国", LevelProvincial: "省级", LevelCity: "市级", LevelCounty: "县级",
}

// Label is the level as a roster cell writes it; "" for none.
func (l Level) Label() string { return levelLabels[l] }

// Valid reports whether l is a known level (none included).
func (l Level) Valid() bool { _, ok := levelLabels[l]; return ok || l == LevelNone }

// ParseLevel reads a roster cell for 人大代表 or 政协委员: empty/否/无 is none, 是 is a seat of
// unspecified level, and 全国/省/市/县 (with or without 级) name the level.
func ParseLevel(s string) (Level, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "否", "无", "no", "n", "0", "false", "-", "—", "／", "/":
		return LevelNone, true
	case "是", "yes", "y", "1", "true", "√", "✓":
		return LevelUnspecified, true
	}
	if l := Level(s); l.Valid() {
		return l, true
	}
	for _, p := range []struct {
		prefix string
		l      Level
	}{{"全国", LevelNational}, {"国家", LevelNational}, {"省", LevelProvincial}, {"市", LevelCity}, {"县", LevelCounty}, {"区", LevelCounty}} {
		if strings.HasPrefix(s, p.prefix) {
			return p.l, true
		}
	}
	return LevelNone, false
}

// Member is one person on the executive committee roster.
type Member struct {
	ID                uint64    `gorm:"primaryKey" json:"id"`
	MemberNo          *string   `json:"member_no"`                             // the federation's own number (编号), optional
	Name              string    `json:"name"`                                  // 姓名
	Gender            string    `json:"gender"`                                // 性别: 男, 女 or empty
	Company           string    `json:"company"`                               // 单位
	Title             string    `json:"title"`                                 // 职务 in the company
	Role              Role      `json:"role"`                                  // 执委会职务
	Industry          string    `json:"industry"`                              // 行业
	Region            string    `json:"region"`                                // 区域/乡镇
	Mobile            *string   `json:"mobile"`                                // 手机, normalised to 11 digits; unique when set
	Email             string    `json:"email"`                                 // 邮箱
	DeputyLevel       Level     `json:"deputy_level"`                          // 人大代表
	CPPCCLevel        Level     `gorm:"column:cppcc_level" json:"cppcc_level"` // 政协委员
	Active            bool      `json:"active"`                                // false once the member has left
	JoinedOn          Date      `json:"joined_on"`                             // 入会日期
	LeftOn            Date      `json:"left_on"`                               // 离任日期
	UnavailableMonths MonthSet  `json:"unavailable_months"`                    // months the member cannot serve (不可值班月份)
	Version           int       `json:"version"`                               // optimistic concurrency: bumped by every update
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// Member JSON tags exist for audit snapshots; the API has its own response types.

// IsDeputy reports a people's congress seat of any level.
func (m *Member) IsDeputy() bool { return m.DeputyLevel != LevelNone }

// IsCPPCC reports a CPPCC seat of any level.
func (m *Member) IsCPPCC() bool { return m.CPPCCLevel != LevelNone }

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizeMobile folds full-width digits, drops spaces, dashes and a +86 prefix.
// It returns the cleaned number and whether it is a valid mainland mobile number.
func NormalizeMobile(s string) (string, bool) {
	s = width.Narrow.String(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '\u00a0', '\t':
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(s, "+86")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s, mobileRe.MatchString(s)
}

// Field names used in validation errors; they match the JSON fields of the API.
const (
	FieldName     = "name"
	FieldGender   = "gender"
	FieldCompany  = "company"
	FieldTitle    = "title"
	FieldRole     = "role"
	FieldIndustry = "industry"
	FieldRegion   = "region"
	FieldMobile   = "mobile"
	FieldEmail    = "email"
	FieldMemberNo = "member_no"
	FieldDeputy   = "deputy_level"
	FieldCPPCC    = "cppcc_level"
	FieldJoinedOn = "joined_on"
	FieldLeftOn   = "left_on"
)

// textLimits are the column widths of the members table, in characters.
var textLimits = map[string]int{
	FieldName: 64, FieldCompany: 200, FieldTitle: 100, FieldIndustry: 64, FieldRegion: 64, FieldEmail: 254, FieldMemberNo: 32,
}

// Normalize trims text fields and cleans the mobile number in place.
func (m *Member) Normalize() {
	for _, p := range []*string{&m.Name, &m.Gender, &m.Company, &m.Title, &m.Industry, &m.Region, &m.Email} {
		*p = cleanText(*p)
	}
	if m.Mobile != nil {
		s, _ := NormalizeMobile(*m.Mobile)
		if s == "" {
			m.Mobile = nil
		} else {
			m.Mobile = &s
		}
	}
	if m.MemberNo != nil {
		s := cleanText(width.Narrow.String(*m.MemberNo))
		if s == "" {
			m.MemberNo = nil
		} else {
			m.MemberNo = &s
		}
	}
	switch m.Gender {
	case "男性", "m", "M", "male":
		m.Gender = "男"
	case "女性", "f", "F", "female":
		m.Gender = "女"
	}
}

// cleanText trims, collapses inner runs of whitespace and drops control characters,
// which pasted spreadsheet cells are full of.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u200b' || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Validate checks a normalised member and returns every problem found.
func (m *Member) Validate() []FieldError {
	var errs []FieldError
	if m.Name == "" {
		errs = append(errs, FieldError{Field: FieldName, Key: "member.name.required"})
	}
	texts := map[string]string{FieldName: m.Name, FieldCompany: m.Company, FieldTitle: m.Title,
		FieldIndustry: m.Industry, FieldRegion: m.Region, FieldEmail: m.Email}
	if m.MemberNo != nil {
		texts[FieldMemberNo] = *m.MemberNo
	}
	for _, f := range []string{FieldMemberNo, FieldName, FieldCompany, FieldTitle, FieldIndustry, FieldRegion, FieldEmail} {
		if v, ok := texts[f]; ok && utf8.RuneCountInString(v) > textLimits[f] {
			errs = append(errs, FieldError{Field: f, Key: "field.too_long", Args: []any{textLimits[f]}})
		}
	}
	if m.Gender != "" && m.Gender != "男" && m.Gender != "女" {
		errs = append(errs, FieldError{Field: FieldGender, Key: "member.gender.invalid", Args: []any{m.Gender}})
	}
	if !m.Role.Valid() {
		errs = append(errs, FieldError{Field: FieldRole, Key: "member.role.invalid", Args: []any{string(m.Role)}})
	}
	if m.Mobile != nil {
		if _, ok := NormalizeMobile(*m.Mobile); !ok {
			errs = append(errs, FieldError{Field: FieldMobile, Key: "member.mobile.invalid", Args: []any{*m.Mobile}})
		}
	}
	if m.Email != "" {
		if a, err := mail.ParseAddress(m.Email); err != nil || a.Address != m.Email {
			errs = append(errs, FieldError{Field: FieldEmail, Key: "member.email.invalid", Args: []any{m.Email}})
		}
	}
	if !m.DeputyLevel.Valid() {
		errs = append(errs, FieldError{Field: FieldDeputy, Key: "member.level.invalid", Args: []any{string(m.DeputyLevel)}})
	}
	if !m.CPPCCLevel.Valid() {
		errs = append(errs, FieldError{Field: FieldCPPCC, Key: "member.level.invalid", Args: []any{string(m.CPPCCLevel)}})
	}
	if !m.JoinedOn.IsZero() && !m.LeftOn.IsZero() && m.LeftOn.Before(m.JoinedOn) {
		errs = append(errs, FieldError{Field: FieldLeftOn, Key: "member.left_before_joined"})
	}
	return errs
}
