package api

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gsl/rota/api/feed"
	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// render reads the token's activities and renders its feed. Feeds are written in the
// default language whatever the request asks: the bytes, and so the ETag, must not depend
// on who polls.
func (h *feedHandler) render(ctx context.Context, token string) (*renderedFeed, error) {
	sub, err := h.s.db.ResolveFeedToken(ctx, token)
	if err != nil {
		return nil, err
	}
	today := h.s.db.Now().In(feed.Shanghai)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, feed.Shanghai)
	q := models.FeedQuery{
		From:                  midnight.AddDate(0, -h.opts.HistoryMonths, 0),
		IncludeCancelledSince: midnight.Add(-h.opts.KeepCancelled),
	}
	lang := h.s.opts.DefaultLang
	t := sub.Token
	switch t.Kind {
	case models.FeedMember:
		q.MemberID = t.MemberID
	case models.FeedGroup:
		q.GroupID = t.GroupID
	}
	name := h.calendarName(lang, sub)
	acts, err := h.s.db.ActivitiesForFeed(ctx, q)
	if err != nil {
		return nil, err
	}
	cal := feed.Calendar{Name: name, Alarm: h.opts.Alarm, Events: make([]feed.Event, len(acts))}
	// Last-Modified is the newest activity change; an empty feed has only its token's age.
	var lastModified time.Time
	if len(acts) == 0 {
		lastModified = t.CreatedAt
	}
	for i := range acts {
		cal.Events[i] = h.event(lang, &acts[i])
		if acts[i].UpdatedAt.After(lastModified) {
			lastModified = acts[i].UpdatedAt
		}
	}
	body, err := feed.Render(&cal)
	if err != nil {
		return nil, models.Internal(err)
	}
	return newRenderedFeed(t.ID, body, lastModified), nil
}

func groupLabel(lang locale.Lang, name string, number int) string {
	if name != "" {
		return name
	}
	return locale.T(lang, "feed.group_number", number)
}

// event turns an activity into a feed event. It writes only what any subscriber may read:
// names of leaders and organisers, never mobiles or e-mail addresses, and it blanks any that
// were typed into free text.
func (h *feedHandler) event(lang locale.Lang, a *models.ActivityWithGroup) feed.Event {
	link := h.base + "/activities/" + strconv.FormatUint(a.ID, 10)
	title := redactContacts(lang, a.Title)
	if title == "" {
		title = redactContacts(lang, a.Theme)
	}
	status := feed.StatusConfirmed
	switch a.Status {
	case models.StatusCancelled:
		status = feed.StatusCancelled
		title = locale.T(lang, "feed.summary.cancelled", title)
	case models.StatusProposed:
		status = feed.StatusTentative
		title = locale.T(lang, "feed.summary.proposed", title)
	}
	var lines []string
	add := func(key, value string) {
		if value != "" {
			lines = append(lines, locale.T(lang, key, value))
		}
	}
	if a.Status == models.StatusCancelled {
		add("feed.desc.cancelled", cmpOr(redactContacts(lang, a.CancelReason), locale.T(lang, "feed.desc.cancelled_no_reason")))
	}
	add("feed.desc.theme", redactContacts(lang, a.Theme))
	add("feed.desc.category", a.CategoryLabelZH)
	group := ""
	if a.GroupID != nil {
		group = groupLabel(lang, a.GroupName, a.GroupNumber)
	}
	add("feed.desc.group", group)
	add("feed.desc.leaders", strings.Join(a.LeaderNames, "、"))
	if !slices.Equal(a.OrganiserNames, a.LeaderNames) { // a duty activity's organisers are its leaders
		add("feed.desc.organisers", strings.Join(a.OrganiserNames, "、"))
	}
	add("feed.desc.link", link)
	desc := strings.Join(lines, "\n")
	if d := redactContacts(lang, a.Description); d != "" {
		desc += "\n\n" + d
	}
	var cats []string
	for _, c := range []string{a.CategoryLabelZH, group} {
		if c != "" {
			cats = append(cats, c)
		}
	}
	return feed.Event{
		UID:         "activity-" + strconv.FormatUint(a.ID, 10) + "@" + h.host,
		Summary:     title,
		Location:    redactContacts(lang, a.Location),
		Description: desc,
		Categories:  cats,
		URL:         link,
		Start:       a.StartsAt,
		End:         allDayEnd(a),
		AllDay:      a.AllDay,
		Status:      status,
		Sequence:    a.Sequence,
		Created:     a.CreatedAt,
		Updated:     a.UpdatedAt,
	}
}

// allDayEnd gives the renderer an exclusive end for all-day activities whether the activity
// stores its end as the next midnight or as a time on the last day.
func allDayEnd(a *models.ActivityWithGroup) time.Time {
	if !a.AllDay {
		return a.EndsAt
	}
	end := a.EndsAt.In(feed.Shanghai)
	y, m, d := end.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, feed.Shanghai)
	if end.Equal(midnight) {
		return midnight
	}
	return midnight.AddDate(0, 0, 1)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var (
	// mainland mobiles, with or without +86 and with spaces or dashes between digit groups
	mobileInText = regexp.MustCompile(`(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}`)
	emailInText  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
)

// redactContacts blanks mobile numbers and e-mail addresses typed into free text ("联系人：
// 王先生 13800000000"): a feed URL can end up anywhere, and the roster's contact details
// are not the subscriber's to spread.
func redactContacts(lang locale.Lang, s string) string {
	if s == "" || !strings.ContainsAny(s, "0123456789@") {
		return s
	}
	mask := locale.T(lang, "feed.redacted")
	s = emailInText.ReplaceAllString(s, mask)
	idx := mobileInText.FindAllStringIndex(s, -1)
	for i := len(idx) - 1; i >= 0; i-- {
		lo, hi := idx[i][0], idx[i][1]
		if (lo > 0 && isDigit(s[lo-1])) || (hi < len(s) && isDigit(s[hi])) {
			continue // part of a longer number: an account or ID number, not a mobile
		}
		s = s[:lo] + mask + s[hi:]
	}
	return s
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
