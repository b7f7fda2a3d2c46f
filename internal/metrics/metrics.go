// Package metrics holds the server's Prometheus instruments and serves them
// for /metrics, in Prometheus' text format (prom.go). Every label value is bounded: tools by the registered tool
// names, ClickUp requests by route template (never raw ids, see Route) and
// status, caches by name. A nil *Metrics is valid and records nothing, so
// callers need no checks when metrics are off.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

const namespace = "clickup_mcp"

// Tool call outcomes.
const (
	OutcomeOK     = "ok"     // a result without isError
	OutcomeError  = "error"  // an isError result: bad arguments, a ClickUp error the model can act on
	OutcomeFailed = "failed" // a protocol error or a Go error from the handler
)

// maxToolNames bounds the tool label when no names were registered: a
// client may call any name, and each distinct label is a new series.
const maxToolNames = 500

// Metrics is the process's instruments on a registry of its own.
type Metrics struct {
	reg *registry

	toolCalls     vec
	toolLatency   vec
	toolsInFlight *series
	requests      vec
	reqLatency    vec
	rateLimited   vec
	rateWaits     vec
	rateWaitSec   vec
	cache         vec
	sessionsOpen  vec
	sessionsTotal vec
	redisUp       *series
	redisErrors   vec
	fallbacks     vec
	replicas      *series

	mu    sync.Mutex
	tools map[string]bool
	fixed bool // tools holds the registered names; others are "other"
}

// New builds the instruments; /metrics adds the Go runtime's and the
// process's.
func New() *Metrics {
	r := &registry{}
	m := &Metrics{reg: r, tools: map[string]bool{}}
	counter := func(name, help string, labels ...string) vec { return vec{r.add(name, help, counterKind, nil, labels)} }
	histogram := func(name, help string, buckets []float64, labels ...string) vec {
		return vec{r.add(name, help, histogramKind, buckets, labels)}
	}
	gauge := func(name, help string) *series { return r.add(name, help, gaugeKind, nil, nil).one }
	m.toolCalls = counter("tool_calls_total", "MCP tool calls by tool and outcome (ok, error: an isError result, failed: a protocol or handler error).", "tool", "outcome")
	m.toolLatency = histogram("tool_call_duration_seconds", "Time to answer an MCP tool call, ClickUp requests and rate-limit waits included.", exponentialBucketsRange(0.005, 60, 14), "tool")
	m.toolsInFlight = gauge("tool_calls_in_flight", "MCP tool calls being answered now.")
	m.requests = counter("clickup_requests_total", "HTTP requests to ClickUp by method, route template and status (network: no response).", "method", "route", "status")
	m.reqLatency = histogram("clickup_request_duration_seconds", "Time from sending a ClickUp request to its response headers.", exponentialBucketsRange(0.01, 30, 12), "method", "route")
	m.rateLimited = counter("clickup_rate_limited_total", "ClickUp responses with status 429, by route template.", "route")
	m.rateWaits = counter("rate_limit_waits_total", "Waits for a token's rate budget before a ClickUp request, by reason (hold, window, first_response, pacing, shared).", "reason")
	m.rateWaitSec = histogram("rate_limit_wait_seconds", "Length of the waits asked for by the rate budget (0: until woken).", exponentialBucketsRange(0.01, 120, 12), "reason")
	m.cache = counter("cache_requests_total", "Cache look-ups by cache and result (hit, miss).", "cache", "result")
	m.sessionsOpen = vec{r.add("sessions_open", "MCP sessions open on this replica, by transport.", gaugeKind, nil, []string{"transport"})}
	m.sessionsTotal = counter("sessions_opened_total", "MCP sessions opened on this replica, by transport.", "transport")
	m.redisUp = gauge("redis_up", "1 while the shared Redis answers, 0 while replicas run on local state; absent without --redis-url.")
	m.redisErrors = counter("redis_errors_total", "Failed Redis operations by operation.", "op")
	m.fallbacks = counter("shared_fallbacks_total", "Decisions taken on local state because Redis was unreachable, by feature (rate_window, sessions, dedupe, invalidation).", "feature")
	m.replicas = gauge("replicas_seen", "Replicas that reported to Redis recently, this one included.")
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return http.HandlerFunc(m.reg.serve)
}

// KnownTools fixes the tool label's values: calls to any other name count
// under "other".
func (m *Metrics) KnownTools(names []string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tools = make(map[string]bool, len(names))
	for _, n := range names {
		m.tools[n] = true
	}
	m.fixed = true
}

