package tools

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

func TestWhoami(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r WhoamiResult
	text := h.mustOK(t, "clickup_whoami", nil, &r)
	if r.User.ID != h.alex || r.DefaultWorkspaceID != h.ws || len(r.Workspaces) != 1 || r.Workspaces[0].Members != 3 {
		t.Fatalf("got %+v", r)
	}
	if !strings.Contains(text, "Alex Rivera") || strings.Contains(text, "SANDBOX") {
		t.Errorf("text: %s", text)
	}
	// Identity is cached: a second call costs no ClickUp request.
	n := h.fake.Count("")
	h.mustOK(t, "clickup_whoami", nil, nil)
	if h.fake.Count("") != n {
		t.Errorf("warm whoami made %d requests", h.fake.Count("")-n)
	}
}

func TestBadTokenIsActionable(t *testing.T) {
	h := newHarness(t, "pk_nope")
	h.mustErr(t, "clickup_whoami", nil, "OAUTH_025", "token")
}

func TestHierarchy(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r workspace.HierarchyResult
	text := h.mustOK(t, "clickup_get_workspace_hierarchy", nil, &r)
	if r.WorkspaceID != h.ws || len(r.Spaces) != 1 {
		t.Fatalf("got %+v", r)
	}
	sp := r.Spaces[0]
	if len(sp.Folders) != 1 || len(sp.Folders[0].Lists) != 2 || len(sp.Lists) != 1 || sp.Lists[0].Name != "Bugs" {
		t.Fatalf("space: %+v", sp)
	}
	if sp.Folders[0].Lists[0].Name != "Sprint 12" || sp.Folders[0].Lists[0].TaskCount < 2 {
		t.Errorf("sprint list: %+v", sp.Folders[0].Lists[0])
	}
	if !strings.Contains(text, "Sprint 12 (list 901") {
		t.Errorf("text: %s", text)
	}
	h.mustOK(t, "clickup_get_workspace_hierarchy", map[string]any{"space_id": h.space}, &r)
	h.mustErr(t, "clickup_get_workspace_hierarchy", map[string]any{"workspace_id": "9002"}, "not a workspace this token may use", "9001 (Acme)")
	h.mustErr(t, "clickup_get_workspace_hierarchy", map[string]any{"space_id": "../x"}, "space_id")
}

func TestListMembers(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r MembersResult
	h.mustOK(t, "clickup_list_members", map[string]any{"query": "blair"}, &r)
	if len(r.Members) != 2 || r.Scope != "workspace" {
		t.Fatalf("query blair: %+v", r)
	}
	h.mustOK(t, "clickup_list_members", map[string]any{"task_id": h.login}, &r)
	if r.Scope != "task" {
		t.Fatalf("task members: %+v", r)
	}
	h.mustOK(t, "clickup_list_members", map[string]any{"list_id": h.sprint}, &r)
	if r.Scope != "list" {
		t.Fatalf("list members: %+v", r)
	}
	h.mustErr(t, "clickup_list_members", map[string]any{"task_id": h.login, "list_id": h.sprint}, "not both")
}

