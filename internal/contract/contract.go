package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/router"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// specBase is where requests are moved to before validation: https://api.clickup.com/api + /v2/...
// is the v2 document's server and paths; the v3 document's server https://api.clickup.com/ and
// paths /api/v3/... name the same URLs.
const specBase = "https://api.clickup.com/api"

// Contract validates HTTP traffic against the trimmed ClickUp contracts, v2 and v3.
type Contract struct {
	versions map[string]*version // "v2", "v3"
	// The validator caches compiled schemas in maps of its own; one call at a time keeps a
	// shared Contract safe under parallel tests and -race without relying on its internals.
	mu sync.Mutex
}

// version validates the traffic of one API version against its document.
type version struct {
	// Requests are checked strictly: a query parameter, header or body field the contract does
	// not declare is a violation, because ClickUp ignores what it does not know (a client that
	// sends `statuses` where the API reads `statuses[]` filters nothing, silently).
	requests validator.Validator
	// Responses are checked for the fields the contract declares: their types, nullability and
	// presence. Undeclared fields pass, as JSON Schema allows: the spec's response schemas list
	// fewer fields than the API sends (its GetFilteredTeamTasks tasks lack time_spent, sharing,
	// archived...), so strictness there would flag reality rather than mistakes.
	responses validator.Validator
	router    router.Router
}

var (
	loadOnce sync.Once
	loaded   *Contract
	loadErr  error
)

// Load returns the committed contracts (v2 and v3), parsed once per process: building the
// validator costs far more than using it.
func Load() (*Contract, error) {
	loadOnce.Do(func() {
		var docs [][]byte
		for _, s := range Specs {
			path, err := findFile(s.File)
			if err != nil {
				loadErr = err
				return
			}
			b, err := os.ReadFile(path) //nolint:gosec // G304: path is our own testdata/contract file, found by findFile
			if err != nil {
				loadErr = err
				return
			}
			docs = append(docs, b)
		}
		loaded, loadErr = New(docs...)
	})
	return loaded, loadErr
}

// New builds a Contract from contract documents (OpenAPI 3.1 JSON), at most one per API
// version; a document's version is read from its paths (/v2/... or /api/v3/...).
func New(docs ...[]byte) (*Contract, error) { return build(true, docs) }

// NewUncached is New for documents of every operation, where a test calls each about once:
// schemas compile as requests need them instead of all up front (the validator's warm-up of
// ClickUp's 137 v2 operations takes seconds), and are not kept.
func NewUncached(docs ...[]byte) (*Contract, error) { return build(false, docs) }

func build(cached bool, docs [][]byte) (*Contract, error) {
	c := &Contract{versions: map[string]*version{}}
	for _, d := range docs {
		name, err := docVersion(d)
		if err != nil {
			return nil, err
		}
		if c.versions[name] != nil {
			return nil, fmt.Errorf("contract: two %s documents", name)
		}
		v, err := newVersion(d, cached)
		if err != nil {
			return nil, fmt.Errorf("%s %w", name, err)
		}
		c.versions[name] = v
	}
	if len(c.versions) == 0 {
		return nil, errors.New("contract: no documents")
	}
	return c, nil
}

// docVersion tells a v2 document (paths /v2/...) from a v3 one (/api/v3/...).
func docVersion(doc []byte) (string, error) {
	var d struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return "", fmt.Errorf("contract: %w", err)
	}
	found := ""
	for p := range d.Paths {
		v := ""
		switch {
		case strings.HasPrefix(p, "/v2/"):
			v = "v2"
		case strings.HasPrefix(p, "/api/v3/"):
			v = "v3"
		default:
			return "", fmt.Errorf("contract: path %s is under neither /v2/ nor /api/v3/", p)
		}
		if found != "" && found != v {
			return "", errors.New("contract: a document mixes v2 and v3 paths")
		}
		found = v
	}
	if found == "" {
		return "", errors.New("contract: a document without paths")
	}
	return found, nil
}

