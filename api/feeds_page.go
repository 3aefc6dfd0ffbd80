package api

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/skip2/go-qrcode"

	"github.com/gsl/rota/locale"
	"github.com/gsl/rota/models"
)

type subscribePageData struct {
	Lang      locale.Lang
	Name      string
	FeedURL   string
	WebcalURL template.URL // webcal:// is not a scheme html/template trusts; we built it
	QR        template.URL // data:image/png;base64,…
}

// subscribePage answers GET /feeds/{token}/subscribe: the links and a QR code to subscribe
// with, and how to do it on each kind of phone and calendar. It is as secret as the feed
// itself (anyone who has one has the other), so an unknown token gets the same bare 404.
func (h *feedHandler) subscribePage(c echo.Context) error {
	token := c.Param("token")
	sub, err := h.s.db.ResolveFeedToken(c.Request().Context(), token)
	if models.ErrorCode(err) == models.ENotFound {
		return c.NoContent(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	lang := h.s.lang(c)
	l := h.links(token)
	// WeChat's scanner opens https links but not webcal://, so the QR code holds the https one.
	png, err := qrcode.Encode(l.Feed, qrcode.Medium, 256)
	if err != nil {
		return models.Internal(err)
	}
	data := subscribePageData{Lang: lang, Name: h.calendarName(lang, sub), FeedURL: l.Feed,
		WebcalURL: template.URL(l.Webcal), QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	html, err := renderPage("feed_subscribe.html", lang, data)
	if err != nil {
		return err
	}
	hdr := c.Response().Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Robots-Tag", "noindex, nofollow")
	hdr.Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	return c.HTMLBlob(http.StatusOK, html)
}

// calendarName is what a calendar app lists the feed as.
func (h *feedHandler) calendarName(lang locale.Lang, sub *models.FeedSubscription) string {
	switch sub.Token.Kind {
	case models.FeedMember:
		return locale.T(lang, "feed.name.member", sub.MemberName)
	case models.FeedGroup:
		return locale.T(lang, "feed.name.group", sub.PlanYear, groupLabel(lang, sub.GroupName, sub.GroupNumber))
	}
	return locale.T(lang, "feed.name.federation")
}