func TestSearchTasks(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r SearchResult
	h.mustOK(t, "clickup_search_tasks", map[string]any{"query": "login"}, &r)
	if len(r.Tasks) != 1 || r.Tasks[0].ID != h.login || r.Tasks[0].Priority != "high" || r.Tasks[0].List != "Sprint 12" {
		t.Fatalf("query login: %+v", r)
	}
	if r.Tasks[0].Due != "2026-11-27" && !strings.HasPrefix(r.Tasks[0].Due, "2026-11-27") {
		t.Errorf("due rendered as %q", r.Tasks[0].Due)
	}
	// Subtasks are included on request.
	h.mustOK(t, "clickup_search_tasks", map[string]any{"query": "login", "subtasks": true}, &r)
	if len(r.Tasks) != 2 {
		t.Fatalf("with subtasks: %+v", r.Tasks)
	}
	// Assignees by email and "me".
	h.mustOK(t, "clickup_search_tasks", map[string]any{"assignees": []string{"blair@example.com"}}, &r)
	if len(r.Tasks) != 1 || r.Tasks[0].ID != h.logout {
		t.Fatalf("by email: %+v", r.Tasks)
	}
	h.mustOK(t, "clickup_search_tasks", map[string]any{"assignees": []string{"me"}, "statuses": []string{"IN PROGRESS"}}, &r)
	if len(r.Tasks) != 1 || r.Tasks[0].ID != h.login {
		t.Fatalf("me + status: %+v", r.Tasks)
	}
	// Dates in plain words.
	h.mustOK(t, "clickup_search_tasks", map[string]any{"due_before": "end of week", "due_after": "today"}, &r)
	if len(r.Tasks) != 1 {
		t.Fatalf("due this week: %+v", r.Tasks)
	}
	// Closed tasks only on request.
	h.mustOK(t, "clickup_search_tasks", map[string]any{"list_ids": []any{903}}, &r)
	if len(r.Tasks) != 0 {
		t.Fatalf("closed shown: %+v", r.Tasks)
	}
	h.mustOK(t, "clickup_search_tasks", map[string]any{"list_ids": []string{"903"}, "include_closed": true}, &r)
	if len(r.Tasks) != 1 {
		t.Fatalf("include_closed: %+v", r.Tasks)
	}
	// Subtasks of a parent, by custom id.
	h.mustOK(t, "clickup_search_tasks", map[string]any{"parent": h.loginCustom}, &r)
	if len(r.Tasks) != 1 || r.Tasks[0].ID != h.subtask {
		t.Fatalf("parent: %+v", r.Tasks)
	}
	h.mustErr(t, "clickup_search_tasks", map[string]any{"assignees": []string{"nobody@example.com"}}, "no member matches", "alex@example.com")
	h.mustErr(t, "clickup_search_tasks", map[string]any{"assignees": []string{"blair"}}, "matches several members")
	h.mustErr(t, "clickup_search_tasks", map[string]any{"due_before": "someday"}, "accepted forms")
	h.mustErr(t, "clickup_search_tasks", map[string]any{"limit": 500}, "limit")
	h.mustErr(t, "clickup_search_tasks", map[string]any{"cursor": "garbage!"}, "cursor")
	h.mustErr(t, "clickup_search_tasks", map[string]any{"order_by": "name"}, "order_by")
}

func TestSearchPagesWithCursor(t *testing.T) {
	h := newHarness(t, "pk_alex")
	seen := map[string]bool{}
	cursor := ""
	calls := 0
	for {
		var r SearchResult
		args := map[string]any{"list_ids": []string{h.backlog}, "limit": 50}
		if cursor != "" {
			args["cursor"] = cursor
		}
		h.mustOK(t, "clickup_search_tasks", args, &r)
		calls++
		for _, tk := range r.Tasks {
			if seen[tk.ID] {
				t.Fatalf("task %s returned twice", tk.ID)
			}
			seen[tk.ID] = true
		}
		if r.NextCursor == "" {
			break
		}
		cursor = r.NextCursor
		if calls > 5 {
			t.Fatal("cursor does not end")
		}
	}
	if len(seen) != 120 || calls != 3 {
		t.Fatalf("saw %d tasks in %d calls, want 120 in 3", len(seen), calls)
	}
}

func TestGetTask(t *testing.T) {
	h := newHarness(t, "pk_alex")
	for _, id := range []string{h.login, "#" + h.login, h.loginCustom, "https://app.clickup.com/t/" + h.login, "https://app.clickup.com/t/9001/" + h.loginCustom} {
		var r render.TaskDetail
		text := h.mustOK(t, "clickup_get_task", map[string]any{"task_id": id}, &r)
		if r.ID != h.login || r.Status != "in progress" || r.List.Name != "Sprint 12" || len(r.Subtasks) != 1 {
			t.Fatalf("%s: %+v", id, r)
		}
		if !strings.Contains(r.Description, "## Steps\n- open `/login`") {
			t.Errorf("markdown not kept: %q", r.Description)
		}
		if !strings.Contains(text, "## Steps\n") || strings.Contains(text, `\n`) {
			t.Errorf("text rendering: %s", text)
		}
	}
}

