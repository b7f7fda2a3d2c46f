package clickuptest

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is an in-memory ClickUp API. It is an http.Handler serving the v2
// routes under /api/v2/... and /v2/..., safe for concurrent use: one mutex
// guards the whole world, and handlers are short (a search over a few hundred
// tasks takes well under a millisecond).
type Server struct {
	mu sync.Mutex

	now         func() time.Time
	rateN       int
	rateWindow  time.Duration
	notFound404 bool
	latency     time.Duration
	codeTTL     time.Duration
	logLimit    int

	rng        *rand.Rand
	wsSeq      int64
	objSeq     int64
	userSeq    int64
	commentSeq int64
	histSeq    int64
	orderSeq   int64

	users      map[int64]*User
	userOrder  []int64
	workspaces map[string]*Workspace
	wsOrder    []string
	spaces     map[string]*Space
	spaceOrder []string
	hidden     map[string]string // space id -> id of the hidden Folder that holds its folderless Lists
	folders    map[string]*Folder
	folderOrd  []string
	lists      map[string]*List
	listOrder  []string
	tasks      map[string]*Task
	taskOrder  []*Task
	order      map[string]int64 // task id -> orderindex
	// gen counts changes to the world; rendered task JSON is cached per
	// generation (every non-GET request and every Add method bumps it).
	gen        uint64
	render     map[string]cachedJSON
	customIDs  map[string]string // workspace id + "\x00" + lower(custom id) -> task id
	customSeq  map[string]int
	fields     map[string]*fieldRec
	fieldOrder []string
	comments   map[string][]*Comment
	replies    map[string][]*Comment // by parent comment id, oldest first
	tm         timeState             // time entries (time.go)
	tpl        templates             // list and folder templates (create_hierarchy.go)
	chat       chatState             // chat channels and messages (chat.go)
	dc         docState              // docs and pages (docs.go)
	tokens     map[string]*tokenRec
	apps       map[string]*oauthApp
	codes      map[string]*oauthCode
	consent    OAuthConsent
	rates      map[string]*rateWindow
	faults     []*Fault
	spec       *specStore // what the spec-driven fallback stored

	reqs    []Request
	counts  map[string]int
	total   int
	created int
}

type tokenRec struct {
	userID     int64
	workspaces []string // empty: every Workspace the user is a member of
}

type fieldRec struct {
	CustomField
	parentID   string
	created    time.Time
	optionIdx  map[string]int
	typeConfig any // rendered once
}

