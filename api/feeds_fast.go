package api

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gsl/rota/models"
)

// Calendar apps poll every feed about hourly, all day, whoever subscribed: feed polls are
// most of the traffic, and most of them are answered 304. The fast path answers a poll of a
// cached feed before Echo and its middleware (request ID, request log, recovery,
// authentication) run: hash the token, one atomic load and a map read under a read lock, then
// headers made when the feed was rendered. Whatever it cannot answer from memory (the first
// poll of a feed, the one poll per check interval that asks the database, unknown tokens,
// errors) goes on to Echo and the feed route, with the full middleware stack.
//
// Logging: a poll the fast path answers writes no request log line at info level (it would
// be one line per subscriber per hour, forever). It is logged at debug level, and once a
// minute, when there were any, one info line counts the feed answers by status. Everything
// that goes on to Echo is logged as any request is.

// feedFastPath is the http.Handler in front of Echo.
type feedFastPath struct {
	h    *feedHandler
	next http.Handler
}

func (p *feedFastPath) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.h.serveFast(w, r) {
		p.next.ServeHTTP(w, r)
	}
}

// serveFast answers r if it is a poll of a feed in the cache, or a feed URL that cannot be a
// token, and reports whether it did.
func (h *feedHandler) serveFast(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	f, ans := h.lookupFast(r.Context(), r.URL.Path)
	switch ans {
	case passOn:
		return false
	case answerNotFound:
		w.WriteHeader(http.StatusNotFound)
		h.logFast(r.Context(), r.Method, r.RequestURI, http.StatusNotFound)
		return true
	}
	status := h.serveFeed(w, r, f)
	h.logFast(r.Context(), r.Method, r.RequestURI, status)
	return true
}

// fastAnswer is what the fast path makes of a GET or HEAD request.
type fastAnswer int

const (
	passOn         fastAnswer = iota // not a feed poll it can answer from memory: Echo's turn
	answerNotFound                   // a feed URL whose token cannot exist: 404, nothing else
	answerFeed                       // a cached feed: 200 or 304
)

// lookupFast decides a GET or HEAD of path for both front ends (net/http and fasthttp): the
// token is hashed, one atomic load finds the current epoch, and a map read under its read
// lock finds the rendered feed. The touch of the token's last use and the counters happen
// here too, so both front ends only write the answer.
func (h *feedHandler) lookupFast(ctx context.Context, path string) (*renderedFeed, fastAnswer) {
	rest, ok := strings.CutPrefix(path, "/feeds/")
	if !ok {
		return nil, passOn
	}
	token, ok := strings.CutSuffix(rest, ".ics")
	if !ok || strings.IndexByte(token, '/') >= 0 {
		return nil, passOn // the subscribe page, or no route at all
	}
	if !models.ValidFeedToken(token) {
		h.stats.notFound.Add(1)
		return nil, answerNotFound
	}
	now := monoNow()
	ep := h.cache.fresh(now)
	if ep == nil {
		return nil, passOn // time to ask the database: the feed route does that
	}
	f := ep.get(sha256.Sum256([]byte(token)))
	if f == nil {
		return nil, passOn // not rendered for this version yet, or not a live token
	}
	// touch writes at most hourly per token; the feed remembers when it last asked, so most
	// polls skip touch's lock and clock.
	if last := f.touchedAt.Load(); last == 0 || now-last >= int64(touchEvery) {
		f.touchedAt.Store(now)
		h.touch(ctx, f.tokenID)
	}
	h.stats.maybeLog(h.s.log, now)
	return f, answerFeed
}

// Header values shared by every feed response; net/http only reads them.
var (
	calendarContentType = []string{"text/calendar; charset=utf-8"}
	// Clients may keep the feed but must ask again each time, and shared caches must not keep
	// it at all (the URL is a secret); the ETag makes asking again a 304.
	feedCacheControl = []string{"private, no-cache"}
)

