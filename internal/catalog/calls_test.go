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
	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
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
	connect    []testutil.Option // how the client connects (protocol, elicitation)
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
	r.c = testutil.Connect(t, s, rc.connect...)
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

// refusedUnsent calls a tool and requires an error whose text has want,
// with no request sent to ClickUp.
func (r *rig) refusedUnsent(t *testing.T, name string, args map[string]any, want string) {
	t.Helper()
	before := len(r.fake.Requests())
	text, _, isErr := r.call(t, name, args)
	if !isErr || !strings.Contains(text, want) {
		t.Errorf("%s %v: want an error with %q, got error=%v: %s", name, args, want, isErr, text)
	}
	// Reads may resolve names (a person's id from the members); nothing
	// else may go out.
	for _, q := range r.fake.Requests()[before:] {
		if q.Method != http.MethodGet || q.Route == "" || !strings.Contains(q.Route, "/member") && !strings.Contains(q.Route, "/team") {
			t.Errorf("%s %v: %s %s reached ClickUp for a refused call", name, args, q.Method, q.Path)
		}
	}
}

func opArgs(t *testing.T, id string, over map[string]any) map[string]any {
	t.Helper()
	c, _ := Load()
	e, err := c.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	a := exampleArgs(e, 7000)
	for k, v := range over {
		a[k] = v
	}
	return map[string]any{"operation": id, "args": a}
}

// TestPolicyOverMCP: the one policy holds end to end, for listing and for
// calling, and a refused call sends nothing.
func TestPolicyOverMCP(t *testing.T) {
	t.Run("read-only", func(t *testing.T) {
		r := newRig(t, rigConfig{opts: Options{ReadOnly: true, Areas: []string{"all"}}})
		if r.tool["clickup_call_write"] || len(r.tool) != 3 {
			t.Fatalf("read-only serves %v", r.tool)
		}
		_, sc, _ := r.call(t, "clickup_find_operations", map[string]any{"query": "create goal key result", "limit": 20})
		for _, o := range sc["operations"].([]any) {
			if k := o.(map[string]any)["kind"]; k != "read" {
				t.Errorf("read-only find lists %v", o)
			}
		}
		r.refusedUnsent(t, "clickup_call_read", opArgs(t, "goals.create", nil), "read-only")
		r.refusedUnsent(t, "clickup_describe_operation", map[string]any{"operation": "goals.delete"}, "read-only")
	})
	t.Run("sensitive areas", func(t *testing.T) {
		r := newRig(t, rigConfig{})
		r.refusedUnsent(t, "clickup_call_read", opArgs(t, "webhooks.list", nil), "--catalog-areas webhooks")
		r.refusedUnsent(t, "clickup_call_write", opArgs(t, "lists.delete", nil), "--catalog-areas hierarchy_delete")
		_, sc, _ := r.call(t, "clickup_find_operations", map[string]any{"query": "webhooks", "limit": 20})
		for _, o := range sc["operations"].([]any) {
			if strings.HasPrefix(o.(map[string]any)["id"].(string), "webhooks.") {
				t.Errorf("find lists %v with its area off", o)
			}
		}
		on := newRig(t, rigConfig{opts: Options{Areas: []string{"webhooks"}}})
		if text, _, isErr := on.call(t, "clickup_call_read", opArgs(t, "webhooks.list", nil)); isErr {
			t.Errorf("webhooks on: %s", text)
		}
	})
	t.Run("excluded", func(t *testing.T) {
		r := newRig(t, rigConfig{opts: Options{Exclude: []string{"goals.list", "CreateGoal"}}})
		r.refusedUnsent(t, "clickup_call_read", opArgs(t, "goals.list", nil), "--exclude-tools")
		r.refusedUnsent(t, "clickup_call_write", opArgs(t, "goals.create", nil), "--exclude-tools")
	})
	t.Run("the wrong tool", func(t *testing.T) {
		r := newRig(t, rigConfig{})
		r.refusedUnsent(t, "clickup_call_read", opArgs(t, "goals.create", nil), "call it with clickup_call_write")
		r.refusedUnsent(t, "clickup_call_write", opArgs(t, "goals.list", nil), "call it with clickup_call_read")
	})
	t.Run("write scope", func(t *testing.T) {
		r := newRig(t, rigConfig{writeScope: []string{clickuptest.DemoListBacklog}})
		in := opArgs(t, "lists.update", map[string]any{"list_id": clickuptest.DemoListBacklog})
		if text, _, isErr := r.call(t, "clickup_call_write", in); isErr {
			t.Errorf("a write inside the scope: %s", text)
		}
		r.refusedUnsent(t, "clickup_call_write", opArgs(t, "lists.update", map[string]any{"list_id": clickuptest.DemoListBugs}), "write scope")
		r.refusedUnsent(t, "clickup_call_write", opArgs(t, "goals.create", nil), "cannot contain")
		// Reads are not limited by the write scope.
		if text, _, isErr := r.call(t, "clickup_call_read", opArgs(t, "goals.list", nil)); isErr {
			t.Errorf("a read under a write scope: %s", text)
		}
	})
}

