package httpserve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/clickup-mcp/clickup-mcp/internal/flagval"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/sync/semaphore"
)

// Who a request acts for, and the limits that keep callers without a valid
// token from costing memory. An HTTP session (SSE or streamable) is bound
// to the identity it was opened with for its whole life: its token, or the
// server's own when tokenless requests may use it. Nothing rebinds it.

// maxTokenBytes caps the Authorization value before it is hashed or kept:
// ClickUp's personal tokens are about 45 characters and its OAuth tokens
// under 100, so anything longer is not a ClickUp token.
const maxTokenBytes = 512

// maxHeaderBytes bounds all of a request's headers (net/http's default is
// 1 MB, which let 1 MB junk tokens in).
const maxHeaderBytes = 64 << 10

// DefaultMaxBody is what one request can legitimately need: tool arguments
// are capped at 1 MiB (toolkit.maxArgBytes), and the JSON-RPC envelope plus
// a client's escaping of the text take some room.
const DefaultMaxBody = 2 << 20

// bodyBudget bounds the request bodies being received at once, in bytes:
// 16 bodies of the largest size; smaller ones take their size.
const bodyBudget = 16 * DefaultMaxBody

// SSE bounds: open sessions, and requests accepted but whose response the
// client has not yet read off its stream, per session and per server.
const (
	maxSSEPending    = 32
	maxSSEPendingAll = 512
)

// DefaultMaxSSESessions bounds the open SSE sessions (Server.MaxSSESessions).
const DefaultMaxSSESessions = 1000

// maxOpenSessions bounds the MCP sessions kept at once. A streamable-HTTP
// session holds about 20 KB until its client deletes it or it idles out
// (an hour), and opening one needs no valid token. Sessions of tokens that
// have not yet had a call succeed get maxUnprovenSessions of that room;
// past either bound a new session is refused with 503, and none is evicted.
// Sessions.Max and Sessions.MaxUnproven start at these.
const (
	DefaultMaxSessions         int64 = 10000
	DefaultMaxUnprovenSessions int64 = 2000
)

// Sessions counts the sessions mcp-go registers (streamable HTTP and SSE),
// and those opened by tokens not yet proven. Its Hooks must be on the MCP
// server the HTTP transport serves.
type Sessions struct {
	all, unproven atomic.Int64
	ids           sync.Map // session id -> struct{}: the unproven ones
	// known reports whether a token (or, when empty, the server's own) has
	// had a call succeed.
	known func(token string) bool
	// Max and MaxUnproven bound the sessions kept, and those of tokens not
	// yet proven; set them before serving.
	Max, MaxUnproven int64
}

// NewSessions counts sessions; known tells proven tokens (nil: none are).
func NewSessions(known func(token string) bool) *Sessions {
	if known == nil {
		known = func(string) bool { return false }
	}
	return &Sessions{known: known, Max: DefaultMaxSessions, MaxUnproven: DefaultMaxUnprovenSessions}
}

// Hooks count the sessions mcp-go registers and unregisters.
func (c *Sessions) Hooks() *server.Hooks {
	h := &server.Hooks{}
	h.AddOnRegisterSession(func(ctx context.Context, s server.ClientSession) {
		c.all.Add(1)
		tok := workspace.RequestToken(ctx)
		if b, _ := ctx.Value(sseHolderKey{}).(*sseBinding); b != nil {
			tok = b.tok
		}
		if !c.known(tok) {
			c.ids.Store(s.SessionID(), struct{}{})
			c.unproven.Add(1)
		}
	})
	h.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) {
		c.all.Add(-1)
		if _, ok := c.ids.LoadAndDelete(s.SessionID()); ok {
			c.unproven.Add(-1)
		}
	})
	return h
}

// Open is the number of MCP sessions registered now.
func (c *Sessions) Open() int64 { return c.all.Load() }

