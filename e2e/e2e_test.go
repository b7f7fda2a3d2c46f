package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var sandboxArgs = []string{"--sandbox", "--log-level", "warn"}

// coreTools must be offered by default; others may come and go.
var coreTools = []string{
	"clickup_whoami", "clickup_get_workspace_hierarchy", "clickup_list_members",
	"clickup_search_tasks", "clickup_get_task", "clickup_get_task_comments",
	"clickup_create_task", "clickup_update_task", "clickup_delete_task", "clickup_create_task_comment",
}

// TestClients runs both SDKs' clients over all three transports against the
// sandbox: list tools, check their schemas, call read and write tools and
// check each result against the tool's output schema.
func TestClients(t *testing.T) {
	t.Parallel()
	base := startHTTP(t, cleanEnv(), sandboxArgs...)
	for _, ck := range []clientKind{goSDK, mcpGo} {
		for _, tk := range []transportKind{stdio, sse, streamable} {
			t.Run(string(ck)+"/"+string(tk), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				s := connect(t, ctx, ck, tk, target{stdioArgs: sandboxArgs, base: base})
				exercise(t, ctx, s, fmt.Sprintf("e2e %s %s %d", ck, tk, time.Now().UnixNano()))
			})
		}
	}
}

func exercise(t *testing.T, ctx context.Context, s session, taskName string) {
	tools, err := s.listTools(ctx)
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	schemas := checkTools(t, tools)

	who := callOK(t, ctx, s, schemas, "clickup_whoami", map[string]any{})
	var me whoami
	mustDecode(t, who.Structured, &me)
	if me.User.Username != "Alex Rivera" || len(me.Workspaces) != 1 || me.Workspaces[0].ID != clickuptest.DemoWorkspaceID {
		t.Errorf("whoami: %+v, want Alex Rivera in Acme Product only", me)
	}

	h := callOK(t, ctx, s, schemas, "clickup_get_workspace_hierarchy", map[string]any{})
	if !strings.Contains(string(h.Structured)+h.Text, clickuptest.DemoListSprint12) {
		t.Errorf("hierarchy does not show Sprint 12 (%s): %s", clickuptest.DemoListSprint12, h.Text)
	}

	created := callOK(t, ctx, s, schemas, "clickup_create_task", map[string]any{
		"list_id": clickuptest.DemoListSprint12, "name": taskName,
	})
	var c struct {
		Task struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			ListID string `json:"list_id"`
		} `json:"task"`
	}
	mustDecode(t, created.Structured, &c)
	if c.Task.ID == "" || c.Task.Name != taskName {
		t.Fatalf("create_task: %s", created.Structured)
	}
	if c.Task.ListID != "" && c.Task.ListID != clickuptest.DemoListSprint12 {
		t.Errorf("create_task: created in list %s, want %s", c.Task.ListID, clickuptest.DemoListSprint12)
	}

	got := callOK(t, ctx, s, schemas, "clickup_get_task", map[string]any{"task_id": c.Task.ID})
	var task struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	mustDecode(t, got.Structured, &task)
	if task.ID != c.Task.ID || task.Name != taskName {
		t.Errorf("get_task %s: got %s %q, want %q", c.Task.ID, task.ID, task.Name, taskName)
	}

	found := callOK(t, ctx, s, schemas, "clickup_search_tasks", map[string]any{
		"query": taskName, "list_ids": []string{clickuptest.DemoListSprint12},
	})
	if !strings.Contains(string(found.Structured), c.Task.ID) {
		t.Errorf("search_tasks %q does not find the new task %s: %s", taskName, c.Task.ID, found.Structured)
	}
}

