package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/rs/zerolog"
)

func get(t *testing.T, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOpsReplicasShareSessionsAndInvalidation serves two apps (replicas) on
// one Redis: a session opened on one works on the other and a DELETE on
// either ends it on both; a create on one drops the other's stale caches of
// that list; probes and metrics answer, and metrics show no id or token.
func TestOpsReplicasShareSessionsAndInvalidation(t *testing.T) {
	mr := miniredis.RunT(t)
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--redis-url", "redis://"+mr.Addr())
	b := testApp(t, w.url, nil, "--redis-url", "redis://"+mr.Addr())
	sa, sb := serve(t, a, time.Second), serve(t, b, time.Second)
	ctx := context.Background()

	for _, s := range []*serving{sa, sb} {
		if !waitFor(5*time.Second, func() bool { c, _ := get(t, s.base+"/readyz", nil); return c == 200 }) {
			t.Fatal("/readyz never 200")
		}
	}
	ca := newMCPConn(sa.base, w.token, nil)
	if err := ca.initialize(ctx); err != nil {
		t.Fatal(err)
	}
	cb := newMCPConn(sb.base, w.token, nil)
	cb.session = ca.session // the load balancer sent the next request elsewhere
	if r, err := cb.call(ctx, "clickup_get_task", map[string]any{"task_id": w.taskID}); err != nil || r.IsError {
		t.Fatalf("call on the other replica: %v %+v", err, r)
	}
	thief := newMCPConn(sb.base, "pk_999_SOMEONEELSE", nil)
	thief.session = ca.session
	if _, err := thief.call(ctx, "clickup_get_task", map[string]any{"task_id": w.taskID}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("another token with the session id: %v, want 404", err)
	}

	// A create on a drops b's cached knowledge of that list.
	bs, err := b.Deps.Session(workspace.WithRequestToken(ctx, w.token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bs.List(ctx, "5201"); err != nil {
		t.Fatal(err)
	}
	hits := len(w.fake.Requests())
	if _, err := bs.List(ctx, "5201"); err != nil || len(w.fake.Requests()) != hits {
		t.Fatalf("list not cached on b: %v", err)
	}
	if r, err := ca.call(ctx, "clickup_create_task", map[string]any{"list_id": "5201", "name": "Made on a"}); err != nil || r.IsError {
		t.Fatalf("create on a: %v %+v", err, r)
	}
	// The same create sent to the other replica is answered from the
	// write guard's shared record: one task.
	creates := w.fake.Count("POST /v2/list/{list_id}/task")
	if r, err := cb.call(ctx, "clickup_create_task", map[string]any{"list_id": "5201", "name": "Made on a"}); err != nil || r.IsError {
		t.Fatalf("same create on b: %v %+v", err, r)
	}
	if n := w.fake.Count("POST /v2/list/{list_id}/task"); n != creates {
		t.Errorf("the same create on two replicas made %d tasks, want 1", n-creates+1)
	}
	if !waitFor(5*time.Second, func() bool {
		before := len(w.fake.Requests())
		_, _ = bs.List(ctx, "5201")
		return len(w.fake.Requests()) > before
	}) {
		t.Error("b still serves its cached list after a's create")
	}

	// DELETE on b ends the session on a.
	cb.close()
	if _, err := ca.call(ctx, "clickup_get_task", map[string]any{"task_id": w.taskID}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("call on a after DELETE on b: %v, want 404", err)
	}

	// Both replicas report to Redis every 2s.
	waitFor(6*time.Second, func() bool {
		_, body := get(t, sa.base+"/metrics", nil)
		return strings.Contains(body, "clickup_mcp_replicas_seen 2")
	})
	code, body := get(t, sa.base+"/metrics", nil)
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	// b's cache served its second look-up of the list.
	if _, bbody := get(t, sb.base+"/metrics", nil); !strings.Contains(bbody, `clickup_mcp_cache_requests_total{cache="list",result="hit"}`) {
		t.Error("b's /metrics shows no list cache hit")
	}
	for _, want := range []string{
		`clickup_mcp_tool_calls_total{outcome="ok",tool="clickup_create_task"} 1`,
		`route="/v2/list/{id}/task"`,
		`clickup_mcp_redis_up 1`,
		`clickup_mcp_replicas_seen 2`,
		`clickup_mcp_cache_requests_total{cache="teams",result="miss"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Ids must not reach a series' name or labels; values (durations,
	// the runtime's byte counts) may hold any digits, so they are left out.
	var ours strings.Builder
	for _, l := range strings.Split(body, "\n") {
		if i := strings.LastIndexByte(l, ' '); i > 0 && !strings.HasPrefix(l, "#") {
			ours.WriteString(l[:i] + "\n")
		}
	}
	for _, leak := range []string{w.token, "SECRETTOKEN"} {
		if strings.Contains(body, leak) {
			t.Errorf("/metrics shows %q", leak)
		}
	}
	for _, leak := range []string{w.taskID, "5201"} {
		if strings.Contains(ours.String(), leak) {
			t.Errorf("/metrics shows %q", leak)
		}
	}
}

func TestOpsHostCheckProbesAndSSEWithoutAffinity(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--allowed-hosts", "mcp.example.com")
	s := serve(t, a, time.Second)
	if !waitFor(5*time.Second, func() bool {
		c, _ := get(t, s.base+"/readyz", map[string]string{"Host": "10.1.2.3:8080"})
		return c == 200
	}) {
		t.Fatal("/readyz by pod IP never 200")
	}
	if c, _ := get(t, s.base+"/healthz", map[string]string{"Host": "10.1.2.3:8080"}); c != 200 {
		t.Errorf("/healthz by pod IP: %d", c)
	}
	if c, body := get(t, s.base+"/mcp", map[string]string{"Host": "evil.example.com", "Authorization": "Bearer " + w.token}); c != 403 || !strings.Contains(body, "host not allowed") {
		t.Errorf("foreign Host: %d %q", c, body)
	}
	// (On loopback, mcp-go refuses any Host but localhost: ask another
	// app, with no Host list, as a local client would.)
	plain := serve(t, testApp(t, w.url, nil), time.Second)
	req, _ := http.NewRequest(http.MethodPost, plain.base+"/message?sessionId=abc123", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(body), "affinity on sessionId") {
		t.Errorf("SSE message for a session held elsewhere: %d %q", resp.StatusCode, body)
	}
	if c, body := get(t, s.base+"/metrics", map[string]string{"Host": "10.1.2.3:8080"}); c != 200 || !strings.Contains(body, "clickup_mcp_tool_calls_in_flight") {
		t.Errorf("/metrics on --addr without --metrics-addr: %d", c)
	}
}

func TestOpsBadSettingsFail(t *testing.T) {
	for _, args := range [][]string{{"--redis-url", "http://x"}, {"--metrics-addr", "nonsense"}} {
		t.Setenv("CLICKUP_API_TOKEN", "")
		var cfg Config
		fs := NewFlagSet("clickup-mcp", &cfg, io.Discard)
		if err := fs.Parse(append([]string{"--transport", "http", "--sandbox"}, args...)); err != nil {
			t.Fatal(err)
		}
		if _, err := New(cfg, zerolog.Nop()); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