// room refuses a request that would open a session past the bounds.
func (c *Sessions) room(w http.ResponseWriter, r *http.Request, tok string) bool {
	opens := (r.URL.Path == "/mcp" && r.Method == http.MethodPost && r.Header.Get("Mcp-Session-Id") == "") ||
		(r.URL.Path == "/sse" && r.Method == http.MethodGet)
	if !opens {
		return true
	}
	full := c.all.Load() >= c.Max
	if !full && c.unproven.Load() >= c.MaxUnproven {
		full = !c.known(tok)
	}
	if full {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "503 Service Unavailable: this server keeps as many MCP sessions as it can; end one (DELETE /mcp) or try again later", http.StatusServiceUnavailable)
		return false
	}
	return true
}

// processKey keys the session-id MACs and the session-id hashes in logs; it
// lives as long as the process, as the sessions do. Drawn at the first
// session, not in package init: a stdio start never needs it.
var processKey = sync.OnceValue(func() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
})

// macs hold keyed hashes for reuse, with a buffer for what they hash:
// every request checks its session id (twice: here and in mcp-go's
// resolver), and a fresh HMAC hashes the key's two pads again each time.
var macs = sync.Pool{New: func() any { return &macState{h: hmac.New(sha256.New, processKey())} }}

type macState struct {
	h   hash.Hash
	buf []byte
}

// mac is the keyed hash of the parts, each ended by a zero byte.
func mac(parts ...string) []byte {
	var out [sha256.Size]byte
	return macInto(out[:0], parts...)
}

// macInto appends the keyed hash of the parts to dst.
func macInto(dst []byte, parts ...string) []byte {
	m := macs.Get().(*macState)
	defer macs.Put(m)
	m.buf = m.buf[:0]
	for _, p := range parts {
		m.buf = append(m.buf, p...)
		m.buf = append(m.buf, 0)
	}
	m.h.Reset()
	m.h.Write(m.buf)
	return m.h.Sum(dst)
}

// sameIdentity compares two tokens in constant time.
func sameIdentity(a, b string) bool {
	return subtle.ConstantTimeCompare(mac("id", a), mac("id", b)) == 1
}

// LogID is what logs show for a session id: a short keyed hash, enough to
// follow one session through the log, useless to post messages with.
func LogID(id string) string {
	if id == "" {
		return ""
	}
	return "h:" + hex.EncodeToString(mac("log", id)[:6])
}

// --- streamable HTTP: session ids that carry their identity ---

const boundPrefix = "mcp-session-"

// boundIDs makes streamable-HTTP session ids that name the identity they
// were issued to, with a MAC: random + "." + MAC(random, token). A request
// with the session id and another token (or none, where the session had
// one) does not validate. reg, when set, says which ids are live: ended,
// swept and made-up ids get 404 (without it only the MAC is checked).
type boundIDs struct {
	tok string
	any bool // no request (mcp-go's sweeper and shutdown): validate format only
	reg *sessionRegistry
}

func (b boundIDs) Generate() string {
	r := make([]byte, 16)
	_, _ = rand.Read(r)
	n := hex.EncodeToString(r)
	id := boundPrefix + n + "." + hex.EncodeToString(mac("sid", n, b.tok)[:16])
	if b.reg != nil {
		b.reg.add(id)
	}
	return id
}

func (b boundIDs) Validate(sid string) (bool, error) {
	n, m, ok := strings.Cut(strings.TrimPrefix(sid, boundPrefix), ".")
	if !ok || !strings.HasPrefix(sid, boundPrefix) || len(n) != 32 {
		return false, errors.New("invalid session id")
	}
	if !b.any {
		var sum [sha256.Size]byte
		var want [32]byte
		hex.Encode(want[:], macInto(sum[:0], "sid", n, b.tok)[:16])
		if len(m) != len(want) || subtle.ConstantTimeCompare([]byte(m), want[:]) != 1 {
			return false, errors.New("session opened with another identity")
		}
	}
	if b.reg != nil {
		return b.reg.check(sid)
	}
	return false, nil
}

