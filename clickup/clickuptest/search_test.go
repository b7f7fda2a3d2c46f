package clickuptest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPagination(t *testing.T) {
	w := newWorld(t)
	base := w.clock.Now()
	for i := 0; i < 250; i++ {
		// Created newest-last but inserted in scrambled order: sorting is by date.
		k := (i * 97) % 250
		w.AddTask(list30, Task{Name: fmt.Sprintf("task %03d", k), DateCreated: base.Add(time.Duration(k) * time.Minute)})
	}
	for _, path := range []string{"/api/v2/team/" + wsDev + "/task", "/api/v2/list/" + list30 + "/task"} {
		var all []string
		for page, want := range []int{100, 100, 50, 0} {
			tl := w.tasks(t, path+"?page="+strconv.Itoa(page))
			if len(tl.Tasks) != want {
				t.Fatalf("%s page %d: %d tasks, want %d", path, page, len(tl.Tasks), want)
			}
			if tl.LastPage == nil || *tl.LastPage != (page >= 2) {
				t.Errorf("%s page %d: last_page = %v", path, page, tl.LastPage)
			}
			all = append(all, tl.names()...)
		}
		if len(all) != 250 || all[0] != "task 000" || all[249] != "task 249" || !slices.IsSorted(all) {
			t.Errorf("%s: default order is date_created ascending; got %d, first %q last %q", path, len(all), all[0], all[len(all)-1])
		}
		rev := w.tasks(t, path+"?reverse=true")
		if rev.Tasks[0].Name != "task 249" {
			t.Errorf("reverse: first = %q", rev.Tasks[0].Name)
		}
	}
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?page=x"), 400, "INPUT_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?page=-1"), 400, "INPUT_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?order_by=name"), 400, "INPUT_001")
}

func TestOrderBy(t *testing.T) {
	w := newWorld(t)
	now := w.clock.Now()
	a := w.AddTask(list30, Task{Name: "a", DateCreated: now.Add(-3 * time.Hour), DateUpdated: now, DueDate: now.Add(48 * time.Hour)})
	b := w.AddTask(list30, Task{Name: "b", DateCreated: now.Add(-2 * time.Hour), DateUpdated: now.Add(-2 * time.Hour)})
	c := w.AddTask(list30, Task{Name: "c", DateCreated: now.Add(-1 * time.Hour), DateUpdated: now.Add(-1 * time.Hour), DueDate: now.Add(time.Hour)})
	ids := []string{a.ID, b.ID, c.ID}
	slices.Sort(ids)
	tests := map[string]string{
		"":                                "a,b,c",
		"?order_by=created":               "a,b,c",
		"?order_by=updated":               "b,c,a",
		"?order_by=updated&reverse=true":  "a,c,b",
		"?order_by=due_date":              "c,a,b", // no due date last
		"?order_by=due_date&reverse=true": "b,a,c",
	}
	for query, want := range tests {
		if got := strings.Join(w.tasks(t, "/api/v2/list/"+list30+"/task"+query).names(), ","); got != want {
			t.Errorf("%s: %s, want %s", query, got, want)
		}
	}
	var got []string
	for _, tk := range w.tasks(t, "/api/v2/list/"+list30+"/task?order_by=id").Tasks {
		got = append(got, tk.ID)
	}
	if !slices.Equal(got, ids) {
		t.Errorf("order_by=id: %v, want %v", got, ids)
	}
}

// filterWorld builds a small set of tasks that every filter can tell apart.
func filterWorld(t *testing.T) (*world, map[string]Task) {
	w := newWorld(t)
	now := w.clock.Now()
	h := time.Hour
	tasks := map[string]Task{}
	add := func(key, list string, tk Task) {
		tk.Name = key
		tasks[key] = w.AddTask(list, tk)
	}
	add("open-ann", list30, Task{Assignees: []int64{annID}, Tags: []string{"bug"}, DueDate: now.Add(24 * h),
		DateCreated: now.Add(-10 * h), CustomFields: map[string]any{w.sev.ID: "High", w.pts.ID: 3}})
	add("progress-bob", list30, Task{Status: "in progress", Assignees: []int64{bobID}, Watchers: []int64{annID}, Tags: []string{"ui"},
		DueDate: now.Add(-24 * h), DateCreated: now.Add(-9 * h), DateUpdated: now.Add(-h), CustomFields: map[string]any{w.sev.ID: "Low", w.pts.ID: 8}})
	add("closed", list30, Task{Status: "complete", DateCreated: now.Add(-8 * h), DateDone: now.Add(-2 * h)})
	add("backlog", list32, Task{DateCreated: now.Add(-7 * h), CustomItemID: 1})
	add("bugs-fixing", list31, Task{Status: "fixing", Assignees: []int64{annID, bobID}, DateCreated: now.Add(-6 * h), OtherListIDs: []string{list30}})
	add("bugs-fixed", list31, Task{Status: "fixed", DateCreated: now.Add(-5 * h), DateDone: now.Add(-3 * h)})
	add("archived", list30, Task{Archived: true, DateCreated: now.Add(-4 * h)})
	add("sub", list30, Task{Parent: tasks["open-ann"].ID, DateCreated: now.Add(-3 * h), Tags: []string{"bug"}})
	add("sub-closed", list30, Task{Parent: tasks["open-ann"].ID, Status: "complete", DateCreated: now.Add(-2 * h)})
	w.AddTask(list40, Task{Name: "other-workspace"})
	return w, tasks
}

