package clickup

import (
	"context"
	"encoding/hex"
	"net/http"
	"time"
)

// SharedWindow coordinates a token's rate window among processes (replicas
// behind a load balancer), so that together they stay within the budget that
// ClickUp's X-RateLimit-* headers describe. This package keeps its own
// per-process budget either way; a SharedWindow is asked in addition, once
// the local budget has admitted a request, and it has the last word.
//
// Implementations live outside this package (one on Redis in the server's
// internal/replica). They must not block for long: when their backing store
// is unreachable they are expected to answer from local state rather than
// fail calls.
type SharedWindow interface {
	// Acquire asks whether one request for the token may go now. When ok,
	// the request counts as in flight everywhere until release is called
	// exactly once, with what the response said (nil when no response came).
	// When not ok, the caller waits wait (at least a moment when 0) and asks
	// again.
	Acquire(ctx context.Context, req WindowRequest) (release func(*WindowObservation), wait time.Duration, ok bool)
	// Hold pauses the token everywhere until until (a 429 asked for it).
	Hold(ctx context.Context, key string, until, now time.Time)
}

// WindowRequest is one Acquire.
type WindowRequest struct {
	// Key is the hex SHA-256 of the bare token: the only form in which the
	// token leaves this package.
	Key string
	Now time.Time
	// Burst is how many requests may be in flight before the token's first
	// response names its window.
	Burst int
}

// WindowObservation is what one response's X-RateLimit-* headers said.
type WindowObservation struct {
	Limit     int // X-RateLimit-Limit, 0 when absent
	Remaining int
	Reset     time.Time
	// Window is set when both Remaining and Reset were present; only then
	// do Remaining and Reset mean anything.
	Window bool
}

// ObserveHeaders reads a response's rate-limit headers.
func ObserveHeaders(h http.Header) *WindowObservation {
	o := &WindowObservation{}
	if v, ok := headerInt(h, "X-RateLimit-Limit"); ok {
		o.Limit = int(v)
	}
	rem, okR := headerInt(h, "X-RateLimit-Remaining")
	rst, okS := headerInt(h, "X-RateLimit-Reset")
	if okR && okS {
		o.Window, o.Remaining, o.Reset = true, int(rem), epochTime(rst)
	}
	return o
}

// WithSharedWindow shares the token's rate window with other processes
// through w (nil: this process alone, the default).
func WithSharedWindow(w SharedWindow) Option {
	return func(c *Client) { c.shared = w }
}

// TokenKey is the hex SHA-256 of a token as SharedWindow keys name it
// ("Bearer " and surrounding space dropped, as for the budget registry).
func TokenKey(token string) string {
	k := keyFor(token)
	return hex.EncodeToString(k[:])
}

// sharedTurn asks the shared window, after the local budget admitted the
// request. ok false means the local admission was handed back and the caller
// waits wait before asking again.
func (c *Client) sharedTurn(ctx context.Context, b *budget) (release func(*WindowObservation), wait time.Duration, ok bool) {
	if c.shared == nil {
		return nil, 0, true
	}
	now := c.clock.Now()
	rel, wait, ok := c.shared.Acquire(ctx, WindowRequest{Key: c.keyHex, Now: now, Burst: b.lim.Burst()})
	if ok {
		return rel, 0, true
	}
	b.done(nil, now) // hand the local slot back: the request did not go
	if wait <= 0 {
		wait = sharedMinWait
	}
	return nil, wait, false
}

// sharedMinWait is the least wait after a shared refusal that gave none.
const sharedMinWait = 20 * time.Millisecond

// WaitObserver is told about every wait for the rate budget before it is
// taken: reason is one of "hold" (a 429 or Remaining: 0), "window" (the
// known window is spent), "first_response" (the token's first answer is
// awaited), "pacing" (the client-side rate) or "shared" (the window shared
// with other processes is spent); d is the wait asked for (0: until woken).
type WaitObserver func(reason string, d time.Duration)

// WithWaitObserver sets a WaitObserver (for metrics); nil is ignored.
func WithWaitObserver(f WaitObserver) Option {
	return func(c *Client) {
		if f != nil {
			c.waitObs = f
		}
	}
}

// emitWait reports a wait to the call's EventFunc, if any.
func (c *Client) emitWait(ctx context.Context, rq *call, why string, d time.Duration) {
	emit(ctx, Event{Kind: EventWait, Route: routeOf(rq.method, rq.path), Wait: d, Reason: waitReason(why)})
}

func (c *Client) observeWait(why string, d time.Duration) {
	if c.waitObs == nil {
		return
	}
	c.waitObs(waitReason(why), d)
}

func waitReason(why string) string {
	switch why {
	case whyHold:
		return "hold"
	case whyWindow:
		return "window"
	case whyFirst:
		return "first_response"
	case whyPacing:
		return "pacing"
	case whyShared:
		return "shared"
	}
	return "other"
}

const (
	whyHold   = "clickup rate limit pause"
	whyWindow = "clickup rate limit window spent"
	whyFirst  = "clickup waiting for the token's first response"
	whyPacing = "clickup pacing"
	whyShared = "clickup rate window shared with other replicas spent"
)