// Terminate ends a session: DELETE /mcp (whose id Validate checked first,
// in gateSessions), the idle sweep or shutdown.
func (b boundIDs) Terminate(sid string) (bool, error) {
	if b.reg != nil {
		b.reg.end(sid)
	}
	return false, nil
}

type boundResolver struct{ reg *sessionRegistry }

func (br boundResolver) ResolveSessionIdManager(r *http.Request) server.SessionIdManager { //nolint:revive // var-naming: the name is mcp-go's server.SessionIdManagerResolver
	if r == nil {
		return boundIDs{any: true, reg: br.reg}
	}
	return boundIDs{tok: bearerToken(r), reg: br.reg}
}

// checkStreamSession refuses a streamable-HTTP request whose live session
// was opened with another identity, with a message saying so (mcp-go would
// answer 404, which clients take as "start a new session"). An id that is
// not live (made up, ended, swept) goes on to mcp-go's 404.
func checkStreamSession(w http.ResponseWriter, r *http.Request, reg *sessionRegistry) bool {
	sid := r.Header.Get("Mcp-Session-Id")
	if sid == "" {
		return true
	}
	b := boundIDs{tok: bearerToken(r)}
	if _, err := (boundIDs{any: true}).Validate(sid); err != nil {
		return true // not ours: mcp-go answers 404 and the client starts over
	}
	if _, err := b.Validate(sid); err != nil {
		if reg != nil && !reg.isLive(sid) {
			// Not live here: made up, ended, swept, or issued by another
			// replica (without Redis each keys its ids itself). 404, as
			// the spec says for an unknown id, naming the replica cause so
			// that an operator behind a round-robin balancer is not left
			// chasing a token problem.
			http.Error(w, "404 Not Found: no such session (ended, expired, never opened, or opened by another replica of this server: replicas without --redis-url need a load balancer that routes by Mcp-Session-Id); send initialize to start a new one", http.StatusNotFound)
			return false
		}
		http.Error(w, "403 Forbidden: this MCP session was opened with another identity; every request of a session must carry the same Authorization header it was opened with (or start a new session)", http.StatusForbidden)
		return false
	}
	return true
}

// --- SSE: sessions bound to their identity and narrowing ---

type sseBinding struct {
	id      string
	tok     string
	sel     *toolkit.Selection
	pending int // requests accepted whose response is not yet on the stream
}

// sseTable holds the open SSE sessions. It is bounded by refusing new
// streams past maxSSESessions, never by forgetting open ones.
type sseTable struct {
	mu         sync.Mutex
	m          map[string]*sseBinding
	open       int
	pendingAll int
	max        int
}

func newSSETable(limit int) *sseTable {
	if limit <= 0 {
		limit = DefaultMaxSSESessions
	}
	return &sseTable{m: map[string]*sseBinding{}, max: limit}
}

type sseHolderKey struct{}

func (t *sseTable) get(id string) *sseBinding {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[id]
}

