package tools

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

const (
	routeCreateList       = "POST /v2/folder/{folder_id}/list"
	routeCreateFolderless = "POST /v2/space/{space_id}/list"
	routeCreateFolder     = "POST /v2/space/{space_id}/folder"
	routeGetSpaces        = "GET /v2/team/{team_id}/space"
)

func hierarchyHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, "pk_alex")
	h.fake.AddListTemplate(h.ws, clickuptest.ListTemplate{ID: "t-1", Name: "Sprint", Tasks: []string{"Planning", "Review"}})
	h.fake.AddFolderTemplate(h.ws, clickuptest.FolderTemplate{ID: "t-2", Name: "Launch", Lists: []string{"Sprint", "Press"}})
	return h
}

func listNames(ls []clickuptest.List) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

// A list made by path is known to the cache at once: a create_task in it by
// name costs no hierarchy reload.
func TestCreateList(t *testing.T) {
	h := hierarchyHarness(t)
	h.mustOK(t, "clickup_whoami", map[string]any{}, nil) // a warm session knows its user
	var r CreatedPlace
	text := h.mustOK(t, "clickup_create_list", map[string]any{"name": "Roadmap", "parent": "Engineering/Platform", "content": "**Q1**"}, &r)
	ls := h.fake.Lists("800", false)
	if len(ls) != 3 || ls[2].Name != "Roadmap" || ls[2].ID != r.ID || ls[2].Content != "**Q1**" {
		t.Fatalf("lists %v, result %+v", listNames(ls), r)
	}
	if r.Path != "Engineering/Platform/Roadmap" || !strings.Contains(text, "Created list Engineering/Platform/Roadmap") {
		t.Fatalf("result %+v\n%s", r, text)
	}
	spaces := h.fake.Count(routeGetSpaces)
	before := h.fake.Count("")
	var task CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Roadmap", "name": "Plan Q1"}, &task)
	if h.fake.Count(routeGetSpaces) != spaces {
		t.Error("create_task in the new list reloaded the hierarchy: the cache did not learn the list")
	}
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("create_task in the list just made cost %d requests, want 1 (the create's answer is its detail)", n)
	}
	if tk, ok := h.fake.Task(task.Task.ID); !ok || tk.ListID != r.ID {
		t.Fatalf("task %+v not in the new list %s", tk, r.ID)
	}

	// Folderless, in a space by name; warm: one request.
	before = h.fake.Count("")
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Incidents", "parent": "engineering"}, &r)
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("warm create_list cost %d requests, want 1", n)
	}
	if ls := h.fake.Lists(h.space, true); len(ls) != 2 || ls[1].Name != "Incidents" {
		t.Fatalf("folderless lists %v", listNames(ls))
	}

	// From a template: its tasks come with it; the template costs one GET.
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Sprint 13", "parent": "Platform", "template": "sprint"}, &r)
	if r.Template != "Sprint" || h.fake.Count("POST /v2/folder/{folder_id}/list_template/{template_id}") != 1 {
		t.Fatalf("template: %+v", r)
	}
	if n := h.fake.TaskCountIn(r.ID); n != 2 {
		t.Fatalf("the template's 2 tasks: %d in the list", n)
	}

	// The same call again is answered from memory, not made twice.
	var again CreatedPlace
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Incidents", "parent": "engineering"}, &again)
	if !again.Deduplicated || len(h.fake.Lists(h.space, true)) != 2 {
		t.Fatalf("retry %+v", again)
	}
}

func TestCreateListRefusals(t *testing.T) {
	h := hierarchyHarness(t)
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"name": "Backlog", "parent": "Engineering/Platform"}, []string{"already exists", "Engineering/Platform", "902"}},
		{map[string]any{"name": "backlog", "parent": "800"}, []string{"already exists"}},
		{map[string]any{"name": "X", "parent": "Plattform"}, []string{"parent", "no space or folder", "Engineering/Platform (800)"}},
		{map[string]any{"name": "X", "parent": "123456"}, []string{"parent", "no space or folder"}},
		{map[string]any{"name": "X", "parent": "Platform", "template": "Kanban"}, []string{"template", "Sprint (t-1)"}},
		{map[string]any{"name": " ", "parent": "Platform"}, []string{"name", "is required"}},
		{map[string]any{"name": "a/b", "parent": "Platform"}, []string{"name", "/"}},
		{map[string]any{"name": 5, "parent": "Platform"}, []string{"name", "string"}},
		{map[string]any{"name": "X"}, []string{"parent", "is required"}},
		{map[string]any{"name": "X", "parent": "Platform", "color": "red"}, []string{"unknown argument", "template"}},
		{map[string]any{"name": "X", "parent": "Platform", "workspace_id": "9002"}, []string{"9002"}},
	} {
		h.mustErr(t, "clickup_create_list", c.args, c.want...)
	}
	for _, r := range []string{routeCreateList, routeCreateFolderless} {
		if n := h.fake.Count(r); n != 0 {
			t.Fatalf("refused calls sent %d creates", n)
		}
	}
	// A twin made elsewhere since the cache was read: ClickUp's refusal is
	// explained.
	h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{}, nil)
	h.fake.AddList("800", false, clickuptest.List{Name: "Late twin"})
	h.mustErr(t, "clickup_create_list", map[string]any{"name": "Late twin", "parent": "Platform"}, "already exists")
}

