package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
	"unsafe"

	"github.com/labstack/echo/v4"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/gsl/rota/models"
)

// The service listens with fasthttp, not net/http. Feed polls are most of its traffic (every
// subscriber's calendar app asks about hourly, all day) and nearly all are answered 304 from
// memory; net/http's per-request cost (a Request, a header map and a context per request,
// about 20 µs of CPU here) was two to three times nginx's for such an answer, and fasthttp's
// reused request contexts bring it near nginx (bench/feeds/wrk.sh). Everything that is not a
// cached feed poll goes through fasthttpadaptor to the same Echo router and middleware that
// Handler serves, so the API behaves the same on either front end; the adaptor buffers each
// response, which the API's JSON answers and file exports do anyway.

// HTTPTimeouts are the connection limits of the HTTP server.
type HTTPTimeouts struct {
	// Read bounds reading one request, headers and body.
	Read time.Duration
	// Write bounds writing one response.
	Write time.Duration
	// Idle bounds the wait for the next request on a kept-alive connection.
	Idle time.Duration
}

// HTTPServer returns the server to listen with: feed polls answered from memory first (the
// same decision as Handler's fast path), everything else by Echo through the adaptor. Bodies
// are limited to Options.MaxBodyBytes before any handler runs, with the API's own error.
func (s *Server) HTTPServer(t HTTPTimeouts) *fasthttp.Server {
	// The request's context is the service's, not fasthttp's: fasthttp cancels every request
	// context at shutdown (in-flight requests should finish) and reuses it after the response.
	next := fasthttpadaptor.NewFastHTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.echo.ServeHTTP(w, r.WithContext(context.Background()))
	}))
	h := s.feeds
	return &fasthttp.Server{
		Handler: func(c *fasthttp.RequestCtx) {
			if !h.serveFastHTTP(c) {
				next(c)
			}
		},
		ErrorHandler:          s.fastHTTPError,
		Logger:                fastHTTPLogger{s.log},
		ReadTimeout:           t.Read,
		WriteTimeout:          t.Write,
		IdleTimeout:           t.Idle,
		MaxRequestBodySize:    int(s.opts.MaxBodyBytes),
		ReadBufferSize:        16 << 10, // the longest request line and headers accepted
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true, // a 304 or a 404 has no body, so no Content-Type
		// Echo parses forms itself, within the body limit; fasthttp need not parse them first.
		DisablePreParseMultipartForm: true,
		CloseOnShutdown:              true,
	}
}

// serveFastHTTP is serveFast for fasthttp; it reports whether it answered.
func (h *feedHandler) serveFastHTTP(c *fasthttp.RequestCtx) bool {
	if !c.IsGet() && !c.IsHead() {
		return false
	}
	f, ans := h.lookupFast(c, unsafeString(c.Path()))
	switch ans {
	case passOn:
		return false
	case answerNotFound:
		c.SetStatusCode(http.StatusNotFound)
		h.logFastHTTP(c, http.StatusNotFound)
		return true
	}
	hdr := &c.Response.Header
	hdr.SetCanonical(etagKey, f.etagBytes)
	hdr.SetCanonical(cacheControlKey, feedCacheControlBytes)
	status := http.StatusOK
	if notModified(unsafeString(c.Request.Header.Peek("If-None-Match")),
		unsafeString(c.Request.Header.Peek("If-Modified-Since")), f) {
		status = http.StatusNotModified
		h.stats.notModified.Add(1)
	} else {
		hdr.SetContentTypeBytes(calendarContentTypeBytes)
		hdr.SetCanonical(lastModifiedKey, f.lastModBytes)
		// The body is shared by every response of this feed and never written to; fasthttp
		// sends Content-Length from it, and for HEAD only the headers.
		c.Response.SetBodyRaw(f.body)
		h.stats.ok.Add(1)
	}
	c.SetStatusCode(status)
	h.logFastHTTP(c, status)
	return true
}

// logFastHTTP is logFast for fasthttp; the Enabled check also saves copying the URI.
func (h *feedHandler) logFastHTTP(c *fasthttp.RequestCtx, status int) {
	if h.s.log.Enabled(c, slog.LevelDebug) {
		h.logFast(c, methodName(c), string(c.RequestURI()), status)
	}
}

// Header names as fasthttp writes them, so SetCanonical need not normalise them per request.
var (
	etagKey         = []byte("Etag")
	cacheControlKey = []byte("Cache-Control")
	lastModifiedKey = []byte("Last-Modified")
)

var (
	calendarContentTypeBytes = []byte(calendarContentType[0])
	feedCacheControlBytes    = []byte(feedCacheControl[0])
)

// unsafeString views b as a string without copying. Only for reading during the request:
// fasthttp reuses b once the handler returns, and nothing here keeps the string.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func methodName(c *fasthttp.RequestCtx) string {
	if c.IsHead() {
		return http.MethodHead
	}
	return http.MethodGet
}

// fastHTTPError answers a request fasthttp could not read (too large, too slow, malformed)
// with the API's error body, in the language the request asks for.
func (s *Server) fastHTTPError(c *fasthttp.RequestCtx, err error) {
	var appErr *models.Error
	status := http.StatusBadRequest
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		appErr, status = errBodyTooLarge(s.opts.MaxBodyBytes), http.StatusRequestEntityTooLarge
	case errors.As(err, &small):
		appErr, status = models.Errorf(models.EInvalid, "error.headers_too_large"), http.StatusRequestHeaderFieldsTooLarge
	default:
		var te interface{ Timeout() bool }
		if errors.As(err, &te) && te.Timeout() {
			appErr, status = models.Errorf(models.EInvalid, "error.request_timeout"), http.StatusRequestTimeout
		} else {
			appErr = models.Errorf(models.EInvalid, "error.request_malformed")
		}
	}
	lang := s.langOf(string(c.Request.Header.Peek("Accept-Language")))
	rid := rand.Text() // Echo's middleware, which gives every other answer its ID, did not run
	body, _ := json.Marshal(errorBody{Error: detail(appErr, lang, rid)})
	c.Response.Reset()
	c.SetStatusCode(status)
	c.Response.Header.Set(echo.HeaderXRequestID, rid)
	c.SetContentType("application/json; charset=utf-8")
	c.SetBody(body)
	// fasthttp closes the connection after this answer: what is left of the request cannot
	// be read as the next one.
	s.log.Info("request refused", "status", status, "err", err, "request_id", rid)
}

// fastHTTPLogger hands fasthttp's own messages (connection errors) to the service's logger.
type fastHTTPLogger struct{ log *slog.Logger }

func (l fastHTTPLogger) Printf(format string, args ...any) {
	l.log.Warn("http server", "msg", fmt.Sprintf(format, args...))
}