// TestBadInputSendsNothing: a malformed call is refused with the field and
// the shape it takes, and no request reaches ClickUp.
func TestBadInputSendsNothing(t *testing.T) {
	r := newRig(t, rigConfig{})
	for _, tc := range []struct {
		name string
		tool string
		args map[string]any
		want string
	}{
		{"unknown operation", "clickup_call_read", map[string]any{"operation": "goal.lists"}, "did you mean"},
		{"no operation", "clickup_call_read", map[string]any{"args": map[string]any{}}, "operation"},
		{"args not an object", "clickup_call_read", map[string]any{"operation": "goals.list", "args": "team_id=1"}, "args"},
		{"unknown argument of the tool", "clickup_call_read", map[string]any{"operation": "goals.list", "params": map[string]any{}}, "params"},
		{"missing path parameter", "clickup_call_read", map[string]any{"operation": "goals.get", "args": map[string]any{}}, "goal_id"},
		{"wrong body type", "clickup_call_write", opArgs(t, "goals.create", map[string]any{"body": map[string]any{"name": 5}}), "name"},
		{"body not an object", "clickup_call_write", opArgs(t, "goals.create", map[string]any{"body": "Ship v2"}), "body"},
		{"a date that is not one", "clickup_call_write", opArgs(t, "goals.create", map[string]any{"body": map[string]any{"name": "x", "due_date": "the day after never", "description": "", "multiple_owners": false, "owners": []any{}, "color": "#000000"}}), "due_date"},
		{"a person nobody is", "clickup_call_write", opArgs(t, "goals.create", map[string]any{"body": map[string]any{"name": "x", "due_date": "tomorrow", "description": "", "multiple_owners": false, "owners": []any{"nobody@nowhere.example"}, "color": "#000000"}}), "nobody@nowhere.example"},
		{"an upload without a file", "clickup_call_write", opArgs(t, "tasks.attachments.create", map[string]any{"body": map[string]any{"attachment": []any{}}}), "no file given"},
		{"an upload with bad base64", "clickup_call_write", opArgs(t, "tasks.attachments.create", map[string]any{"body": map[string]any{"attachment": []any{map[string]any{"name": "a.png", "base64": "%%%"}}}}), "base64"},
		{"an upload named with a path", "clickup_call_write", opArgs(t, "tasks.attachments.create", map[string]any{"body": map[string]any{"attachment": []any{map[string]any{"name": "../../etc/passwd", "text": "x"}}}}), "no slashes"},
		{"empty find", "clickup_find_operations", map[string]any{"query": "  "}, "query"},
		{"describe unknown", "clickup_describe_operation", map[string]any{"operation": "tasks.teleport"}, "unknown operation"},
	} {
		t.Run(tc.name, func(t *testing.T) { r.refusedUnsent(t, tc.tool, tc.args, tc.want) })
	}
	// A path parameter cannot climb out of its segment: "a/../b" stays one
	// escaped segment of the operation's own route.
	r.fake.ResetLog()
	_, _, _ = r.call(t, "clickup_call_read", map[string]any{"operation": "goals.get", "args": map[string]any{"goal_id": "../team/1/goal"}})
	for _, q := range r.fake.Requests() {
		if q.Route != "" && q.Route != "GET /v2/goal/{goal_id}" {
			t.Errorf("a path parameter reached another route: %s %s", q.Route, q.Path)
		}
	}
}

