package tools

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// withFields gives the test world's Engineering space a field of each
// common type, and the Bugs list one of its own.
func withFields(h *harness) {
	f := h.fake
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-sev", Name: "Severity", Type: "drop_down", Options: []clickuptest.FieldOption{
		{ID: "o-low", Name: "Low"}, {ID: "o-med", Name: "Medium"}, {ID: "o-high", Name: "High"}}})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-area", Name: "Area", Type: "labels", Options: []clickuptest.FieldOption{
		{ID: "l-fe", Name: "frontend"}, {ID: "l-be", Name: "backend"}}})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-pts", Name: "Estimate Points", Type: "number"})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-rev", Name: "Reviewer", Type: "users"})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-qa", Name: "QA date", Type: "date"})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-ok", Name: "Approved", Type: "checkbox"})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-mail", Name: "Contact", Type: "email"})
	f.AddCustomField(h.space, clickuptest.CustomField{ID: "f-note", Name: "Notes", Type: "text"})
	f.AddCustomField(h.bugs, clickuptest.CustomField{ID: "f-cust", Name: "Customer", Type: "short_text"})
}

func TestGetList(t *testing.T) {
	h := newHarness(t, "pk_alex")
	withFields(h)
	var r GetListResult
	text := h.mustOK(t, "clickup_get_list", map[string]any{"list_id": "Platform/Sprint 12"}, &r)
	if r.ID != h.sprint || r.Path != "Engineering/Platform/Sprint 12" || r.SpaceID != h.space {
		t.Fatalf("got %+v", r)
	}
	var sts []string
	for _, s := range r.Statuses {
		sts = append(sts, s.Name)
	}
	if strings.Join(sts, ",") != "to do,in progress,in review,done,closed" {
		t.Errorf("statuses in order: %v", sts)
	}
	if len(r.Fields) != 8 || r.Fields[0].Name != "Severity" || strings.Join(r.Fields[0].Options, ",") != "Low,Medium,High" ||
		strings.Join(r.Fields[1].Options, ",") != "frontend,backend" {
		t.Errorf("fields: %+v", r.Fields)
	}
	if len(r.Tags) == 0 || r.Tags[0] != "bug" {
		t.Errorf("tags: %v", r.Tags)
	}
	for _, want := range []string{"Statuses: to do (open) > in progress", "Severity (drop_down: Low, Medium, High)", "Tags: bug"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// The folderless list has its own field besides the space's.
	h.mustOK(t, "clickup_get_list", map[string]any{"list_id": h.bugs}, &r)
	if r.Path != "Engineering/Bugs" || len(r.Fields) != 9 {
		t.Errorf("bugs: %s, %d fields", r.Path, len(r.Fields))
	}
	h.mustErr(t, "clickup_get_list", map[string]any{"list_id": "Sprint 99"}, "list_id", "Sprint 12")
	h.mustErr(t, "clickup_get_list", map[string]any{"list_id": true}, "list_id")
	h.mustErr(t, "clickup_get_list", map[string]any{}, "list_id")
	h.fake.InjectFault(clickuptest.Fault{Path: "/v2/list/{id}/field", Status: 429, Times: 10, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`})
	h.mustErr(t, "clickup_get_list", map[string]any{"list_id": h.backlog}, "Rate limit")
}

func TestUpdateCustomFieldsByName(t *testing.T) {
	h := newHarness(t, "pk_alex")
	withFields(h)
	var r UpdateTaskResult
	h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.loginCustom, "custom_fields": []map[string]any{
		{"field": "severity", "value": "high"},
		{"field": "Area", "value": []string{"Frontend", "backend"}},
		{"field": "Estimate Points", "value": 5},
		{"field": "Reviewer", "value": "blair@example.com"},
		{"field": "QA date", "value": "2026-12-03 14:00"},
		{"field": "Approved", "value": true},
		{"field": "Contact", "value": "ops@example.com"},
		{"field": "Notes", "value": "line one, with a comma"},
	}}, &r)
	got, _ := h.fake.Task(h.login)
	cf := got.CustomFields
	if cf["f-sev"] != "o-high" || strings.Join(cf["f-area"].([]string), ",") != "l-fe,l-be" || cf["f-pts"] != 5.0 ||
		cf["f-ok"] != true || cf["f-mail"] != "ops@example.com" || cf["f-note"] != "line one, with a comma" {
		t.Fatalf("stored: %#v", cf)
	}
	if rv, _ := cf["f-rev"].([]int64); len(rv) != 1 || rv[0] != h.blair {
		t.Errorf("reviewer: %#v", cf["f-rev"])
	}
	ny, _ := time.LoadLocation("America/New_York") // Alex's zone
	if ms, _ := cf["f-qa"].(int64); !time.UnixMilli(ms).Equal(time.Date(2026, 12, 3, 14, 0, 0, 0, ny)) {
		t.Errorf("qa date: %v", cf["f-qa"])
	}
	if r.TaskID != h.loginCustom || r.Task != nil || len(r.Changed) != 8 || r.Changed[0] != "Severity" {
		t.Errorf("result: %+v", r)
	}

	// Clearing a field; a field and a plain change together.
	h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.login, "status": "in review", "custom_fields": []map[string]any{
		{"field": "Severity", "clear": true}}}, &r)
	got, _ = h.fake.Task(h.login)
	if _, ok := got.CustomFields["f-sev"]; ok || got.Status != "in review" || r.Task == nil {
		t.Fatalf("clear: %#v, status %s, result %+v", got.CustomFields, got.Status, r)
	}

	// Bad input: nothing is sent, the error says what is valid.
	before := writes(h.fake)
	for _, c := range []struct {
		field any
		value any
		want  []string
	}{
		{"Sevrity", "High", []string{"no custom field", "Severity (drop_down)"}},
		{"Severity", "Blocker", []string{"not an option", "Low, Medium, High"}},
		{"Area", "frontend, mobile", []string{"not an option", "frontend, backend"}},
		{"Estimate Points", "five", []string{"give a number"}},
		{"Approved", "maybe", []string{"true or false"}},
		{"Contact", "not an email", []string{"email"}},
		{"Reviewer", "nobody@nowhere", []string{"no member matches"}},
		{"QA date", "someday soon", []string{"date"}},
		{"Customer", "Acme", []string{"no custom field"}}, // the Bugs list's field, not Sprint 12's
		{"Severity", map[string]any{"x": 1}, []string{"value"}},
		{7, "High", []string{"field"}},
	} {
		h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "name": "renamed", "custom_fields": []map[string]any{
			{"field": "Notes", "value": "fine"}, {"field": c.field, "value": c.value}}}, c.want...)
	}
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "custom_fields": []map[string]any{
		{"field": "Notes", "value": "x", "clear": true}}}, "not both")
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "custom_fields": []map[string]any{
		{"field": "Notes", "value": "a"}, {"field": "notes", "value": "b"}}}, "twice")
	if n := writes(h.fake) - before; n != 0 {
		t.Fatalf("%d writes reached ClickUp despite bad input", n)
	}
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": "DEV-999", "custom_fields": []map[string]any{
		{"field": "Notes", "value": "a"}}}, "OAUTH_027")

	// A fault on the second write says what was applied.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/task/{id}/field/{field}", Times: 1, Status: 500, Body: `{"err":"boom","ECODE":"X"}`})
	text := h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "name": "Renamed login", "custom_fields": []map[string]any{
		{"field": "Notes", "value": "n"}}}, "Already changed: name", `"Notes"`)
	if strings.Contains(text, "pk_alex") {
		t.Errorf("token in error: %s", text)
	}
	// Rate limited beyond the retry budget: an error a model can act on.
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/task/{id}/field/{field}", Times: 10, Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`})
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": h.login, "custom_fields": []map[string]any{
		{"field": "Notes", "value": "n"}}}, "Rate limit")
}