// genID is mcp-go's session id generator: it records the binding the
// stream's middleware prepared.
func (t *sseTable) genID(ctx context.Context, r *http.Request) (string, error) {
	b, _ := ctx.Value(sseHolderKey{}).(*sseBinding)
	if b == nil {
		return "", errors.New("SSE stream outside its middleware")
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	b.id = hex.EncodeToString(raw)
	t.m[b.id] = b
	return b.id, nil
}

// stream wraps GET /sse: it reserves a session slot (or refuses with 503),
// binds the session to the stream's token and narrowing, counts the
// responses written to the stream, and frees it all when the stream ends.
func (t *sseTable) stream(tok string, sel *toolkit.Selection, w http.ResponseWriter, r *http.Request, next http.Handler) {
	t.mu.Lock()
	if t.open >= t.max {
		t.mu.Unlock()
		w.Header().Set("Retry-After", "5")
		http.Error(w, fmt.Sprintf("503 Service Unavailable: %d SSE sessions are open, the most this server keeps; close one or try again later", t.max), http.StatusServiceUnavailable)
		return
	}
	t.open++
	t.mu.Unlock()
	b := &sseBinding{tok: tok, sel: sel}
	defer func() {
		t.mu.Lock()
		t.open--
		if b.id != "" {
			delete(t.m, b.id)
		}
		t.pendingAll -= b.pending
		b.pending = 0
		t.mu.Unlock()
	}()
	next.ServeHTTP(&countingWriter{ResponseWriter: w, t: t, b: b}, r.WithContext(context.WithValue(r.Context(), sseHolderKey{}, b)))
}

// message checks a POST /message against its session: the same token (or
// none), and room in the session's and the server's queues. It returns
// the context the message runs in, or false after answering.
func (t *sseTable) message(w http.ResponseWriter, r *http.Request, b *sseBinding) (*http.Request, bool) {
	if tok := bearerToken(r); tok != "" && !sameIdentity(tok, b.tok) {
		http.Error(w, "403 Forbidden: this SSE session was opened with another identity; send the Authorization header the stream was opened with, or none", http.StatusForbidden)
		return nil, false
	}
	sel, err := narrowing(r)
	if err != nil {
		http.Error(w, "400 Bad Request: "+err.Error(), http.StatusBadRequest)
		return nil, false
	}
	if isRequest(r) {
		t.mu.Lock()
		switch {
		case b.pending >= maxSSEPending:
			t.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			http.Error(w, fmt.Sprintf("429 Too Many Requests: %d requests of this SSE session await being read off its stream; read the stream, then send more", maxSSEPending), http.StatusTooManyRequests)
			return nil, false
		case t.pendingAll >= maxSSEPendingAll:
			t.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			http.Error(w, "503 Service Unavailable: the server's SSE queues are full; try again shortly", http.StatusServiceUnavailable)
			return nil, false
		}
		b.pending++
		t.pendingAll++
		t.mu.Unlock()
	}
	ctx := workspace.WithRequestToken(r.Context(), b.tok)
	ctx = toolkit.WithNarrowing(toolkit.WithNarrowing(ctx, b.sel), sel)
	return r.WithContext(ctx), true
}

// isRequest peeks at a message (its body already bounded) to tell a
// request, which gets a response on the stream, from a notification or a
// response, which do not. The body is put back for mcp-go.
func isRequest(r *http.Request) bool {
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(body, &m) != nil {
		return false // mcp-go answers a parse error at once
	}
	return m.Method != "" && len(m.ID) > 0 && string(m.ID) != "null"
}

// countingWriter counts the messages written to an SSE stream: each one
// answers a pending request.
type countingWriter struct {
	http.ResponseWriter
	t *sseTable
	b *sseBinding
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte("event: message")) {
		c.t.mu.Lock()
		if c.b.pending > 0 {
			c.b.pending--
			c.t.pendingAll--
		}
		c.t.mu.Unlock()
	}
	return c.ResponseWriter.Write(p)
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// --- narrowing headers, read strictly ---

// narrowing reads the X-MCP-* headers into a per-request selection. A
// boolean it cannot read is an error naming the header; unknown names are
// checked by checkNarrowing.
func narrowing(r *http.Request) (*toolkit.Selection, error) {
	h := r.Header
	ts, tl, ex, ro := h.Get("X-MCP-Toolsets"), h.Get("X-MCP-Tools"), h.Get("X-MCP-Exclude-Tools"), h.Get("X-MCP-Read-Only")
	if ts == "" && tl == "" && ex == "" && ro == "" {
		return nil, nil
	}
	readOnly := false
	if strings.TrimSpace(ro) != "" {
		v, err := flagval.ParseBool(ro)
		if err != nil {
			return nil, fmt.Errorf("X-MCP-Read-Only: %w", err)
		}
		readOnly = v
	}
	return &toolkit.Selection{Toolsets: splitList(ts), Tools: splitList(tl), Exclude: splitList(ex), ReadOnly: readOnly}, nil
}

// checkNarrowing refuses unknown toolset and tool names in the headers,
// listing the valid ones: a typo must not silently narrow to nothing.
func checkNarrowing(all []toolkit.Tool, sel *toolkit.Selection) error {
	if sel == nil {
		return nil
	}
	for _, c := range []struct {
		header string
		sel    toolkit.Selection
	}{
		{"X-MCP-Toolsets", toolkit.Selection{Toolsets: sel.Toolsets}},
		{"X-MCP-Tools", toolkit.Selection{Toolsets: []string{""}, Tools: sel.Tools}},
		{"X-MCP-Exclude-Tools", toolkit.Selection{Toolsets: []string{""}, Exclude: sel.Exclude}},
	} {
		if _, err := toolkit.Select(all, c.sel); err != nil {
			return fmt.Errorf("%s: %w", c.header, err)
		}
	}
	return nil
}

// --- request bodies ---

// bodies bounds the request bodies being read at once. A body takes its
// declared length from the budget (or the whole limit when it declares
// none) until it has been read or the request ends; a request that finds
// no room is refused with 503 at once instead of queueing its memory.
type bodies struct {
	limit int64
	sem   *semaphore.Weighted
}

func newBodies(limit int64) *bodies {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	budget := int64(bodyBudget)
	if budget < 4*limit {
		budget = 4 * limit
	}
	return &bodies{limit: limit, sem: semaphore.NewWeighted(budget)}
}

func (b *bodies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > b.limit {
			http.Error(w, fmt.Sprintf("413 request body too large: %d bytes, over the limit of %d (tool arguments are capped at 1 MiB)", r.ContentLength, b.limit), http.StatusRequestEntityTooLarge)
			return
		}
		n := r.ContentLength
		if n < 0 {
			n = b.limit
		}
		if !b.sem.TryAcquire(n) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "503 Service Unavailable: too many large requests are being received; try again shortly", http.StatusServiceUnavailable)
			return
		}
		rb := &releasingBody{ReadCloser: http.MaxBytesReader(w, r.Body, b.limit), release: func() { b.sem.Release(n) }}
		defer rb.done()
		r.Body = rb
		next.ServeHTTP(w, r)
	})
}

