package duty

import (
	"fmt"
	"slices"
)

// SwapMonths previews exchanging the groups of months m1 and m2. It returns the changed copy of
// the plan (the input is not modified) and every rule the changed plan breaks, so the UI can show
// "第3轮值组的领导10月均无法到岗" before the secretariat confirms. The swap is returned even when
// it breaks rules: the secretariat may know something the data does not.
//
// A swap does not change how many duties each group leads, so the plan's History is kept.
func SwapMonths(p Plan, m1, m2 int) (Plan, []Warning, error) {
	if len(p.Months) != 12 {
		return Plan{}, nil, invalid("months", "计划应包含12个月", "a plan must have 12 months")
	}
	if !validMonth(m1) || !validMonth(m2) {
		return Plan{}, nil, invalid("month", "月份应为1–12（收到%d和%d）", "months must be 1–12 (got %d and %d)", m1, m2)
	}
	out := p
	out.Months = slices.Clone(p.Months)
	a, b := &out.Months[m1-1], &out.Months[m2-1]
	ga, gb := a.Group, b.Group
	for _, x := range []struct {
		ma *MonthAssignment
		g  int
	}{{a, gb}, {b, ga}} {
		if x.g == NoGroup {
			x.ma.Group, x.ma.GroupNumber, x.ma.GroupLabel = NoGroup, 0, ""
			if x.ma.NoDuty {
				x.ma.Reason, x.ma.ReasonEN = "本月不安排轮值", "no duty this month"
			} else {
				x.ma.Reason, x.ma.ReasonEN = "本月暂无轮值组", "no duty group assigned"
			}
			continue
		}
		setGroup(x.ma, x.g)
	}
	return out, CheckPlan(out), nil
}

// CheckPlan lists the rules a plan breaks: a group given a month in which all its leaders are
// unavailable, or a month marked "no duty". Use it after any manual change. It relies on each
// month's Available and NoDuty as Assign filled them, so keep those when storing a plan.
func CheckPlan(p Plan) []Warning {
	ws := []Warning{}
	for _, ma := range p.Months {
		if ma.Group == NoGroup {
			continue
		}
		if ma.NoDuty {
			ws = append(ws, Warning{
				Code: WarnNoDutyMonth, Month: ma.Month, Group: ma.Group,
				Message:   fmt.Sprintf("%d月为不轮值月份，不应安排%s。", ma.Month, GroupLabel(ma.Group)),
				MessageEN: fmt.Sprintf("month %d is marked no-duty but is given to %s.", ma.Month, groupLabelEN(ma.Group)),
			})
		}
		if !slices.Contains(ma.Available, ma.Group) {
			ws = append(ws, Warning{
				Code: WarnLeadersUnavailable, Month: ma.Month, Group: ma.Group,
				Message:   fmt.Sprintf("%s的领导%d月均无法到岗。", GroupLabel(ma.Group), ma.Month),
				MessageEN: fmt.Sprintf("none of %s's leaders is available in month %d.", groupLabelEN(ma.Group), ma.Month),
			})
		}
	}
	return ws
}
