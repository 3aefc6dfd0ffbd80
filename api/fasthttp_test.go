package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gsl/rota/api"
	"github.com/gsl/rota/models"
	"github.com/gsl/rota/models/modelstest"
)

// viaFastHTTP serves s as `rota serve` does, with its fasthttp server on a loopback port,
// and returns an http.Handler that sends each request there over a real connection and
// copies the answer back, so tests written against http.Handler test the production front.
func viaFastHTTP(t testing.TB, s *api.Server) *fastFront {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.HTTPServer(api.HTTPTimeouts{Read: 10 * time.Second, Write: 10 * time.Second, Idle: 10 * time.Second})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(client.CloseIdleConnections)
	return &fastFront{t: t, addr: ln.Addr().String(), client: client}
}

type fastFront struct {
	t      testing.TB
	addr   string
	client *http.Client
}

func (f *fastFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader
	if r.Body != nil && r.Body != http.NoBody {
		body = r.Body
	}
	out, err := http.NewRequest(r.Method, "http://"+f.addr+r.URL.RequestURI(), body)
	if err != nil {
		f.t.Fatalf("%s %s: %v", r.Method, r.URL, err)
	}
	out.Header = r.Header.Clone()
	out.Host = r.Host
	out.ContentLength = r.ContentLength
	resp, err := f.client.Do(out)
	if err != nil {
		f.t.Fatalf("%s %s through fasthttp: %v", r.Method, r.URL, err)
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		f.t.Fatalf("%s %s: reading the answer: %v", r.Method, r.URL, err)
	}
}

// raw sends request bytes as they are and returns the raw answer (status line and headers
// parsed, body read by its Content-Length).
func (f *fastFront) raw(request string) (*http.Response, string) {
	f.t.Helper()
	conn, err := net.Dial("tcp", f.addr)
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		f.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		f.t.Fatalf("reading the answer to %.40q: %v", request, err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestFastHTTPRefusals: what fasthttp refuses before any handler runs gets the API's error
// body in the client's language, and the connection is closed rather than misread.
func TestFastHTTPRefusals(t *testing.T) {
	front := viaFastHTTP(t, api.New(modelstest.MustOpenDB(t), slog.New(slog.DiscardHandler), api.Options{MaxBodyBytes: 4096}))
	for _, c := range []struct {
		name, request string
		status        int
		code, message string
	}{
		{"declared body over the limit, in English",
			"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
			http.StatusRequestEntityTooLarge, models.ETooLarge, "request body too large; the limit is 4 KB"},
		{"chunked body over the limit, Chinese by default",
			"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
				fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", 5000, strings.Repeat("a", 5000)),
			http.StatusRequestEntityTooLarge, models.ETooLarge, "请求内容过大，上限为 4 KB"},
		{"headers longer than the read buffer",
			"GET /api/v1/members HTTP/1.1\r\nHost: x\r\nX-Long: " + strings.Repeat("x", 40<<10) + "\r\n\r\n",
			http.StatusRequestHeaderFieldsTooLarge, models.EInvalid, "请求头过大"},
		{"not HTTP", "HELLO\r\n\r\n", http.StatusBadRequest, models.EInvalid, "无法解析的 HTTP 请求"},
	} {
		resp, body := front.raw(c.request)
		var e apiError
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != c.status ||
			e.Error.Code != c.code || e.Error.Message != c.message {
			t.Errorf("%s: %d %q, want %d with code %s and %q", c.name, resp.StatusCode, body, c.status, c.code, c.message)
		}
		if !resp.Close {
			t.Errorf("%s: the connection is kept open after a refusal", c.name)
		}
		if e.Error.RequestID == "" || resp.Header.Get("X-Request-Id") != e.Error.RequestID {
			t.Errorf("%s: request ID %q in the body, %q in the header", c.name, e.Error.RequestID, resp.Header.Get("X-Request-Id"))
		}
	}
	// A body within the limit reaches the handler (which wants a signed-in user).
	resp, _ := front.raw("POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a small anonymous POST: %d, want 401 from the API", resp.StatusCode)
	}
}

// TestFastHTTPFeedHeaders: the fast path's raw answers — a 304 carries no Content-Type and
// no body, and every answer a Date — as a calendar fetcher reads them off the wire.
func TestFastHTTPFeedHeaders(t *testing.T) {
	f := newFeedFixture(t)
	path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
	front := viaFastHTTP(t, api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase, Feeds: api.FeedOptions{CheckInterval: time.Hour}}))
	f.h = front
	first := f.get(http.MethodGet, path)
	etag := first.Header().Get("ETag")
	resp, body := front.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n")
	if resp.StatusCode != http.StatusNotModified || body != "" || resp.Header.Get("Content-Type") != "" ||
		resp.Header.Get("ETag") != etag || resp.Header.Get("Date") == "" || resp.Header.Get("X-Request-Id") != "" {
		t.Errorf("304 from memory: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	resp, body = front.raw("GET " + path + " HTTP/1.0\r\n\r\n")
	if resp.StatusCode != http.StatusOK || body != first.Body.String() ||
		resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" || resp.Header.Get("Server") != "" {
		t.Errorf("HTTP/1.0 poll: %d %v, %d bytes", resp.StatusCode, resp.Header, len(body))
	}
}

// TestFastHTTPKeepAlive: pipelined requests on one connection are all
// answered, and an idle kept-alive connection is closed after the idle timeout.
func TestFastHTTPKeepAlive(t *testing.T) {
	f := newFeedFixture(t)
	path := "/feeds/" + f.token(models.MemberFeedScope(f.members["王强"].ID)) + ".ics"
	s := api.New(f.db, slog.New(slog.DiscardHandler), api.Options{BaseURL: feedBase, Feeds: api.FeedOptions{CheckInterval: time.Hour}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := s.HTTPServer(api.HTTPTimeouts{Read: 5 * time.Second, Write: 5 * time.Second, Idle: 300 * time.Millisecond})
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"
	// Three requests in one write, then two more one at a time on the same connection.
	if _, err := io.WriteString(conn, req+req+req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	for i := range 5 {
		if i >= 3 {
			time.Sleep(20 * time.Millisecond)
			if _, err := io.WriteString(conn, req); err != nil {
				t.Fatal(err)
			}
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "BEGIN:VCALENDAR") {
			t.Fatalf("response %d: %d, %d bytes", i+1, resp.StatusCode, len(body))
		}
	}
	start := time.Now()
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: %v, want EOF once the idle timeout closes it", err)
	}
	if idle := time.Since(start); idle < 200*time.Millisecond || idle > 5*time.Second {
		t.Errorf("the idle connection was closed after %v, want about 300 ms", idle)
	}
}
