package clickuptest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGetTaskShape(t *testing.T) {
	w := newWorld(t)
	pts := 3.0
	parent := w.AddTask(list30, Task{
		Name: "Parent", MarkdownDescription: "## Title\n- **bold** item\n\n```go\nx := 1\n```", Priority: 2,
		Assignees: []int64{annID}, Tags: []string{"bug"}, DueDate: w.clock.Now().Add(48 * time.Hour), TimeEstimate: 2 * time.Hour,
		Points: &pts, CustomFields: map[string]any{w.sev.ID: "Low", w.pts.ID: 8},
		Checklists: []Checklist{{Name: "Steps", Items: []ChecklistItem{{Name: "one", Resolved: true}, {Name: "two"}}}},
	})
	child := w.AddTask(list30, Task{Name: "Child", Parent: parent.ID})
	grandchild := w.AddTask(list30, Task{Name: "Grandchild", Parent: child.ID})

	r := w.get(t, "/api/v2/task/"+parent.ID)
	expect(t, r, 200, "")
	m := r.json(t)
	for _, k := range []string{"id", "custom_id", "custom_item_id", "name", "text_content", "description", "status", "orderindex",
		"date_created", "date_updated", "date_closed", "date_done", "archived", "creator", "assignees", "group_assignees", "watchers",
		"checklists", "tags", "parent", "top_level_parent", "priority", "due_date", "start_date", "points", "time_estimate", "time_spent",
		"custom_fields", "dependencies", "linked_tasks", "locations", "team_id", "url", "sharing", "permission_level", "list", "project",
		"folder", "space", "attachments"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	for _, k := range []string{"markdown_description", "subtasks"} {
		if _, ok := m[k]; ok {
			t.Errorf("%q present without its flag", k)
		}
	}
	if m["custom_id"] != "DEV-1" || m["team_id"] != wsDev || m["url"] != "https://app.clickup.com/t/"+parent.ID {
		t.Errorf("ids: %v %v %v", m["custom_id"], m["team_id"], m["url"])
	}
	if s, ok := m["date_created"].(string); !ok || !regexp.MustCompile(`^\d{13}$`).MatchString(s) {
		t.Errorf("date_created = %#v, want a string of epoch ms", m["date_created"])
	}
	if _, ok := m["due_date"].(string); !ok || m["start_date"] != nil || m["date_closed"] != nil {
		t.Errorf("dates: due %#v start %#v closed %#v", m["due_date"], m["start_date"], m["date_closed"])
	}
	if m["time_estimate"] != float64(7200000) || m["time_spent"] != float64(0) || m["points"] != 3.0 {
		t.Errorf("time_estimate %#v time_spent %#v points %#v", m["time_estimate"], m["time_spent"], m["points"])
	}
	if _, ok := m["orderindex"].(string); !ok {
		t.Errorf("orderindex = %#v, want a string", m["orderindex"])
	}
	prio := m["priority"].(map[string]any)
	if prio["id"] != "2" || prio["priority"] != "high" || prio["orderindex"] != "2" {
		t.Errorf("priority = %v", prio)
	}
	st := m["status"].(map[string]any)
	if st["status"] != "to do" || st["type"] != "open" || st["orderindex"] != float64(0) || st["id"] == "" {
		t.Errorf("status = %v", st)
	}
	if m["description"] != "Title\n- bold item\n\nx := 1" || m["text_content"] != m["description"] {
		t.Errorf("description = %q", m["description"])
	}
	a := m["assignees"].([]any)[0].(map[string]any)
	if a["id"] != float64(annID) || a["username"] != "Ann Lee" || a["initials"] != "AL" || a["email"] != "ann@example.com" {
		t.Errorf("assignee = %v", a)
	}
	if tag := m["tags"].([]any)[0].(map[string]any); tag["name"] != "bug" || tag["tag_fg"] == "" {
		t.Errorf("tag = %v", tag)
	}
	if folder := m["folder"].(map[string]any); folder["id"] != folder20 || folder["name"] != "Platform" {
		t.Errorf("folder = %v", folder)
	}
	if l := m["list"].(map[string]any); l["id"] != list30 || l["name"] != "Sprint" {
		t.Errorf("list = %v", l)
	}
	if sp := m["space"].(map[string]any); sp["id"] != space10 {
		t.Errorf("space = %v", sp)
	}
	cl := m["checklists"].([]any)[0].(map[string]any)
	if cl["resolved"] != float64(1) || cl["unresolved"] != float64(1) || len(cl["items"].([]any)) != 2 {
		t.Errorf("checklist = %v", cl)
	}
	fields := map[string]map[string]any{}
	for _, f := range m["custom_fields"].([]any) {
		fm := f.(map[string]any)
		fields[fm["name"].(string)] = fm
	}
	if fields["Severity"]["value"] != float64(1) { // drop_down values are orderindexes
		t.Errorf("severity = %v", fields["Severity"])
	}
	if fields["Points"]["value"] != "8" { // number values are strings
		t.Errorf("points field = %v", fields["Points"])
	}

	r = w.get(t, "/api/v2/task/"+parent.ID+"?include_markdown_description=true&include_subtasks=true")
	m = r.json(t)
	if m["markdown_description"] != parent.MarkdownDescription {
		t.Errorf("markdown_description = %q", m["markdown_description"])
	}
	subs := m["subtasks"].([]any)
	if len(subs) != 1 || subs[0].(map[string]any)["id"] != child.ID {
		t.Errorf("subtasks = %v", subs)
	}
	g := w.get(t, "/api/v2/task/"+grandchild.ID).json(t)
	if g["parent"] != child.ID || g["top_level_parent"] != parent.ID {
		t.Errorf("parent %v top %v", g["parent"], g["top_level_parent"])
	}
	if c := w.get(t, "/api/v2/task/"+child.ID).json(t); c["custom_id"] != "DEV-2" || c["priority"] != nil {
		t.Errorf("child custom_id %v priority %v", c["custom_id"], c["priority"])
	}
}

func TestFolderlessTaskShape(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list31, Task{Name: "Bug"})
	m := w.get(t, "/api/v2/task/"+task.ID).json(t)
	f := m["folder"].(map[string]any)
	if f["name"] != "hidden" || f["hidden"] != true || m["project"].(map[string]any)["id"] != f["id"] {
		t.Errorf("folder of a folderless list = %v", f)
	}
	if st := m["status"].(map[string]any); st["status"] != "open" {
		t.Errorf("status = %v (status names are lower-cased)", st)
	}
}

