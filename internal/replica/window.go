package replica

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/redisscript"
)

// Window is a clickup.SharedWindow on Redis: per token, what ClickUp's
// X-RateLimit-* headers last said (the lowest Remaining for the newest
// Reset), the requests in flight on every replica, and holds after a 429.
// It applies the same rule as clickup's local budget, across replicas: a
// request may go while Remaining - in flight > 0.
//
// In-flight requests are leases with an expiry (LeaseTTL), so a replica
// killed mid-request frees its share once they lapse.
//
// While Redis is unreachable, Window answers from local state: this replica
// may send at most its share, Limit / replicas seen recently, of each window
// (the local budget in clickup still applies Remaining as this replica saw
// it).
type Window struct {
	n *Node
	// LeaseTTL bounds how long an in-flight request holds budget if its
	// replica never releases it (default 30s).
	LeaseTTL time.Duration
	// Poll is the longest wait after a refusal while requests are in
	// flight elsewhere (default 100ms): one of them may fail without a
	// response and give its slot back.
	Poll time.Duration

	mu    sync.Mutex
	local map[string]*localWindow
}

// localWindow is what this replica knows of a token's window, kept whether
// Redis is up or not so that a fallback starts informed.
type localWindow struct {
	limit     int
	reset     time.Time
	sent      int // requests this replica sent in the window ending at reset
	holdUntil time.Time
	used      time.Time
}

// maxLocalWindows bounds the local map (HTTP mode sees many tokens).
const maxLocalWindows = 10_000

var _ clickup.SharedWindow = (*Window)(nil)

// Window returns the node's shared rate window.
func (n *Node) Window() *Window {
	return &Window{n: n, LeaseTTL: 30 * time.Second, Poll: 100 * time.Millisecond, local: map[string]*localWindow{}}
}

// acquireScript: KEYS[1] the window's hash, KEYS[2] its leases (a sorted
// set scored by expiry). ARGV: now ms, lease id, lease ttl ms, first burst,
// poll ms, state ttl ms. Returns {1, 0} when admitted, else {0, wait ms}.
var acquireScript = redisscript.Script{Src: `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local inflight = redis.call('ZCARD', KEYS[2])
local st = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'reset', 'hold', 'answered')
local limit = tonumber(st[1]) or 0
local remaining = tonumber(st[2])
local reset = tonumber(st[3])
local hold = tonumber(st[4]) or 0
local poll = tonumber(ARGV[5])
if hold > now then return {0, hold - now} end
if remaining ~= nil and reset ~= nil then
  local avail = nil
  if now < reset then avail = remaining - inflight
  elseif limit > 0 then avail = limit - inflight end
  if avail ~= nil and avail <= 0 then
    if now < reset and inflight == 0 then return {0, reset - now} end
    if now < reset then return {0, math.min(reset - now, poll)} end
    return {0, poll}
  end
elseif st[5] ~= '1' and inflight >= tonumber(ARGV[4]) then
  return {0, poll}
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
return {1, 0}
`}

// releaseScript ends a lease and records a response's headers, as clickup's
// budget does: within the known window the lowest Remaining wins, a later
// Reset (or any once the known one is over) starts a new window, an earlier
// one still running is stale; Remaining 0 holds the token until Reset.
// ARGV: now ms, lease id, answered (0/1), limit (-1 absent), window (0/1),
// remaining, reset ms, max hold ms, state ttl ms.
var releaseScript = redisscript.Script{Src: `
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
if ARGV[3] ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'answered', '1')
if tonumber(ARGV[4]) >= 0 then redis.call('HSET', KEYS[1], 'limit', ARGV[4]) end
if ARGV[5] == '1' then
  local rem = tonumber(ARGV[6])
  local rst = tonumber(ARGV[7])
  local st = redis.call('HMGET', KEYS[1], 'remaining', 'reset')
  local curRem = tonumber(st[1])
  local curReset = tonumber(st[2])
  if curRem == nil or curReset == nil or rst > curReset or now >= curReset then
    redis.call('HSET', KEYS[1], 'remaining', rem, 'reset', rst)
  elseif rst == curReset then
    if rem < curRem then redis.call('HSET', KEYS[1], 'remaining', rem) end
  else
    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[9]))
    return 0
  end
  if rem <= 0 then
    local h = math.min(rst, now + tonumber(ARGV[8]))
    local cur = tonumber(redis.call('HGET', KEYS[1], 'hold')) or 0
    if h > cur then redis.call('HSET', KEYS[1], 'hold', h) end
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[9]))
return 1
`}

