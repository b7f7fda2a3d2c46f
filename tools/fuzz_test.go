package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/server"
)

// Fuzz targets. Plain `go test` runs each on its seeds (the f.Add calls and
// testdata/fuzz/<Target>/); `go test ./tools -run '^$' -fuzz '^FuzzX$'
// -fuzztime 60s` explores. docs/RELIABILITY.md records the runs.

// fzEnv is a small world, its fake and an MCP server over it.
type fzEnv struct {
	fake  *clickuptest.Server
	deps  *workspace.Deps
	mcp   *server.MCPServer
	names []string // every tool
	token string
	calls int
}

var fzSeq int

func newFzEnv() *fzEnv {
	fzSeq++
	f := clickuptest.New(clickuptest.WithClock(func() time.Time { return testNow }), clickuptest.WithRateLimit(1<<30, time.Minute))
	f.AddUser(clickuptest.User{ID: 101, Username: "Alex Rivera", Email: "alex@example.com"})
	f.AddUser(clickuptest.User{ID: 102, Username: "Blair Chen", Email: "blair@example.com"})
	f.AddUser(clickuptest.User{ID: 103, Username: "Casey Blair", Email: "casey@example.com"})
	ws := f.AddWorkspace(clickuptest.Workspace{ID: "9001", Name: "Acme", MemberIDs: []int64{101, 102, 103}, CustomTaskIDPrefix: "DEV"}).ID
	other := f.AddWorkspace(clickuptest.Workspace{ID: "9002", Name: "Secret", MemberIDs: []int64{102}}).ID
	token := fmt.Sprintf("pk_101_FUZZTOKEN%06d", fzSeq)
	f.AddToken(token, 101, ws)
	statuses := []clickuptest.Status{{Name: "to do", Type: "open"}, {Name: "in progress"}, {Name: "done", Type: "done"}, {Name: "closed", Type: "closed"}}
	space := f.AddSpace(ws, clickuptest.Space{ID: "700", Name: "Engineering", Statuses: statuses, Tags: []clickuptest.Tag{{Name: "bug"}, {Name: "a%2fb"}}}).ID
	folder := f.AddFolder(space, clickuptest.Folder{ID: "800", Name: "Platform"}).ID
	sprint := f.AddList(folder, false, clickuptest.List{ID: "901", Name: "Sprint 12"}).ID
	f.AddList(space, true, clickuptest.List{ID: "903", Name: "Bugs"})
	secret := f.AddList(f.AddSpace(other, clickuptest.Space{ID: "710", Name: "Hidden"}).ID, true, clickuptest.List{ID: "910", Name: "Secret list"}).ID
	f.AddTask(secret, clickuptest.Task{ID: "secret1", Name: "Secret plan"})
	login := f.AddTask(sprint, clickuptest.Task{ID: "abc123", Name: "Fix login redirect", Status: "in progress", Priority: 2, Assignees: []int64{101}, Tags: []string{"bug"}})
	f.AddTask(sprint, clickuptest.Task{ID: "abc124", Name: "Logout button", Assignees: []int64{102}})
	f.AddTask(sprint, clickuptest.Task{ID: "abc125", Name: "Write login test", Parent: login.ID})
	f.AddComment(login.ID, clickuptest.Comment{Text: "first"})

	d := workspace.NewDeps(workspace.Config{
		Token: token, BaseURL: "http://fake.invalid/api", HTTPClient: f.Client(),
		Location: time.UTC, TimezoneSet: true, Now: func() time.Time { return testNow }, RatePerMinute: 1 << 30,
		CallTimeout: 10 * time.Second,
		Retry:       &clickup.RetryPolicy{MaxRetries: 1, BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, MaxWait: time.Millisecond},
	})
	s, ts, err := NewServer(d, toolkit.ServerOptions{Name: "fuzz", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
	if err != nil {
		panic(err)
	}
	return &fzEnv{fake: f, deps: d, mcp: s, names: toolkit.Names(ts), token: token}
}

// fzResponse is a JSON-RPC answer to tools/call.
type fzResponse struct {
	Result *struct {
		IsError           bool `json:"isError"`
		Content           []struct{ Text string }
		StructuredContent json.RawMessage `json:"structuredContent"`
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// callRaw sends one tools/call with the raw arguments through the MCP
// server's JSON-RPC entry point and checks what came back and what reached
// the fake.
func (e *fzEnv) callRaw(t *testing.T, tool, args string) fzResponse {
	t.Helper()
	e.fake.ResetLog()
	msg := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":` + strconv.Quote(tool) + `,"arguments":` + args + `}}`
	resp := e.mcp.HandleMessage(context.Background(), json.RawMessage(msg))
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatalf("%s %s: the response does not marshal: %v", tool, args, err)
	}
	var r fzResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("%s %s: the response is not JSON-RPC: %v", tool, args, err)
	}
	if r.Error != nil {
		// mcp-go refuses a message it cannot decode (a number past float64,
		// say) before any tool runs; that is its answer to give. Any other
		// protocol error is a bug: WithRecovery turns a panic into one.
		if r.Error.Code == -32600 && strings.HasPrefix(r.Error.Message, "unparsable tools/call request") {
			return r
		}
		t.Fatalf("%s %s: protocol error %d: %s", tool, args, r.Error.Code, r.Error.Message)
	}
	if r.Result == nil || len(r.Result.Content) == 0 {
		t.Fatalf("%s %s: empty result: %s", tool, args, raw)
	}
	if !r.Result.IsError && len(r.Result.StructuredContent) == 0 {
		t.Fatalf("%s %s: a success without structured content: %s", tool, args, raw)
	}
	if strings.Contains(string(raw), e.token) {
		t.Fatalf("%s %s: the result shows the token", tool, args)
	}
	checkFakePaths(t, e.fake, e.token)
	if r.Result.IsError && strings.Contains(r.Result.Content[0].Text, "rate limit") {
		// The world allows any rate: a rate-limit answer means the calls
		// stopped reaching the tools' ClickUp client, and fuzzing with it.
		t.Fatalf("%s %s: rate limited in a world without limits: %s", tool, args, r.Result.Content[0].Text)
	}
	e.calls++
	return r
}

// checkFakePaths asserts that every request the fake saw went to a known
// route, with no dot segments, control characters or extra segments, and
// carried the expected token.
func checkFakePaths(t *testing.T, f *clickuptest.Server, token string) {
	t.Helper()
	for _, r := range f.Requests() {
		if r.Route == "" {
			t.Fatalf("request to an unknown route: %s %q", r.Method, r.Path)
		}
		if strings.ContainsAny(r.Path, "\x00\r\n\t\\") || !utf8.ValidString(r.Path) {
			t.Fatalf("malformed path reached ClickUp: %s %q", r.Method, r.Path)
		}
		// A dot segment would be resolved by a proxy or server into another
		// path ("..0", a legal tag name, is no dot segment).
		for _, seg := range strings.Split(r.Path, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("dot segment in a path that reached ClickUp: %s %q", r.Method, r.Path)
			}
		}
		_, pattern, _ := strings.Cut(r.Route, " ")
		if got, want := strings.Count(r.Path, "/"), strings.Count(pattern, "/")+1; got != want {
			t.Fatalf("path %q has %d segments, route %s wants %d", r.Path, got, r.Route, want)
		}
		if token != "" && r.Token != token {
			t.Fatalf("request %s %s carried another token", r.Method, r.Path)
		}
	}
}

// toolSeeds are argument objects for every tool: valid ones, and the
// hostile shapes the table test in badinput_test.go also covers.
var toolSeeds = []struct{ tool, args string }{
	{"clickup_whoami", `{}`},
	{"clickup_whoami", `null`},
	{"clickup_whoami", `[]`},
	{"clickup_get_workspace_hierarchy", `{"workspace_id":"9001"}`},
	{"clickup_get_workspace_hierarchy", `{"space_id":"../x"}`},
	{"clickup_get_workspace_hierarchy", `{"workspace_id":9001,"include_archived":true}`},
	{"clickup_list_members", `{"query":"blair"}`},
	{"clickup_list_members", `{"task_id":"DEV-1"}`},
	{"clickup_list_members", `{"list_id":"Sprint 12"}`},
	{"clickup_search_tasks", `{"query":"login","statuses":["in progress"],"assignees":["me"],"tags":["bug"],"due_before":"next friday"}`},
	{"clickup_search_tasks", `{"list_ids":["901"],"limit":5,"cursor":"eyJwIjoxLCJzIjoyfQ"}`},
	{"clickup_search_tasks", `{"custom_fields":[{"field_id":"x","operator":"RANGE","value":"[1,2]"}],"order_by":"due_date"}`},
	{"clickup_get_task", `{"task_id":"abc123","detail":"full"}`},
	{"clickup_get_task", `{"task_id":"https://app.clickup.com/t/9001/DEV-1"}`},
	{"clickup_get_task", `{"task_id":"abc%2F..%2Fteam"}`},
	{"clickup_get_task", `{"task_id":"\u0000\r\n"}`},
	{"clickup_create_task", `{"list_id":"901","name":"Fuzzed","description":"# hi","assignees":["blair@example.com"],"status":"to do","priority":"high","due_date":"tomorrow 5pm","tags":["a%2Fb"],"time_estimate":"1h30m"}`},
	{"clickup_create_task", `{"parent":"abc123","name":"Child","subtasks":[{"name":"one","priority":"low"}]}`},
	{"clickup_create_task", `{"list_id":"901","name":"x","custom_fields":[{"id":"f","value":"{\"a\":1}"}]}`},
	{"clickup_update_task", `{"task_id":"abc124","status":"DONE","add_tags":["tag with space"],"remove_tags":["bug"],"due_date":"none","points":3}`},
	{"clickup_update_task", `{"task_id":"abc124","add_tags":["../x"]}`},
	{"clickup_update_task", `{"task_id":"DEV-2","clear":["priority","description"],"add_assignees":["me"]}`},
	{"clickup_delete_task", `{"task_id":"abc125","dry_run":true}`},
	{"clickup_delete_task", `{"task_id":"../../team"}`},
	{"clickup_get_task_comments", `{"task_id":"abc123","cursor":"eyJkIjoxLCJpIjoiMiJ9"}`},
	{"clickup_create_task_comment", `{"task_id":"abc123","text":"hello","assignee":"me","notify_all":true}`},
}

// FuzzToolArguments sends arbitrary JSON arguments to every tool, end to
// end through the MCP server, and checks the invariants of callRaw.
func FuzzToolArguments(f *testing.F) {
	// Seeds (here and in testdata/fuzz) name tools by name, so a new tool
	// re-points none of them; a name the fuzzer mutates into no tool's
	// picks a tool from its length.
	for _, s := range toolSeeds {
		f.Add(s.tool, s.args)
	}
	var env *fzEnv
	f.Fuzz(func(t *testing.T, tool string, args string) {
		if !json.Valid([]byte(args)) {
			t.Skip() // the JSON-RPC layer refuses the whole message
		}
		if env == nil || env.calls > 2000 || env.fake.TaskCount() > 500 {
			env = newFzEnv()
		}
		name := tool
		if !slices.Contains(env.names, name) {
			name = env.names[len(tool)%len(env.names)]
		}
		env.callRaw(t, name, args)
	})
}

// FuzzResolveUsers: any reference is refused, or names exactly one member
// of the workspace (or is a positive numeric id), from the cached members:
// never a request per reference.
func FuzzResolveUsers(f *testing.F) {
	for _, s := range []string{"me", "ME", "alex@example.com", "Blair Chen", "blair", "casey", "101", "0", "-1", "+7", "99999999999999999999", "", " ", "\x00", "Alex%20Rivera", "*", "."} {
		f.Add(s)
	}
	env := newFzEnv()
	sess, err := env.deps.Session(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	if _, err := sess.ResolveUsers(context.Background(), "9001", "assignees", []string{"me"}); err != nil {
		f.Fatal(err)
	}
	members := map[int64]bool{101: true, 102: true, 103: true}
	f.Fuzz(func(t *testing.T, ref string) {
		env.fake.ResetLog()
		ids, err := sess.ResolveUsers(context.Background(), "9001", "assignees", []string{ref})
		if n := env.fake.Count(""); n != 0 {
			t.Fatalf("%q: %d requests with a warm cache", ref, n)
		}
		if err != nil {
			if ae := (*workspace.ArgError)(nil); !errors.As(err, &ae) {
				t.Fatalf("%q: not an argument error: %T %v", ref, err, err)
			}
			return
		}
		if len(ids) != 1 {
			t.Fatalf("%q: %d ids", ref, len(ids))
		}
		if _, numErr := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); numErr == nil {
			if ids[0] <= 0 {
				t.Fatalf("%q: user id %d", ref, ids[0])
			}
			return
		}
		if !members[ids[0]] {
			t.Fatalf("%q: resolved to %d, not a member", ref, ids[0])
		}
	})
}
