package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The drift check: every handler the tests build goes through specChecked, so every request any
// test of this package makes, and the response it gets, is checked against openapi.yaml.
// Requests are checked only when the server accepted them (status < 400): tests send malformed
// bodies on purpose. Responses are always checked, error bodies included, and a status the
// operation does not document is a failure. TestMain then requires that every operation of the
// spec answered at least one request successfully.

// openAPISpecFile is the spec the server embeds and serves.
const openAPISpecFile = "openapi.yaml"

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// loadSpec parses and validates openapi.yaml once per test binary.
func loadSpec() (*openapi3.T, routers.Router, error) {
	specOnce.Do(func() {
		// Bodies that are not JSON: checked as text against the schema's pattern.
		for _, ct := range []string{"text/calendar", "text/html"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromFile(openAPISpecFile)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			specErr = fmt.Errorf("%s is not valid OpenAPI: %w", openAPISpecFile, specErr)
			return
		}
		specRouter, specErr = gorillamux.NewRouter(specDoc)
	})
	return specDoc, specRouter, specErr
}

// exercised records, per operation ("GET /api/v1/members/{id}"), the statuses the tests saw.
var exercised = struct {
	sync.Mutex
	ops map[string]map[int]int
}{ops: map[string]map[int]int{}}

func recordExercised(op string, status int) {
	exercised.Lock()
	defer exercised.Unlock()
	if exercised.ops[op] == nil {
		exercised.ops[op] = map[int]int{}
	}
	exercised.ops[op][status]++
}

// specOptions make the validator strict: undocumented statuses and undocumented request bodies fail.
var specOptions = func() *openapi3filter.Options {
	o := &openapi3filter.Options{
		IncludeResponseStatus:             true,
		RejectWhenRequestBodyNotSpecified: true,
		MultiError:                        true,
		SkipSettingDefaults:               true,
		AuthenticationFunc:                checkCredentialPresent,
	}
	o.WithCustomSchemaErrorFunc(schemaErrorText)
	return o
}()

// schemaErrorText says where a body disagrees with the schema in one line, not the validator's
// dump of the whole schema.
func schemaErrorText(e *openapi3.SchemaError) string {
	reason := e.Reason
	if e.Origin != nil {
		reason = e.Origin.Error()
	} else if reason == "" {
		reason = "does not match the schema's " + e.SchemaField
	}
	v, _ := json.Marshal(e.Value)
	if len(v) > 80 {
		v = append(v[:77], "..."...)
	}
	return fmt.Sprintf("at /%s: %s (value %s)", strings.Join(e.JSONPointer(), "/"), reason, v)
}

// checkCredentialPresent checks that an accepted request carried a credential of the kind the
// spec asks for; whether the credential is good is the server's business.
func checkCredentialPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req, sch := in.RequestValidationInput.Request, in.SecurityScheme
	switch {
	case sch.Type == "http" && sch.Scheme == "bearer":
		if scheme, _, _ := strings.Cut(req.Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") {
			return nil
		}
	case sch.Type == "apiKey" && sch.In == "cookie":
		if ck, err := req.Cookie(sch.Name); err == nil && ck.Value != "" {
			return nil
		}
	case sch.Type == "apiKey" && sch.In == "header":
		if req.Header.Get(sch.Name) != "" {
			return nil
		}
	default:
		return fmt.Errorf("security scheme %q: the drift check does not know this kind", in.SecuritySchemeName)
	}
	return fmt.Errorf("no %s credential", in.SecuritySchemeName)
}

// specChecked wraps h so that every request through it is checked against openapi.yaml; what
// disagrees fails t when it ends.
func specChecked(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	doc, router, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	c := newSpecChecker(h, doc, router)
	c.countCoverage = true
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.failures) > 0 {
			t.Errorf("%d requests disagree with %s (fix the spec, or the code if it is wrong):\n%s",
				c.count, openAPISpecFile, strings.Join(c.failures, "\n"))
		}
	})
	return c
}