// holdScript: ARGV until ms, state ttl ms.
var holdScript = redisscript.Script{Src: `
local cur = tonumber(redis.call('HGET', KEYS[1], 'hold')) or 0
if tonumber(ARGV[1]) > cur then redis.call('HSET', KEYS[1], 'hold', ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`}

const (
	// stateTTL keeps a token's window in Redis this long after its last use.
	stateTTL = 10 * time.Minute
	// maxHold matches clickup's cap on a pause taken from headers.
	maxHold = 2 * time.Minute
)

func (w *Window) keys(key string) []string {
	// The braces keep both keys in one Redis Cluster slot.
	k := w.n.key("rl", "{"+key+"}")
	return []string{k, k + ":fl"}
}

// Acquire implements clickup.SharedWindow.
func (w *Window) Acquire(ctx context.Context, req clickup.WindowRequest) (func(*clickup.WindowObservation), time.Duration, bool) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	lease := hex.EncodeToString(b[:])
	keys := w.keys(req.Key)
	var res []int64
	err := w.n.do(ctx, "rate_acquire", func(ctx context.Context) error {
		var err error
		res, err = acquireScript.Run(ctx, w.n.rdb, keys, req.Now.UnixMilli(), lease, w.LeaseTTL.Milliseconds(),
			max(req.Burst, 1), w.Poll.Milliseconds(), stateTTL.Milliseconds()).Int64Slice()
		return err
	})
	if err != nil || len(res) != 2 {
		w.n.m.Fallback("rate_window")
		return w.acquireLocal(req)
	}
	if res[0] != 1 {
		return nil, time.Duration(res[1]) * time.Millisecond, false
	}
	w.countSent(req.Key, req.Now)
	var once sync.Once
	return func(o *clickup.WindowObservation) {
		once.Do(func() { w.release(ctx, req.Key, lease, o) })
	}, 0, true
}

func (w *Window) release(ctx context.Context, key, lease string, o *clickup.WindowObservation) {
	now := w.n.now()
	w.observeLocal(key, o, now)
	answered, limit, window, rem, rst := 0, -1, 0, 0, int64(0)
	if o != nil {
		answered = 1
		if o.Limit > 0 {
			limit = o.Limit
		}
		if o.Window {
			window, rem, rst = 1, o.Remaining, o.Reset.UnixMilli()
		}
	}
	// A failed release leaves the lease to expire.
	_ = w.n.do(ctx, "rate_release", func(ctx context.Context) error {
		return releaseScript.Run(ctx, w.n.rdb, w.keys(key), now.UnixMilli(), lease, answered, limit, window, rem, rst,
			maxHold.Milliseconds(), stateTTL.Milliseconds()).Err()
	})
}

// Hold implements clickup.SharedWindow.
func (w *Window) Hold(ctx context.Context, key string, until, now time.Time) {
	if lim := now.Add(maxHold); until.After(lim) {
		until = lim
	}
	w.mu.Lock()
	if lw := w.localLocked(key, now); until.After(lw.holdUntil) {
		lw.holdUntil = until
	}
	w.mu.Unlock()
	_ = w.n.do(ctx, "rate_hold", func(ctx context.Context) error {
		return holdScript.Run(ctx, w.n.rdb, w.keys(key)[:1], until.UnixMilli(), stateTTL.Milliseconds()).Err()
	})
}