func TestCustomTaskIDs(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Custom"})
	expect(t, w.get(t, "/api/v2/task/DEV-1?custom_task_ids=true&team_id="+wsDev), 200, "")
	expect(t, w.get(t, "/api/v2/task/dev-1?custom_task_ids=true&team_id="+wsDev), 200, "")
	expect(t, w.get(t, "/api/v2/task/DEV-1?custom_task_ids=true"), 400, "INPUT_001")
	expect(t, w.get(t, "/api/v2/task/DEV-9?custom_task_ids=true&team_id="+wsDev), 401, "OAUTH_027")
	expect(t, w.get(t, "/api/v2/task/DEV-1?custom_task_ids=true&team_id="+wsOther), 401, "OAUTH_027")
	expect(t, w.get(t, "/api/v2/task/DEV-1"), 400, "INPUT_004")
	r := w.call(t, "PUT", "/api/v2/task/DEV-1?custom_task_ids=true&team_id="+wsDev, annTok, map[string]any{"name": "Via custom id"})
	expect(t, r, 200, "")
	if got, _ := w.Task(task.ID); got.Name != "Via custom id" {
		t.Errorf("name = %q", got.Name)
	}
	// A workspace without the feature sends custom_id null.
	other := w.AddTask(list40, Task{Name: "Plain"})
	if m := w.call(t, "GET", "/api/v2/task/"+other.ID, cyTok, nil).json(t); m["custom_id"] != nil {
		t.Errorf("custom_id = %v", m["custom_id"])
	}
}