func newSpecChecker(h http.Handler, doc *openapi3.T, router routers.Router) *specChecker {
	return &specChecker{next: h, doc: doc, router: router}
}

type specChecker struct {
	next   http.Handler
	doc    *openapi3.T
	router routers.Router

	// countCoverage makes the requests count towards TestMain's check that every operation
	// was exercised; the checker's own test answers with made-up handlers and must not.
	countCoverage bool

	mu       sync.Mutex
	failures []string // the first few, to keep a broken spec readable
	count    int
}

// maxReportedFailures bounds what one test prints.
const maxReportedFailures = 15

func (c *specChecker) fail(req *http.Request, status int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count++
	if len(c.failures) < maxReportedFailures {
		c.failures = append(c.failures, fmt.Sprintf("  %s %s → %d: %v", req.Method, req.URL.RequestURI(), status, err))
	}
}

func (c *specChecker) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	// The server may change what it is handed; validate the request as the client sent it.
	sent := req.Clone(context.Background())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }

	rec := &teeRecorder{ResponseWriter: w}
	c.next.ServeHTTP(rec, req)
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	c.check(sent, status, w.Header().Clone(), rec.body.Bytes())
}

func (c *specChecker) check(req *http.Request, status int, hdr http.Header, body []byte) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		// No documented operation: only Echo's own 404/405 (an unknown path or method) and
		// the feeds' bare 404 may answer it, as the error body or with no body at all.
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			c.fail(req, status, err)
			return
		}
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			c.fail(req, status, fmt.Errorf("answered, but the spec documents no such operation: %v", err))
			return
		}
		if len(body) > 0 {
			c.checkErrorBody(req, status, hdr, body)
		}
		return
	}
	if c.countCoverage {
		recordExercised(req.Method+" "+route.Path, status)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: specOptions}
	if status < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.fail(req, status, fmt.Errorf("request: %w", err))
		}
	}
	if req.Method == http.MethodHead {
		// The validator skips HEAD; at least the status must be documented.
		if route.Operation.Responses.Status(status) == nil {
			c.fail(req, status, errors.New("response: status not documented"))
		}
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: hdr, Options: specOptions}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		c.fail(req, status, fmt.Errorf("response: %w", err))
	}
}

// checkErrorBody checks a response of no documented operation against the error body schema.
func (c *specChecker) checkErrorBody(req *http.Request, status int, hdr http.Header, body []byte) {
	if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.fail(req, status, fmt.Errorf("response: Content-Type %q, want the JSON error body", ct))
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		c.fail(req, status, fmt.Errorf("response: %w", err))
		return
	}
	if err := c.doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.MultiErrors(),
		openapi3.SetSchemaErrorMessageCustomizer(schemaErrorText)); err != nil {
		c.fail(req, status, fmt.Errorf("response: not the error body: %w", err))
	}
}

// teeRecorder passes a response through and keeps its status and body.
type teeRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *teeRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *teeRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// specOperations lists every operation of the spec as "METHOD /path".
func specOperations(doc *openapi3.T) []string {
	var ops []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// unexercisedOperations are the operations no test got a successful (< 400) answer from.
func unexercisedOperations(doc *openapi3.T) []string {
	exercised.Lock()
	defer exercised.Unlock()
	var out []string
	for _, op := range specOperations(doc) {
		ok := false
		for status := range exercised.ops[op] {
			ok = ok || status < 400
		}
		if !ok {
			out = append(out, op)
		}
	}
	return out
}

// wholePackageRun reports whether this run is the package's full test suite (no -run, -skip or
// -short), the only run in which every operation must have been exercised.
func wholePackageRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && wholePackageRun() {
		doc, _, err := loadSpec()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if missing := unexercisedOperations(doc); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "--- FAIL: OpenAPI coverage: %d of the operations in %s got no successful answer in any test; "+
				"add a test that calls them:\n  %s\n", len(missing), openAPISpecFile, strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}