// serveFeed writes the feed or a 304 and returns the status. If-None-Match wins over
// If-Modified-Since (RFC 9110 §13.2.2). Headers are assigned by canonical key from the
// shared slices: nothing is formatted or allocated here.
func (h *feedHandler) serveFeed(w http.ResponseWriter, r *http.Request, f *renderedFeed) int {
	st := &h.stats
	hdr := w.Header()
	hdr["Date"] = h.date.now()
	hdr["Etag"] = f.etagHdr
	hdr["Cache-Control"] = feedCacheControl
	if notModified(headerValue(r.Header, "If-None-Match"), headerValue(r.Header, "If-Modified-Since"), f) {
		// RFC 9110 §15.4.5: a 304 repeats ETag and Cache-Control; Content-Type and
		// Content-Length describe the body the client already has.
		w.WriteHeader(http.StatusNotModified)
		st.notModified.Add(1)
		return http.StatusNotModified
	}
	hdr["Content-Type"] = calendarContentType
	hdr["Last-Modified"] = f.lastModHdr
	hdr["Content-Length"] = f.length
	w.WriteHeader(http.StatusOK)
	st.ok.Add(1)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body) // a client that hung up is no error of ours
	}
	return http.StatusOK
}

// notModified decides a conditional request from its If-None-Match and If-Modified-Since.
func notModified(inm, ims string, f *renderedFeed) bool {
	if inm != "" {
		return etagMatches(inm, f.etag)
	}
	if ims == "" {
		return false
	}
	if ims == f.lastModStr { // what clients send back, nearly always: no parsing
		return true
	}
	t, err := http.ParseTime(ims)
	return err == nil && !f.lastModified.After(t)
}

// dateCache holds the Date header of the current second, formatted once a second instead of
// by net/http for every response.
type dateCache struct{ cur atomic.Pointer[dateValue] }

type dateValue struct {
	unix int64
	hdr  []string
}

func (d *dateCache) now() []string {
	t := time.Now()
	sec := t.Unix()
	if v := d.cur.Load(); v != nil && v.unix == sec {
		return v.hdr
	}
	v := &dateValue{unix: sec, hdr: []string{t.UTC().Format(http.TimeFormat)}}
	d.cur.Store(v)
	return v.hdr
}

// headerValue is Header.Get for a canonical key, without canonicalising it again.
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// etagMatches is If-None-Match's weak comparison against one strong ETag: "*", or any
// listed tag equal to it with or without W/.
func etagMatches(header, etag string) bool {
	if header == etag {
		return true
	}
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// logFast logs one fast-path answer at debug level; the Enabled check keeps it free otherwise.
func (h *feedHandler) logFast(ctx context.Context, method, uri string, status int) {
	if !h.s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	h.s.log.LogAttrs(ctx, slog.LevelDebug, "feed request", slog.String("method", method),
		slog.String("uri", redactFeedURI(uri)), slog.Int("status", status))
}

// redactFeedURI hides the secret token of a feed or subscribe page URI, so logs do not hold
// working feed links: /feeds/abc….ics → /feeds/***.ics.
func redactFeedURI(uri string) string {
	rest, ok := strings.CutPrefix(uri, "/feeds/")
	if !ok {
		return uri
	}
	end := strings.IndexAny(rest, "./?")
	if end < 0 {
		end = len(rest)
	}
	return "/feeds/***" + rest[end:]
}

// feedStats counts feed answers for the once-a-minute summary line.
type feedStats struct {
	ok, notModified, notFound atomic.Int64
	nextLog                   atomic.Int64 // monoNow of the next summary
}

// feedStatsEvery is how often the summary of feed answers is logged (when there were any).
const feedStatsEvery = time.Minute

// maybeLog writes the summary when a minute has passed since the last one. One request
// wins the swap and logs; the others do not wait.
func (st *feedStats) maybeLog(log *slog.Logger, now int64) {
	next := st.nextLog.Load()
	if now < next || !st.nextLog.CompareAndSwap(next, now+int64(feedStatsEvery)) {
		return
	}
	if next == 0 {
		return // the first request starts the clock
	}
	ok, nm, nf := st.ok.Swap(0), st.notModified.Swap(0), st.notFound.Swap(0)
	if ok+nm+nf == 0 {
		return
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "feed requests", slog.Int64("ok", ok),
		slog.Int64("not_modified", nm), slog.Int64("not_found", nf),
		slog.Duration("period", time.Duration(now-next)+feedStatsEvery))
}
