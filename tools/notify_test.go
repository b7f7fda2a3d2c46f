package tools

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// notes records the notifications a client receives.
type notes struct {
	mu  sync.Mutex
	got []mcp.JSONRPCNotification
}

func (n *notes) add(x mcp.JSONRPCNotification) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, x)
}

func (n *notes) of(method string) []map[string]any {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []map[string]any
	for _, x := range n.got {
		if x.Method == method {
			out = append(out, x.Params.AdditionalFields)
		}
	}
	return out
}

// connectNotified connects a client on protocol proto that records its
// notifications, to a server whose retries wait up to a second.
func (w *world) connectNotified(t *testing.T, proto string) (*client.Client, *notes) {
	t.Helper()
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	d := workspace.NewDeps(workspace.Config{Token: "pk_alex" + w.suffix, BaseURL: srv.URL + "/api", Location: time.UTC, Now: func() time.Time { return testNow }, RatePerMinute: 100000,
		Retry: &clickup.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: time.Second}})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
	if err != nil {
		t.Fatal(err)
	}
	n := &notes{}
	c := testutil.Connect(t, s, testutil.WithProtocol(proto), testutil.WithClientName("notified-test"),
		testutil.BeforeInitialize(func(c *client.Client) { c.OnNotification(n.add) }))
	return c, n
}

func callWith(t *testing.T, c *client.Client, name string, args map[string]any, token mcp.ProgressToken) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	if token != nil {
		req.Params.Meta = &mcp.Meta{ProgressToken: token}
	}
	r, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if r.IsError {
		t.Fatalf("%s: error result %+v", name, r.Content)
	}
	return r
}

