package tools

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

func TestWriteScope(t *testing.T) {
	for _, scope := range [][]string{{"901"}, {"Sprint 12"}, {"Platform/Sprint 12"}} {
		w := newWorld(t)
		h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
		h.deps.Tune(func(c *workspace.Config) { c.WriteScope = scope })
		h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "inside"}, nil)
		writes := func() int {
			return w.fake.Count("POST /v2/list/{list_id}/task") + w.fake.Count("PUT /v2/task/{task_id}") +
				w.fake.Count("DELETE /v2/task/{task_id}") + w.fake.Count("POST /v2/task/{task_id}/comment") +
				w.fake.Count("POST /v2/task/{task_id}/tag/{tag_name}")
		}
		before := writes()
		h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "outside"}, "Refused", "write scope", "Engineering/Bugs")
		other := w.fake.AddTask(w.bugs, taskNamed("bug in bugs")).ID
		h.mustErr(t, "clickup_update_task", map[string]any{"task_id": other, "status": "done"}, "Refused")
		h.mustErr(t, "clickup_update_task", map[string]any{"task_id": other, "add_tags": []string{"x"}}, "Refused")
		h.mustErr(t, "clickup_delete_task", map[string]any{"task_id": other}, "Refused")
		h.mustErr(t, "clickup_create_task_comment", map[string]any{"task_id": other, "text": "hi"}, "Refused")
		if n := writes() - before; n != 0 {
			t.Fatalf("scope %v: %d writes reached ClickUp outside the scope", scope, n)
		}
		// Reads are unaffected; writes inside still work.
		h.mustOK(t, "clickup_get_task", map[string]any{"task_id": other}, nil)
		h.mustOK(t, "clickup_update_task", map[string]any{"task_id": w.login, "status": "done"}, nil)
		h.mustOK(t, "clickup_create_task_comment", map[string]any{"task_id": w.login, "text": "ok"}, nil)
	}
}

func TestSearchBudgetAndDetail(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = 1200 })
	var r SearchResult
	h.mustOK(t, "clickup_search_tasks", map[string]any{"list_ids": []string{"Backlog"}, "limit": 100}, &r)
	if !r.Truncated || r.NextCursor == "" || len(r.Tasks) == 0 || len(r.Tasks) >= 100 || !strings.Contains(r.Note, "budget") {
		t.Fatalf("budget: truncated %v, %d tasks, note %q", r.Truncated, len(r.Tasks), r.Note)
	}
	seen := len(r.Tasks)
	for r.NextCursor != "" {
		var next SearchResult
		h.mustOK(t, "clickup_search_tasks", map[string]any{"list_ids": []string{"Backlog"}, "limit": 100, "cursor": r.NextCursor}, &next)
		seen += len(next.Tasks)
		r = next
	}
	if seen != 120 {
		t.Fatalf("paging through budget cuts saw %d tasks, want 120", seen)
	}
	h.deps.Tune(func(c *workspace.Config) { c.MaxResultTokens = workspace.DefaultMaxResultTokens })
	h.mustOK(t, "clickup_search_tasks", map[string]any{"query": "login", "detail": "full"}, &r)
	if len(r.Tasks) != 1 || r.Tasks[0].URL == "" || r.Tasks[0].Created == "" || !strings.Contains(r.Tasks[0].Excerpt, "Steps") {
		t.Fatalf("detail full: %+v", r.Tasks)
	}
	h.mustErr(t, "clickup_search_tasks", map[string]any{"detail": "everything"}, "detail")
}

func TestLongDescriptionIsCut(t *testing.T) {
	w := newWorld(t)
	long := strings.Repeat("é lorem ipsum ", 10000)
	id := w.fake.AddTask(w.sprint, taskWithDescription("long", long)).ID
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	var r render.TaskDetail
	h.mustOK(t, "clickup_get_task", map[string]any{"task_id": id}, &r)
	if len(r.Description) > 45_000 || !strings.Contains(r.Description, "more characters") || !strings.Contains(r.Description, r.URL) {
		t.Fatalf("description of %d bytes returned as %d bytes", len(long), len(r.Description))
	}
}

func TestUserTimezone(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	// No zone configured: once the user is known, dates are in their zone.
	h.mustOK(t, "clickup_whoami", nil, nil)
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "tz", "due_date": "2026-12-01 09:00"}, &r)
	got, _ := w.fake.Task(r.Task.ID)
	ny, _ := time.LoadLocation("America/New_York")
	if !got.DueDate.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, ny)) || r.Task.Due != "2026-12-01T09:00:00-05:00" {
		t.Fatalf("due stored %v, shown %q", got.DueDate, r.Task.Due)
	}
}

// A --write-scope entry that matches nothing is an error listing the valid
// names, at the first write and at start-up, instead of silently refusing
// every write.
func TestWriteScopeTypoIsAnError(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Sprint 12", "Sprint 21"} })
	text := h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "inside"}, `"Sprint 21"`, "matches no space, folder or list", "Engineering/Platform/Sprint 12 (901)", "Nothing was changed")
	if strings.Contains(text, `"Sprint 12", `) {
		t.Errorf("the valid entry is reported as bad: %s", text)
	}
	if n := w.fake.Count("POST /v2/list/{list_id}/task"); n != 0 {
		t.Errorf("%d creates reached ClickUp with a broken scope", n)
	}
	if err := h.deps.CheckWriteScope(context.Background()); err == nil || !workspace.IsScopeError(err) || !strings.Contains(err.Error(), "Sprint 21") {
		t.Errorf("start-up check: %v", err)
	}
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Sprint 12", "700", "Engineering/Bugs"} })
	if err := h.deps.CheckWriteScope(context.Background()); err != nil {
		t.Errorf("a valid scope at start-up: %v", err)
	}
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "inside"}, nil)
}