// TestSetFieldWarmIsOneRequest: "set Severity to High on DEV-42", warm,
// sends exactly the write.
func TestSetFieldWarmIsOneRequest(t *testing.T) {
	h := newHarness(t, "pk_alex")
	withFields(h)
	args := map[string]any{"task_id": h.loginCustom, "custom_fields": []map[string]any{{"field": "Severity", "value": "Medium"}}}
	h.mustOK(t, "clickup_update_task", args, nil)
	n := h.fake.Count("")
	args["custom_fields"] = []map[string]any{{"field": "Severity", "value": "High"}}
	h.mustOK(t, "clickup_update_task", args, nil)
	if got := h.fake.Count("") - n; got != 1 {
		t.Fatalf("warm set field made %d requests, want 1", got)
	}
	if tk, _ := h.fake.Task(h.login); tk.CustomFields["f-sev"] != "o-high" {
		t.Fatalf("stored %v", tk.CustomFields["f-sev"])
	}
	// A get_task warms it too.
	h2 := newHarness(t, "pk_alex")
	withFields(h2)
	h2.mustOK(t, "clickup_get_list", map[string]any{"list_id": h2.sprint}, nil)
	h2.mustOK(t, "clickup_get_task", map[string]any{"task_id": h2.loginCustom}, nil)
	n = h2.fake.Count("")
	h2.mustOK(t, "clickup_update_task", args, nil)
	if got := h2.fake.Count("") - n; got != 1 {
		t.Fatalf("set field after get_task and get_list made %d requests, want 1", got)
	}
}