// TestFaults: ClickUp's faults through the catalogue keep the house rules:
// a read is retried, a POST that may have been applied is never re-sent and
// is reported as unknown, never as success, and the same call again within
// the landing window does not send it twice.
func TestFaults(t *testing.T) {
	t.Run("a read retried after a 503", func(t *testing.T) {
		r := newRig(t, rigConfig{})
		r.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/team/{team_id}/goal", Status: 503, Body: `{"err":"down","ECODE":"X"}`})
		text, _, isErr := r.call(t, "clickup_call_read", opArgs(t, "goals.list", nil))
		if isErr || r.fake.Count("GET /v2/team/{team_id}/goal") != 2 {
			t.Errorf("want a retried success, got %v after %d requests: %s", isErr, r.fake.Count("GET /v2/team/{team_id}/goal"), text)
		}
	})
	t.Run("a create whose answer was lost", func(t *testing.T) {
		r := newRig(t, rigConfig{})
		// A token ClickUp has accepted (only those hold write records).
		if text, _, isErr := r.call(t, "clickup_call_read", opArgs(t, "goals.list", nil)); isErr {
			t.Fatal(text)
		}
		r.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/team/{team_id}/goal", Status: 502, Applied: true, Body: "<html>bad gateway</html>"})
		args := opArgs(t, "goals.create", nil)
		text, _, isErr := r.call(t, "clickup_call_write", args)
		if !isErr || !strings.Contains(strings.ToLower(text), "unknown") {
			t.Errorf("want an unknown outcome, got error=%v: %s", isErr, text)
		}
		text, _, isErr = r.call(t, "clickup_call_write", args)
		if n := r.fake.Count("POST /v2/team/{team_id}/goal"); n != 1 {
			t.Errorf("the create was sent %d times (second answer error=%v: %s)", n, isErr, text)
		}
	})
	t.Run("a create sent twice at once is sent once", func(t *testing.T) {
		r := newRig(t, rigConfig{fakeOpts: []clickuptest.Option{clickuptest.WithLatency(50 * time.Millisecond)}})
		args := opArgs(t, "goals.create", nil)
		var wg sync.WaitGroup
		errs := make([]bool, 4)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); _, _, errs[i] = r.call(t, "clickup_call_write", args) }()
		}
		wg.Wait()
		if n := r.fake.Count("POST /v2/team/{team_id}/goal"); n != 1 {
			t.Errorf("4 identical creates at once sent %d requests", n)
		}
		for i, e := range errs {
			if e {
				t.Errorf("call %d failed", i)
			}
		}
	})
	t.Run("a 429 waits and succeeds", func(t *testing.T) {
		r := newRig(t, rigConfig{})
		r.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/team/{team_id}/goal", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`,
			Header: http.Header{"X-Ratelimit-Reset": {"0"}, "Retry-After": {"0"}}})
		text, _, isErr := r.call(t, "clickup_call_write", opArgs(t, "goals.create", nil))
		if isErr || r.fake.Count("POST /v2/team/{team_id}/goal") != 2 {
			t.Errorf("want one retry after the 429, got error=%v after %d: %s", isErr, r.fake.Count("POST /v2/team/{team_id}/goal"), text)
		}
	})
}

// TestResultBudget: a large answer is cut to fit --max-result-tokens with
// the way to the rest, and the whole result stays within the budget.
func TestResultBudget(t *testing.T) {
	const budget = 2500
	r := newRig(t, rigConfig{maxTokens: budget})
	text, sc, isErr := r.call(t, "clickup_call_read", map[string]any{"operation": "spaces.list", "args": map[string]any{"team_id": json.Number(clickuptest.DemoWorkspaceID)}})
	if isErr {
		t.Fatal(text)
	}
	b, _ := json.Marshal(sc)
	if n := toolkitEstimate(string(b)) + toolkitEstimate(text); n > budget {
		t.Errorf("the result is about %d tokens, over %d", n, budget)
	}
	if tr, _ := sc["truncated"].(string); !strings.Contains(tr, "cut to 1 of 3 items") {
		t.Errorf("want the three spaces cut to what fits, got %s", text)
	}
}

func toolkitEstimate(s string) int { return toolkit.EstimateTokens(s) }

