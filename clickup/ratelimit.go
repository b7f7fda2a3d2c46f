package clickup

import (
	"container/list"
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// DefaultRatePerMinute is ClickUp's limit on the Free, Unlimited and
	// Business plans; Business Plus allows 1,000 and Enterprise 10,000.
	DefaultRatePerMinute = 100
	// maxBudgets bounds the per-token registry (HTTP mode sees many tokens).
	maxBudgets = 10_000
	// maxHold caps a pause taken from response headers. Windows are one
	// minute, so a Reset further away than this is clock skew or a bad
	// header, and holding longer would only stall the token.
	maxHold = 2 * time.Minute
)

// RateState is the rate budget of the client's token as last seen.
type RateState struct {
	Limit     int       // X-RateLimit-Limit, 0 until a response carried it
	Remaining int       // X-RateLimit-Remaining, as last seen
	Reset     time.Time // X-RateLimit-Reset, zero until seen
	PerMinute int       // the client-side pacing rate; 0 means unpaced
	// Observed is when the headers were last read; zero if never.
	Observed time.Time
	// HeldUntil is set while requests for the token are paused (Remaining
	// reached 0, or a 429 asked us to wait).
	HeldUntil time.Time
}

// burstFor picks the bucket size: a tenth of the per-minute rate, at least
// 1 and at most 100. At the default 100/min that is 10: enough for a tool
// call's handful of lookups to go out at once, small enough that a steady
// stream stays near the plan's rate.
func burstFor(perMinute int) int {
	return min(max(perMinute/10, 1), 100)
}

func limitFor(perMinute int) rate.Limit {
	if perMinute <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(perMinute) / 60)
}

// budget is the shared rate state of one token.
type budget struct {
	lim *rate.Limiter

	mu        sync.Mutex
	perMinute int
	limit     int
	remaining int
	reset     time.Time
	observed  time.Time
	holdUntil time.Time
}

func newBudget(perMinute int) *budget {
	return &budget{lim: rate.NewLimiter(limitFor(perMinute), burstFor(perMinute)), perMinute: perMinute}
}

func (b *budget) setRate(perMinute int, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.perMinute == perMinute {
		return
	}
	b.perMinute = perMinute
	b.lim.SetLimitAt(now, limitFor(perMinute))
	b.lim.SetBurstAt(now, burstFor(perMinute))
}

// observe records X-RateLimit-* headers; when Remaining reaches 0 it holds
// the token until Reset.
func (b *budget) observe(h http.Header, now time.Time) {
	lim, okL := headerInt(h, "X-RateLimit-Limit")
	rem, okR := headerInt(h, "X-RateLimit-Remaining")
	rst, okS := headerInt(h, "X-RateLimit-Reset")
	if !okL && !okR && !okS {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.observed = now
	if okL {
		b.limit = int(lim)
	}
	if okR {
		b.remaining = int(rem)
	}
	if okS {
		b.reset = epochTime(rst)
	}
	if okR && rem <= 0 && okS {
		b.holdLocked(b.reset, now)
	}
}

// hold pauses the token until t (capped at maxHold from now).
func (b *budget) hold(t, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.holdLocked(t, now)
}

func (b *budget) holdLocked(t, now time.Time) {
	if lim := now.Add(maxHold); t.After(lim) {
		t = lim
	}
	if t.After(b.holdUntil) {
		b.holdUntil = t
	}
}

// held returns how long requests must still wait.
func (b *budget) held(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.holdUntil.Sub(now)
}

func (b *budget) state() RateState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return RateState{
		Limit: b.limit, Remaining: b.remaining, Reset: b.reset, PerMinute: b.perMinute,
		Observed: b.observed, HeldUntil: b.holdUntil,
	}
}

// headerInt parses an integer header; ClickUp sends plain integers, but a
// fractional value is tolerated.
func headerInt(h http.Header, key string) (int64, bool) {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return int64(f), true
	}
	return 0, false
}

// epochTime reads X-RateLimit-Reset: epoch seconds per ClickUp's docs, but a
// value too large to be seconds (after year 5138) is taken as milliseconds.
func epochTime(v int64) time.Time {
	if v > 1e11 {
		return time.UnixMilli(v)
	}
	return time.Unix(v, 0)
}

type tokenKey [sha256.Size]byte

func keyFor(token string) tokenKey { return sha256.Sum256([]byte(bareToken(token))) }

// registry maps token hashes to budgets, least recently used first out.
type registry struct {
	mu  sync.Mutex
	max int
	ll  *list.List // of *regEntry, most recent at front
	m   map[tokenKey]*list.Element
}

type regEntry struct {
	key tokenKey
	b   *budget
}

func newRegistry(max int) *registry {
	return &registry{max: max, ll: list.New(), m: make(map[tokenKey]*list.Element)}
}

// budgets is the process-wide registry: one budget per token.
var budgets = newRegistry(maxBudgets)

// get returns the token's budget, creating it at perMinute if absent.
func (r *registry) get(k tokenKey, perMinute int) *budget {
	r.mu.Lock()
	defer r.mu.Unlock()
	if el, ok := r.m[k]; ok {
		r.ll.MoveToFront(el)
		return el.Value.(*regEntry).b
	}
	b := newBudget(perMinute)
	r.m[k] = r.ll.PushFront(&regEntry{key: k, b: b})
	for r.ll.Len() > r.max {
		old := r.ll.Back()
		r.ll.Remove(old)
		delete(r.m, old.Value.(*regEntry).key)
	}
	return b
}

func (r *registry) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ll.Len()
}
