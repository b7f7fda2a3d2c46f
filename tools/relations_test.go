package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

func TestMoveTask(t *testing.T) {
	h := newHarness(t, "pk_alex")
	triage := h.fake.AddList(h.space, true, clickuptest.List{ID: "904", Name: "Triage", Statuses: []clickuptest.Status{
		{Name: "new", Type: "open"}, {Name: "investigating"}, {Name: "fixed", Type: "closed"}}}).ID

	// Same status name in the destination: kept; the custom id is resolved
	// to the native id the v3 endpoint takes.
	var r MoveTaskResult
	h.mustOK(t, "clickup_move_task", map[string]any{"task_id": h.loginCustom, "list_id": "Backlog"}, &r)
	got, _ := h.fake.Task(h.login)
	if got.ListID != h.backlog || got.Status != "in progress" || r.ListID != h.backlog || r.Status != "in progress" || r.TaskID != h.login {
		t.Fatalf("move: stored list %s status %s; result %+v", got.ListID, got.Status, r)
	}
	if sub, _ := h.fake.Task(h.subtask); sub.ListID != h.backlog {
		t.Errorf("the subtask stayed in %s", sub.ListID)
	}

	// A status the destination lacks is refused before sending, with the
	// destination's statuses, unless status says where to land.
	before := writes(h.fake)
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Triage"}, `"in progress" is not in list "Triage"`, "new, investigating, fixed")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Triage", "status": "done"}, "new, investigating, fixed")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Backlog"}, "already in")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Nowhere"}, "list_id")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login}, "list_id", "also_in")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "status": "new"}, "give list_id too")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "also_in": []string{"Sprint 12", "Nowhere"}}, "also_in[1]")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": []int{1}}, "list_id")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": "DEV-999", "list_id": "Triage"}, "OAUTH_027")
	if n := writes(h.fake) - before; n != 0 {
		t.Fatalf("%d writes despite bad input", n)
	}
	h.mustOK(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": triage, "status": "Investigating"}, &r)
	got, _ = h.fake.Task(h.login)
	if got.ListID != triage || got.Status != "investigating" {
		t.Fatalf("move with status: %s %s", got.ListID, got.Status)
	}

	// Tasks in several lists.
	h.mustOK(t, "clickup_move_task", map[string]any{"task_id": h.login, "also_in": []string{"Sprint 12", "Bugs"}}, &r)
	got, _ = h.fake.Task(h.login)
	if !slices.Contains(got.OtherListIDs, h.sprint) || !slices.Contains(got.OtherListIDs, h.bugs) || len(r.AlsoIn) != 2 {
		t.Fatalf("also_in: %v, %+v", got.OtherListIDs, r)
	}
	h.mustOK(t, "clickup_move_task", map[string]any{"task_id": h.login, "remove_from": []string{"Bugs"}}, &r)
	got, _ = h.fake.Task(h.login)
	if slices.Contains(got.OtherListIDs, h.bugs) || !slices.Contains(got.OtherListIDs, h.sprint) {
		t.Fatalf("remove_from: %v", got.OtherListIDs)
	}

	// A fault on the second write says what was done.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/list/{l}/task/{t}", Times: 1, Status: 500, Body: `{"err":"boom","ECODE":"X"}`})
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Backlog", "status": "to do", "also_in": []string{"Bugs"}}, "Already done: moved to Backlog", "Adding it to Bugs")
	h.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: "/v3/workspaces/", Times: 10, Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`})
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": h.login, "list_id": "Sprint 12"}, "Rate limit", "Nothing was changed")
}

func TestMoveTaskWriteScope(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.WriteScope = []string{"Platform"} })
	before := writes(w.fake)
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": w.login, "list_id": "Bugs"}, "Refused")
	h.mustErr(t, "clickup_move_task", map[string]any{"task_id": w.login, "also_in": []string{"Bugs"}}, "Refused")
	if n := writes(w.fake) - before; n != 0 {
		t.Fatalf("%d writes outside the scope", n)
	}
	h.mustOK(t, "clickup_move_task", map[string]any{"task_id": w.login, "list_id": "Backlog"}, nil)
}

func TestRelateTasks(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r RelateTasksResult
	logoutCustom := func() string { tk, _ := h.fake.Task(h.logout); return tk.CustomID }()
	h.mustOK(t, "clickup_relate_tasks", map[string]any{"task_id": h.loginCustom, "add": []map[string]any{
		{"relation": "waiting_on", "task": logoutCustom},
		{"relation": "blocking", "task": h.subtask},
		{"relation": "linked", "task": "https://app.clickup.com/t/" + h.logout},
	}}, &r)
	login, _ := h.fake.Task(h.login)
	sub, _ := h.fake.Task(h.subtask)
	if !slices.Contains(login.DependsOn, h.logout) || !slices.Contains(sub.DependsOn, h.login) || !slices.Contains(login.LinkedTasks, h.logout) {
		t.Fatalf("stored: login waits on %v, links %v; subtask waits on %v", login.DependsOn, login.LinkedTasks, sub.DependsOn)
	}
	if r.TaskID != h.login || len(r.Added) != 3 {
		t.Errorf("result %+v", r)
	}
	// The task shows them (get_task reads them back).
	h.mustOK(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "remove": []map[string]any{
		{"relation": "waiting_on", "task": h.logout}, {"relation": "linked", "task": h.logout}}}, &r)
	login, _ = h.fake.Task(h.login)
	if len(login.DependsOn) != 0 || len(login.LinkedTasks) != 0 || len(r.Removed) != 2 {
		t.Fatalf("remove: %v %v %+v", login.DependsOn, login.LinkedTasks, r)
	}
	before := writes(h.fake)
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login}, "add or remove")
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{{"relation": "parent_of", "task": h.logout}}}, "waiting_on, blocking or linked")
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{{"relation": "linked", "task": h.loginCustom}}}, "itself")
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{{"relation": "linked", "task": "DEV-999"}}}, "OAUTH_027")
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{{"relation": "linked", "task": 5}}}, "task")
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": "nope!", "add": []map[string]any{{"relation": "linked", "task": h.logout}}}, "task_id")
	if n := writes(h.fake) - before; n != 0 {
		t.Fatalf("%d writes despite bad input", n)
	}
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/task/{id}/link/{other}", Times: 1, Status: 500, Body: `{"err":"boom","ECODE":"X"}`})
	text := h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{
		{"relation": "waiting_on", "task": h.logout}, {"relation": "linked", "task": h.logout}}}, "Already done: waiting_on", "linked")
	if strings.Contains(text, "pk_alex") {
		t.Errorf("token in error: %s", text)
	}
	h.fake.InjectFault(clickuptest.Fault{Path: "/v2/task/{id}/dependency", Times: 10, Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`})
	h.mustErr(t, "clickup_relate_tasks", map[string]any{"task_id": h.login, "add": []map[string]any{{"relation": "blocking", "task": h.logout}}}, "Rate limit")
}