func TestCreateTask(t *testing.T) {
	w := newWorld(t)
	path := "/api/v2/list/" + list30 + "/task"
	r := w.call(t, "POST", path, annTok, map[string]any{
		"name": "  New feature  ", "description": "plain", "markdown_content": "# Big\n*it*", "assignees": []int64{bobID, 999},
		"tags": []string{"Frontend", "bug"}, "status": "IN PROGRESS", "priority": 1, "due_date": 1773360000000, "due_date_time": true,
		"start_date": "1773100000000", "time_estimate": 3600000, "points": 2.5, "notify_all": true,
		"custom_fields": []map[string]any{{"id": w.sev.ID, "value": w.sev.Options[0].ID}, {"id": w.pts.ID, "value": 5}},
	})
	expect(t, r, 200, "")
	m := r.json(t)
	id := m["id"].(string)
	if !regexp.MustCompile(`^86[0-9a-z]{7}$`).MatchString(id) {
		t.Errorf("id = %q, want ClickUp-shaped", id)
	}
	got, ok := w.Task(id)
	if !ok {
		t.Fatal("task not stored")
	}
	if got.Name != "New feature" || got.Status != "in progress" || got.Priority != 1 || got.CustomID != "DEV-1" {
		t.Errorf("task = %+v", got)
	}
	if got.MarkdownDescription != "# Big\n*it*" || got.Description != "Big\nit" {
		t.Errorf("markdown_content must win over description: %q / %q", got.MarkdownDescription, got.Description)
	}
	if len(got.Assignees) != 1 || got.Assignees[0] != bobID {
		t.Errorf("assignees = %v (non-members are ignored)", got.Assignees)
	}
	if strings.Join(got.Tags, ",") != "frontend,bug" {
		t.Errorf("tags = %v", got.Tags)
	}
	if !got.DueDateTime || got.DueDate.UnixMilli() != 1773360000000 || got.StartDate.UnixMilli() != 1773100000000 {
		t.Errorf("dates = %v %v %v", got.DueDate, got.DueDateTime, got.StartDate)
	}
	if got.TimeEstimate != time.Hour || *got.Points != 2.5 || got.CreatorID != annID {
		t.Errorf("estimate %v points %v creator %v", got.TimeEstimate, *got.Points, got.CreatorID)
	}
	if got.CustomFields[w.sev.ID] != w.sev.Options[0].ID || got.CustomFields[w.pts.ID] != 5.0 {
		t.Errorf("custom fields = %v", got.CustomFields)
	}
	if len(got.Watchers) != 2 {
		t.Errorf("watchers = %v (creator and assignees)", got.Watchers)
	}
	if m["status"].(map[string]any)["status"] != "in progress" || m["priority"].(map[string]any)["priority"] != "urgent" {
		t.Errorf("response = %v %v", m["status"], m["priority"])
	}
	// New tags are created in the Space.
	var tags []string
	for _, tg := range w.SpaceTags(space10) {
		tags = append(tags, tg.Name)
	}
	if strings.Join(tags, ",") != "bug,frontend" {
		t.Errorf("space tags = %v", tags)
	}

	r = w.call(t, "POST", path, annTok, map[string]any{"name": "Defaults"})
	m = r.json(t)
	if m["status"].(map[string]any)["status"] != "to do" || m["priority"] != nil || m["due_date"] != nil || m["custom_id"] != "DEV-2" {
		t.Errorf("defaults: %v %v %v %v", m["status"], m["priority"], m["due_date"], m["custom_id"])
	}
	r = w.call(t, "POST", path, annTok, map[string]any{"name": "MD alias", "markdown_description": "**x**"})
	if got, _ := w.Task(r.json(t)["id"].(string)); got.MarkdownDescription != "**x**" || got.Description != "x" {
		t.Errorf("markdown_description alias: %+v", got)
	}
	if w.TasksCreated() != 3 {
		t.Errorf("TasksCreated = %d", w.TasksCreated())
	}
}