func TestTeamTaskFilters(t *testing.T) {
	w, tasks := filterWorld(t)
	now := w.clock.Now()
	ms := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).UnixMilli(), 10) }
	cf := func(v ...map[string]any) string { b, _ := json.Marshal(v); return string(b) }
	sev, pts := w.sev.ID, w.pts.ID
	tests := []struct {
		name, query, want string
	}{
		{"default: no closed, no subtasks, no archived", "", "open-ann,progress-bob,backlog,bugs-fixing,bugs-fixed"},
		{"include_closed", q("include_closed", "true"), "open-ann,progress-bob,closed,backlog,bugs-fixing,bugs-fixed"},
		{"subtasks", q("subtasks", "true"), "open-ann,progress-bob,backlog,bugs-fixing,bugs-fixed,sub"},
		{"subtasks and closed", q("subtasks", "true", "include_closed", "true"), "open-ann,progress-bob,closed,backlog,bugs-fixing,bugs-fixed,sub,sub-closed"},
		{"parent", q("parent", tasks["open-ann"].ID), "sub"},
		{"parent with closed", q("parent", tasks["open-ann"].ID, "include_closed", "true"), "sub,sub-closed"},
		{"statuses case-insensitive", q("statuses[]", "IN PROGRESS", "statuses[]", "Fixing"), "progress-bob,bugs-fixing"},
		{"statuses without brackets", q("statuses", "in progress"), "progress-bob"},
		{"closed status needs include_closed", q("statuses[]", "complete"), ""},
		{"closed status with include_closed", q("statuses[]", "complete", "include_closed", "true"), "closed"},
		{"assignees any", q("assignees[]", strconv.FormatInt(annID, 10)), "open-ann,bugs-fixing"},
		{"assignees several", q("assignees[]", strconv.FormatInt(annID, 10), "assignees[]", strconv.FormatInt(bobID, 10)), "open-ann,progress-bob,bugs-fixing"},
		{"tags", q("tags[]", "BUG", "tags[]", "ui"), "open-ann,progress-bob"},
		{"list_ids", q("list_ids[]", list31), "bugs-fixing,bugs-fixed"},
		{"list_ids no brackets", q("list_ids", list32), "backlog"},
		{"space_ids", q("space_ids[]", space10, "list_ids[]", list32), "backlog"},
		{"project_ids", q("project_ids[]", folder20), "open-ann,progress-bob,backlog"},
		{"due_date_gt", q("due_date_gt", ms(0)), "open-ann"},
		{"due_date_lt", q("due_date_lt", ms(0)), "progress-bob"},
		{"date_created window", q("date_created_gt", ms(-9*time.Hour-time.Minute), "date_created_lt", ms(-6*time.Hour)), "progress-bob,backlog"},
		{"date_updated_gt", q("date_updated_gt", ms(-90*time.Minute)), "progress-bob"},
		{"date_done", q("date_done_gt", ms(-4*time.Hour), "include_closed", "true"), "closed,bugs-fixed"},
		{"custom_items", q("custom_items[]", "1"), "backlog"},
		{"custom_items task", q("custom_items[]", "0", "list_ids[]", list32), ""},
		{"cf = dropdown by name", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "=", "value": "high"})), "open-ann"},
		{"cf = dropdown by option id", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "=", "value": w.sev.Options[1].ID})), "progress-bob"},
		{"cf == number", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "==", "value": "8"})), "progress-bob"},
		{"cf > number", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": ">", "value": 3})), "progress-bob"},
		{"cf >= number", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": ">=", "value": 3})), "open-ann,progress-bob"},
		{"cf < and <=", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "<", "value": 8}, map[string]any{"field_id": pts, "operator": "<=", "value": 3})), "open-ann"},
		{"cf != matches unset too", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "!=", "value": 3})), "progress-bob,backlog,bugs-fixing,bugs-fixed"},
		{"cf IS NULL", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "IS NULL"}), "list_ids[]", list30), ""},
		{"cf IS NULL other lists", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "IS NULL"})), "backlog,bugs-fixing,bugs-fixed"},
		{"cf IS NOT NULL", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "IS NOT NULL"})), "open-ann,progress-bob"},
		{"cf ANY", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "ANY", "value": []any{"High", "Low"}})), "open-ann,progress-bob"},
		{"cf NOT ANY", q("custom_fields", cf(map[string]any{"field_id": sev, "operator": "NOT ANY", "value": []any{"High"}}), "list_ids[]", list30), "progress-bob"},
		{"cf RANGE", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "RANGE", "value": []any{4, 10}})), "progress-bob"},
		{"cf RANGE object", q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "RANGE", "value": map[string]any{"low_value": 1, "high_value": 3}})), "open-ann"},
		{"combined", q("assignees[]", strconv.FormatInt(annID, 10), "tags[]", "bug", "subtasks", "true"), "open-ann"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(w.tasks(t, "/api/v2/team/"+wsDev+"/task"+tc.query).names(), ",")
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?custom_fields=nope"), 400, "FIELD_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task"+q("custom_fields", cf(map[string]any{"field_id": "x", "operator": "="}))), 400, "FIELD_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task"+q("custom_fields", cf(map[string]any{"field_id": pts, "operator": "LIKE"}))), 400, "FIELD_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?assignees[]=ann"), 400, "INPUT_001")
	expect(t, w.get(t, "/api/v2/team/"+wsDev+"/task?due_date_gt=tomorrow"), 400, "INPUT_001")
	expect(t, w.get(t, "/api/v2/team/"+wsOther+"/task"), 401, "OAUTH_027")
}

