package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

// The activity page is what the link in every calendar event opens (feed events carry
// base_url/activities/{id}). A feed URL can be forwarded anywhere, so the page shows the
// activity only to a signed-in principal who may see it through the API too: anonymous
// visitors get a 401 page asking them to sign in, and an activity the principal may not see
// is a 404 page, the same as one that does not exist.

type activityPageData struct {
	Lang     locale.Lang
	Heading  string
	Message  string        // the sign-in and not-found pages
	Activity *activityView // the activity page
}

// activityView is the activity as a person reads it: every value formatted, in the page's language.
type activityView struct {
	Title       string
	Status      string
	StatusClass string
	Fields      []pageField
	Description string
	ZoneNote    string
}

// pageField is one line of the page: Label is a translation key.
type pageField struct{ Label, Value string }

// activityPage answers GET /activities/{id} with an HTML page.
func (s *Server) activityPage(c echo.Context) error {
	lang := s.lang(c)
	if principal(c) == nil {
		return s.renderActivityPage(c, http.StatusUnauthorized, activityPageData{Lang: lang,
			Heading: locale.T(lang, "activity.page.sign_in"), Message: locale.T(lang, "activity.page.sign_in_text")})
	}
	notFound := activityPageData{Lang: lang, Heading: locale.T(lang, "activity.page.not_found"),
		Message: locale.T(lang, "activity.page.not_found_text")}
	id, err := idParam(c)
	if err != nil {
		return s.renderActivityPage(c, http.StatusNotFound, notFound)
	}
	a, err := s.db.GetActivity(c.Request().Context(), id)
	if models.ErrorCode(err) == models.ENotFound {
		return s.renderActivityPage(c, http.StatusNotFound, notFound)
	}
	if err != nil {
		return err
	}
	v := s.newActivityView(lang, a)
	return s.renderActivityPage(c, http.StatusOK, activityPageData{Lang: lang, Heading: v.Title, Activity: v})
}

func (s *Server) renderActivityPage(c echo.Context, status int, data activityPageData) error {
	html, err := renderPage("activity.html", data.Lang, data)
	if err != nil {
		return err
	}
	hdr := c.Response().Header()
	// What a principal may see is theirs alone: no cache keeps it, no other site frames it.
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Robots-Tag", "noindex, nofollow")
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	hdr.Set("Referrer-Policy", "same-origin")
	return c.HTMLBlob(status, html)
}

func (s *Server) newActivityView(lang locale.Lang, a *models.ActivityWithGroup) *activityView {
	loc := s.opts.Location
	v := &activityView{Title: a.Title, Status: locale.T(lang, "activity.page.status."+string(a.Status)),
		StatusClass: string(a.Status), Description: strings.TrimSpace(a.Description),
		ZoneNote: locale.T(lang, "activity.page.zone", loc.String())}
	if v.Title == "" {
		v.Title = a.Theme
	}
	add := func(label, value string) {
		if value != "" {
			v.Fields = append(v.Fields, pageField{Label: label, Value: value})
		}
	}
	add("activity.page.when", activityWhen(lang, a, loc))
	add("activity.page.where", a.Location)
	add("activity.page.theme", a.Theme)
	category := a.CategoryLabelZH
	if lang == locale.EN && a.CategoryLabelEN != "" {
		category = a.CategoryLabelEN
	}
	add("activity.page.category", category)
	if a.GroupID != nil {
		add("activity.page.group", groupLabel(lang, a.GroupName, a.GroupNumber))
	}
	sep := locale.T(lang, "activity.page.list_separator")
	add("activity.page.leaders", strings.Join(a.LeaderNames, sep))
	if !slices.Equal(a.OrganiserNames, a.LeaderNames) { // a duty activity's organisers are its leaders
		add("activity.page.organisers", strings.Join(a.OrganiserNames, sep))
	}
	if a.Status == models.StatusCancelled {
		add("activity.page.cancel_reason", a.CancelReason)
	}
	return v
}

// activityWhen is the activity's date and time as people write them, in loc: one day with a
// time range, several days from start to end, or all-day dates.
func activityWhen(lang locale.Lang, a *models.ActivityWithGroup, loc *time.Location) string {
	start, end := a.StartsAt.In(loc), a.EndsAt.In(loc)
	if a.AllDay {
		// The end of an all-day activity is either the next midnight or a time on the last day.
		last := end
		if y, m, d := end.Date(); end.Equal(time.Date(y, m, d, 0, 0, 0, 0, loc)) && end.After(start) {
			last = end.AddDate(0, 0, -1)
		}
		if sameDay(start, last) {
			return locale.T(lang, "activity.page.all_day", pageDate(lang, start, true))
		}
		return locale.T(lang, "activity.page.all_days", pageDate(lang, start, true), pageDate(lang, last, last.Year() != start.Year()))
	}
	if end.IsZero() || !end.After(start) {
		return pageDate(lang, start, true) + " " + start.Format("15:04")
	}
	if sameDay(start, end) {
		return locale.T(lang, "activity.page.time_range", pageDate(lang, start, true), start.Format("15:04"), end.Format("15:04"))
	}
	return locale.T(lang, "activity.page.time_span", pageDate(lang, start, true), start.Format("15:04"),
		pageDate(lang, end, end.Year() != start.Year()), end.Format("15:04"))
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

var weekdaysZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// pageDate writes a date with its weekday: 2026年3月18日（星期三）, or Wed 18 Mar 2026.
func pageDate(lang locale.Lang, t time.Time, withYear bool) string {
	if lang == locale.EN {
		if withYear {
			return t.Format("Mon 2 Jan 2006")
		}
		return t.Format("Mon 2 Jan")
	}
	s := fmt.Sprintf("%d月%d日（%s）", t.Month(), t.Day(), weekdaysZH[t.Weekday()])
	if withYear {
		s = fmt.Sprintf("%d年", t.Year()) + s
	}
	return s
}