func (m *Metrics) toolLabel(name string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tools[name] {
		return name
	}
	if m.fixed || len(m.tools) >= maxToolNames || name == "" || len(name) > 64 {
		return "other"
	}
	m.tools[name] = true
	return name
}

// ToolStarted counts a call in flight; call the returned func with its
// outcome when it is answered.
func (m *Metrics) ToolStarted(tool string) func(outcome string) {
	if m == nil {
		return func(string) {}
	}
	start := time.Now()
	m.toolsInFlight.Inc()
	var once sync.Once
	return func(outcome string) {
		once.Do(func() {
			m.toolsInFlight.Dec()
			m.ToolCall(tool, outcome, time.Since(start))
		})
	}
}

// ToolCall records one answered tool call.
func (m *Metrics) ToolCall(tool, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	switch outcome {
	case OutcomeOK, OutcomeError, OutcomeFailed:
	default:
		outcome = OutcomeFailed
	}
	t := m.toolLabel(tool)
	m.toolCalls.WithLabelValues(t, outcome).Inc()
	m.toolLatency.WithLabelValues(t).Observe(d.Seconds())
}

// ClickUpRequest records one HTTP request to ClickUp; status 0 means no
// response came.
func (m *Metrics) ClickUpRequest(method, path string, status int, d time.Duration) {
	if m == nil {
		return
	}
	route := Route(path)
	st := "network"
	if status > 0 {
		st = strconv.Itoa(status)
	}
	m.requests.WithLabelValues(methodLabel(method), route, st).Inc()
	m.reqLatency.WithLabelValues(methodLabel(method), route).Observe(d.Seconds())
	if status == http.StatusTooManyRequests {
		m.rateLimited.WithLabelValues(route).Inc()
	}
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead:
		return m
	}
	return "other"
}

// RateWait records a wait for the rate budget; it has the shape of
// clickup.WaitObserver.
func (m *Metrics) RateWait(reason string, d time.Duration) {
	if m == nil {
		return
	}
	switch reason {
	case "hold", "window", "first_response", "pacing", "shared":
	default:
		reason = "other"
	}
	m.rateWaits.WithLabelValues(reason).Inc()
	m.rateWaitSec.WithLabelValues(reason).Observe(d.Seconds())
}

// Cache records a look-up in the named cache (hierarchy, list, identity...).
func (m *Metrics) Cache(name string, hit bool) {
	if m == nil {
		return
	}
	r := "miss"
	if hit {
		r = "hit"
	}
	m.cache.WithLabelValues(name, r).Inc()
}

// SessionOpened and SessionClosed track sessions by transport
// ("streamable", "sse").
func (m *Metrics) SessionOpened(transport string) {
	if m == nil {
		return
	}
	m.sessionsOpen.WithLabelValues(transport).Inc()
	m.sessionsTotal.WithLabelValues(transport).Inc()
}

// SessionClosed is SessionOpened's end.
func (m *Metrics) SessionClosed(transport string) {
	if m == nil {
		return
	}
	m.sessionsOpen.WithLabelValues(transport).Dec()
}

// RedisUp sets redis_up.
func (m *Metrics) RedisUp(up bool) {
	if m == nil {
		return
	}
	if up {
		m.redisUp.Set(1)
	} else {
		m.redisUp.Set(0)
	}
}

// RedisError counts a failed Redis operation.
func (m *Metrics) RedisError(op string) {
	if m == nil {
		return
	}
	m.redisErrors.WithLabelValues(op).Inc()
}

// Fallback counts a decision taken on local state because Redis was down.
func (m *Metrics) Fallback(feature string) {
	if m == nil {
		return
	}
	m.fallbacks.WithLabelValues(feature).Inc()
}

// ReplicasSeen sets replicas_seen.
func (m *Metrics) ReplicasSeen(n int) {
	if m == nil {
		return
	}
	m.replicas.Set(float64(n))
}

// Transport wraps next (nil: http.DefaultTransport) to record every
// request to ClickUp by route template and status.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if m == nil {
		return next
	}
	return roundTripper{m: m, next: next}
}

type roundTripper struct {
	m    *Metrics
	next http.RoundTripper
}

func (t roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	t.m.ClickUpRequest(r.Method, r.URL.Path, status, time.Since(start))
	return resp, err
}
