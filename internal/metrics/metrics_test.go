package metrics

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRoute(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v2/task/86abc":                               "/v2/task/{id}",
		"/api/v2/task/86abc/tag/urgent":                    "/v2/task/{id}/tag/{id}",
		"/api/v2/list/901/task":                            "/v2/list/{id}/task",
		"/proxy/x/api/v2/team/9/space":                     "/v2/team/{id}/space",
		"/v2/user":                                         "/v2/user",
		"/api/v3/workspaces/9/docs/abc/pages":              "/v3/workspaces/{id}/docs/{id}/pages",
		"/api/v2/task/pk_123_SECRET/comment":               "/v2/task/{id}/comment",
		"/":                                                "/",
		"/api/v2/a/b/c/d/e/f/g/h/i/j/k/l/m/n":              "/v2/{id}/{id}/{id}/{id}/{id}/{id}/{id}/{id}/{id}/…",
		"/api/v2/team/9/time_entries/current":              "/v2/team/{id}/time_entries/current",
		"/api/v2/space/77/tag/" + strings.Repeat("x", 300): "/v2/space/{id}/tag/{id}",
	} {
		if got := Route(in); got != want {
			t.Errorf("Route(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStaticSegmentsMatchSpecs keeps the literal segments in step with
// ClickUp's OpenAPI specs; it skips when ../shared is not beside the clone.
func TestStaticSegmentsMatchSpecs(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "clickup")
	want := map[string]bool{}
	for _, f := range []string{"openapi-v2.json", "openapi-v3.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Skipf("no spec at hand: %v", err)
		}
		var spec struct {
			Paths map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(b, &spec); err != nil {
			t.Fatal(err)
		}
		for p := range spec.Paths {
			for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
				if !strings.HasPrefix(s, "{") {
					want[s] = true
				}
			}
		}
	}
	if !slices.IsSorted(staticSegments) || len(slices.Compact(slices.Clone(staticSegments))) != len(staticSegments) {
		t.Errorf("staticSegments must be sorted, each once (isStatic searches it): %v", staticSegments)
	}
	var missing, extra []string
	for s := range want {
		if !isStatic(s) {
			missing = append(missing, s)
		}
	}
	for _, s := range staticSegments {
		if !want[s] {
			extra = append(extra, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("staticSegments drifted from the specs: missing %v, not in the specs %v", missing, extra)
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	return rec.Body.String()
}

func TestTransportCountsByRouteAndStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "thr0ttled77") {
			w.WriteHeader(429)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	m := New()
	c := &http.Client{Transport: m.Transport(nil)}
	for _, p := range []string{"/api/v2/task/86abc", "/api/v2/task/86def", "/api/v2/list/thr0ttled77/task"} {
		resp, err := c.Get(srv.URL + p + "?name=secret-search")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, err := (&http.Client{Transport: m.Transport(nil)}).Get("http://127.0.0.1:1/api/v2/user"); err == nil {
		t.Fatal("want a dial error")
	}
	if got := m.requests.WithLabelValues("GET", "/v2/task/{id}", "200").value(); got != 2 {
		t.Errorf("task GETs = %v, want 2", got)
	}
	if got := m.rateLimited.WithLabelValues("/v2/list/{id}/task").value(); got != 1 {
		t.Errorf("429s = %v, want 1", got)
	}
	if got := m.requests.WithLabelValues("GET", "/v2/user", "network").value(); got != 1 {
		t.Errorf("network failures = %v, want 1", got)
	}
	out := scrape(t, m)
	for _, leak := range []string{"86abc", "86def", "thr0ttled77", "secret-search"} {
		if strings.Contains(out, leak) {
			t.Errorf("/metrics shows %q", leak)
		}
	}
	if !strings.Contains(out, `clickup_mcp_clickup_request_duration_seconds_count{method="GET",route="/v2/task/{id}"} 2`) {
		t.Errorf("no latency histogram for the task route:\n%s", out)
	}
}

func TestToolLabelsAreBounded(t *testing.T) {
	m := New()
	m.KnownTools([]string{"clickup_search_tasks"})
	done := m.ToolStarted("clickup_search_tasks")
	if got := m.toolsInFlight.value(); got != 1 {
		t.Errorf("in flight = %v", got)
	}
	done(OutcomeOK)
	done(OutcomeOK) // a second call is ignored
	m.ToolCall("made_up_by_a_client", OutcomeError, time.Millisecond)
	m.ToolCall("clickup_search_tasks", "weird", time.Millisecond)
	if got := m.toolCalls.WithLabelValues("clickup_search_tasks", "ok").value(); got != 1 {
		t.Errorf("ok calls = %v, want 1", got)
	}
	if got := m.toolCalls.WithLabelValues("other", "error").value(); got != 1 {
		t.Errorf("unknown tool counted as %v under other", got)
	}
	if got := m.toolCalls.WithLabelValues("clickup_search_tasks", "failed").value(); got != 1 {
		t.Errorf("unknown outcome is not failed: %v", got)
	}
	if got := m.toolsInFlight.value(); got != 0 {
		t.Errorf("in flight after = %v", got)
	}

	open := New() // no names registered: first come, up to maxToolNames
	for i := 0; i < maxToolNames+50; i++ {
		open.ToolCall("tool_"+strconv.Itoa(i), OutcomeOK, 0)
	}
	if n := len(open.toolCalls.f.series); n != maxToolNames+1 {
		t.Errorf("series = %d, want %d (the cap plus other)", n, maxToolNames+1)
	}
}

func TestOtherInstruments(t *testing.T) {
	m := New()
	m.RateWait("shared", 2*time.Second)
	m.RateWait("bogus", 0)
	m.Cache("hierarchy", true)
	m.Cache("hierarchy", false)
	m.Cache("hierarchy", true)
	m.SessionOpened("streamable")
	m.SessionOpened("streamable")
	m.SessionClosed("streamable")
	m.RedisUp(false)
	m.RedisError("acquire")
	m.Fallback("rate_window")
	m.ReplicasSeen(3)
	checks := map[string]float64{
		"waits shared":   m.rateWaits.WithLabelValues("shared").value(),
		"waits other":    m.rateWaits.WithLabelValues("other").value(),
		"cache hits":     m.cache.WithLabelValues("hierarchy", "hit").value(),
		"sessions open":  m.sessionsOpen.WithLabelValues("streamable").value(),
		"sessions total": m.sessionsTotal.WithLabelValues("streamable").value(),
		"redis up":       m.redisUp.value(),
		"replicas":       m.replicas.value(),
	}
	want := map[string]float64{"waits shared": 1, "waits other": 1, "cache hits": 2, "sessions open": 1, "sessions total": 2, "redis up": 0, "replicas": 3}
	for k, v := range want {
		if checks[k] != v {
			t.Errorf("%s = %v, want %v", k, checks[k], v)
		}
	}
	out := scrape(t, m)
	for _, name := range []string{"clickup_mcp_redis_errors_total", "clickup_mcp_shared_fallbacks_total", "go_goroutines", "clickup_mcp_rate_limit_wait_seconds_bucket"} {
		if !strings.Contains(out, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.ToolCall("x", OutcomeOK, 0)
	m.ToolStarted("x")(OutcomeOK)
	m.ClickUpRequest("GET", "/v2/user", 200, 0)
	m.RateWait("hold", 0)
	m.Cache("x", true)
	m.SessionOpened("sse")
	m.SessionClosed("sse")
	m.RedisUp(true)
	m.RedisError("x")
	m.Fallback("x")
	m.ReplicasSeen(1)
	m.KnownTools(nil)
	if m.Transport(nil) != http.DefaultTransport {
		t.Error("nil metrics wrap the transport")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("nil handler status %d", rec.Code)
	}
}