func TestCreateTaskErrors(t *testing.T) {
	w := newWorld(t)
	other := w.AddTask(list32, Task{Name: "In another list"})
	here := w.AddTask(list30, Task{Name: "Parent here"})
	path := "/api/v2/list/" + list30 + "/task"
	tests := []struct {
		name   string
		body   any
		status int
		ecode  string
	}{
		{"no name", map[string]any{"description": "x"}, 400, "INPUT_005"},
		{"empty name", map[string]any{"name": "  "}, 400, "INPUT_005"},
		{"name too long", map[string]any{"name": strings.Repeat("x", 2049)}, 400, "INPUT_005"},
		{"unknown status", map[string]any{"name": "x", "status": "doing"}, 400, "ITEM_114"},
		{"status from another list", map[string]any{"name": "x", "status": "fixing"}, 400, "ITEM_114"},
		{"parent in another list", map[string]any{"name": "x", "parent": other.ID}, 400, "ITEM_137"},
		{"unknown parent", map[string]any{"name": "x", "parent": "86nothere"}, 400, "ITEM_137"},
		{"priority out of range", map[string]any{"name": "x", "priority": 5}, 400, "INPUT_001"},
		{"assignees as strings of names", map[string]any{"name": "x", "assignees": []string{"ann"}}, 400, "INPUT_001"},
		{"unknown custom field", map[string]any{"name": "x", "custom_fields": []map[string]any{{"id": "nope", "value": 1}}}, 400, "FIELD_001"},
		{"bad dropdown option", map[string]any{"name": "x", "custom_fields": []map[string]any{{"id": w.sev.ID, "value": "Medium"}}}, 400, "FIELD_001"},
		{"not JSON", "{name:", 400, "INPUT_001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, w.call(t, "POST", path, annTok, tc.body), tc.status, tc.ecode)
		})
	}
	if w.TaskCount() != 2 || w.TasksCreated() != 0 {
		t.Errorf("failed creates changed the world: %d tasks, %d created", w.TaskCount(), w.TasksCreated())
	}
	r := w.call(t, "POST", path, annTok, map[string]any{"name": "Sub", "parent": here.ID, "status": "complete"})
	expect(t, r, 200, "")
	m := r.json(t)
	if m["parent"] != here.ID || m["date_closed"] == nil || m["date_done"] == nil {
		t.Errorf("subtask: parent %v closed %v done %v", m["parent"], m["date_closed"], m["date_done"])
	}
	// check_required_custom_fields
	w.AddCustomField(list30, CustomField{Name: "Must", Type: "short_text", Required: true})
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"name": "x", "check_required_custom_fields": true}), 400, "FIELD_002")
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"name": "x"}), 200, "")
}