func TestClickUpFailuresAreActionable(t *testing.T) {
	h := newHarness(t, "pk_alex")
	// An unknown task and a task in a workspace the token cannot see answer
	// OAUTH_027, like the real API; the error names the token's workspaces.
	h.mustErr(t, "clickup_get_task", map[string]any{"task_id": "zzz999"}, "OAUTH_027", "9001 (Acme)")
	h.mustErr(t, "clickup_get_task", map[string]any{"task_id": "secret1"}, "OAUTH_027", "re-authorize")
	h.mustErr(t, "clickup_get_task", map[string]any{"task_id": "../../team"}, "task_id", "not a task id")
	h.mustErr(t, "clickup_get_task", map[string]any{}, "task_id")
	h.mustErr(t, "clickup_get_task", map[string]any{"task": "x"}, "unknown argument", "task_id")

	h = newHarness(t, "pk_alex")
	reset := time.Now().Add(30 * time.Second).Unix()
	h.fake.InjectFault(clickuptest.Fault{Path: "/v2/task/{id}", Times: 5, Status: 429,
		Body:   `{"err":"Rate limit reached","ECODE":"APP_002"}`,
		Header: http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Limit": {"100"}}})
	h.mustErr(t, "clickup_get_task", map[string]any{"task_id": h.login}, "429", "retry_after_s")
	t.Run("upstream", func(t *testing.T) {
		h := newHarness(t, "pk_alex")
		h.fake.InjectFault(clickuptest.Fault{Path: "/v2/task/{id}", Times: 5, Status: 502, Body: "<html>Bad gateway</html>"})
		h.mustErr(t, "clickup_get_task", map[string]any{"task_id": h.logout}, "502", "Try again")
	})
}

func TestNotFoundAs404(t *testing.T) {
	h := newHarness(t, "pk_alex", clickuptest.WithNotFoundAs404(true))
	h.mustErr(t, "clickup_get_task", map[string]any{"task_id": "zzz999"}, "404", "clickup_search_tasks")
}

func TestCreateTaskAndSubtasks(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{
		"list_id": h.sprint, "name": "Ship it", "description": "# Plan\n\n- a\n- b\n",
		"assignees": []string{"me", "blair@example.com"}, "status": "In Review", "priority": "urgent",
		"due_date": "2026-12-01", "start_date": "tomorrow 9am", "tags": []string{"release"}, "time_estimate": "1h30m",
		"subtasks": []map[string]any{{"name": "Step one"}, {"name": "Step two", "assignees": []string{"Casey Blair"}}},
	}, &r)
	if r.Task.Status != "in review" || r.Task.Priority != "urgent" || len(r.Task.Assignees) != 2 || len(r.Subtasks) != 2 {
		t.Fatalf("got %+v", r)
	}
	got, ok := h.fake.Task(r.Task.ID)
	if !ok || got.MarkdownDescription != "# Plan\n\n- a\n- b\n" || got.TimeEstimate != 90*time.Minute || got.DueDateTime {
		t.Fatalf("stored task: %+v", got)
	}
	if got.DueDate.Format("2006-01-02") != "2026-12-01" || !got.StartDateTime {
		t.Errorf("dates: due %v start %v (time %v)", got.DueDate, got.StartDate, got.StartDateTime)
	}
	for _, st := range r.Subtasks {
		s, _ := h.fake.Task(st.ID)
		if s.Parent != r.Task.ID || s.ListID != h.sprint {
			t.Errorf("subtask %+v not under %s", s, r.Task.ID)
		}
	}
	// A retry of the same call returns the same task: nothing is created twice.
	before := h.fake.TasksCreated()
	var again CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{
		"list_id": h.sprint, "name": "Ship it", "description": "# Plan\n\n- a\n- b\n",
		"assignees": []string{"me", "blair@example.com"}, "status": "In Review", "priority": "urgent",
		"due_date": "2026-12-01", "start_date": "tomorrow 9am", "tags": []string{"release"}, "time_estimate": "1h30m",
		"subtasks": []map[string]any{{"name": "Step one"}, {"name": "Step two", "assignees": []string{"Casey Blair"}}},
	}, &again)
	if !again.Deduplicated || again.Task.ID != r.Task.ID || h.fake.TasksCreated() != before {
		t.Fatalf("retry created again: %+v", again)
	}
	// A subtask by parent alone lands in the parent's list.
	var sub CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"parent": h.loginCustom, "name": "Child"}, &sub)
	if sub.Task.Parent != h.login || sub.Task.ListID != h.sprint {
		t.Fatalf("subtask: %+v", sub.Task)
	}
}

func TestCreateTaskRefusals(t *testing.T) {
	h := newHarness(t, "pk_alex")
	before := h.fake.Count("POST /v2/list/{list_id}/task")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "status": "shipped"},
		"not a status", "to do", "in progress")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "status": "in reveiw"}, "valid statuses: in review") //nolint:misspell // a deliberate typo: the refusal must name the close status
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": " "}, "name")
	h.mustErr(t, "clickup_create_task", map[string]any{"name": "x"}, "list_id", "clickup_get_workspace_hierarchy")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "priority": "p0"}, "priority")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "due_date": "whenever"}, "accepted forms")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "assignees": []string{"zed"}}, "no member")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "subtasks": []map[string]any{{"name": "ok"}, {"name": "bad", "status": "nope"}}}, "subtasks[1].status")
	if n := h.fake.Count("POST /v2/list/{list_id}/task") - before; n != 0 {
		t.Fatalf("%d creates reached ClickUp despite bad input", n)
	}
	// A parent in another list: ClickUp's ITEM_137 comes back with advice,
	// and nothing is created.
	created := h.fake.TasksCreated()
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.bugs, "name": "x", "parent": h.login}, "ITEM_137", "Omit list_id")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.bugs, "name": "x", "parent": h.loginCustom}, "parent is in list 901")
	if h.fake.TasksCreated() != created {
		t.Fatal("a subtask was created under a parent in another list")
	}
	before = h.fake.Count("POST /v2/list/{list_id}/task")
	// A POST that fails upstream is not retried: one request, and the model
	// is told to check before retrying.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/list/{id}/task", Status: 503, Body: `{"err":"down"}`})
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": h.sprint, "name": "Once"}, "503")
	if n := h.fake.Count("POST /v2/list/{list_id}/task") - before; n != 1 {
		t.Fatalf("a failed create was sent %d times", n)
	}
}

