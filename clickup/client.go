package clickup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

const (
	// DefaultBaseURL is ClickUp's API root; request paths ("/v2/...") are
	// appended to it.
	DefaultBaseURL = "https://api.clickup.com/api"
	// DefaultUserAgent identifies this client to ClickUp.
	DefaultUserAgent = "clickup-mcp (+https://github.com/clickup-mcp/clickup-mcp)"
	// DefaultTimeout bounds one HTTP attempt when the caller supplies no
	// *http.Client, so a hung connection cannot hang a call with no deadline.
	DefaultTimeout = 60 * time.Second

	// maxResponseBytes bounds a response body; a page of 100 tasks with
	// custom fields is a few MB.
	maxResponseBytes = 32 << 20
)

// defaultTransport is net/http's default transport keeping more idle
// connections to ClickUp: the default keeps 2 per host, so with more calls
// in flight than that (HTTP mode, several sessions or tokens) nearly every
// call opened a new connection, a TLS handshake against the real API.
var defaultTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 100
	return t
}()

// Client talks to ClickUp with one token. It is safe for concurrent use.
type Client struct {
	Users      *UsersService
	Workspaces *WorkspacesService
	Spaces     *SpacesService
	Folders    *FoldersService
	Lists      *ListsService
	Tasks      *TasksService
	Comments   *CommentsService
	Tags       *TagsService
	Time       *TimeService
	Chat       *ChatService
	Docs       *DocsService
	Checklists *ChecklistsService
	OAuth      *OAuthService

	token     string // bare token, for scrubbing
	auth      string // Authorization header value
	redacted  string
	key       tokenKey
	keyHex    string
	shared    SharedWindow
	waitObs   WaitObserver
	baseURL   string
	http      *http.Client
	userAgent string
	perMinute int
	rateSet   bool
	retry     RetryPolicy
	clock     Clock
	log       zerolog.Logger
	// accepted is set once ClickUp answered a request made with the token
	// with success: callers keep per-token state only for such tokens.
	accepted atomic.Bool
	// baseMu guards baseChecked and baseWrong: whether GET /v2/user was
	// tried after a 404, and whether it answered 404 too (a wrong base URL).
	baseMu      sync.Mutex
	baseChecked bool
	baseWrong   bool
	spellOnce   sync.Once
	spell       *spelled
}

type service struct{ c *Client }

type (
	// UsersService reads the authorized user.
	UsersService service
	// WorkspacesService lists the workspaces (teams) the token may use.
	WorkspacesService service
	// SpacesService reads spaces.
	SpacesService service
	// FoldersService reads folders.
	FoldersService service
	// ListsService reads lists and their members.
	ListsService service
	// TasksService searches, reads and writes tasks.
	TasksService service
	// CommentsService reads and writes task comments.
	CommentsService service
	// TagsService reads space tags and tags tasks.
	TagsService service
	// OAuthService completes the OAuth authorization-code flow.
	OAuthService service
)

// Option configures a Client.
type Option func(*Client)

// WithBaseURL points the client at another API root (a fake server, a
// proxy). Paths "/v2/..." are appended; a trailing "/" or "/v2" is dropped.
func WithBaseURL(u string) Option {
	return func(c *Client) {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		u = strings.TrimSuffix(u, "/v2")
		if u != "" {
			c.baseURL = u
		}
	}
}

// WithHTTPClient sets the HTTP client (transport, timeouts). Nil is ignored.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua = strings.TrimSpace(ua); ua != "" {
			c.userAgent = ua
		}
	}
}

// WithRateLimit sets the client-side pace for the token in requests per
// minute (default 100; use 1000 or 10000 on Business Plus and Enterprise
// plans); 0 or less turns pacing off, leaving only the header-driven pauses
// and 429 handling. The budget is shared by every Client for the token, so
// this also re-paces those.
func WithRateLimit(perMinute int) Option {
	return func(c *Client) {
		c.perMinute = max(perMinute, 0)
		c.rateSet = true
	}
}

// WithRetryPolicy sets the retry bounds; see RetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p.withDefaults() }
}

