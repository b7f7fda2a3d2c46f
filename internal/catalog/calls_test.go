package catalog

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/contract"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// rig is the four catalogue tools served over MCP in process, in front of
// the demo fake behind the validating contract transport: every request the
// tools send is checked against ClickUp's specs, and so is every answer.
type rig struct {
	fake *clickuptest.Server
	c    *client.Client
	mu   sync.Mutex
	viol []string
	tool map[string]bool
}

type rigConfig struct {
	opts       Options
	writeScope []string
	maxTokens  int
	fakeOpts   []clickuptest.Option
}

func newRig(t *testing.T, rc rigConfig) *rig {
	t.Helper()
	ct, err := contract.NewUncached(clickuptest.SpecDocuments()...)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{fake: clickuptest.NewDemo(append([]clickuptest.Option{clickuptest.WithRateLimit(0, time.Minute)}, rc.fakeOpts...)...), tool: map[string]bool{}}
	srv := httptest.NewServer(r.fake)
	t.Cleanup(srv.Close)
	tr := ct.Transport(http.DefaultTransport, func(err error) { r.mu.Lock(); r.viol = append(r.viol, err.Error()); r.mu.Unlock() })
	d := workspace.NewDeps(workspace.Config{
		Token: clickuptest.DemoToken, BaseURL: srv.URL + "/api", HTTPClient: &http.Client{Transport: tr, Timeout: 10 * time.Second},
		RatePerMinute: 1_000_000, Location: time.UTC, WriteScope: rc.writeScope, MaxResultTokens: rc.maxTokens,
		Retry:        &clickup.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond},
		WriteLanding: time.Second,
	})
	ts, err := Tools(d, rc.opts)
	if err != nil {
		t.Fatal(err)
	}
	s := server.NewMCPServer("catalog-test", "test", server.WithToolCapabilities(false))
	for _, tl := range ts {
		s.AddTools(tl.ServerTool)
		r.tool[tl.Name()] = true
	}
	r.c = testutil.Connect(t, s)
	return r
}

// call returns the result's text, its structured content and whether it
// was an error.
func (r *rig) call(t *testing.T, name string, args map[string]any) (string, map[string]any, bool) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := r.c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	var sc map[string]any
	if res.StructuredContent != nil {
		b, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(b, &sc)
	}
	return testutil.Text(res), sc, res.IsError
}

func (r *rig) violations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.viol
	r.viol = nil
	return v
}

func toolFor(e *Entry) string {
	if e.Kind == "read" {
		return "clickup_call_read"
	}
	return "clickup_call_write"
}

// TestCallEveryOperation calls every operation through its catalogue tool
// over MCP with example arguments made from its own schemas: each request
// passes the contract (the path, query and body ClickUp's spec defines),
// reaches the fake, and the answer comes back compacted; the operations the
// fake serves by its spec-driven fallback must succeed.
func TestCallEveryOperation(t *testing.T) {
	c, _ := Load()
	r := newRig(t, rigConfig{opts: Options{Areas: []string{"all"}}})
	fallback, err := clickuptest.FallbackOperations()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, id := range fallback {
		served[id] = true
	}
	ok, reached := 0, 0
	for i, e := range c.Entries() {
		t.Run(e.ID, func(t *testing.T) {
			args := exampleArgs(e, 9000+i)
			before := r.fake.Count("")
			text, sc, isErr := r.call(t, toolFor(e), map[string]any{"operation": e.ID, "args": args})
			for _, v := range r.violations() {
				t.Error(v)
			}
			if r.fake.Count("") == before {
				t.Fatalf("no request reached the fake: %s", text)
			}
			reached++
			if !served[e.Aliases[0]] {
				return // a hand-written handler: demo data, ids of its own
			}
			if isErr {
				t.Fatalf("error: %s", text)
			}
			if sc["operation"] != e.ID || !strings.HasPrefix(text, e.ID+": ") {
				t.Errorf("result %v / %q", sc, text)
			}
			ok++
		})
	}
	t.Logf("%d operations: %d reached the fake through the catalogue tools, %d answered by the fallback succeeded", len(c.Entries()), reached, ok)
}