// releasingBody gives its share of the budget back once read to the end.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) done() { b.once.Do(b.release) }

func (b *releasingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done()
	}
	return n, err
}

// --- logs ---

// HideSessionIDs rewrites the session ids mcp-go logs (mcp.session.id on
// every request line, "session" when the sweeper drops one) as a short
// keyed hash: a session id is a bearer capability, and one read of an info
// log must not hand it out.
func HideSessionIDs(h slog.Handler) slog.Handler { return idHider{h} }

type idHider struct{ next slog.Handler }

func isSessionKey(k string) bool {
	switch strings.ToLower(k) {
	case "mcp.session.id", "session", "sessionid", "session_id", "mcp-session-id":
		return true
	}
	return false
}

func hideAttr(a slog.Attr) slog.Attr {
	if isSessionKey(a.Key) {
		return slog.String(a.Key, LogID(a.Value.String()))
	}
	if a.Value.Kind() == slog.KindGroup {
		g := a.Value.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = hideAttr(x)
		}
		return slog.Group(a.Key, out...)
	}
	return a
}

func (h idHider) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h idHider) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(hideAttr(a))
		return true
	})
	return h.next.Handle(ctx, nr)
}

func (h idHider) WithAttrs(as []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = hideAttr(a)
	}
	return idHider{h.next.WithAttrs(out)}
}

func (h idHider) WithGroup(name string) slog.Handler { return idHider{h.next.WithGroup(name)} }