// WithClock replaces the real clock (for tests).
func WithClock(clk Clock) Option {
	return func(c *Client) {
		if clk != nil {
			c.clock = clk
		}
	}
}

// WithLogger sets the logger; each HTTP attempt is logged at debug level
// with the redacted token. The default logs nothing.
func WithLogger(l zerolog.Logger) Option {
	return func(c *Client) { c.log = l }
}

// New returns a client for token: a personal token ("pk_...") or an OAuth
// access token (with or without "Bearer "). An empty token is allowed for
// OAuth.ExchangeCode.
func New(token string, opts ...Option) *Client {
	c := &Client{
		token:     bareToken(token),
		auth:      authorization(token),
		redacted:  Redact(token),
		key:       keyFor(token),
		baseURL:   DefaultBaseURL,
		http:      &http.Client{Timeout: DefaultTimeout, Transport: defaultTransport},
		userAgent: DefaultUserAgent,
		perMinute: DefaultRatePerMinute,
		retry:     DefaultRetryPolicy(),
		clock:     realClock{},
		log:       zerolog.Nop(),
	}
	for _, o := range opts {
		o(c)
	}
	if c.shared != nil {
		c.keyHex = TokenKey(token)
	}
	b := budgets.get(c.key, c.perMinute)
	if c.rateSet {
		b.setRate(c.perMinute, c.clock.Now())
	}
	s := &service{c: c}
	c.Users = (*UsersService)(s)
	c.Workspaces = (*WorkspacesService)(s)
	c.Spaces = (*SpacesService)(s)
	c.Folders = (*FoldersService)(s)
	c.Lists = (*ListsService)(s)
	c.Tasks = (*TasksService)(s)
	c.Comments = (*CommentsService)(s)
	c.Tags = (*TagsService)(s)
	c.Time = (*TimeService)(s)
	c.Chat = (*ChatService)(s)
	c.Docs = (*DocsService)(s)
	c.Checklists = (*ChecklistsService)(s)
	c.OAuth = (*OAuthService)(s)
	return c
}

// TokenKind is "personal" for a pk_ token, "oauth" for any other, and "none"
// for an empty one.
func (c *Client) TokenKind() string {
	switch {
	case c.token == "":
		return "none"
	case strings.HasPrefix(c.auth, "pk_"):
		return "personal"
	}
	return "oauth"
}

// Accepted reports whether ClickUp has answered a request made with this
// client's token with success (so the token is one ClickUp knows).
func (c *Client) Accepted() bool { return c.accepted.Load() }

// RedactedToken is the token as logs show it ("pk_…abcd").
func (c *Client) RedactedToken() string { return c.redacted }

// RateState reports the token's shared rate budget.
func (c *Client) RateState() RateState { return c.budget().state() }

func (c *Client) budget() *budget { return budgets.get(c.key, c.perMinute) }

// call is one API operation.
type call struct {
	method string
	path   string // escaped, "/v2/..."
	query  string // encoded, without "?"
	body   any    // JSON-encoded when non-nil, or a *Multipart
	// contentType is the body's Content-Type when it is not JSON.
	contentType string
	noAuth      bool
	secrets     []string // request values to scrub from anything we keep
	// allowEmpty accepts a 2xx without a body (a 204) as success, leaving out untouched.
	allowEmpty bool
	// once marks a write that is not idempotent whatever its method (a PUT
	// that appends): like a POST, it is not repeated once it may have
	// reached ClickUp.
	once bool
}

// repeatable reports whether the request may be sent again after a fault
// that might have reached ClickUp.
func (rq *call) repeatable() bool { return !rq.once && idempotent(rq.method) }

func (c *Client) errFor(rq *call, kind Kind) *Error {
	return &Error{Kind: kind, Method: rq.method, Path: rq.path, BaseURL: publicURL(c.baseURL)}
}

// invalid is a KindInvalid error raised before any request is made.
func invalid(method, path string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Method, cp.Path = method, path
		return &cp
	}
	return &Error{Kind: KindInvalid, Method: method, Path: path, Message: err.Error()}
}

