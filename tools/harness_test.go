package tools

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// world is a small, fully known ClickUp for handler tests.
type world struct {
	fake *clickuptest.Server
	// suffix makes this world's tokens unique in the process: rate budgets
	// are shared by token process-wide, as in production.
	suffix                 string
	ws, other              string
	space                  string
	sprint, bugs, backlog  string
	alex, blair, casey     int64
	login, logout, subtask string // task ids
	loginCustom            string
}

var testNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) // a Wednesday

func newWorld(t *testing.T, opts ...clickuptest.Option) *world {
	t.Helper()
	opts = append([]clickuptest.Option{clickuptest.WithClock(func() time.Time { return testNow })}, opts...)
	opts = append(opts, clickuptest.WithRateLimit(1_000_000, time.Minute))
	f := clickuptest.New(opts...)
	w := &world{fake: f, suffix: "_" + strings.ReplaceAll(t.Name(), "/", "_")}
	w.alex = f.AddUser(clickuptest.User{ID: 101, Username: "Alex Rivera", Email: "alex@example.com", Timezone: "America/New_York"}).ID
	w.blair = f.AddUser(clickuptest.User{ID: 102, Username: "Blair Chen", Email: "blair@example.com"}).ID
	w.casey = f.AddUser(clickuptest.User{ID: 103, Username: "Casey Blair", Email: "casey@example.com"}).ID
	w.ws = f.AddWorkspace(clickuptest.Workspace{ID: "9001", Name: "Acme", MemberIDs: []int64{101, 102, 103}, CustomTaskIDPrefix: "DEV"}).ID
	w.other = f.AddWorkspace(clickuptest.Workspace{ID: "9002", Name: "Secret", MemberIDs: []int64{102}}).ID
	f.AddToken("pk_alex"+w.suffix, 101, w.ws)
	f.AddToken("pk_blair"+w.suffix, 102, w.other)
	statuses := []clickuptest.Status{{Name: "to do", Type: "open"}, {Name: "in progress"}, {Name: "in review"}, {Name: "done", Type: "done"}, {Name: "closed", Type: "closed"}}
	w.space = f.AddSpace(w.ws, clickuptest.Space{ID: "700", Name: "Engineering", Statuses: statuses}).ID
	folder := f.AddFolder(w.space, clickuptest.Folder{ID: "800", Name: "Platform"}).ID
	w.sprint = f.AddList(folder, false, clickuptest.List{ID: "901", Name: "Sprint 12"}).ID
	w.backlog = f.AddList(folder, false, clickuptest.List{ID: "902", Name: "Backlog"}).ID
	w.bugs = f.AddList(w.space, true, clickuptest.List{ID: "903", Name: "Bugs"}).ID
	secretSpace := f.AddSpace(w.other, clickuptest.Space{ID: "710", Name: "Hidden", Statuses: statuses}).ID
	secretList := f.AddList(secretSpace, true, clickuptest.List{ID: "910", Name: "Secret list"}).ID
	f.AddTask(secretList, clickuptest.Task{ID: "secret1", Name: "Secret plan"})
	login := f.AddTask(w.sprint, clickuptest.Task{ID: "abc123", Name: "Fix login redirect", Status: "in progress", Priority: 2,
		Assignees: []int64{101}, Tags: []string{"bug"}, DueDate: testNow.Add(48 * time.Hour),
		MarkdownDescription: "## Steps\n- open `/login`\n- see **loop**\n"})
	w.login, w.loginCustom = login.ID, login.CustomID
	w.logout = f.AddTask(w.sprint, clickuptest.Task{ID: "abc124", Name: "Logout button misaligned", Assignees: []int64{102}}).ID
	w.subtask = f.AddTask(w.sprint, clickuptest.Task{ID: "abc125", Name: "Write login test", Parent: login.ID}).ID
	f.AddTask(w.bugs, clickuptest.Task{ID: "abc126", Name: "Old closed bug", Status: "closed"})
	for i := 0; i < 120; i++ {
		f.AddTask(w.backlog, clickuptest.Task{Name: "Backlog item " + string(rune('A'+i%26)), DateCreated: testNow.Add(-time.Duration(i) * time.Hour)})
	}
	return w
}

type harness struct {
	*world
	deps *workspace.Deps
	c    *client.Client
}

func newHarness(t *testing.T, token string, opts ...clickuptest.Option) *harness {
	t.Helper()
	w := newWorld(t, opts...)
	return w.connect(t, token, toolkit.Selection{Toolsets: []string{"all"}})
}

func (w *world) connect(t *testing.T, token string, sel toolkit.Selection) *harness {
	t.Helper()
	srv := httptest.NewServer(w.fake)
	t.Cleanup(srv.Close)
	d := workspace.NewDeps(workspace.Config{Token: token + w.suffix, BaseURL: srv.URL + "/api", Location: time.UTC, Now: func() time.Time { return testNow }, RatePerMinute: 100000,
		Retry: &clickup.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond}})
	s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: sel})
	if err != nil {
		t.Fatal(err)
	}
	c := testutil.Connect(t, s)
	return &harness{world: w, deps: d, c: c}
}

// call invokes a tool through the MCP protocol and returns the result's
// text, its structured content decoded into out (when out is non-nil and
// the call succeeded), and whether it was an error.
func (h *harness) call(t *testing.T, name string, args map[string]any, out any) (string, bool) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	r, err := h.c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	var texts []string
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			texts = append(texts, tc.Text)
		}
	}
	text := strings.Join(texts, "\n")
	if out != nil && !r.IsError {
		b, err := json.Marshal(r.StructuredContent)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", name, b, err)
		}
	}
	return text, r.IsError
}

// mustOK calls a tool that must succeed.
func (h *harness) mustOK(t *testing.T, name string, args map[string]any, out any) string {
	t.Helper()
	text, isErr := h.call(t, name, args, out)
	if isErr {
		t.Fatalf("%s %v: unexpected error: %s", name, args, text)
	}
	return text
}

// mustErr calls a tool that must fail with a message containing every want.
func (h *harness) mustErr(t *testing.T, name string, args map[string]any, want ...string) string {
	t.Helper()
	text, isErr := h.call(t, name, args, nil)
	if !isErr {
		t.Fatalf("%s %v: want an error, got: %s", name, args, text)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: error %q lacks %q", name, text, w)
		}
	}
	return text
}

func taskNamed(name string) clickuptest.Task { return clickuptest.Task{Name: name} }

func taskWithDescription(name, md string) clickuptest.Task {
	return clickuptest.Task{Name: name, MarkdownDescription: md}
}
