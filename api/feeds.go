package api

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/models"
)

// FeedOptions tune the calendar feeds. Zero values take the defaults.
type FeedOptions struct {
	// Alarm is how long before an activity subscribed calendars remind (default one day);
	// negative turns reminders off.
	Alarm time.Duration
	// HistoryMonths is how far back a feed reaches (default 12); everything ahead is included.
	HistoryMonths int
	// KeepCancelled is how long a cancelled activity stays in feeds as CANCELLED (default 30
	// days), so subscribed calendars remove it instead of keeping a stale copy.
	KeepCancelled time.Duration
	// CheckInterval is how often cached feeds ask the database whether anything changed
	// (default one second): between checks a poll is answered from memory.
	CheckInterval time.Duration
}

func (o FeedOptions) withDefaults() FeedOptions {
	if o.Alarm == 0 {
		o.Alarm = 24 * time.Hour
	}
	if o.Alarm < 0 {
		o.Alarm = 0
	}
	if o.HistoryMonths <= 0 {
		o.HistoryMonths = 12
	}
	if o.KeepCancelled <= 0 {
		o.KeepCancelled = 30 * 24 * time.Hour
	}
	if o.CheckInterval <= 0 {
		o.CheckInterval = time.Second
	}
	return o
}

// feedHandler serves the secret calendar feeds and their subscribe pages.
type feedHandler struct {
	s     *Server
	opts  FeedOptions
	base  string // base URL without a trailing slash
	host  string // host of the base URL, the domain part of every UID
	cache *feedCache
	stats feedStats
	date  dateCache

	touchMu sync.Mutex
	touched map[uint64]time.Time // token id → last time last_used_at was written
}

// feedRoutes registers the public feed routes and the token management API. The feeds are
// public on purpose: calendar apps cannot sign in, the secret token in the URL is the key.
// Polls of a cached feed never reach these routes: Server.Handler answers them first
// (feeds_fast.go); the routes render, refresh the cache and give every other answer.
func (s *Server) feedRoutes(v1 *echo.Group) {
	h := &feedHandler{s: s, opts: s.opts.Feeds.withDefaults(), base: strings.TrimRight(s.opts.BaseURL, "/"),
		touched: map[uint64]time.Time{}}
	if u, err := url.Parse(h.base); err == nil && u.Hostname() != "" {
		h.host = u.Hostname()
	} else {
		h.host = "rota.invalid"
	}
	h.cache = newFeedCache(h.opts.CheckInterval)
	s.feeds = h
	e := s.echo
	e.GET("/robots.txt", robots)
	// One parameter name for the three routes: echo keeps one name per path position.
	e.GET("/feeds/:token", h.feed)
	e.HEAD("/feeds/:token", h.feed)
	e.GET("/feeds/:token/subscribe", h.subscribePage)

	v1.GET("/members/:id/feed-token", h.getToken(memberScope))
	v1.POST("/members/:id/feed-token", h.issueToken(memberScope))
	v1.DELETE("/members/:id/feed-token", h.revokeToken(memberScope))
	v1.GET("/groups/:id/feed-token", h.getToken(groupScope))
	v1.POST("/groups/:id/feed-token", h.issueToken(groupScope))
	v1.DELETE("/groups/:id/feed-token", h.revokeToken(groupScope))
	v1.GET("/federation/feed-token", h.getToken(federationScope))
	v1.POST("/federation/feed-token", h.issueToken(federationScope))
	v1.DELETE("/federation/feed-token", h.revokeToken(federationScope))
}

// robots lets every crawler fetch the feeds (Google Calendar's fetcher obeys robots.txt, and
// a Disallow there silently stops subscriptions) but keeps them out of the API.
func robots(c echo.Context) error {
	return c.String(http.StatusOK, "User-agent: *\nDisallow: /api/\nAllow: /feeds/\n")
}

// feed answers GET and HEAD /feeds/{token}.ics when the fast path could not: the first poll
// of a feed, the first after a change, and the one poll per check interval that asks the
// database. Anything but a live token gets a bare 404: no body, no hint whether the token
// ever existed.
func (h *feedHandler) feed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok || !models.ValidFeedToken(token) {
		return c.NoContent(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	f, err := h.lookup(ctx, token)
	if models.ErrorCode(err) == models.ENotFound {
		h.stats.notFound.Add(1)
		return c.NoContent(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	h.touch(ctx, f.tokenID)
	h.serveFeed(c.Response(), c.Request(), f)
	return nil
}

// lookup returns the token's rendered feed from the cache, rendering it when the cache
// has none or the data changed since.
func (h *feedHandler) lookup(ctx context.Context, token string) (*renderedFeed, error) {
	ep, err := h.cache.current(ctx, h.s.db)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256([]byte(token))
	if f := ep.get(key); f != nil {
		return f, nil
	}
	f, err := h.render(ctx, token)
	if err != nil {
		return nil, err
	}
	ep.put(key, f)
	return f, nil
}

// touchEvery is how often at most a token's last use is written.
const touchEvery = time.Hour

// touch records, at most hourly per token, that the feed is in use, so the secretariat
// can see who actually subscribed.
func (h *feedHandler) touch(ctx context.Context, id uint64) {
	now := h.s.db.Now()
	h.touchMu.Lock()
	last, ok := h.touched[id]
	fresh := ok && now.Sub(last) < touchEvery
	if !fresh {
		h.touched[id] = now
	}
	h.touchMu.Unlock()
	if fresh {
		return
	}
	if err := h.s.db.TouchFeedToken(context.WithoutCancel(ctx), id); err != nil {
		h.s.log.Warn("feed token last use not recorded", "token_id", id, "err", err)
	}
}