// scrub removes the token and the call's secrets from s.
func (c *Client) scrub(s string, rq *call) string {
	if c.token != "" {
		s = strings.ReplaceAll(s, c.token, c.redacted)
		if len(c.token) >= 8 {
			s = c.tokenSpellings().replace(s, c.redacted)
		}
	}
	for _, sec := range rq.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
			if len(sec) >= 8 {
				s = newSpelled(sec).replace(s, "[redacted]")
			}
		}
	}
	return s
}

// cause wraps err so that its text is scrubbed but errors.Is/As still work.
func (c *Client) cause(err error, rq *call) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); c.scrub(msg, rq) != msg {
		return &scrubbedError{msg: c.scrub(msg, rq), err: err}
	}
	return err
}

// do runs one API call: pace, send, classify, retry; out receives the JSON
// of a 2xx (nil ignores the body).
func (c *Client) do(ctx context.Context, rq *call, out any) error {
	var payload []byte
	if mp, ok := rq.body.(*Multipart); ok {
		b, ct, err := mp.encode()
		if err != nil {
			e := c.errFor(rq, KindInvalid)
			e.Err = c.cause(err, rq)
			e.Message = "cannot encode the upload: " + oneLine(e.Err.Error(), 200)
			return e
		}
		payload, rq.contentType = b, ct
	} else if rq.body != nil {
		b, err := json.Marshal(rq.body)
		if err != nil {
			e := c.errFor(rq, KindInvalid)
			e.Err = c.cause(err, rq)
			e.Message = "cannot encode request body: " + oneLine(e.Err.Error(), 200)
			return e
		}
		payload = b
	}
	if !rq.noAuth && !tokenUsable(c.token) {
		e := c.errFor(rq, KindUnauthorized)
		e.Message = "the token contains control characters"
		return e
	}
	target := c.baseURL + rq.path
	if rq.query != "" {
		target += "?" + rq.query
	}
	b := c.budget()
	decodeRetried := false
	for attempt := 1; ; attempt++ {
		release, err := c.waitTurn(ctx, b, rq)
		if err != nil {
			err.Attempts = attempt - 1
			return err
		}
		e, retry, wait := c.attempt(ctx, b, release, rq, target, payload, out, attempt, &decodeRetried)
		emit(ctx, Event{Kind: EventDone, Route: routeOf(rq.method, rq.path), Attempt: attempt})
		if e == nil {
			if !rq.noAuth {
				c.accepted.Store(true)
			}
			return nil
		}
		e.Attempts = attempt
		if !retry || attempt > c.retry.MaxRetries {
			c.checkBase(ctx, rq, e)
			return e
		}
		emit(ctx, Event{Kind: EventRetry, Route: routeOf(rq.method, rq.path), Attempt: attempt, Wait: wait, Reason: string(e.Kind)})
		if e.Kind == KindRateLimited {
			// The shared hold makes this call, and every other one for the
			// token, wait in waitTurn.
			continue
		}
		if err := c.pause(ctx, wait); err != nil {
			return e
		}
	}
}

func (c *Client) waitErr(rq *call, d time.Duration, err error) *Error {
	e := c.errFor(rq, KindRateLimited)
	e.RetryAfter = d
	if errors.Is(err, errPastDeadline) {
		e.Message = "rate limit for this token is used up; waiting would pass the deadline"
		e.Err = context.DeadlineExceeded
	} else {
		e.Message = "cancelled while waiting for the rate limit"
		e.Err = err
	}
	return e
}