type rateWindow struct {
	start time.Time
	count int
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit sets the per-token fixed window: n requests per window
// (default 100 per minute, ClickUp's limit on Free to Business plans).
// n <= 0 turns rate limiting off: no request is refused and no
// X-RateLimit-* headers are sent, as from a server without limits (a
// Remaining of 0 would make clients wait for a reset that means nothing).
func WithRateLimit(n int, window time.Duration) Option {
	return func(s *Server) { s.rateN, s.rateWindow = n, window }
}

// WithClock sets the clock used for rate windows, dates, code expiry and the
// demo's dates, so tests can advance time instead of sleeping.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithNotFoundAs404 makes unknown tasks answer 404 {"err":"Task not found",
// "ECODE":"ITEM_013"} (and unknown Spaces and Folders 404 too). By default
// they answer 401 {"err":"Team not authorized","ECODE":"OAUTH_027"}, which is
// what the real API sends for a task id it cannot find.
func WithNotFoundAs404(on bool) Option {
	return func(s *Server) { s.notFound404 = on }
}

// WithLatency delays every response by d (for load tests). A request whose
// context ends during the delay gets no response.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// WithOAuthCodeTTL sets how long an authorization code stays valid
// (default 10 minutes, measured on the Server's clock).
func WithOAuthCodeTTL(d time.Duration) Option {
	return func(s *Server) { s.codeTTL = d }
}

// WithRequestLogLimit caps how many requests Requests() keeps (default
// 10000; the oldest go first). Count and TasksCreated are not capped.
func WithRequestLogLimit(n int) Option {
	return func(s *Server) { s.logLimit = n }
}

// New returns a Server with an empty world: add users, Workspaces, tokens,
// Spaces, Folders, Lists and tasks with the Add methods.
func New(opts ...Option) *Server {
	s := &Server{
		now:        time.Now,
		rateN:      100,
		rateWindow: time.Minute,
		codeTTL:    10 * time.Minute,
		logLimit:   10000,
		rng:        rand.New(rand.NewPCG(0x636c69636b7570, 0x66616b65)),
		wsSeq:      9015000000,
		objSeq:     901500000000,
		userSeq:    81000000,
		commentSeq: 90150000000000,
		histSeq:    26500,
		users:      map[int64]*User{},
		workspaces: map[string]*Workspace{},
		spaces:     map[string]*Space{},
		hidden:     map[string]string{},
		folders:    map[string]*Folder{},
		lists:      map[string]*List{},
		tasks:      map[string]*Task{},
		order:      map[string]int64{},
		render:     map[string]cachedJSON{},
		customIDs:  map[string]string{},
		customSeq:  map[string]int{},
		fields:     map[string]*fieldRec{},
		comments:   map[string][]*Comment{},
		replies:    map[string][]*Comment{},
		tokens:     map[string]*tokenRec{},
		apps:       map[string]*oauthApp{},
		codes:      map[string]*oauthCode{},
		rates:      map[string]*rateWindow{},
		counts:     map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// response is what a handler produces; ServeHTTP writes it (or, under a
// fault, drops or truncates it).
type response struct {
	status   int
	body     []byte
	location string // for a 302
}

func jsonResp(status int, v any) *response {
	b, err := json.Marshal(v)
	if err != nil {
		panic("clickuptest: marshal: " + err.Error())
	}
	return &response{status: status, body: b}
}

// jErr is ClickUp's v2 error body, in its field order.
type jErr struct {
	Err   string `json:"err"`
	ECODE string `json:"ECODE"`
}

func errResp(status int, msg, ecode string) *response {
	return jsonResp(status, jErr{msg, ecode})
}

// call is one request being handled, with the world locked.
type call struct {
	s      *Server
	r      *http.Request
	params map[string]string
	q      map[string][]string
	body   []byte
	token  string
	auth   *tokenRec
}

func (c *call) user() *User { return c.s.users[c.auth.userID] }

// ServeHTTP handles one request: faults and latency first, then the rate
// limit (so every response carries the X-RateLimit-* headers, unless rate
// limiting is off), the route, authentication, and the handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rel, segs := splitPath(r.URL)
	rt, params := matchRoute(r.Method, segs)
	if rt == nil {
		rt, params = matchFallback(r.Method, segs)
	}
	routeName := ""
	if rt != nil {
		routeName = rt.name
	}
	token := normalizeToken(r.Header.Get("Authorization"))
	entry := Request{Method: r.Method, Path: r.URL.Path, Route: routeName, RawQuery: r.URL.RawQuery, Token: token}

	// Read the body first: until it is consumed, net/http does not notice a
	// client that hangs up, and delays could not honour the context.
	var body []byte
	if r.Body != nil {
		limit := int64(8 << 20)
		if routeName == attachmentRoute {
			// One byte over the bound, so that the handler can tell.
			limit = maxAttachmentBody + 1
		}
		body, _ = io.ReadAll(io.LimitReader(r.Body, limit))
	}

	s.mu.Lock()
	f := s.takeFault(r.Method, rel, routeName)
	s.mu.Unlock()

	if s.latency > 0 && !sleepCtx(r.Context(), s.latency) {
		s.record(entry, 0)
		return
	}
	if f != nil && f.Delay > 0 && !sleepCtx(r.Context(), f.Delay) {
		s.record(entry, 0)
		return
	}
	if f != nil && f.LandAfter > 0 {
		time.Sleep(f.LandAfter) // on purpose deaf to the client hanging up
	}
	if f != nil && f.Drop == DropBeforeHandling {
		s.record(entry, 0)
		dropConn(w)
		return
	}
	if f != nil && f.Status != 0 && f.Drop == DropNone && !f.Applied {
		s.record(entry, f.Status)
		writeFault(w, f)
		return
	}

	s.mu.Lock()
	limit, remaining, reset, allowed := s.rateCheck(token)
	var resp *response
	switch {
	case !allowed:
		resp = errResp(http.StatusTooManyRequests, "Rate limit reached", "APP_002")
	case rt == nil:
		resp = errResp(http.StatusNotFound, "Route not found", "APP_001")
	default:
		c := &call{s: s, r: r, params: params, q: r.URL.Query(), body: body, token: token}
		resp = s.authenticate(c, rt)
		if resp == nil {
			resp = rt.h(c)
		}
	}
	if strings.HasPrefix(rel, "/v3/") && resp.status >= 400 {
		resp = asV3Error(resp, s.now().UnixMilli())
	}
	if r.Method != http.MethodGet {
		s.gen++
	}
	logged := resp.status
	if f != nil && f.Applied && f.Status != 0 {
		logged = f.Status
	}
	s.recordLocked(entry, logged)
	if resp.status < 300 && routeName == "POST /v2/list/{list_id}/task" {
		s.created++
	}
	s.mu.Unlock()

	if f != nil && f.Drop == DropAfterHandling {
		dropConn(w)
		return
	}
	if f != nil && f.Applied && f.Status != 0 {
		writeFault(w, f)
		return
	}
	h := w.Header()
	if limit > 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt((reset.UnixMilli()+999)/1000, 10))
	}
	if resp.status == http.StatusFound || resp.status == http.StatusNoContent {
		if resp.location != "" {
			h.Set("Location", resp.location)
		}
		w.WriteHeader(resp.status)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	out := resp.body
	if f != nil && f.Truncate {
		// Cut the body in half but end the response cleanly: the client reads
		// a complete HTTP response whose JSON is malformed.
		out = out[:len(out)/2]
	} else {
		h.Set("Content-Length", strconv.Itoa(len(out)))
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(out)
}

func (s *Server) authenticate(c *call, rt *route) *response {
	if rt.public {
		return nil
	}
	if c.token == "" {
		return errResp(http.StatusUnauthorized, "Authorization header required", "OAUTH_017")
	}
	tr := s.tokens[c.token]
	if tr == nil || s.users[tr.userID] == nil {
		return errResp(http.StatusUnauthorized, "Token invalid", "OAUTH_025")
	}
	c.auth = tr
	return nil
}

// normalizeToken accepts "pk_...", "Bearer x" and a raw OAuth token alike,
// so "Bearer x" and "x" share one rate-limit budget.
func normalizeToken(h string) string {
	h = strings.TrimSpace(h)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		h = strings.TrimSpace(h[7:])
	}
	return h
}

// rateCheck counts a request against the token's fixed window; limit is 0
// when rate limiting is off.
func (s *Server) rateCheck(key string) (limit, remaining int, reset time.Time, ok bool) {
	if s.rateN <= 0 {
		return 0, 0, time.Time{}, true
	}
	now := s.now()
	win := s.rateWindow
	if win <= 0 {
		win = time.Minute
	}
	w := s.rates[key]
	if w == nil || !now.Before(w.start.Add(win)) {
		if len(s.rates) >= 4096 {
			// Forget ended windows, so junk tokens cannot grow the map forever.
			for k, o := range s.rates {
				if !now.Before(o.start.Add(win)) {
					delete(s.rates, k)
				}
			}
		}
		w = &rateWindow{start: now}
		s.rates[key] = w
	}
	reset = w.start.Add(win)
	if w.count >= s.rateN {
		return s.rateN, 0, reset, false
	}
	w.count++
	return s.rateN, s.rateN - w.count, reset, true
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConn closes the connection without a response. Without a hijackable
// connection (HTTP/2, a ResponseRecorder) it aborts the handler instead,
// which net/http turns into a reset stream.
func dropConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