func TestListTaskFilters(t *testing.T) {
	w, tasks := filterWorld(t)
	path := "/api/v2/list/" + list30 + "/task"
	tests := []struct{ name, query, want string }{
		{"default", "", "open-ann,progress-bob"},
		{"include_closed and subtasks", q("include_closed", "true", "subtasks", "true"), "open-ann,progress-bob,closed,sub,sub-closed"},
		{"archived", q("archived", "true"), "archived"},
		{"include_timl", q("include_timl", "true"), "open-ann,progress-bob,bugs-fixing"},
		{"watchers", q("watchers[]", strconv.FormatInt(annID, 10)), "progress-bob"},
		{"assignees without brackets", q("assignees", strconv.FormatInt(bobID, 10)), "progress-bob"},
		{"statuses", q("statuses[]", "to do"), "open-ann"},
		{"parent", q("parent", tasks["open-ann"].ID), "sub"},
		{"custom_field (single)", q("custom_field", `{"field_id":"`+w.sev.ID+`","operator":"=","value":"low"}`), "progress-bob"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(w.tasks(t, path+tc.query).names(), ","); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	// The team search has no watchers filter: it is ignored there.
	if got := w.tasks(t, "/api/v2/team/"+wsDev+"/task"+q("watchers[]", strconv.FormatInt(annID, 10))); len(got.Tasks) != 5 {
		t.Errorf("team search with watchers: %v", got.names())
	}
}

func TestMarkdownInLists(t *testing.T) {
	w := newWorld(t)
	w.AddTask(list30, Task{Name: "md", MarkdownDescription: "**b**"})
	var raw struct {
		Tasks []map[string]any `json:"tasks"`
	}
	json.Unmarshal(w.get(t, "/api/v2/list/"+list30+"/task").body, &raw)
	if _, ok := raw.Tasks[0]["markdown_description"]; ok {
		t.Error("markdown_description without the flag")
	}
	if _, ok := raw.Tasks[0]["subtasks"]; ok {
		t.Error("subtasks in a task list")
	}
	json.Unmarshal(w.get(t, "/api/v2/team/"+wsDev+"/task?include_markdown_description=true").body, &raw)
	if raw.Tasks[0]["markdown_description"] != "**b**" || raw.Tasks[0]["description"] != "b" {
		t.Errorf("task = %v", raw.Tasks[0])
	}
}