// attempt makes one HTTP request. It returns nil on success, or the error
// with whether to retry and after what backoff (429s wait through the
// token's hold instead).
func (c *Client) attempt(ctx context.Context, b *budget, release func(*WindowObservation), rq *call, target string, payload []byte, out any, n int, decodeRetried *bool) (*Error, bool, time.Duration) {
	// waitTurn counted this attempt in flight against the window (and the
	// shared window, with release); the response's headers end it, or this
	// if none comes.
	answered := false
	defer func() {
		if !answered {
			b.done(nil, c.clock.Now())
			if release != nil {
				release(nil)
			}
		}
	}()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, target, body)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL, query included
		}
		e := c.errFor(rq, KindInvalid)
		e.Err = c.cause(err, rq)
		e.Message = "cannot build request: " + oneLine(e.Err.Error(), 200)
		return e, false, 0
	}
	h := req.Header
	h.Set("Accept", "application/json")
	// Sent on every request, body or not: several of ClickUp's GETs and
	// DELETEs declare Content-Type as a required header.
	h.Set("Content-Type", "application/json")
	if rq.contentType != "" {
		h.Set("Content-Type", rq.contentType)
	}
	h.Set("User-Agent", c.userAgent)
	if !rq.noAuth && c.auth != "" {
		h.Set("Authorization", c.auth)
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		e, retry, wait := c.transportErr(ctx, rq, err, n)
		c.logAttempt(rq, n, 0, time.Since(start), e)
		return e, retry, wait
	}
	now := c.clock.Now()
	b.done(resp.Header, now)
	if release != nil {
		release(ObserveHeaders(resp.Header))
	}
	answered = true
	buf := readBody(resp)
	defer bodyBuffers.put(buf)
	data, err := buf.Bytes(), buf.err
	_ = resp.Body.Close() // read to the end (or the limit); a close error changes nothing we got
	if err != nil {
		// The connection dropped mid-body: a network fault, like a reset.
		e, retry, wait := c.transportErr(ctx, rq, err, n)
		e.StatusCode = resp.StatusCode
		c.logAttempt(rq, n, resp.StatusCode, time.Since(start), e)
		return e, retry, wait
	}
	e, retry, wait := c.outcome(ctx, b, rq, resp, data, out, n, now, decodeRetried)
	c.logAttempt(rq, n, resp.StatusCode, time.Since(start), e)
	return e, retry, wait
}

// body is a response body read into a reused buffer: json.Unmarshal and
// every decoder of ours copy what they keep (no value aliases the bytes),
// so the buffer goes back to bodyBuffers once the answer is decoded. With
// io.ReadAll each response cost its size about two and a half times over
// in allocations (the slice grows by doubling from 512 bytes), the largest
// allocation of a tool call.
type body struct {
	bytes.Buffer
	err error
}

type bodyPool struct{ p sync.Pool }

var bodyBuffers bodyPool

// maxPooledBody: buffers that grew past it (a large search page) are left
// to the collector instead of pinning their memory in the pool.
const maxPooledBody = 256 << 10

func (bp *bodyPool) get() *body {
	if b, ok := bp.p.Get().(*body); ok {
		return b
	}
	return &body{}
}

func (bp *bodyPool) put(b *body) {
	if b.Cap() > maxPooledBody {
		return
	}
	b.Reset()
	b.err = nil
	bp.p.Put(b)
}

// readBody reads resp's body (up to one byte past maxResponseBytes, so
// that a larger one is seen as such), sized by Content-Length when given.
func readBody(resp *http.Response) *body {
	b := bodyBuffers.get()
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes {
		b.Grow(int(n) + bytes.MinRead)
	}
	_, b.err = b.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes+1))
	return b
}