func TestUpdateTask(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Edit me", Description: "old", Priority: 2, Assignees: []int64{annID},
		DueDate: w.clock.Now().Add(time.Hour), TimeEstimate: time.Hour, Watchers: []int64{annID}})
	path := "/api/v2/task/" + task.ID
	w.clock.Advance(time.Minute)
	r := w.call(t, "PUT", path, annTok, map[string]any{
		"name": "Edited", "status": "In Progress", "priority": nil, "due_date": nil, "time_estimate": 7200000,
		"assignees": map[string]any{"add": []int64{bobID}, "rem": []int64{annID}},
		"watchers":  map[string]any{"add": []int64{bobID}},
	})
	expect(t, r, 200, "")
	got, _ := w.Task(task.ID)
	if got.Name != "Edited" || got.Status != "in progress" || got.Priority != 0 || !got.DueDate.IsZero() || got.TimeEstimate != 2*time.Hour {
		t.Errorf("task = %+v", got)
	}
	if len(got.Assignees) != 1 || got.Assignees[0] != bobID || len(got.Watchers) != 2 {
		t.Errorf("assignees %v watchers %v", got.Assignees, got.Watchers)
	}
	if got.Description != "old" {
		t.Errorf("description changed without being sent: %q", got.Description)
	}
	if !got.DateUpdated.Equal(w.clock.Now()) {
		t.Errorf("date_updated = %v", got.DateUpdated)
	}
	m := r.json(t)
	if m["priority"] != nil || m["due_date"] != nil || m["name"] != "Edited" {
		t.Errorf("response = %v %v %v", m["priority"], m["due_date"], m["name"])
	}

	// " " clears the description; markdown_content sets both.
	expect(t, w.call(t, "PUT", path, annTok, map[string]any{"description": " "}), 200, "")
	if got, _ := w.Task(task.ID); got.Description != "" || got.MarkdownDescription != "" {
		t.Errorf("description not cleared: %+v", got)
	}
	expect(t, w.call(t, "PUT", path, annTok, map[string]any{"markdown_content": "**new**"}), 200, "")
	if got, _ := w.Task(task.ID); got.Description != "new" || got.MarkdownDescription != "**new**" {
		t.Errorf("markdown: %+v", got)
	}

	// Closing sets date_closed and date_done; reopening clears them.
	m = w.call(t, "PUT", path, annTok, map[string]any{"status": "complete"}).json(t)
	if m["date_closed"] == nil || m["date_done"] == nil || m["status"].(map[string]any)["type"] != "closed" {
		t.Errorf("closed: %v %v", m["date_closed"], m["date_done"])
	}
	m = w.call(t, "PUT", path, annTok, map[string]any{"status": "to do"}).json(t)
	if m["date_closed"] != nil || m["date_done"] != nil {
		t.Errorf("reopened: %v %v", m["date_closed"], m["date_done"])
	}

	// A bad request changes nothing.
	before, _ := w.Task(task.ID)
	expect(t, w.call(t, "PUT", path, annTok, map[string]any{"name": "half", "status": "nope"}), 400, "ITEM_114")
	expect(t, w.call(t, "PUT", path, annTok, map[string]any{"assignees": []int64{bobID}}), 400, "INPUT_001")
	expect(t, w.call(t, "PUT", path, annTok, map[string]any{"name": ""}), 400, "INPUT_005")
	if after, _ := w.Task(task.ID); after.Name != before.Name {
		t.Errorf("a failed update applied: %q", after.Name)
	}

	// parent moves a subtask; null is ignored; a cycle is refused.
	p1 := w.AddTask(list30, Task{Name: "P1"})
	p2 := w.AddTask(list30, Task{Name: "P2"})
	sub := w.AddTask(list30, Task{Name: "Sub", Parent: p1.ID})
	expect(t, w.call(t, "PUT", "/api/v2/task/"+sub.ID, annTok, map[string]any{"parent": p2.ID}), 200, "")
	if got, _ := w.Task(sub.ID); got.Parent != p2.ID {
		t.Errorf("parent = %q", got.Parent)
	}
	expect(t, w.call(t, "PUT", "/api/v2/task/"+sub.ID, annTok, map[string]any{"parent": nil}), 200, "")
	if got, _ := w.Task(sub.ID); got.Parent != p2.ID {
		t.Errorf("parent null must not detach: %q", got.Parent)
	}
	expect(t, w.call(t, "PUT", "/api/v2/task/"+p2.ID, annTok, map[string]any{"parent": sub.ID}), 400, "ITEM_137")
}