// waitNotes waits (bounded) until at least n notifications of method arrived.
func waitNotes(n *notes, method string, want int) []map[string]any {
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := n.of(method)
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A request with a progress token gets notifications/progress, with the
// token and a rising count, for a multi-page search and for a rate-limit
// wait and retry; a request without one gets none.
func TestProgressDuringMultiRequestWork(t *testing.T) {
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t)
			c, n := w.connectNotified(t, proto)
			// No match in 120 backlog tasks: the search reads every page.
			args := map[string]any{"query": "no such words anywhere", "list_ids": []string{w.backlog}}
			callWith(t, c, "clickup_search_tasks", args, nil)
			if got := n.of("notifications/progress"); len(got) != 0 {
				t.Fatalf("progress without a token: %v", got)
			}
			callWith(t, c, "clickup_search_tasks", args, "search-1")
			got := waitNotes(n, "notifications/progress", 1)
			if len(got) == 0 {
				t.Fatal("a multi-page search with a progress token sent no progress")
			}
			last := 0.0
			for _, p := range got {
				if p["progressToken"] != "search-1" {
					t.Errorf("progress with token %v, want search-1", p["progressToken"])
				}
				v, _ := p["progress"].(float64)
				if v <= last {
					t.Errorf("progress %v after %v: must rise", v, last)
				}
				last = v
				if msg, _ := p["message"].(string); !strings.Contains(msg, "ClickUp answered GET /v2/") || strings.Contains(msg, w.backlog) {
					t.Errorf("progress message %q", msg)
				}
			}

			// A 429 asking for 20 ms: the call waits, retries and says so.
			w.fake.InjectFault(clickuptest.Fault{Method: http.MethodGet, Path: "/v2/task/{id}", Status: http.StatusTooManyRequests,
				Header: http.Header{"Retry-After": {"0.02"}}, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`})
			callWith(t, c, "clickup_get_task", map[string]any{"task_id": w.login}, 7)
			var waits, retries int
			for _, p := range waitNotes(n, "notifications/progress", len(got)+2) {
				if p["progressToken"] != float64(7) {
					continue
				}
				msg, _ := p["message"].(string)
				waits += b2i(strings.Contains(msg, "waiting") && strings.Contains(msg, "rate limit"))
				retries += b2i(strings.HasPrefix(msg, "retrying GET /v2/task/{id}"))
			}
			if waits == 0 || retries == 0 {
				t.Errorf("rate-limited call: %d wait and %d retry progress notifications, want both: %v", waits, retries, n.of("notifications/progress"))
			}
		})
	}
}

// Log notifications follow the level the client set: none at the default
// (error), the retry's warning at warning, and each request at debug.
func TestLogNotificationsAtClientLevel(t *testing.T) {
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t)
			c, n := w.connectNotified(t, proto)
			fault := clickuptest.Fault{Method: http.MethodGet, Path: "/v2/task/{id}", Status: http.StatusServiceUnavailable, Body: `{"err":"down"}`}
			w.fake.InjectFault(fault)
			callWith(t, c, "clickup_get_task", map[string]any{"task_id": w.login}, nil)
			if got := n.of("notifications/message"); len(got) != 0 {
				t.Fatalf("log notifications at the default level: %v", got)
			}
			setLevel := func(l mcp.LoggingLevel) {
				req := mcp.SetLevelRequest{}
				req.Params.Level = l
				// The capability is deprecated in 2026-07-28 but still declared for
				// 2025-11-25 clients, which set their level this way.
				if err := c.SetLevel(context.Background(), req); err != nil { //nolint:staticcheck // SA1019: tested on purpose for clients of the older revision
					t.Fatal(err)
				}
			}
			setLevel(mcp.LoggingLevelWarning)
			w.fake.InjectFault(fault)
			callWith(t, c, "clickup_get_task", map[string]any{"task_id": w.login}, nil)
			got := waitNotes(n, "notifications/message", 1)
			if len(got) != 1 || fmt.Sprint(got[0]["level"]) != "warning" || !strings.Contains(fmt.Sprint(got[0]["data"]), "retrying GET /v2/task/{id}") {
				t.Fatalf("at warning: %v, want one retry warning", got)
			}
			setLevel(mcp.LoggingLevelDebug)
			callWith(t, c, "clickup_get_task", map[string]any{"task_id": w.login}, nil)
			got = waitNotes(n, "notifications/message", 2)
			if len(got) < 2 || fmt.Sprint(got[len(got)-1]["level"]) != "debug" {
				t.Errorf("at debug: %v, want the request answered at debug", got)
			}
			for _, g := range got {
				if strings.Contains(fmt.Sprint(g["data"]), "pk_") {
					t.Errorf("a log notification carries a token: %v", g)
				}
			}
		})
	}
}

// A cache loaded from ClickUp during a call (the workspaces and members,
// the hierarchy, a list's statuses) is logged at info, saying why; a warm
// call logs none, and a client at warning hears none.
func TestLogNotificationsOnCacheRefresh(t *testing.T) {
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, "2025-11-25"} {
		t.Run(proto, func(t *testing.T) {
			w := newWorld(t)
			c, n := w.connectNotified(t, proto)
			setLevel := func(l mcp.LoggingLevel) {
				req := mcp.SetLevelRequest{}
				req.Params.Level = l
				if err := c.SetLevel(context.Background(), req); err != nil { //nolint:staticcheck // SA1019: the level clients of 2025-11-25 set
					t.Fatal(err)
				}
			}
			// refreshes waits (bounded) for want refresh notes, then
			// lists them all.
			refreshes := func(want int, wait time.Duration) []string {
				var out []string
				for deadline := time.Now().Add(wait); ; time.Sleep(10 * time.Millisecond) {
					out = out[:0]
					for _, g := range n.of("notifications/message") {
						if msg := fmt.Sprint(g["data"]); strings.HasPrefix(msg, "cache refresh: ") {
							out = append(out, msg)
						}
					}
					if len(out) >= want || time.Now().After(deadline) {
						break
					}
				}
				out = out[:0]
				for _, g := range n.of("notifications/message") {
					if msg := fmt.Sprint(g["data"]); strings.HasPrefix(msg, "cache refresh: ") {
						if fmt.Sprint(g["level"]) != "info" {
							t.Errorf("a refresh at %v: %s", g["level"], msg)
						}
						out = append(out, msg)
					}
				}
				return out
			}
			setLevel(mcp.LoggingLevelWarning)
			callWith(t, c, "clickup_get_workspace_hierarchy", nil, nil)
			if got := refreshes(1, 200*time.Millisecond); len(got) != 0 {
				t.Fatalf("refreshes at warning: %v", got)
			}
			setLevel(mcp.LoggingLevelInfo)
			callWith(t, c, "clickup_get_workspace_hierarchy", map[string]any{"refresh": true}, nil)
			got := refreshes(1, 2*time.Second)
			if len(got) != 1 || !strings.Contains(got[0], "cache refresh: the workspace hierarchy, read from ClickUp (fresh copy asked for)") || !strings.Contains(got[0], " spaces, ") {
				t.Fatalf("a refreshed hierarchy logged %v", got)
			}
			callWith(t, c, "clickup_get_workspace_hierarchy", nil, nil)
			if again := refreshes(2, 200*time.Millisecond); len(again) != 1 {
				t.Errorf("a warm call logged refreshes: %v", again[1:])
			}
			// A status change reads the list's statuses, not cached yet.
			callWith(t, c, "clickup_update_task", map[string]any{"task_id": w.login, "status": "in review"}, nil)
			got = refreshes(2, 2*time.Second)
			if !slices.ContainsFunc(got, func(m string) bool {
				return strings.Contains(m, "the list and its statuses, read from ClickUp (not cached yet)")
			}) {
				t.Errorf("a status change logged %v", got)
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
