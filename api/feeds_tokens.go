package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// scopeFunc reads which feed a management request is about from its path.
type scopeFunc func(c echo.Context) (models.FeedScope, error)

func memberScope(c echo.Context) (models.FeedScope, error) {
	id, err := idParam(c)
	return models.MemberFeedScope(id), err
}

func groupScope(c echo.Context) (models.FeedScope, error) {
	id, err := idParam(c)
	return models.GroupFeedScope(id), err
}

func federationScope(echo.Context) (models.FeedScope, error) {
	return models.FederationFeedScope(), nil
}

// feedTokenResponse describes a feed's secret URL. Token and the URLs are present only in
// the answer to issuing it: the server keeps a hash and cannot show them again.
type feedTokenResponse struct {
	ID           uint64          `json:"id"`
	Kind         models.FeedKind `json:"kind"`
	MemberID     *uint64         `json:"member_id"`
	GroupID      *uint64         `json:"group_id"`
	CreatedBy    string          `json:"created_by"`
	CreatedAt    time.Time       `json:"created_at"`
	LastUsedAt   *time.Time      `json:"last_used_at"`
	Token        string          `json:"token,omitempty"`
	FeedURL      string          `json:"feed_url,omitempty"`
	WebcalURL    string          `json:"webcal_url,omitempty"`
	SubscribeURL string          `json:"subscribe_url,omitempty"`
}

func newFeedTokenResponse(t *models.FeedToken) feedTokenResponse {
	r := feedTokenResponse{ID: t.ID, Kind: t.Kind, MemberID: t.MemberID, GroupID: t.GroupID, CreatedBy: t.CreatedBy,
		CreatedAt: t.CreatedAt.UTC(), LastUsedAt: t.LastUsedAt}
	if r.LastUsedAt != nil {
		u := r.LastUsedAt.UTC()
		r.LastUsedAt = &u
	}
	return r
}

// feedLinks are the three ways to reach a feed: https for Android, Outlook, Google and
// WeChat's scanner; webcal:// for iPhone and Mac, which subscribe when it is tapped.
type feedLinks struct{ Feed, Webcal, Subscribe string }

func (h *feedHandler) links(token string) feedLinks {
	feedURL := h.base + "/feeds/" + token + ".ics"
	webcal := feedURL
	if i := strings.Index(webcal, "://"); i >= 0 {
		webcal = "webcal" + webcal[i:]
	}
	return feedLinks{Feed: feedURL, Webcal: webcal, Subscribe: h.base + "/feeds/" + token + "/subscribe"}
}

func (h *feedHandler) getToken(scope scopeFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sc, err := scope(c)
		if err != nil {
			return err
		}
		t, err := h.s.db.ActiveFeedToken(c.Request().Context(), sc)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newFeedTokenResponse(t))
	}
}

// issueToken creates the feed's secret URL, or rotates it: the previous URL stops working
// at once, so a leaked link is cut off by issuing a new one.
func (h *feedHandler) issueToken(scope scopeFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sc, err := scope(c)
		if err != nil {
			return err
		}
		token, t, err := h.s.db.IssueFeedToken(c.Request().Context(), sc)
		if err != nil {
			return err
		}
		h.cache.invalidate()
		r := newFeedTokenResponse(t)
		l := h.links(token)
		r.Token, r.FeedURL, r.WebcalURL, r.SubscribeURL = token, l.Feed, l.Webcal, l.Subscribe
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusCreated, r)
	}
}

func (h *feedHandler) revokeToken(scope scopeFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sc, err := scope(c)
		if err != nil {
			return err
		}
		if err := h.s.db.RevokeFeedToken(c.Request().Context(), sc); err != nil {
			return err
		}
		h.cache.invalidate()
		return c.NoContent(http.StatusNoContent)
	}
}