func TestDeleteTask(t *testing.T) {
	w := newWorld(t)
	parent := w.AddTask(list30, Task{Name: "Parent"})
	child := w.AddTask(list30, Task{Name: "Child", Parent: parent.ID})
	keep := w.AddTask(list30, Task{Name: "Keep", LinkedTasks: []string{parent.ID}})
	w.AddComment(child.ID, Comment{UserID: annID, Text: "bye"})
	r := w.call(t, "DELETE", "/api/v2/task/"+parent.ID, annTok, nil)
	expect(t, r, 204, "")
	if len(r.body) != 0 {
		t.Errorf("204 body = %q", r.body)
	}
	if _, ok := w.Task(child.ID); ok {
		t.Error("subtask survived its parent")
	}
	if w.TaskCount() != 1 {
		t.Errorf("TaskCount = %d", w.TaskCount())
	}
	if got, _ := w.Task(keep.ID); len(got.LinkedTasks) != 0 {
		t.Errorf("dangling link: %v", got.LinkedTasks)
	}
	expect(t, w.get(t, "/api/v2/task/"+parent.ID), 401, "OAUTH_027")
	expect(t, w.get(t, "/api/v2/task/DEV-1?custom_task_ids=true&team_id="+wsDev), 401, "OAUTH_027")
	expect(t, w.call(t, "DELETE", "/api/v2/task/"+parent.ID, annTok, nil), 401, "OAUTH_027")
}

// Threads: reply_count on the comment, the replies oldest first without
// the comment, POST answering {} as the spec documents, and ids that are
// not threads refused.
func TestCommentThreads(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Threaded"})
	c := w.AddComment(task.ID, Comment{UserID: annID, Text: "Ship it?"})
	path := "/api/v2/comment/" + c.ID + "/reply"
	for i, text := range []string{"Yes", "After QA"} {
		w.clock.Advance(time.Minute)
		r := w.call(t, "POST", path, annTok, map[string]any{"comment_text": text, "assignee": bobID, "notify_all": false})
		expect(t, r, 200, "")
		if string(r.body) != "{}" {
			t.Fatalf("reply %d answered %s, want {}", i, r.body)
		}
	}
	r := w.get(t, path)
	expect(t, r, 200, "")
	var th struct {
		Comments []struct {
			CommentText string `json:"comment_text"`
			Assignee    *struct{ ID int64 }
		} `json:"comments"`
	}
	if err := json.Unmarshal(r.body, &th); err != nil || len(th.Comments) != 2 || th.Comments[0].CommentText != "Yes" || th.Comments[1].Assignee == nil || th.Comments[1].Assignee.ID != bobID {
		t.Fatalf("thread = %s (%v)", r.body, err)
	}
	cs := w.get(t, "/api/v2/task/"+task.ID+"/comment").json(t)["comments"].([]any)
	if len(cs) != 1 || cs[0].(map[string]any)["reply_count"] != "2" {
		t.Errorf("task comments = %v, want the one comment with reply_count \"2\"", cs)
	}
	reply := w.Replies(c.ID)[0]
	expect(t, w.get(t, "/api/v2/comment/"+reply.ID+"/reply"), 404, "COMMENT_002")
	expect(t, w.get(t, "/api/v2/comment/99999/reply"), 404, "COMMENT_002")
	expect(t, w.get(t, "/api/v2/comment/abc/reply"), 400, "INPUT_001")
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"comment_text": " "}), 400, "COMMENT_001")
	// A thread in a workspace the token cannot see is not there for it.
	other := w.AddTask(list40, Task{Name: "Elsewhere"})
	oc := w.AddComment(other.ID, Comment{UserID: cyID, Text: "private"})
	expect(t, w.get(t, "/api/v2/comment/"+oc.ID+"/reply"), 401, "OAUTH_027")
	// Deleting the task drops its threads.
	expect(t, w.call(t, "DELETE", "/api/v2/task/"+task.ID, annTok, nil), 204, "")
	if len(w.Replies(c.ID)) != 0 {
		t.Error("replies outlived their task")
	}
}

