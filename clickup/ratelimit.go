package clickup

import (
	"container/list"
	"context"
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
	Remaining int       // X-RateLimit-Remaining: the lowest seen for the window ending at Reset
	Reset     time.Time // X-RateLimit-Reset, zero until seen
	PerMinute int       // the client-side pacing rate; 0 means unpaced
	// Observed is when the headers were last read; zero if never.
	Observed time.Time
	// HeldUntil is set while requests for the token are paused (Remaining
	// reached 0, or a 429 asked us to wait).
	HeldUntil time.Time
	// InFlight is the number of requests sent and not answered yet; they
	// count against Remaining.
	InFlight int
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

// budget is the shared rate state of one token: the pacing buckets and the
// window tracker.
//
// The window tracker follows ClickUp's fixed window as the X-RateLimit-*
// headers describe it (Limit, Remaining, Reset) and counts the requests this
// process has sent that are not answered yet (inflight). While a window is
// known, a request may go only while Remaining - inflight > 0, and otherwise
// waits for Reset. In-flight requests count because their effect on
// Remaining is still to come: before they did, the calls in flight when
// Remaining reached 0, and every call waiting at a reset, went out together
// and drew 429s. Once Reset has passed, the budget is Limit again (minus
// in-flight) until a response describes the new window.
//
// Pacing (golang.org/x/time/rate) stays, at the configured per-minute rate,
// in two buckets:
//   - lim, burst rate/10, paces the token while no window is known (the
//     server sends no headers): the behaviour from before headers were
//     tracked.
//   - win, burst a whole minute's worth, applies once a window is known. A
//     rate/10 burst would defeat the window: ClickUp lets a window's whole
//     budget go at once and restores all of it at the reset, so trickling
//     at the steady rate takes about 1.5x as long as the windows allow (174 s
//     against 120 s for 300 calls on a 100-a-minute plan; see
//     docs/BENCHMARKS.md). A minute's burst lets the tracker release a
//     window's remaining budget at once, while the configured rate still
//     caps the sustained rate (the bucket refills at perMinute/60 a second),
//     so a rate set below the plan's limit still leaves the rest to other
//     users of the token. When the rate matches the plan, the bucket is full
//     again by the time the next window opens and the windows alone set the
//     pace.
//
// Until the token's first response, no more than lim's burst is in flight:
// the burst goes at once as before, but the calls beyond it wait for that
// response (which names the window) instead of being paced into a budget
// nobody knows yet, which drew 429s when the burst alone matched the window.
type budget struct {
	lim *rate.Limiter // pacing while no window is known
	win *rate.Limiter // sustained cap while a window is known

	mu        sync.Mutex
	perMinute int
	limit     int
	remaining int
	reset     time.Time
	observed  time.Time
	holdUntil time.Time
	known     bool          // a response carried Remaining and Reset
	answered  bool          // a response has come back, headers or not
	inflight  int           // admitted requests not answered yet
	changed   chan struct{} // closed when waiters may be admitted
}

func newBudget(perMinute int) *budget {
	return &budget{
		lim:       rate.NewLimiter(limitFor(perMinute), burstFor(perMinute)),
		win:       rate.NewLimiter(limitFor(perMinute), windowBurstFor(perMinute)),
		perMinute: perMinute,
		changed:   make(chan struct{}),
	}
}

// windowBurstFor is the bucket size once a window is known: a minute's worth.
func windowBurstFor(perMinute int) int { return max(perMinute, 1) }

func (b *budget) setRate(perMinute int, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.perMinute == perMinute {
		return
	}
	b.perMinute = perMinute
	b.lim.SetLimitAt(now, limitFor(perMinute))
	b.lim.SetBurstAt(now, burstFor(perMinute))
	b.win.SetLimitAt(now, limitFor(perMinute))
	b.win.SetBurstAt(now, windowBurstFor(perMinute))
}

// turn is admit's answer: go (ok); wait out the pacing reservation res,
// d long; or wait d (0: no timer) or until changed is closed, whichever
// comes first, and ask again.
type turn struct {
	ok      bool
	res     *rate.Reservation
	d       time.Duration
	changed <-chan struct{}
	why     string
}

// admit decides whether a request may go now; if it may, it is in flight
// until done. paid records that the caller has already waited out a pacing
// reservation, so that it is not charged twice.
func (b *budget) admit(now time.Time, paid *bool) turn {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := b.holdUntil.Sub(now); d > 0 {
		return turn{d: d, why: whyHold}
	}
	bucket := b.lim
	switch avail, d, ok := b.windowLocked(now); {
	case ok && avail <= 0:
		// Spent: wait for the reset, or for a response that frees budget
		// or describes the next window.
		return turn{d: min(d, maxHold), changed: b.changed, why: whyWindow}
	case ok:
		bucket = b.win
	case !b.answered && b.inflight >= b.lim.Burst():
		return turn{changed: b.changed, why: whyFirst}
	}
	if !*paid {
		r := bucket.ReserveN(now, 1)
		if d := r.DelayFrom(now); d > 0 {
			*paid = true
			return turn{res: r, d: d, why: whyPacing}
		}
	}
	b.inflight++
	return turn{ok: true}
}

// windowLocked reports what the window tracker allows now and how long until
// the window resets (0 once it has: the next one's end is unknown until a
// response names it). ok is false while no window is known.
func (b *budget) windowLocked(now time.Time) (avail int, untilReset time.Duration, ok bool) {
	if !b.known {
		return 0, 0, false
	}
	if now.Before(b.reset) {
		return b.remaining - b.inflight, b.reset.Sub(now), true
	}
	if b.limit <= 0 {
		// The window is over and its size was never given: pace as if
		// no window were known.
		return 0, 0, false
	}
	return b.limit - b.inflight, 0, true
}

// done ends an admitted request; h is its response's headers, nil when no
// response came.
func (b *budget) done(h http.Header, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inflight--
	oldReset, oldKnown, oldAnswered := b.reset, b.known, b.answered
	if h != nil {
		b.answered = true
		b.observeLocked(h, now)
	}
	// Wake the waiters when one of them may go, or when a new window gives
	// them a reset to wait for; not on every response, or thousands of
	// waiters would wake thousands of times.
	avail, _, ok := b.windowLocked(now)
	if b.known != oldKnown || !b.reset.Equal(oldReset) || (ok && avail > 0) ||
		(!ok && (b.answered != oldAnswered || (!b.answered && b.inflight < b.lim.Burst()))) {
		close(b.changed)
		b.changed = make(chan struct{})
	}
}

// observeLocked records X-RateLimit-* headers. Responses arrive out of order,
// so within the known window the lowest Remaining wins; a later Reset starts
// a new window, and so does any response once the known window is over; a
// response naming an earlier window that is still running is stale. When
// Remaining reaches 0 the token is held until Reset.
func (b *budget) observeLocked(h http.Header, now time.Time) {
	lim, okL := headerInt(h, "X-RateLimit-Limit")
	rem, okR := headerInt(h, "X-RateLimit-Remaining")
	rst, okS := headerInt(h, "X-RateLimit-Reset")
	if !okL && !okR && !okS {
		return
	}
	b.observed = now
	if okL {
		b.limit = int(lim)
	}
	if !okR || !okS {
		// Half a window is no window: report it, but track only whole ones.
		if !b.known {
			if okR {
				b.remaining = int(rem)
			}
			if okS {
				b.reset = epochTime(rst)
			}
		}
		return
	}
	reset := epochTime(rst)
	switch {
	case !b.known || reset.After(b.reset) || !now.Before(b.reset):
		b.known, b.remaining, b.reset = true, int(rem), reset
	case reset.Equal(b.reset):
		b.remaining = min(b.remaining, int(rem))
	default:
		return // stale
	}
	if rem <= 0 {
		b.holdLocked(reset, now)
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

func (b *budget) state() RateState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return RateState{
		Limit: b.limit, Remaining: b.remaining, Reset: b.reset, PerMinute: b.perMinute,
		Observed: b.observed, HeldUntil: b.holdUntil, InFlight: b.inflight,
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

// waitTurn blocks until the token may send: past any hold taken from a 429
// or Remaining: 0, within the window the headers describe, and through the
// pacing bucket; then, with a SharedWindow, through the window shared with
// other processes. The request then counts as in flight until budget.done
// (and release, when shared).
func (c *Client) waitTurn(ctx context.Context, b *budget, rq *call) (func(*WindowObservation), *Error) {
	paid := false
	for {
		t := b.admit(c.clock.Now(), &paid)
		if t.ok {
			release, wait, ok := c.sharedTurn(ctx, b)
			if ok {
				return release, nil
			}
			// paid stays set: the pacing already charged is not charged again.
			t = turn{d: wait, why: whyShared}
		}
		if t.res != nil {
			c.log.Debug().Str("method", rq.method).Str("path", rq.path).Dur("wait", t.d).Str("token", c.redacted).Msg(t.why)
			c.observeWait(t.why, t.d)
			c.emitWait(ctx, rq, t.why, t.d)
			if err := c.pause(ctx, t.d); err != nil {
				t.res.CancelAt(c.clock.Now())
				return nil, c.waitErr(rq, t.d, err)
			}
			continue // a hold or the window may have come up meanwhile
		}
		if t.d > c.retry.MaxWait {
			e := c.errFor(rq, KindRateLimited)
			e.Message, e.RetryAfter = "rate limit for this token is used up", t.d
			return nil, e
		}
		if t.d > 0 {
			c.log.Debug().Str("method", rq.method).Str("path", rq.path).Dur("wait", t.d).Str("token", c.redacted).Msg(t.why)
			c.emitWait(ctx, rq, t.why, t.d)
		}
		c.observeWait(t.why, t.d)
		if err := c.waitChange(ctx, t.d, t.changed); err != nil {
			return nil, c.waitErr(rq, t.d, err)
		}
	}
}

// waitChange waits d on the clock (no timer if d is 0) or until changed is
// closed, whichever comes first; like pause, it returns ctx's error if ctx
// ends first, and errPastDeadline at once if d would outlast ctx's deadline.
func (c *Client) waitChange(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	if changed == nil {
		return c.pause(ctx, d)
	}
	if dl, ok := ctx.Deadline(); ok && d > 0 && time.Until(dl) < d {
		return errPastDeadline
	}
	var timer <-chan time.Time
	if d > 0 {
		timer = c.clock.After(d)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer:
	case <-changed:
	}
	return nil
}