func TestUpdateTask(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r UpdateTaskResult
	h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.login, "status": "DONE", "priority": "low",
		"add_assignees": []string{"blair@example.com"}, "remove_assignees": []string{"me"}, "due_date": "none",
		"add_tags": []string{"shipped"}, "remove_tags": []string{"bug"}, "name": "Fix login redirect loop"}, &r)
	got, _ := h.fake.Task(h.login)
	if got.Status != "done" || got.Priority != 4 || !got.DueDate.IsZero() || len(got.Assignees) != 1 || got.Assignees[0] != h.blair || got.Name != "Fix login redirect loop" {
		t.Fatalf("stored: %+v", got)
	}
	if strings.Join(got.Tags, ",") != "shipped" || strings.Join(r.Task.Tags, ",") != "shipped" {
		t.Fatalf("tags: stored %v, result %v", got.Tags, r.Task.Tags)
	}
	h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.loginCustom, "clear": []string{"priority", "description"}}, &r)
	got, _ = h.fake.Task(h.login)
	if got.Priority != 0 || strings.TrimSpace(got.MarkdownDescription) != "" {
		t.Fatalf("clear: %+v", got)
	}
	before := h.fake.Count("PUT /v2/task/{task_id}")
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "status": "shipped"}, "valid statuses", "done")
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login}, "nothing to change")
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "clear": []string{"name"}}, "cannot clear")
	if n := h.fake.Count("PUT /v2/task/{task_id}") - before; n != 0 {
		t.Fatalf("%d updates reached ClickUp despite bad input", n)
	}
}

func TestDeleteTask(t *testing.T) {
	h := newHarness(t, "pk_alex")
	var r DeleteTaskResult
	h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": h.login, "dry_run": true}, &r)
	if r.Deleted || r.Subtasks != 1 || !r.DryRun {
		t.Fatalf("dry run: %+v", r)
	}
	if _, ok := h.fake.Task(h.login); !ok {
		t.Fatal("dry run deleted the task")
	}
	h.mustOK(t, "clickup_delete_task", map[string]any{"task_id": h.loginCustom}, &r)
	if !r.Deleted {
		t.Fatalf("delete: %+v", r)
	}
	if _, ok := h.fake.Task(h.login); ok {
		t.Fatal("task still there")
	}
	h.mustErr(t, "clickup_delete_task", map[string]any{"task_id": h.login}, "OAUTH_027")
}

func TestComments(t *testing.T) {
	h := newHarness(t, "pk_alex")
	for i := 0; i < 30; i++ {
		h.mustOK(t, "clickup_create_task_comment", map[string]any{"task_id": h.login, "text": "note " + strconv.Itoa(i)}, nil)
	}
	var cr CreateCommentResult
	h.mustOK(t, "clickup_create_task_comment", map[string]any{"task_id": h.loginCustom, "text": "over to you", "assignee": "blair@example.com"}, &cr)
	if cr.ID == "" || cr.TaskID != h.loginCustom {
		t.Fatalf("create: %+v", cr)
	}
	var r CommentsResult
	h.mustOK(t, "clickup_get_task_comments", map[string]any{"task_id": h.login}, &r)
	if len(r.Comments) != 25 || r.Comments[0].Text != "over to you" || r.Comments[0].Assignee != "Blair Chen" || r.NextCursor == "" {
		t.Fatalf("page 1: %d comments, first %+v, cursor %q", len(r.Comments), r.Comments[0], r.NextCursor)
	}
	var older CommentsResult
	h.mustOK(t, "clickup_get_task_comments", map[string]any{"task_id": h.login, "cursor": r.NextCursor}, &older)
	if len(older.Comments) != 6 || older.NextCursor != "" || older.Comments[len(older.Comments)-1].Text != "note 0" {
		t.Fatalf("page 2: %+v", older)
	}
	h.mustErr(t, "clickup_create_task_comment", map[string]any{"task_id": h.login, "text": "  "}, "text")
}