func TestComments(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Chatty"})
	path := "/api/v2/task/" + task.ID + "/comment"
	var ids []string
	for i := 0; i < 60; i++ {
		if i%3 != 0 { // several comments share a millisecond: start_id breaks the tie
			w.clock.Advance(time.Second)
		}
		r := w.call(t, "POST", path, annTok, map[string]any{"comment_text": "c" + strconv.Itoa(i), "notify_all": false})
		expect(t, r, 200, "")
		m := r.json(t)
		id, ok1 := m["id"].(string)
		_, ok2 := m["hist_id"].(string)
		date, ok3 := m["date"].(float64)
		if !ok1 || !ok2 || !ok3 || int64(date) != w.clock.Now().UnixMilli() {
			t.Fatalf("create comment response = %s", r.body)
		}
		ids = append(ids, id)
	}
	type page struct {
		Comments []struct {
			ID          string           `json:"id"`
			CommentText string           `json:"comment_text"`
			Comment     []map[string]any `json:"comment"`
			Date        string           `json:"date"`
			User        struct{ ID int64 }
			Assignee    any `json:"assignee"`
			Resolved    *bool
		} `json:"comments"`
	}
	var seen []string
	next := path
	for n := 0; ; n++ {
		r := w.get(t, next)
		expect(t, r, 200, "")
		var p page
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Comments {
			seen = append(seen, c.CommentText)
			if c.User.ID != annID || c.Resolved == nil || len(c.Comment) != 1 {
				t.Fatalf("comment = %+v", c)
			}
		}
		if len(p.Comments) < 25 {
			if n != 2 || len(p.Comments) != 10 {
				t.Errorf("page %d has %d comments", n, len(p.Comments))
			}
			break
		}
		last := p.Comments[len(p.Comments)-1]
		next = path + q("start", last.Date, "start_id", last.ID)
	}
	if len(seen) != 60 || seen[0] != "c59" || seen[59] != "c0" {
		t.Errorf("comments not newest first without gaps: %d, first %v last %v", len(seen), seen[0], seen[len(seen)-1])
	}
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"notify_all": true}), 400, "COMMENT_001")
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"comment_text": ""}), 400, "COMMENT_001")
	// The rich comment form is accepted too.
	expect(t, w.call(t, "POST", path, annTok, map[string]any{"comment": []map[string]any{{"text": "rich "}, {"text": "text"}}}), 200, "")
	if cs := w.Comments(task.ID); cs[len(cs)-1].Text != "rich text" {
		t.Errorf("rich comment = %q", cs[len(cs)-1].Text)
	}
	expect(t, w.get(t, "/api/v2/task/86nothere/comment"), 401, "OAUTH_027")
	_ = ids
}

func TestTags(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Tag me", Tags: []string{"bug"}})
	expect(t, w.call(t, "POST", "/api/v2/task/"+task.ID+"/tag/Needs%20Review", annTok, nil), 200, "")
	r := w.call(t, "POST", "/api/v2/task/"+task.ID+"/tag/a%2Fb", annTok, nil)
	expect(t, r, 200, "")
	if string(r.body) != "{}" {
		t.Errorf("body = %s", r.body)
	}
	got, _ := w.Task(task.ID)
	if strings.Join(got.Tags, "|") != "bug|needs review|a/b" {
		t.Errorf("tags = %v", got.Tags)
	}
	var st struct {
		Tags []struct {
			Name, TagFg, TagBg string
		} `json:"tags"`
	}
	if err := json.Unmarshal(w.get(t, "/api/v2/space/"+space10+"/tag").body, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Tags) != 3 || st.Tags[1].Name != "needs review" {
		t.Errorf("space tags = %+v", st.Tags)
	}
	expect(t, w.call(t, "DELETE", "/api/v2/task/"+task.ID+"/tag/BUG", annTok, nil), 200, "")
	expect(t, w.call(t, "DELETE", "/api/v2/task/"+task.ID+"/tag/never-had", annTok, nil), 200, "")
	if got, _ := w.Task(task.ID); strings.Join(got.Tags, "|") != "needs review|a/b" {
		t.Errorf("tags after removal = %v", got.Tags)
	}
	expect(t, w.call(t, "POST", "/api/v2/task/86nothere/tag/x", annTok, nil), 401, "OAUTH_027")
}

