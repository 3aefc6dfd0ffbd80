package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gsl/rota/api/feed"
	"github.com/gsl/rota/models"
)

// renderedFeed is a feed's bytes with the validators computed from them, and every header
// value a response needs, ready to share between responses: a poll formats nothing.
type renderedFeed struct {
	tokenID      uint64
	body         []byte
	etag         string
	lastModified time.Time
	lastModStr   string   // lastModified in HTTP date format, as clients echo it back
	etagHdr      []string // the header values for net/http (feeds_fast.go)
	lastModHdr   []string
	length       []string
	etagBytes    []byte // and for fasthttp (fasthttp.go)
	lastModBytes []byte
	touchedAt    atomic.Int64 // monoNow when the fast path last called touch for it
}

func newRenderedFeed(tokenID uint64, body []byte, lastModified time.Time) *renderedFeed {
	sum := sha256.Sum256(body)
	lastModified = lastModified.UTC().Truncate(time.Second)
	etag := `"sha256-` + hex.EncodeToString(sum[:16]) + `"`
	lm := lastModified.Format(http.TimeFormat)
	return &renderedFeed{tokenID: tokenID, body: body, etag: etag, lastModified: lastModified, lastModStr: lm,
		etagHdr: []string{etag}, lastModHdr: []string{lm}, length: []string{strconv.Itoa(len(body))},
		etagBytes: []byte(etag), lastModBytes: []byte(lm)}
}

// feedCache keeps each token's rendered feed until the database says something that feeds
// show has changed (models.DB.FeedVersion, asked at most once per interval) or the day turns.
//
// The state a poll reads is one atomic pointer to the current epoch (a data version and the
// feeds rendered for it) and the time of the next check: answering from memory takes no lock
// but the epoch's read lock.
type feedCache struct {
	interval time.Duration

	epoch     atomic.Pointer[feedEpoch] // nil until the first check, and after invalidate
	nextCheck atomic.Int64              // monoNow after which a request asks the database again
	checking  atomic.Bool               // one request asks at a time; the others keep the epoch they have
	swapMu    sync.Mutex                // serialises replacing the epoch
}

// feedEpoch is one version of the data and the feeds rendered from it. A new version gets
// a new epoch, so nothing rendered from older data is ever served after the check that saw
// the change.
type feedEpoch struct {
	version string

	mu      sync.RWMutex
	entries map[[sha256.Size]byte]*renderedFeed // by token hash
}

// maxCachedFeeds bounds memory: a federation has a few hundred feeds.
const maxCachedFeeds = 10000

func newFeedCache(interval time.Duration) *feedCache {
	return &feedCache{interval: interval}
}

// monoStart anchors monoNow: time.Since reads the monotonic clock, so a wall-clock jump
// cannot stretch or skip a check interval.
var monoStart = time.Now()

func monoNow() int64 { return int64(time.Since(monoStart)) }

// fresh returns the current epoch when it may be used without asking the database: checked
// within the interval, or being checked by another request right now. It is the fast path's
// only look at the cache's state.
func (fc *feedCache) fresh(now int64) *feedEpoch {
	ep := fc.epoch.Load()
	if ep == nil || (now >= fc.nextCheck.Load() && !fc.checking.Load()) {
		return nil
	}
	return ep
}

// current returns the epoch of the current data version, asking the database when the last
// answer is older than the interval. While one request asks, the others use the previous answer.
func (fc *feedCache) current(ctx context.Context, db *models.DB) (*feedEpoch, error) {
	if ep := fc.fresh(monoNow()); ep != nil {
		return ep, nil
	}
	asking := fc.checking.CompareAndSwap(false, true)
	if asking {
		defer fc.checking.Store(false)
	} else if ep := fc.epoch.Load(); ep != nil {
		return ep, nil
	} // else: nothing cached yet and another request is asking; ask too rather than wait

	v, err := db.FeedVersion(ctx)
	if err != nil {
		return nil, err
	}
	// The feeds' time window moves once a day in Asia/Shanghai, so the day is part of the version.
	v += db.Now().In(feed.Shanghai).Format(time.DateOnly)
	fc.swapMu.Lock()
	defer fc.swapMu.Unlock()
	ep := fc.epoch.Load()
	if ep == nil || ep.version != v {
		ep = &feedEpoch{version: v, entries: map[[sha256.Size]byte]*renderedFeed{}}
		fc.epoch.Store(ep)
	}
	fc.nextCheck.Store(monoNow() + int64(fc.interval))
	return ep, nil
}

// invalidate makes the next request ask the database and render afresh: this process just
// changed a token.
func (fc *feedCache) invalidate() {
	fc.swapMu.Lock()
	fc.epoch.Store(nil)
	fc.nextCheck.Store(0)
	fc.swapMu.Unlock()
}

func (ep *feedEpoch) get(key [sha256.Size]byte) *renderedFeed {
	ep.mu.RLock()
	f := ep.entries[key]
	ep.mu.RUnlock()
	return f
}

// put stores a feed rendered while ep was current. If the data moved on meanwhile, ep is no
// longer anyone's epoch and the feed is simply dropped with it.
func (ep *feedEpoch) put(key [sha256.Size]byte, f *renderedFeed) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if len(ep.entries) >= maxCachedFeeds {
		clear(ep.entries)
	}
	ep.entries[key] = f
}