// A rate limit is waited out; a lost answer is never reported as success
// and never sent again; a 502 that did not apply is reported unknown.
func TestCreateListFaults(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	fault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/folder/{folder_id}/list"
		w.fake.InjectFault(f)
	}
	fault(clickuptest.Fault{Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Waited", "parent": "Platform"}, nil)
	if ls := w.fake.Lists("800", false); len(ls) != 3 {
		t.Fatalf("rate limited: %v", listNames(ls))
	}
	args := map[string]any{"name": "Lost", "parent": "Platform"}
	fault(clickuptest.Fault{Truncate: true})
	h.mustErr(t, "clickup_create_list", args, "Outcome unknown", "no creator or creation time", "one named \"Lost\"")
	if ls := w.fake.Lists("800", false); len(ls) != 4 {
		t.Fatalf("lost answer: %v", listNames(ls))
	}
	sent := w.fake.Count(routeCreateList)
	h.mustErr(t, "clickup_create_list", args, "Outcome unknown")
	if w.fake.Count(routeCreateList) != sent {
		t.Fatal("an identical call after a lost answer sent the create again")
	}
	fault(clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_create_list", map[string]any{"name": "Gateway", "parent": "Platform"}, "Outcome unknown")
	if ls := w.fake.Lists("800", false); len(ls) != 4 {
		t.Fatalf("a 502 made a list: %v", listNames(ls))
	}
}

func TestCreateFolder(t *testing.T) {
	h := hierarchyHarness(t)
	var r CreatedPlace
	h.mustOK(t, "clickup_create_folder", map[string]any{"name": "Mobile", "space": "Engineering"}, &r)
	if fs := h.fake.Folders(h.space); len(fs) != 2 || fs[1].Name != "Mobile" || fs[1].ID != r.ID || r.Path != "Engineering/Mobile" {
		t.Fatalf("folders %+v, result %+v", fs, r)
	}
	// From a template, with its lists; the new folder resolves at once.
	text := h.mustOK(t, "clickup_create_folder", map[string]any{"name": "Q1 Launch", "space": "700", "template": "launch"}, &r)
	if len(r.Lists) != 2 || r.Lists[0] != "Sprint" || !strings.Contains(text, "Its lists: Sprint, Press") {
		t.Fatalf("template: %+v\n%s", r, text)
	}
	spaces := h.fake.Count(routeGetSpaces)
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Follow-ups", "parent": "Engineering/Q1 Launch"}, nil)
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Q1 Launch/Press", "name": "Call the press"}, nil)
	if h.fake.Count(routeGetSpaces) != spaces {
		t.Error("the new folder and its lists needed a hierarchy reload")
	}
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"name": "mobile", "space": "Engineering"}, []string{"already exists", "folder"}},
		{map[string]any{"name": "X", "space": "Platform"}, []string{"space", "no space named", "Engineering (700)"}},
		{map[string]any{"name": "X", "space": "Engineering", "template": "Sprint"}, []string{"template", "Launch (t-2)"}},
		{map[string]any{"name": true, "space": "Engineering"}, []string{"name", "string"}},
	} {
		h.mustErr(t, "clickup_create_folder", c.args, c.want...)
	}
	if n := h.fake.Count(routeCreateFolder); n != 1 {
		t.Fatalf("%d plain folder creates, want 1", n)
	}
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/space/{space_id}/folder", Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_create_folder", map[string]any{"name": "Gateway", "space": "Engineering"}, "Outcome unknown", "one named \"Gateway\"")
}

// Under a write scope, a create in a space or folder outside it is refused
// before anything is sent; inside it goes through.
func TestCreateListWriteScope(t *testing.T) {
	h := hierarchyHarness(t)
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Engineering/Platform"} })
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "Inside", "parent": "Platform"}, nil)
	h.mustErr(t, "clickup_create_list", map[string]any{"name": "Outside", "parent": "Engineering"}, "write scope")
	h.mustErr(t, "clickup_create_folder", map[string]any{"name": "Outside", "space": "Engineering"}, "write scope")
	if n := h.fake.Count(routeCreateFolderless) + h.fake.Count(routeCreateFolder); n != 0 {
		t.Fatalf("%d writes outside the scope", n)
	}
}

// A name that is both a space and a folder is refused with both paths:
// making a list in the wrong place is worse than asking.
func TestCreateListAmbiguousParent(t *testing.T) {
	h := hierarchyHarness(t)
	h.fake.AddSpace(h.ws, clickuptest.Space{ID: "720", Name: "Platform"})
	h.mustErr(t, "clickup_create_list", map[string]any{"name": "X", "parent": "platform"}, "matches several", "Platform (720)", "Engineering/Platform (800)")
	var r CreatedPlace
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "X", "parent": "Engineering/Platform"}, &r)
	h.mustOK(t, "clickup_create_list", map[string]any{"name": "X", "parent": "720"}, &r)
	if r.Path != "Platform/X" {
		t.Fatalf("by space id: %+v", r)
	}
}

// Creates learn the cached hierarchy while other calls read it: the cache
// is replaced, never changed under a reader (run with -race).
func TestCreateListWhileReading(t *testing.T) {
	h := hierarchyHarness(t)
	h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{}, nil)
	spaces := h.fake.Count(routeGetSpaces)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			if text, isErr := h.call(t, "clickup_create_list", map[string]any{"name": fmt.Sprintf("Parallel %d", i), "parent": "Platform"}, nil); isErr {
				t.Errorf("create %d: %s", i, text)
			}
		}(i)
		go func() {
			defer wg.Done()
			if text, isErr := h.call(t, "clickup_create_task", map[string]any{"list_id": "Backlog", "name": "Read while creating"}, nil); isErr {
				t.Errorf("create_task: %s", text)
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 6; i++ {
		h.mustOK(t, "clickup_create_task", map[string]any{"list_id": fmt.Sprintf("Platform/Parallel %d", i), "name": "In it"}, nil)
	}
	if h.fake.Count(routeGetSpaces) != spaces {
		t.Error("a list made in parallel was missing from the cache")
	}
}