func TestHierarchy(t *testing.T) {
	w := newWorld(t)
	w.AddTask(list30, Task{Name: "one"})
	w.AddFolder(space10, Folder{ID: "21", Name: "Old", Archived: true})

	teams := w.get(t, "/api/v2/team").json(t)["teams"].([]any)
	if len(teams) != 1 {
		t.Fatalf("teams = %v", teams)
	}
	team := teams[0].(map[string]any)
	mem := team["members"].([]any)[0].(map[string]any)["user"].(map[string]any)
	if team["id"] != wsDev || mem["id"] != float64(annID) || mem["role"] != float64(3) {
		t.Errorf("team = %v", team)
	}
	spaces := w.get(t, "/api/v2/team/"+wsDev+"/space?archived=false").json(t)["spaces"].([]any)
	sp := spaces[0].(map[string]any)
	if len(spaces) != 1 || sp["id"] != space10 || len(sp["statuses"].([]any)) != 3 || sp["features"] == nil {
		t.Errorf("spaces = %v", spaces)
	}
	if got := w.get(t, "/api/v2/space/"+space10).json(t); got["name"] != "Eng" {
		t.Errorf("space = %v", got)
	}
	folders := w.get(t, "/api/v2/space/"+space10+"/folder").json(t)["folders"].([]any)
	if len(folders) != 1 {
		t.Fatalf("folders = %v (archived ones need archived=true)", folders)
	}
	f := folders[0].(map[string]any)
	if f["id"] != folder20 || f["task_count"] != "1" || len(f["lists"].([]any)) != 2 {
		t.Errorf("folder = %v", f)
	}
	if got := w.get(t, "/api/v2/space/"+space10+"/folder?archived=true").json(t)["folders"].([]any); len(got) != 1 {
		t.Errorf("archived folders = %v", got)
	}
	lists := w.get(t, "/api/v2/folder/"+folder20+"/list").json(t)["lists"].([]any)
	if len(lists) != 2 || lists[0].(map[string]any)["task_count"] != "1" {
		t.Errorf("lists = %v", lists)
	}
	fl := w.get(t, "/api/v2/space/"+space10+"/list").json(t)["lists"].([]any)
	if len(fl) != 1 || fl[0].(map[string]any)["id"] != list31 {
		t.Errorf("folderless = %v", fl)
	}
	l := w.get(t, "/api/v2/list/"+list31).json(t)
	sts := l["statuses"].([]any)
	if len(sts) != 4 || l["override_statuses"] != true || sts[3].(map[string]any)["type"] != "closed" || sts[1].(map[string]any)["orderindex"] != float64(1) {
		t.Errorf("list = %v", l)
	}
	members := w.get(t, "/api/v2/list/"+list30+"/member").json(t)["members"].([]any)
	if len(members) != 1 || members[0].(map[string]any)["id"] != float64(annID) || members[0].(map[string]any)["profileInfo"] == nil {
		t.Errorf("list members = %v", members)
	}
	task := w.AddTask(list30, Task{Name: "m", CreatorID: annID, Assignees: []int64{bobID}})
	tm := w.get(t, "/api/v2/task/"+task.ID+"/member").json(t)["members"].([]any)
	if len(tm) != 2 {
		t.Errorf("task members = %v", tm)
	}
	fields := w.get(t, "/api/v2/list/"+list30+"/field").json(t)["fields"].([]any)
	if len(fields) != 2 || fields[0].(map[string]any)["type"] != "drop_down" {
		t.Errorf("fields = %v", fields)
	}
	if u := w.get(t, "/api/v2/user").json(t)["user"].(map[string]any); u["id"] != float64(annID) || u["username"] != "Ann Lee" {
		t.Errorf("user = %v", u)
	}
}