func TestCreateTaskCustomFields(t *testing.T) {
	h := newHarness(t, "pk_alex")
	withFields(h)
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "Crash on save", "custom_fields": []map[string]any{
		{"field": "Severity", "value": "Low"}, {"field": "Customer", "value": "Initech"}, {"field": "QA date", "value": "tomorrow"}}}, &r)
	got, _ := h.fake.Task(r.Task.ID)
	if got.CustomFields["f-sev"] != "o-low" || got.CustomFields["f-cust"] != "Initech" {
		t.Fatalf("stored %#v", got.CustomFields)
	}
	ny, _ := time.LoadLocation("America/New_York") // Alex's zone
	want := time.Date(2026, 11, 26, 4, 0, 0, 0, ny).UnixMilli()
	if ms, _ := got.CustomFields["f-qa"].(int64); ms != want {
		t.Errorf("date without a time: %v, want %d", got.CustomFields["f-qa"], want)
	}
	before := h.fake.Count("POST /v2/list/{list_id}/task")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "x", "custom_fields": []map[string]any{{"field": "Severity", "value": "Huge"}}}, "Low, Medium, High")
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "x", "custom_fields": []map[string]any{{"field": "Severity", "clear": true}}}, "clear", "unknown argument")
	if n := h.fake.Count("POST /v2/list/{list_id}/task") - before; n != 0 {
		t.Fatalf("%d creates despite bad fields", n)
	}
}

// A create with a custom field of each type whose answer was lost is proven
// this call's own: ClickUp answers the values in other shapes than it takes
// them (a drop-down by orderindex, numbers and dates as strings, people as
// user objects), and the proof compares them as values, not as JSON.
func TestLostCreateWithCustomFieldsIsProven(t *testing.T) {
	h := newHarness(t, "pk_alex")
	withFields(h)
	fields := []map[string]any{
		{"field": "Severity", "value": "High"}, {"field": "Area", "value": "backend, frontend"},
		{"field": "Estimate Points", "value": "5"}, {"field": "Reviewer", "value": "me"},
		{"field": "QA date", "value": "2026-12-03 15:00"}, {"field": "Approved", "value": "yes"},
		{"field": "Contact", "value": "qa@example.com"}, {"field": "Notes", "value": "see the thread"},
		{"field": "Customer", "value": "Initech"},
	}
	for i, f := range []clickuptest.Fault{{Drop: clickuptest.DropAfterHandling}, {Status: 502, Body: `{"err":"Bad gateway"}`, Applied: true}} {
		name := fmt.Sprintf("Lost with fields %d", i)
		before := h.fake.TasksCreated()
		f.Method, f.Path = "POST", "/v2/list/{id}/task"
		h.fake.InjectFault(f)
		var r CreateTaskResult
		text := h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": name, "custom_fields": fields}, &r)
		if !strings.Contains(text, "this call's own") || h.fake.TasksCreated() != before+1 {
			t.Fatalf("%+v: %s", f, text)
		}
	}
	// A task of the same name whose drop-down holds another option is not it.
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "Other severity", "custom_fields": []map[string]any{{"field": "Severity", "value": "Low"}}}, nil)
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/list/{id}/task", Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_create_task", map[string]any{"list_id": "Bugs", "name": "Other severity", "custom_fields": []map[string]any{{"field": "Severity", "value": "High"}}},
		"Outcome unknown", "custom field")
}