func (w *Window) localLocked(key string, now time.Time) *localWindow {
	lw := w.local[key]
	if lw == nil {
		if len(w.local) >= maxLocalWindows {
			w.evictLocked()
		}
		lw = &localWindow{}
		w.local[key] = lw
	}
	lw.used = now
	return lw
}

// evictLocked drops the least recently used half of the local map.
func (w *Window) evictLocked() {
	var cut time.Time
	n := 0
	for _, lw := range w.local {
		if n == 0 || lw.used.Before(cut) {
			cut = lw.used
		}
		n++
	}
	// One pass to find the oldest is cheap; drop everything not newer than
	// the median of oldest and now, approximately half.
	mid := cut.Add(w.n.now().Sub(cut) / 2)
	for k, lw := range w.local {
		if !lw.used.After(mid) {
			delete(w.local, k)
		}
	}
}

func (w *Window) countSent(key string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	lw := w.localLocked(key, now)
	if !now.Before(lw.reset) && !lw.reset.IsZero() {
		lw.sent = 0 // that window is over; the next one's end is unknown yet
		lw.reset = time.Time{}
	}
	lw.sent++
}

func (w *Window) observeLocal(key string, o *clickup.WindowObservation, now time.Time) {
	if o == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	lw := w.localLocked(key, now)
	if o.Limit > 0 {
		lw.limit = o.Limit
	}
	if o.Window && o.Reset.After(lw.reset) {
		if lw.reset.IsZero() {
			lw.reset = o.Reset // the window the sends since the last reset belong to
		} else {
			lw.reset, lw.sent = o.Reset, 1
		}
	}
	if o.Window && o.Remaining <= 0 && o.Reset.After(lw.holdUntil) {
		lw.holdUntil = o.Reset
	}
}

// acquireLocal is Acquire while Redis is down: within a known window this
// replica sends at most Limit / replicas seen; the rest of the rules are the
// local budget's.
func (w *Window) acquireLocal(req clickup.WindowRequest) (func(*clickup.WindowObservation), time.Duration, bool) {
	now := req.Now
	w.mu.Lock()
	lw := w.localLocked(req.Key, now)
	if d := lw.holdUntil.Sub(now); d > 0 {
		w.mu.Unlock()
		return nil, d, false
	}
	if !now.Before(lw.reset) && !lw.reset.IsZero() {
		lw.sent, lw.reset = 0, time.Time{}
	}
	if lw.limit > 0 && !lw.reset.IsZero() {
		share := max(lw.limit/max(w.n.Replicas(), 1), 1)
		if lw.sent >= share {
			d := lw.reset.Sub(now)
			w.mu.Unlock()
			return nil, d, false
		}
	}
	lw.sent++
	w.mu.Unlock()
	var once sync.Once
	return func(o *clickup.WindowObservation) {
		once.Do(func() { w.observeLocal(req.Key, o, w.n.now()) })
	}, 0, true
}

// State is what Redis holds for a token's window (for tests and
// diagnostics); ok is false when Redis could not be asked.
type State struct {
	Limit, Remaining int
	Reset, Hold      time.Time
	InFlight         int
}

// State reads the shared state of the token with hex hash key.
func (w *Window) State(ctx context.Context, key string) (State, bool) {
	var st State
	err := w.n.do(ctx, "rate_state", func(ctx context.Context) error {
		keys := w.keys(key)
		v, err := w.n.rdb.HGetAll(ctx, keys[0]).Result()
		if err != nil {
			return err
		}
		st.Limit, _ = strconv.Atoi(v["limit"])
		st.Remaining, _ = strconv.Atoi(v["remaining"])
		if ms, err := strconv.ParseInt(v["reset"], 10, 64); err == nil {
			st.Reset = time.UnixMilli(ms)
		}
		if ms, err := strconv.ParseInt(v["hold"], 10, 64); err == nil {
			st.Hold = time.UnixMilli(ms)
		}
		n, err := w.n.rdb.ZCount(ctx, keys[1], strconv.FormatInt(w.n.now().UnixMilli(), 10), "+inf").Result()
		st.InFlight = int(n)
		return err
	})
	return st, err == nil
}