// TestHouseForms: a custom task id goes to an operation that takes custom
// ids as ClickUp wants it (custom_task_ids with the workspace as a number),
// and dates in words and "me" are resolved before the schema check.
func TestHouseForms(t *testing.T) {
	r := newRig(t, rigConfig{})
	r.fake.ResetLog()
	text, _, isErr := r.call(t, "clickup_call_write", map[string]any{"operation": "tasks.attachments.create", "args": map[string]any{
		"task_id": "ACME-101", "body": map[string]any{"attachment": []any{map[string]any{"name": "notes.txt", "text": "release notes"}}}}})
	if isErr {
		t.Fatal(text)
	}
	var sent []string
	for _, q := range r.fake.Requests() {
		if q.Method == http.MethodPost {
			sent = append(sent, q.Path+"?"+q.RawQuery)
		}
	}
	if len(sent) != 1 || sent[0] != "/api/v2/task/ACME-101/attachment?custom_task_ids=true&team_id="+clickuptest.DemoWorkspaceID {
		t.Errorf("sent %v", sent)
	}
	text, _, isErr = r.call(t, "clickup_call_write", map[string]any{"operation": "goals.create", "args": map[string]any{"body": map[string]any{
		"name": "Ship v2", "due_date": "next friday", "description": "", "multiple_owners": false, "owners": []any{"me"}, "color": "#32a852"}}})
	if isErr || !strings.Contains(text, `"name":"Ship v2"`) {
		t.Errorf("goals.create with words: %s", text)
	}
}

// TestWriteScopeEveryWrite: under --write-scope, every write of the
// catalogue is refused before it is sent when its anchor is outside the
// scope (the example ids are), or is workspace-, view- or doc-level.
func TestWriteScopeEveryWrite(t *testing.T) {
	c, _ := Load()
	r := newRig(t, rigConfig{opts: Options{Areas: []string{"all"}}, writeScope: []string{clickuptest.DemoListBacklog}})
	n := 0
	for i, e := range c.Entries() {
		if e.Kind == "read" {
			continue
		}
		n++
		before := len(r.fake.Requests())
		text, _, isErr := r.call(t, "clickup_call_write", map[string]any{"operation": e.ID, "args": exampleArgs(e, 6000+i)})
		if !isErr {
			t.Errorf("%s (anchor %s): not refused under a write scope: %s", e.ID, e.Anchor, text)
		}
		for _, q := range r.fake.Requests()[before:] {
			if q.Method != http.MethodGet {
				t.Errorf("%s (anchor %s): %s %s sent under a write scope", e.ID, e.Anchor, q.Method, q.Path)
			}
		}
	}
	t.Logf("%d writes refused under --write-scope, none sent", n)
}

// TestResultBudgetByTokenizer: the catalogue's largest answers (a list's
// tasks with every option, each of the demo's big lists) stay within
// --max-result-tokens by the real o200k count of the whole result, text and
// structured content together, at the default budget and at a small one.
func TestResultBudgetByTokenizer(t *testing.T) {
	for _, budget := range []int{workspace.DefaultMaxResultTokens, 2500} {
		r := newRig(t, rigConfig{maxTokens: budget})
		largest := 0
		for _, l := range []string{clickuptest.DemoListBacklog, clickuptest.DemoListBugs, clickuptest.DemoListBlog} {
			text, sc, isErr := r.call(t, "clickup_call_read", map[string]any{"operation": "lists.tasks.list",
				"args": map[string]any{"list_id": l, "include_closed": true, "subtasks": true, "include_markdown_description": true}})
			if isErr {
				t.Fatal(text)
			}
			js, err := tokens.JSON(sc)
			if err != nil {
				t.Fatal(err)
			}
			n := tokens.Count(text) + js
			largest = max(largest, n)
			if n > budget {
				t.Errorf("budget %d: lists.tasks.list %s is %d tokens", budget, l, n)
			}
		}
		t.Logf("budget %d: largest catalogue answer %d tokens", budget, largest)
		if budget < workspace.DefaultMaxResultTokens && largest < budget/2 {
			t.Errorf("at a budget of %d the largest answer is %d tokens: nothing came near it, so nothing was proven", budget, largest)
		}
	}
}