func newVersion(doc []byte, cached bool) (*version, error) {
	build := func(opts ...config.Option) (validator.Validator, *v3.Document, error) {
		d, err := libopenapi.NewDocument(doc)
		if err != nil {
			return nil, nil, fmt.Errorf("contract: %w", err)
		}
		m, err := d.BuildV3Model() // cached: NewValidator gets the same model
		if err != nil {
			return nil, nil, fmt.Errorf("contract: %w", err)
		}
		if !cached {
			opts = append(opts, config.WithSchemaCache(nil))
		}
		v, errs := validator.NewValidator(d, opts...)
		if len(errs) > 0 {
			return nil, nil, fmt.Errorf("contract: %w", errors.Join(errs...))
		}
		return v, &m.Model, nil
	}
	// Two validators, because strictness is a validator-wide option.
	requests, model, err := build(config.WithStrictMode(), config.WithoutResponseBodyValidation())
	if err != nil {
		return nil, err
	}
	responses, _, err := build()
	if err != nil {
		return nil, err
	}
	return &version{requests: requests, responses: responses, router: router.NewRouter(model, router.WithPathOnlyMatching())}, nil
}

// findFile locates the contract from this source file (tests in any package), falling back to the
// working directory's ancestors (a -trimpath build).
func findFile(file string) (string, error) {
	var starts []string
	if _, self, _, ok := runtime.Caller(0); ok && filepath.IsAbs(self) {
		starts = append(starts, filepath.Dir(self))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			p := filepath.Join(dir, filepath.FromSlash(file))
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("contract: %s not found above %v", file, starts)
}

// Violation is one way a request or response departs from the contract.
type Violation struct {
	Operation string // operationId; empty when the route is not in the contract
	Method    string
	Path      string // as sent, e.g. /api/v2/task/abc
	Where     string // request or response
	// Field is the JSON path of the offending body value with array indices elided
	// ("$.tasks[].priority"), empty when the violation is not about a body value.
	Field   string
	Message string
}

func (v *Violation) Error() string {
	op := v.Operation
	if op == "" {
		op = "(no operation)"
	}
	return fmt.Sprintf("%s %s %s: %s: %s", op, v.Method, v.Path, v.Where, v.Message)
}

// ValidateRequest checks r against the contract. r's body is read and put back, so it can still
// be sent.
func (c *Contract) ValidateRequest(r *http.Request) []error {
	body, err := drain(&r.Body)
	if err != nil {
		return []error{c.violation(r, "request", "reading body: "+err.Error())}
	}
	sr, v, err := c.specRequest(r, body)
	if err != nil {
		return []error{c.violation(r, "request", err.Error())}
	}
	c.mu.Lock()
	_, verrs := v.requests.ValidateHttpRequestSync(sr)
	c.mu.Unlock()
	return c.violations(r, "request", verrs)
}

// ValidateResponse checks resp, the answer to r, against the contract. Both bodies are read and
// put back. Only 2xx responses are in the contract; 4xx and 5xx must carry ClickUp's v2 error
// body, {"err": "...", "ECODE": "..."}, or v3's {"status": N, "message": "..."} (API-NOTES §3).
func (c *Contract) ValidateResponse(r *http.Request, resp *http.Response) []error {
	reqBody, err := drain(&r.Body)
	if err != nil {
		return []error{c.violation(r, "response", "reading request body: "+err.Error())}
	}
	body, err := drain(&resp.Body)
	if err != nil {
		return []error{c.violation(r, "response", "reading body: "+err.Error())}
	}
	if resp.StatusCode >= 400 {
		if msg := checkErrorBody(apiVersion(r), resp, body); msg != "" {
			return []error{c.violation(r, "response", msg)}
		}
		return nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil // informational and redirects: not part of the contract
	}
	sr, v, err := c.specRequest(r, reqBody)
	if err != nil {
		return []error{c.violation(r, "response", err.Error())}
	}
	if resp.StatusCode == http.StatusNoContent {
		// A 204 has no content (RFC 9110 §15.3.5), whatever media type the spec gives it
		// (DeleteTask declares application/json): check only that the status is declared.
		return c.checkNoContent(r, sr, v, body)
	}
	cp := *resp
	cp.Request = sr
	cp.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	_, verrs := v.responses.ValidateHttpResponse(sr, &cp)
	c.mu.Unlock()
	return c.violations(r, "response", verrs)
}

func (c *Contract) checkNoContent(r, sr *http.Request, v *version, body []byte) []error {
	if len(body) > 0 {
		return []error{c.violation(r, "response", fmt.Sprintf("status 204 with a body: %.80q", body))}
	}
	c.mu.Lock()
	route, err := v.router.FindRoute(sr)
	c.mu.Unlock()
	if err != nil || route == nil || route.Operation == nil {
		return []error{c.violation(r, "response", "route is not in the contract")}
	}
	if route.Operation.Responses == nil || route.Operation.Responses.Codes == nil {
		return []error{c.violation(r, "response", "status 204 is not declared")}
	}
	if _, ok := route.Operation.Responses.Codes.Get("204"); !ok {
		return []error{c.violation(r, "response", "status 204 is not declared")}
	}
	return nil
}

func checkErrorBody(apiVersion string, resp *http.Response, body []byte) string {
	if apiVersion == "v3" {
		var e struct {
			Status  *json.Number `json:"status"`
			Message *string      `json:"message"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			return fmt.Sprintf("status %d: error body is not JSON: %.80q", resp.StatusCode, body)
		}
		if e.Status == nil || e.Message == nil {
			return fmt.Sprintf(`status %d: v3 error body lacks "status" or "message" (API-NOTES §3): %.200s`, resp.StatusCode, body)
		}
		return ""
	}
	var e struct {
		Err   *string `json:"err"`
		ECODE *string `json:"ECODE"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Sprintf("status %d: error body is not JSON: %.80q", resp.StatusCode, body)
	}
	if e.Err == nil || e.ECODE == nil {
		return fmt.Sprintf(`status %d: error body lacks "err" or "ECODE" strings (API-NOTES §3): %.200s`, resp.StatusCode, body)
	}
	return ""
}

// apiVersion is "v2" or "v3" by the request's path, "" when it is neither.
func apiVersion(r *http.Request) string {
	_, v := versionIndex(r.URL.EscapedPath())
	return v
}

func versionIndex(escaped string) (int, string) {
	for _, v := range []string{"v2", "v3"} {
		if i := strings.Index(escaped, "/"+v+"/"); i >= 0 {
			return i, v
		}
		if strings.HasSuffix(escaped, "/"+v) {
			return len(escaped) - 3, v
		}
	}
	return -1, ""
}

// specRequest copies r onto the contract's server, https://api.clickup.com/api/v2/... (or
// /api/v3/...), whatever base the client was given (the fake serves /api/v2/..., a test mux may
// serve /v2/...), and picks the document of its API version.
func (c *Contract) specRequest(r *http.Request, body []byte) (*http.Request, *version, error) {
	escaped := r.URL.EscapedPath()
	i, name := versionIndex(escaped)
	if i < 0 {
		return nil, nil, fmt.Errorf("path %s is not under /v2/ or /v3/", escaped)
	}
	v := c.versions[name]
	if v == nil {
		return nil, nil, fmt.Errorf("path %s: the contract has no %s document", escaped, name)
	}
	u, err := url.Parse(specBase + escaped[i:])
	if err != nil {
		return nil, nil, err
	}
	u.RawQuery = r.URL.RawQuery
	sr := r.Clone(r.Context())
	sr.URL = u
	sr.Host = u.Host
	sr.RequestURI = ""
	sr.Body = io.NopCloser(bytes.NewReader(body))
	sr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	sr.ContentLength = int64(len(body))
	return sr, v, nil
}

// Operation names the contract operation r is routed to: its operationId, or "" when the
// contract has no such route.
func (c *Contract) Operation(r *http.Request) string {
	sr, v, err := c.specRequest(r, nil)
	if err != nil {
		return ""
	}
	c.mu.Lock()
	route, _ := v.router.FindRoute(sr)
	c.mu.Unlock()
	if route == nil || route.Operation == nil {
		return ""
	}
	return route.Operation.OperationId
}

func (c *Contract) violation(r *http.Request, where, msg string) error {
	return &Violation{Operation: c.Operation(r), Method: r.Method, Path: r.URL.EscapedPath(), Where: where, Message: msg}
}

func (c *Contract) violations(r *http.Request, where string, verrs []*verrors.ValidationError) []error {
	if len(verrs) == 0 {
		return nil
	}
	op := c.Operation(r)
	var out []error
	add := func(field, msg string) {
		out = append(out, &Violation{Operation: op, Method: r.Method, Path: r.URL.EscapedPath(), Where: where, Field: field, Message: msg})
	}
	for _, ve := range verrs {
		if len(ve.SchemaValidationErrors) == 0 {
			msg := ve.Message
			if ve.Reason != "" && ve.Reason != ve.Message {
				msg += ": " + ve.Reason
			}
			add("", msg)
			continue
		}
		if ve.ParameterName != "" {
			for _, f := range ve.SchemaValidationErrors {
				add("", fmt.Sprintf("parameter %s: %s", ve.ParameterName, f.Reason))
			}
			continue
		}
		// One violation per field, not per array element: the first element shows where.
		seen := map[string]bool{}
		for _, f := range ve.SchemaValidationErrors {
			field := arrayIndex.ReplaceAllString(f.FieldPath, "[]")
			if seen[field+f.Reason] {
				continue
			}
			seen[field+f.Reason] = true
			msg := "body " + f.Reason
			if f.FieldPath != "" {
				msg = "body " + f.FieldPath + " " + f.Reason
			}
			add(field, msg)
		}
	}
	return out
}

var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// drain reads *body and replaces it with a fresh reader over the same bytes.
func drain(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	_ = (*body).Close() // read to the end and replaced below; its close error is no news
	*body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// TB is the part of testing.TB the transport reports through.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Transport returns a RoundTripper that sends through base (http.DefaultTransport when nil) and
// reports, with t.Errorf, every way a request or its response departs from the contract. A test
// that gives its client this transport asserts that the traffic it causes conforms.
func Transport(t TB, base http.RoundTripper) http.RoundTripper {
	t.Helper()
	rt, err := NewTransport(base, func(v error) { t.Errorf("contract: %v", v) })
	if err != nil {
		t.Errorf("%v", err)
		return base
	}
	return rt
}

// NewTransport is Transport for callers that want the violations themselves (each a
// *Violation) rather than test failures.
func NewTransport(base http.RoundTripper, report func(error)) (http.RoundTripper, error) {
	c, err := Load()
	if err != nil {
		return nil, err
	}
	return c.Transport(base, report), nil
}

// Transport is NewTransport over this contract rather than the committed one (a test that
// checks traffic against every operation of the specs builds a Contract from the fake's
// documents).
func (c *Contract) Transport(base http.RoundTripper, report func(error)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{c: c, base: base, report: report}
}

type transport struct {
	c      *Contract
	base   http.RoundTripper
	report func(error)
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must not change the request it is given: validate and send a copy.
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close() // read to the end; the copy sent carries the bytes
		if err != nil {
			return nil, err
		}
		body = b
	}
	clone := func() *http.Request {
		r := req.Clone(req.Context())
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		return r
	}
	out := clone()
	for _, v := range tr.c.ValidateRequest(out) {
		tr.report(v)
	}
	resp, err := tr.base.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	for _, v := range tr.c.ValidateResponse(clone(), resp) {
		tr.report(v)
	}
	return resp, nil
}
