package prompts

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// testNow is a Wednesday afternoon; the demo world is seeded around it.
var testNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

type harness struct {
	fake  *clickuptest.Server
	deps  *workspace.Deps
	c     *client.Client
	srv   *server.MCPServer
	clock *atomic.Int64 // nanoseconds past testNow
}

// advance moves the server's clock (not the fake's) forward.
func (h *harness) advance(d time.Duration) { h.clock.Add(int64(d)) }

type setup struct {
	token    string // default clickuptest.DemoToken
	noToken  bool
	readOnly bool
	// own gives the test a demo of its own, to count requests in; changed
	// uses a shared demo with a second "Bugs" list (in Marketing) that tests
	// may add lists to; the others share the plain demo. Seeding a demo is
	// most of a test's time.
	own, changed bool
	// callTimeout is the server's request deadline (default 60s).
	callTimeout time.Duration
	// notified receives the client's notifications.
	notified func(mcp.JSONRPCNotification)
}

var (
	sharedOnce, changedOnce sync.Once
	sharedDemo, changedDemo *clickuptest.Server
)

// marketingBugs is the changed demo's second list named Bugs.
const marketingBugs = "901530000099"

func newDemo() *clickuptest.Server {
	return clickuptest.NewDemo(clickuptest.WithClock(func() time.Time { return testNow }), clickuptest.WithRateLimit(1_000_000, time.Minute))
}

// newHarness serves the demo workspace and connects an in-process MCP
// client to a server built as main.go builds it: tools, then the prompts'
// server options, then Register.
func newHarness(t *testing.T, o setup) *harness {
	t.Helper()
	var fake *clickuptest.Server
	switch {
	case o.own:
		fake = newDemo()
	case o.changed:
		changedOnce.Do(func() {
			changedDemo = newDemo()
			changedDemo.AddList(clickuptest.DemoSpaceMarketing, true, clickuptest.List{ID: marketingBugs, Name: "Bugs"})
		})
		fake = changedDemo
	default:
		sharedOnce.Do(func() { sharedDemo = newDemo() })
		fake = sharedDemo
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	token := o.token
	if token == "" && !o.noToken {
		token = clickuptest.DemoToken
	}
	clock := new(atomic.Int64)
	d := workspace.NewDeps(workspace.Config{
		Token: token, BaseURL: srv.URL + "/api", Location: time.UTC, Now: func() time.Time { return testNow.Add(time.Duration(clock.Load())) },
		RatePerMinute: 100000, Sandbox: true, CallTimeout: o.callTimeout,
		Retry: &clickup.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxWait: 10 * time.Millisecond},
	})
	sel := toolkit.Selection{Toolsets: []string{"all"}, ReadOnly: o.readOnly}
	s, _, err := tools.NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: sel, Extra: ServerOptions(d)})
	if err != nil {
		t.Fatal(err)
	}
	Register(s, d, toolkit.Icon)
	var opts []testutil.Option
	if o.notified != nil {
		opts = append(opts, testutil.BeforeInitialize(func(c *client.Client) { c.OnNotification(o.notified) }))
	}
	c, res := testutil.Open(t, s, opts...)
	if res.Capabilities.Prompts == nil || res.Capabilities.Resources == nil || res.Capabilities.Completions == nil {
		t.Fatalf("capabilities lack prompts, resources or completions: %+v", res.Capabilities)
	}
	return &harness{fake: fake, deps: d, c: c, srv: s, clock: clock}
}

// prompt gets a prompt and returns its messages as text (an embedded
// resource as its URI and text), or the protocol error.
func (h *harness) prompt(t *testing.T, name string, args map[string]string) (string, *mcp.GetPromptResult, error) {
	t.Helper()
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	r, err := h.c.GetPrompt(context.Background(), req)
	if err != nil {
		return "", nil, err
	}
	var parts []string
	for _, m := range r.Messages {
		if m.Role != mcp.RoleUser {
			t.Errorf("%s: message role %q", name, m.Role)
		}
		switch c := m.Content.(type) {
		case mcp.TextContent:
			parts = append(parts, c.Text)
		case mcp.EmbeddedResource:
			tr, ok := c.Resource.(mcp.TextResourceContents)
			if !ok {
				t.Fatalf("%s: embedded %T", name, c.Resource)
			}
			parts = append(parts, "[resource "+tr.URI+" "+tr.MIMEType+"]\n"+tr.Text)
		default:
			t.Fatalf("%s: content %T", name, m.Content)
		}
	}
	return strings.Join(parts, "\n\n---\n\n"), r, nil
}

func (h *harness) mustPrompt(t *testing.T, name string, args map[string]string) string {
	t.Helper()
	text, _, err := h.prompt(t, name, args)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return text
}

func (h *harness) read(t *testing.T, uri string) (string, error) {
	t.Helper()
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	r, err := h.c.ReadResource(context.Background(), req)
	if err != nil {
		return "", err
	}
	if len(r.Contents) != 1 {
		t.Fatalf("%s: %d contents", uri, len(r.Contents))
	}
	tc, ok := r.Contents[0].(mcp.TextResourceContents)
	if !ok || tc.MIMEType != "text/markdown" || tc.URI != uri {
		t.Fatalf("%s: contents %#v", uri, r.Contents[0])
	}
	return tc.Text, nil
}

func (h *harness) mustRead(t *testing.T, uri string) string {
	t.Helper()
	text, err := h.read(t, uri)
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	return text
}

// callTool runs a tool through the same server and returns its text and
// structured content.
func (h *harness) callTool(t *testing.T, name string, args map[string]any, out any) (string, bool) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	r, err := h.c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text string
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			text += tc.Text
		}
	}
	if out != nil && !r.IsError {
		b, _ := json.Marshal(r.StructuredContent)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
	return text, r.IsError
}

func (h *harness) complete(t *testing.T, ref any, arg, value string, ctxArgs map[string]string) mcp.Completion {
	t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = ref
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	req.Params.Context = mcp.CompleteContext{Arguments: ctxArgs}
	r, err := h.c.Complete(context.Background(), req)
	if err != nil {
		t.Fatalf("complete %s=%q: %v", arg, value, err)
	}
	return r.Completion
}

// snapshot compares got with testdata/name; UPDATE_SNAPSHOTS=1 rewrites it.
// Snapshots make a change to what the model is told a reviewed change.
func snapshot(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_SNAPSHOTS") == "1" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no snapshot %s (run UPDATE_SNAPSHOTS=1 go test ./prompts/): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed; review and run UPDATE_SNAPSHOTS=1 go test ./prompts/\n got:\n%s", path, got)
	}
}

func mustContain(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}
