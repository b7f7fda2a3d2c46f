package tools

import (
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

func TestResolveNamesAndPaths(t *testing.T) {
	w := newWorld(t)
	design := w.fake.AddSpace(w.ws, clickuptest.Space{ID: "720", Name: "Design", Statuses: []clickuptest.Status{{Name: "open", Type: "open"}, {Name: "closed", Type: "closed"}}}).ID
	w.fake.AddList(design, true, clickuptest.List{ID: "920", Name: "Backlog"})
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})

	var r CreateTaskResult
	for _, list := range []string{"Sprint 12", "sprint 12", "Platform/Sprint 12", "Engineering/Platform/Sprint 12", "ENGINEERING/platform/SPRINT 12", "901"} {
		h.mustOK(t, "clickup_create_task", map[string]any{"list_id": list, "name": "In " + list}, &r)
		if r.Task.ListID != w.sprint {
			t.Errorf("%q resolved to list %s", list, r.Task.ListID)
		}
	}
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Design/Backlog", "name": "d"}, &r)
	if r.Task.ListID != "920" {
		t.Errorf("Design/Backlog -> %s", r.Task.ListID)
	}
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Backlog", "name": "x"},
		"matches several lists", "Engineering/Platform/Backlog (902)", "Design/Backlog (920)")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Sprnt 12", "name": "x"},
		"no list named", "closest: Engineering/Platform/Sprint 12 (901)")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12\n", "name": "x", "workspace_id": "nope"}, "workspace_id")

	var sr SearchResult
	h.mustOK(t, "clickup_search_tasks", map[string]any{"list_ids": []string{"Engineering/Bugs"}, "include_closed": true}, &sr)
	if len(sr.Tasks) != 1 {
		t.Errorf("search by list path: %+v", sr.Tasks)
	}
	h.mustOK(t, "clickup_search_tasks", map[string]any{"folder_ids": []string{"platform"}, "query": "login"}, &sr)
	if len(sr.Tasks) != 1 {
		t.Errorf("search by folder name: %+v", sr.Tasks)
	}
	h.mustOK(t, "clickup_search_tasks", map[string]any{"space_ids": []string{"design"}}, &sr)
	if len(sr.Tasks) != 1 || sr.Tasks[0].Name != "d" {
		t.Errorf("search by space name: %+v", sr.Tasks)
	}
	var hr workspace.HierarchyResult
	h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{"space_id": "Design"}, &hr)
	if len(hr.Spaces) != 1 || hr.Spaces[0].ID != design {
		t.Errorf("hierarchy by space name: %+v", hr)
	}
}

// TestRequestCounts pins the ClickUp requests a common intent costs: "create
// a task in list 'Sprint 12' assigned to blair@example.com".
func TestRequestCounts(t *testing.T) {
	h := newHarness(t, "pk_alex")
	// With CLICKUP_TIMEZONE set no /v2/user request is needed for dates;
	// without it, the user's zone costs one request per token, once.
	h.deps.Tune(func(c *workspace.Config) { c.TimezoneSet = true })
	args := func(name string) map[string]any {
		return map[string]any{"list_id": "Sprint 12", "name": name, "assignees": []string{"blair@example.com"}}
	}
	before := h.fake.Count("")
	h.mustOK(t, "clickup_create_task", args("cold"), nil)
	cold := h.fake.Count("") - before
	// Cold: workspaces+members (1), spaces (1), folders and folderless
	// lists of the one space (2), the create (1).
	if cold > 5 {
		t.Errorf("cold create cost %d requests, want at most 5", cold)
	}
	before = h.fake.Count("")
	h.mustOK(t, "clickup_create_task", args("warm"), nil)
	if warm := h.fake.Count("") - before; warm != 1 {
		t.Errorf("warm create cost %d requests, want 1", warm)
	}
	// A path names the space, but the walk is the same; with a status the
	// list's statuses are read once, then cached.
	before = h.fake.Count("")
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "s", "status": "in review"}, nil)
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "s2", "status": "to do"}, nil)
	if n := h.fake.Count("") - before; n != 3 {
		t.Errorf("two creates with statuses cost %d requests, want 3", n)
	}
	t.Logf("create in a named list for a named person: cold %d requests, warm 1", cold)
}

func TestHierarchyCacheAge(t *testing.T) {
	w := newWorld(t)
	now := testNow
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.Now = func() time.Time { return now } })
	var r workspace.HierarchyResult
	h.mustOK(t, "clickup_get_workspace_hierarchy", nil, &r)
	if r.AgeSeconds != 0 {
		t.Fatalf("fresh load age %d", r.AgeSeconds)
	}
	now = now.Add(90 * time.Second)
	before := w.fake.Count("")
	text := h.mustOK(t, "clickup_get_workspace_hierarchy", nil, &r)
	if r.AgeSeconds != 90 || w.fake.Count("") != before || !strings.Contains(text, "cached 90s ago") {
		t.Fatalf("cached: age %d, %d requests, %s", r.AgeSeconds, w.fake.Count("")-before, text)
	}
	h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{"refresh": true}, &r)
	if r.AgeSeconds != 0 || w.fake.Count("") == before {
		t.Fatalf("refresh: age %d", r.AgeSeconds)
	}
	now = now.Add(6 * time.Minute)
	before = w.fake.Count("")
	h.mustOK(t, "clickup_get_workspace_hierarchy", nil, &r)
	if r.AgeSeconds != 0 || w.fake.Count("") == before {
		t.Fatalf("expired cache not reloaded: age %d", r.AgeSeconds)
	}
}

func TestResolutionIsReported(t *testing.T) {
	w := newWorld(t)
	now := testNow
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.Now = func() time.Time { return now } })
	text := h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "sprint 12", "name": "a"}, nil)
	if !strings.Contains(text, `Resolved: list "sprint 12" = 901 (Engineering/Platform/Sprint 12; hierarchy just loaded)`) {
		t.Errorf("cold: %s", text)
	}
	now = now.Add(42 * time.Second)
	text = h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "sprint 12", "name": "b"}, nil)
	if !strings.Contains(text, "hierarchy cached 42s ago") {
		t.Errorf("warm: %s", text)
	}
	text = h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "901", "name": "c"}, nil)
	if strings.Contains(text, "Resolved") {
		t.Errorf("an id needs no resolution: %s", text)
	}
}
