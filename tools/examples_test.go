package tools

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// registry lists every tool of the registry (over a sandbox, unused).
func registry(t *testing.T) []toolkit.Tool {
	t.Helper()
	return All(workspace.NewDeps(workspace.Config{Token: clickuptest.DemoToken, Sandbox: true}))
}

// writes counts the write requests the fake has served.
func writes(f *clickuptest.Server) int {
	return f.Count("POST /v2/list/{list_id}/task") + f.Count("PUT /v2/task/{task_id}") +
		f.Count("DELETE /v2/task/{task_id}") + f.Count("POST /v2/task/{task_id}/comment") +
		f.Count("POST /v2/comment/{comment_id}/reply") +
		f.Count("POST /v2/task/{task_id}/tag/{tag_name}") +
		f.Count("POST /v2/task/{task_id}/field/{field_id}") + f.Count("DELETE /v2/task/{task_id}/field/{field_id}") +
		f.Count("POST /v2/task/{task_id}/dependency") + f.Count("DELETE /v2/task/{task_id}/dependency") +
		f.Count("POST /v2/task/{task_id}/link/{links_to}") + f.Count("DELETE /v2/task/{task_id}/link/{links_to}") +
		f.Count("POST /v2/list/{list_id}/task/{task_id}") + f.Count("DELETE /v2/list/{list_id}/task/{task_id}") +
		f.Count("PUT /v3/workspaces/{workspace_id}/tasks/{task_id}/home_list/{list_id}") +
		f.Count("POST /v2/task/{task_id}/checklist") + f.Count("PUT /v2/checklist/{checklist_id}") + f.Count("DELETE /v2/checklist/{checklist_id}") +
		f.Count("POST /v2/checklist/{checklist_id}/checklist_item") + f.Count("PUT /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}") +
		f.Count("DELETE /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}") +
		f.Count("POST /v2/task/{task_id}/attachment")
}

// TestExamples runs every example of every tool in the registry against
// the sandbox: a tool is tested by being defined. Each tool gets a fresh
// sandbox, so a write example cannot change what another reads.
func TestExamples(t *testing.T) {
	for _, tool := range registry(t) {
		t.Run(tool.Name(), func(t *testing.T) {
			if len(tool.Examples) == 0 {
				t.Fatal("no examples")
			}
			demo := clickuptest.NewDemo()
			d := workspace.NewDeps(workspace.Config{
				Token: clickuptest.DemoToken, BaseURL: "http://sandbox.invalid/api", HTTPClient: demo.Client(),
				Sandbox: true, Location: time.UTC,
			})
			s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
			if err != nil {
				t.Fatal(err)
			}
			c := testutil.Connect(t, s)
			for _, ex := range tool.Examples {
				var args map[string]any
				if err := json.Unmarshal([]byte(ex), &args); err != nil {
					t.Fatalf("example %s: %v", ex, err)
				}
				r := testutil.Call(t, c, tool.Name(), args)
				if r.IsError {
					t.Errorf("example %s failed: %s", ex, testutil.Text(r))
					continue
				}
				if r.StructuredContent == nil && len(r.RawStructuredContent) == 0 {
					t.Errorf("example %s: no structured content", ex)
				}
				if testutil.Text(r) == "" {
					t.Errorf("example %s: no text", ex)
				}
			}
		})
	}
}

// TestWriteScopeBeforeHandler checks that the framework, not the handler,
// refuses every write tool's examples outside the write scope, and that no
// write reaches ClickUp.
func TestWriteScopeBeforeHandler(t *testing.T) {
	for _, tool := range registry(t) {
		if tool.ReadOnly {
			continue
		}
		t.Run(tool.Name(), func(t *testing.T) {
			demo := clickuptest.NewDemo()
			d := workspace.NewDeps(workspace.Config{
				Token: clickuptest.DemoToken, BaseURL: "http://sandbox.invalid/api", HTTPClient: demo.Client(),
				Sandbox: true, Location: time.UTC, WriteScope: []string{"Marketing"},
			})
			s, _, err := NewServer(d, toolkit.ServerOptions{Name: "test", Version: "test", Selection: toolkit.Selection{Toolsets: []string{"all"}}})
			if err != nil {
				t.Fatal(err)
			}
			c := testutil.Connect(t, s)
			for _, ex := range tool.Examples {
				var args map[string]any
				if err := json.Unmarshal([]byte(ex), &args); err != nil {
					t.Fatal(err)
				}
				before := writes(demo)
				r := testutil.Call(t, c, tool.Name(), args)
				if !r.IsError {
					t.Errorf("example %s outside the write scope was not refused: %s", ex, testutil.Text(r))
				}
				if after := writes(demo); after != before {
					t.Errorf("example %s: %d writes reached ClickUp", ex, after-before)
				}
			}
		})
	}
}
