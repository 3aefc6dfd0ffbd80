// Package duty plans a year of rotation duty (轮值): which rotation group (轮值组) is on duty in
// which month, which occasions (节日/节点) fall in each month, and a proposed activity category,
// themes and date for every duty month.
//
// The package is pure: it imports no database and no HTTP code, takes everything it needs as
// arguments and returns JSON-ready values, so the secretariat's UI can show a proposal and the
// reasons behind it, and the same inputs always give the same plan.
//
// Groups are referred to by their 0-based index everywhere in the API; people see the 1-based
// number ("第3轮值组"), which GroupLabel renders. NoGroup (-1) means "no group".
package duty

import (
	"fmt"
	"strings"
)

// NoGroup marks a month without a duty group, or a warning that concerns no single group.
const NoGroup = -1

// MinYear and MaxYear bound the plan years the package accepts; the lunar calendar and holiday
// data are only meaningful in this range, and a typo such as 20026 should fail early.
const (
	MinYear = 1901
	MaxYear = 2099
)

// GroupLabel returns the display name of the group with the given 0-based index, e.g. "第3轮值组".
func GroupLabel(group int) string {
	if group < 0 {
		return ""
	}
	return fmt.Sprintf("第%d轮值组", group+1)
}

// groupLabelEN is the English counterpart of GroupLabel, used in bilingual messages.
func groupLabelEN(group int) string {
	return fmt.Sprintf("group %d", group+1)
}

// Error codes, matching the application's error codes so a handler can map them to statuses.
const (
	CodeInvalid = "invalid"
)

// Error is returned for unusable input. Message is Chinese, the language the secretariat reads;
// MessageEN is for logs and English-speaking developers.
type Error struct {
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// Error returns the Chinese message followed by the English one.
func (e *Error) Error() string {
	return e.Message + " (" + e.MessageEN + ")"
}

func invalid(field, zh, en string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(zh, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Warning codes. A warning never stops planning: the planner does its best and says what it
// could not satisfy, because the secretariat can usually fix the cause (a leader's trip) by hand.
const (
	// WarnGroupShort: a group is owed a duty this year but its leaders are unavailable in every
	// month it could take, so it gets fewer duties than the fair share.
	WarnGroupShort = "group_short"
	// WarnMonthEmpty: in a duty month every group's leaders are unavailable.
	WarnMonthEmpty = "month_empty"
	// WarnLeadersUnavailable: a plan gives a group a month in which all its leaders are away.
	WarnLeadersUnavailable = "leaders_unavailable"
	// WarnNoDutyMonth: a plan gives a group a month marked "no duty".
	WarnNoDutyMonth = "no_duty_month"
	// WarnHolidaysMissing: the holiday calendar has no data for the year, so proposed dates may
	// fall on public holidays that were announced after the data was compiled.
	WarnHolidaysMissing = "holidays_missing"
	// WarnCategoryRepeated: a group's proposed category equals last year's because the yearly
	// category balance left no other choice.
	WarnCategoryRepeated = "category_repeated"
)

// Warning is a rule the planner could not satisfy, or a rule a manual change breaks.
type Warning struct {
	Code      string `json:"code"`
	Month     int    `json:"month,omitempty"`
	Group     int    `json:"group"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// validMonth reports whether m is 1..12.
func validMonth(m int) bool { return m >= 1 && m <= 12 }

// normalizeText folds whitespace so "银企 对接会" and "银企对接会" count as the same theme.
func normalizeText(s string) string {
	return strings.Join(strings.Fields(s), "")
}