type whoami struct {
	User struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	} `json:"user"`
	Workspaces []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"workspaces"`
	DefaultWorkspaceID string `json:"default_workspace_id"`
	Sandbox            bool   `json:"sandbox"`
}

// checkTools checks that the core tools are offered and that every input and
// output schema compiles as JSON Schema 2020-12 (what MCP clients assume
// without $schema) with an object root and no bare boolean property schema.
// It returns the compiled output schemas by tool name.
func checkTools(t *testing.T, tools []toolDef) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	have := map[string]bool{}
	for _, tool := range tools {
		have[tool.Name] = true
		compileSchema(t, tool.Name+".input", tool.InputSchema)
		if len(tool.OutputSchema) > 0 && string(tool.OutputSchema) != "null" {
			out[tool.Name] = compileSchema(t, tool.Name+".output", tool.OutputSchema)
		}
	}
	for _, name := range coreTools {
		if !have[name] {
			t.Errorf("tools/list lacks %s", name)
		}
		if _, ok := out[name]; !ok && have[name] {
			t.Errorf("%s has no output schema", name)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return out
}

func compileSchema(t *testing.T, name string, raw json.RawMessage) *jsonschema.Schema {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatalf("%s: not a JSON object: %v: %s", name, err, raw)
	}
	if root["type"] != "object" {
		t.Errorf("%s: root type is %v, want object", name, root["type"])
	}
	for _, p := range boolSubschemas(root, "") {
		t.Errorf("%s: bare boolean schema at %s (breaks TypeScript-SDK clients)", name, p)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem:///" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s does not compile as JSON Schema 2020-12: %v", name, err)
	}
	return sch
}

// boolSubschemas finds property and item schemas that are bare true/false.
// (additionalProperties: false is fine and common.)
func boolSubschemas(s map[string]any, path string) []string {
	var out []string
	if props, ok := s["properties"].(map[string]any); ok {
		for k, v := range props {
			switch v := v.(type) {
			case bool:
				out = append(out, path+"/properties/"+k)
			case map[string]any:
				out = append(out, boolSubschemas(v, path+"/properties/"+k)...)
			}
		}
	}
	switch v := s["items"].(type) {
	case bool:
		out = append(out, path+"/items")
	case map[string]any:
		out = append(out, boolSubschemas(v, path+"/items")...)
	}
	return out
}

// callOK calls a tool, requires a non-error result with text and structured
// content, and validates the structured content against the output schema.
func callOK(t *testing.T, ctx context.Context, s session, schemas map[string]*jsonschema.Schema, name string, args map[string]any) callResult {
	t.Helper()
	r, err := s.call(ctx, name, args)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if r.IsError {
		t.Fatalf("%s: isError result: %s", name, r.Text)
	}
	if r.Text == "" {
		t.Errorf("%s: no text content", name)
	}
	if len(r.Structured) == 0 {
		t.Fatalf("%s: no structured content (text: %.200s)", name, r.Text)
	}
	if sch := schemas[name]; sch != nil {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Structured))
		if err != nil {
			t.Fatalf("%s: structured content: %v", name, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: structured content does not match the output schema: %v\n%s", name, err, r.Structured)
		}
	}
	return r
}

func mustDecode(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}

// person is one demo token and what it must and must not see.
type person struct {
	name, token, username, workspace string
	foreign                          []string // ids and names of the other workspace
}

var (
	alex = person{
		name: "alex", token: clickuptest.DemoToken, username: "Alex Rivera", workspace: clickuptest.DemoWorkspaceID,
		foreign: []string{clickuptest.DemoOtherWorkspaceID, "Globex R&D", "901510000091", "901530000091",
			"Nora Klein", "Prototype the quantum scheduler", "Benchmark vendor APIs"},
	}
	nora = person{
		name: "nora", token: clickuptest.DemoToken2, username: "Nora Klein", workspace: clickuptest.DemoOtherWorkspaceID,
		foreign: []string{clickuptest.DemoWorkspaceID, "Acme Product", clickuptest.DemoSpaceEngineering,
			clickuptest.DemoListSprint12, clickuptest.DemoListBacklog, clickuptest.DemoListBugs, "Alex Rivera"},
	}
)

// TestTokensSeeOnlyTheirWorkspace runs clients for two tokens at once against
// one HTTP server: each must see only its own workspace, on both transports
// and with both SDKs, however the requests interleave.
func TestTokensSeeOnlyTheirWorkspace(t *testing.T) {
	t.Parallel()
	base := startHTTP(t, cleanEnv(), sandboxArgs...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	type run struct {
		p    person
		desc string
		s    session
	}
	var runs []run
	for _, p := range []person{alex, nora} {
		tg := target{base: base, headers: map[string]string{"Authorization": "Bearer " + p.token}}
		for _, c := range []struct {
			ck clientKind
			tk transportKind
		}{{goSDK, streamable}, {mcpGo, streamable}, {goSDK, sse}, {mcpGo, sse}} {
			runs = append(runs, run{p, fmt.Sprintf("%s via %s %s", p.name, c.ck, c.tk), connect(t, ctx, c.ck, c.tk, tg)})
		}
	}
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if err := checkIsolation(ctx, r.s, r.p); err != nil {
					t.Errorf("%s: %v", r.desc, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func checkIsolation(ctx context.Context, s session, p person) error {
	who, err := s.call(ctx, "clickup_whoami", map[string]any{})
	if err != nil {
		return fmt.Errorf("whoami: %w", err)
	}
	if who.IsError {
		return fmt.Errorf("whoami: %s", who.Text)
	}
	var me whoami
	if err := json.Unmarshal(who.Structured, &me); err != nil {
		return fmt.Errorf("whoami: %w", err)
	}
	if me.User.Username != p.username || len(me.Workspaces) != 1 || me.Workspaces[0].ID != p.workspace {
		return fmt.Errorf("whoami: %s, want %s in workspace %s only", who.Structured, p.username, p.workspace)
	}
	found, err := s.call(ctx, "clickup_search_tasks", map[string]any{"limit": 100, "include_closed": true})
	if err != nil {
		return fmt.Errorf("search_tasks: %w", err)
	}
	if found.IsError {
		return fmt.Errorf("search_tasks: %s", found.Text)
	}
	var res struct {
		Tasks []struct {
			ID string `json:"id"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(found.Structured, &res); err != nil {
		return fmt.Errorf("search_tasks: %w: %.300s", err, found.Structured)
	}
	if len(res.Tasks) == 0 {
		return fmt.Errorf("search_tasks: no tasks: %.300s", found.Structured)
	}
	for _, r := range []callResult{who, found} {
		all := r.Text + string(r.Structured)
		for _, f := range p.foreign {
			if strings.Contains(all, f) {
				return fmt.Errorf("sees %q from the other workspace: %.300s", f, all)
			}
		}
	}
	return nil
}

// TestNoTokenIsUnauthorized starts the server as for real ClickUp (the fake
// behind CLICKUP_API_URL) with no token of its own: a request without a token
// gets 401 and a WWW-Authenticate challenge, and one with a token works.
func TestNoTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	fake := httptest.NewServer(clickuptest.NewDemo())
	t.Cleanup(fake.Close)
	base := startHTTP(t, cleanEnv("CLICKUP_API_URL="+fake.URL+"/api"))

	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}}`
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/mcp", initialize},
		{"GET", "/mcp", ""},
		{"GET", "/sse", ""},
		{"POST", "/message?sessionId=unknown", initialize},
	} {
		req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", c.method, c.path, resp.StatusCode)
		}
		if h := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
			t.Errorf("%s %s without a token: WWW-Authenticate %q, want a Bearer challenge", c.method, c.path, h)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range []person{alex, nora} {
		s := connect(t, ctx, goSDK, streamable, target{base: base, headers: map[string]string{"Authorization": "Bearer " + p.token}})
		if err := checkIsolation(ctx, s, p); err != nil {
			t.Errorf("%s with a token: %v", p.name, err)
		}
	}
}
