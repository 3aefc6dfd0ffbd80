package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/gsl/rota/api/feed"
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

	touchMu sync.Mutex
	touched map[uint64]time.Time // token id → last time last_used_at was written
}

// feedRoutes registers the public feed routes and the token management API. The feeds are
// public on purpose: calendar apps cannot sign in, the secret token in the URL is the key.
func (s *Server) feedRoutes(v1 *echo.Group) {
	h := &feedHandler{s: s, opts: s.opts.Feeds.withDefaults(), base: strings.TrimRight(s.opts.BaseURL, "/"),
		touched: map[uint64]time.Time{}}
	if u, err := url.Parse(h.base); err == nil && u.Hostname() != "" {
		h.host = u.Hostname()
	} else {
		h.host = "rota.invalid"
	}
	h.cache = newFeedCache(h.opts.CheckInterval)
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

// feed answers GET and HEAD /feeds/{token}.ics. Anything but a live token gets a bare 404:
// no body, no hint whether the token ever existed.
func (h *feedHandler) feed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok || !models.ValidFeedToken(token) {
		return c.NoContent(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	f, err := h.lookup(ctx, token)
	if models.ErrorCode(err) == models.ENotFound {
		return c.NoContent(http.StatusNotFound)
	}
	if err != nil {
		return err
	}
	h.touch(ctx, f.tokenID)
	return serveFeed(c, f)
}

// lookup returns the token's rendered feed from the cache, rendering it when the cache
// has none or the data changed since.
func (h *feedHandler) lookup(ctx context.Context, token string) (*renderedFeed, error) {
	version, err := h.cache.version(ctx, h.s.db, h.today())
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256([]byte(token))
	if f := h.cache.get(key, version); f != nil {
		return f, nil
	}
	f, err := h.render(ctx, token)
	if err != nil {
		return nil, err
	}
	f.version = version
	h.cache.put(key, f)
	return f, nil
}

// today is the date in Asia/Shanghai: the feed's time window moves once a day, so the
// cache's version includes it.
func (h *feedHandler) today() string {
	return h.s.db.Now().In(feed.Shanghai).Format(time.DateOnly)
}

// renderedFeed is a feed's bytes with the validators computed from them, and its header
// values ready to share between responses.
type renderedFeed struct {
	version      string
	tokenID      uint64
	body         []byte
	etag         string
	lastModified time.Time
	etagHdr      []string
	lastModHdr   []string
	length       []string
}

var (
	calendarContentType = []string{"text/calendar; charset=utf-8"}
	feedCacheControl    = []string{"private, no-cache"}
)

func newRenderedFeed(tokenID uint64, body []byte, lastModified time.Time) *renderedFeed {
	sum := sha256.Sum256(body)
	lastModified = lastModified.UTC().Truncate(time.Second)
	etag := `"sha256-` + hex.EncodeToString(sum[:16]) + `"`
	return &renderedFeed{tokenID: tokenID, body: body, etag: etag, lastModified: lastModified,
		etagHdr: []string{etag}, lastModHdr: []string{lastModified.Format(http.TimeFormat)},
		length: []string{strconv.Itoa(len(body))}}
}

// serveFeed writes the feed or a 304. If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
func serveFeed(c echo.Context, f *renderedFeed) error {
	req := c.Request()
	h := c.Response().Header()
	// Canonical keys and shared, never-modified value slices: polls are the hot path.
	h["Content-Type"] = calendarContentType
	h["Etag"] = f.etagHdr
	h["Last-Modified"] = f.lastModHdr
	// Clients may keep the feed but must ask again each time; the ETag makes that a 304.
	h["Cache-Control"] = feedCacheControl
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		if etagMatches(inm, f.etag) {
			return c.NoContent(http.StatusNotModified)
		}
	} else if ims := req.Header.Get(echo.HeaderIfModifiedSince); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !f.lastModified.After(t) {
			return c.NoContent(http.StatusNotModified)
		}
	}
	h["Content-Length"] = f.length
	c.Response().WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(f.body)
	return err
}

// etagMatches is If-None-Match's weak comparison against one strong ETag: "*", or any
// listed tag equal to it with or without W/.
func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// touch records, at most hourly per token, that the feed is in use, so the secretariat
// can see who actually subscribed.
func (h *feedHandler) touch(ctx context.Context, id uint64) {
	now := h.s.db.Now()
	h.touchMu.Lock()
	last, ok := h.touched[id]
	fresh := ok && now.Sub(last) < time.Hour
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

// feedCache keeps each token's rendered feed until the database says something that feeds
// show has changed (models.DB.FeedVersion, asked at most once per interval) or the day turns.
type feedCache struct {
	interval time.Duration

	mu         sync.Mutex
	current    string
	checked    time.Time
	refreshing bool
	entries    map[[sha256.Size]byte]*renderedFeed // by token hash
}

// maxCachedFeeds bounds memory: a federation has a few hundred feeds.
const maxCachedFeeds = 10000

func newFeedCache(interval time.Duration) *feedCache {
	return &feedCache{interval: interval, entries: map[[sha256.Size]byte]*renderedFeed{}}
}

// version returns the current data version, asking the database when the last answer is
// older than the interval. While one request asks, the others use the previous answer.
func (fc *feedCache) version(ctx context.Context, db *models.DB, day string) (string, error) {
	fc.mu.Lock()
	if fc.current != "" && (fc.refreshing || time.Since(fc.checked) < fc.interval) {
		v := fc.current
		fc.mu.Unlock()
		return v, nil
	}
	fc.refreshing = true
	fc.mu.Unlock()

	v, err := db.FeedVersion(ctx)
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.refreshing = false
	if err != nil {
		return "", err
	}
	v += day
	if v != fc.current {
		fc.current = v
		clear(fc.entries)
	}
	fc.checked = time.Now()
	return v, nil
}

// invalidate makes the next request ask the database: this process just changed a token.
func (fc *feedCache) invalidate() {
	fc.mu.Lock()
	fc.checked = time.Time{}
	clear(fc.entries)
	fc.mu.Unlock()
}

func (fc *feedCache) get(key [sha256.Size]byte, version string) *renderedFeed {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f := fc.entries[key]; f != nil && f.version == version {
		return f
	}
	return nil
}

func (fc *feedCache) put(key [sha256.Size]byte, f *renderedFeed) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if f.version != fc.current {
		return // the data moved on while this was rendered
	}
	if len(fc.entries) >= maxCachedFeeds {
		clear(fc.entries)
	}
	fc.entries[key] = f
}