func (c *Client) outcome(ctx context.Context, b *budget, rq *call, resp *http.Response, data []byte, out any, n int, now time.Time, decodeRetried *bool) (*Error, bool, time.Duration) {
	status := resp.StatusCode
	if status >= 200 && status < 300 {
		switch {
		case isHTML(resp.Header, data):
			e := c.errFor(rq, KindUpstream)
			e.StatusCode = status
			e.Message = "an HTML page instead of ClickUp's JSON (a proxy or outage page)"
			e.MaybeApplied = rq.method != http.MethodGet
			return e, rq.repeatable(), c.retry.backoff(n)
		case out == nil, rq.allowEmpty && emptyBody(data):
			return nil, false, 0
		case len(data) > maxResponseBytes:
			e := c.errFor(rq, KindDecode)
			e.StatusCode = status
			e.Message = fmt.Sprintf("response larger than %d bytes", maxResponseBytes)
			e.MaybeApplied = rq.method != http.MethodGet
			return e, false, 0
		}
		var err error
		if len(bytes.TrimSpace(data)) == 0 {
			err = errors.New("empty response body")
		} else if f, ok := out.(fastDecoder); ok && f.decodeFast(data) {
			return nil, false, 0
		} else {
			if ok {
				zero(out) // what the direct decoder filled before it gave up
			}
			err = json.Unmarshal(data, out)
		}
		if err == nil {
			return nil, false, 0
		}
		zero(out) // a retry must not decode over a half-filled value
		e := c.errFor(rq, KindDecode)
		e.StatusCode = status
		e.Err = c.cause(err, rq)
		e.Message = "malformed JSON in response: " + oneLine(e.Err.Error(), 200)
		e.MaybeApplied = rq.method != http.MethodGet
		// A truncated or garbled 2xx to a GET is most likely a transport or
		// proxy fault: read it once more. Writes took effect; do not repeat.
		if rq.method == http.MethodGet && !*decodeRetried {
			*decodeRetried = true
			return e, true, c.retry.backoff(n)
		}
		return e, false, 0
	}

	msg, ecode := parseErrorBody(data)
	kind := classify(status, ecode)
	if isHTML(resp.Header, data) && kind != KindRateLimited {
		kind, msg = KindUpstream, "an HTML error page instead of ClickUp's JSON"
	}
	if msg == "" {
		if t := bytes.TrimSpace(data); len(t) > 0 && len(t) <= 200 && t[0] != '{' && t[0] != '[' {
			msg = string(t) // a short plain-text error from a proxy
		} else {
			msg = http.StatusText(status)
		}
	}
	e := c.errFor(rq, kind)
	e.StatusCode, e.ECODE = status, oneLine(c.scrub(ecode, rq), 40)
	e.Message = oneLine(c.scrub(msg, rq), 300)

	switch kind {
	case KindRateLimited:
		// ClickUp did not execute a rate-limited request: any method may
		// repeat it once the window resets.
		wait := c.rateLimitWait(resp.Header, now, n)
		e.RetryAfter = wait
		b.hold(now.Add(wait), now)
		if c.shared != nil {
			c.shared.Hold(ctx, c.keyHex, now.Add(wait), now)
		}
		if wait > c.retry.MaxWait {
			return e, false, 0
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return e, false, 0
		}
		return e, true, 0
	case KindUpstream:
		e.MaybeApplied = rq.method != http.MethodGet
		wait := c.retry.backoff(n)
		if d, ok := retryAfterHeader(resp.Header, now); ok && d > 0 {
			if d > c.retry.MaxWait {
				e.RetryAfter = d
				return e, false, 0
			}
			wait = d
		}
		return e, rq.repeatable(), wait
	}
	return e, false, 0
}

// transportErr classifies a request that got no (complete) response.
func (c *Client) transportErr(ctx context.Context, rq *call, err error, n int) (*Error, bool, time.Duration) {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err // url.Error's text repeats the URL, query included
	}
	e := c.errFor(rq, KindNetwork)
	e.Err = c.cause(inner, rq)
	e.Message = oneLine(networkReason(inner, e.Err.Error()), 300)
	dial := dialFailed(err)
	e.MaybeApplied = rq.method != http.MethodGet && !dial
	if ctx.Err() != nil {
		return e, false, 0
	}
	// A dial failure never sent a byte, so even a POST may try again;
	// anything later might have reached ClickUp.
	return e, dial || rq.repeatable(), c.retry.backoff(n)
}

func (c *Client) logAttempt(rq *call, n, status int, d time.Duration, e *Error) {
	ev := c.log.Debug()
	if ev == nil {
		return
	}
	ev = ev.Str("method", rq.method).Str("path", rq.path).Int("status", status).
		Dur("duration", d).Int("attempt", n).Str("token", c.redacted)
	if e != nil {
		ev = ev.Str("kind", string(e.Kind))
		if e.ECODE != "" {
			ev = ev.Str("ecode", e.ECODE)
		}
	}
	ev.Msg("clickup request")
}

// zero resets the value out points to.
func zero(out any) {
	if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero()
	}
}
