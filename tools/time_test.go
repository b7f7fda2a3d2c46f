package tools

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

func lastQuery(t *testing.T, f *clickuptest.Server, route string) url.Values {
	t.Helper()
	rs := f.Requests()
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Route == route {
			q, err := url.ParseQuery(rs[i].RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
	}
	t.Fatalf("no request to %s", route)
	return nil
}

// "log 1h30m on DEV-1 yesterday at 2pm": in the user's zone, on the task
// by custom id; warm, one request.
func TestLogTime(t *testing.T) {
	h := newHarness(t, "pk_alex")
	args := map[string]any{"task_id": h.loginCustom, "duration": "1h30m", "start": "yesterday 2pm", "description": "Fixing"}
	var r LogTimeResult
	text := h.mustOK(t, "clickup_log_time", args, &r)
	es := h.fake.TimeEntries(h.ws)
	if len(es) != 1 {
		t.Fatalf("%d entries", len(es))
	}
	ny, _ := time.LoadLocation("America/New_York")
	want := time.Date(2026, 11, 24, 14, 0, 0, 0, ny)
	if e := es[0]; !e.Start.Equal(want) || e.End.Sub(e.Start) != 90*time.Minute || e.TaskID != h.login || e.UserID != h.alex || e.Description != "Fixing" {
		t.Fatalf("entry %+v, want %v for 1h30m on %s", e, want, h.login)
	}
	if r.ID != es[0].ID || r.Duration != "1h30m" || r.Person != "Alex Rivera" || !strings.Contains(text, "Logged 1h30m on "+h.loginCustom) {
		t.Fatalf("result %+v\n%s", r, text)
	}
	// Warm: one request.
	before := h.fake.Count("")
	h.mustOK(t, "clickup_log_time", map[string]any{"task_id": h.loginCustom, "duration": "1h30m", "start": "yesterday at 2pm", "billable": true}, nil)
	if n := h.fake.Count("") - before; n != 1 {
		t.Errorf("warm log cost %d requests, want 1", n)
	}
	// The same call again is answered from memory, not logged twice.
	var again LogTimeResult
	h.mustOK(t, "clickup_log_time", args, &again)
	if !again.Deduplicated || again.ID != r.ID || len(h.fake.TimeEntries(h.ws)) != 2 {
		t.Fatalf("retry %+v, %d entries", again, len(h.fake.TimeEntries(h.ws)))
	}
	// Start and end; for another member (Alex is no admin here: ClickUp refuses).
	h.mustOK(t, "clickup_log_time", map[string]any{"task_id": h.login, "start": "2026-11-23 09:00", "end": "2026-11-23 10:15", "tags": []string{"review"}}, &r)
	if r.Duration != "1h15m" {
		t.Fatalf("start+end: %+v", r)
	}
	h.mustErr(t, "clickup_log_time", map[string]any{"task_id": h.login, "duration": "1h", "start": "yesterday 2pm", "person": "blair@example.com"}, "owners and admins")
	// No task, no start: ends now.
	r = LogTimeResult{}
	h.mustOK(t, "clickup_log_time", map[string]any{"duration": "20m"}, &r)
	if r.TaskID != "" || !strings.HasPrefix(r.End, "2026-11-25T10:00") {
		t.Fatalf("no task: %+v", r)
	}
}

func TestLogTimeRefusals(t *testing.T) {
	h := newHarness(t, "pk_alex")
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"task_id": h.login}, []string{"duration", "is required"}},
		{map[string]any{"task_id": h.login, "duration": "soon"}, []string{"duration", "1h30m"}},
		{map[string]any{"task_id": h.login, "duration": 90}, []string{"duration", "string"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "end": "now"}, []string{"not both"}},
		{map[string]any{"task_id": h.login, "duration": "30h"}, []string{"more than a day"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "start": "tomorrow 9am"}, []string{"future"}},
		{map[string]any{"task_id": h.login, "start": "2026-11-23 10:00", "end": "2026-11-23 09:00"}, []string{"not after"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "start": "whenever"}, []string{"start", "cannot read"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "person": "nobody@example.com"}, []string{"person", "no member"}},
		{map[string]any{"task_id": "nosuch", "duration": "1h"}, []string{"OAUTH_027"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "tags": []string{" "}}, []string{"tags"}},
		{map[string]any{"task_id": h.login, "duration": "1h", "billable": "yes"}, []string{"billable"}},
	} {
		h.mustErr(t, "clickup_log_time", c.args, c.want...)
	}
	if n := len(h.fake.TimeEntries(h.ws)); n != 0 {
		t.Fatalf("refused calls logged %d entries", n)
	}
}

// A lost answer is proven by a read and logged once; a rate limit is waited
// out; a 502 that did not apply is reported unknown and never re-sent
// blindly.
func TestLogTimeFaults(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	fault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/team/{team_Id}/time_entries"
		w.fake.InjectFault(f)
	}
	args := map[string]any{"task_id": w.login, "duration": "45m", "start": "yesterday 10am"}
	fault(clickuptest.Fault{Truncate: true})
	text := h.mustOK(t, "clickup_log_time", args, nil)
	if !strings.Contains(text, "logged once") || len(w.fake.TimeEntries(w.ws)) != 1 {
		t.Fatalf("truncated: %s; %d entries", text, len(w.fake.TimeEntries(w.ws)))
	}
	var r LogTimeResult
	h.mustOK(t, "clickup_log_time", args, &r)
	if !r.Deduplicated || len(w.fake.TimeEntries(w.ws)) != 1 {
		t.Fatalf("retry: %+v", r)
	}
	args["start"] = "yesterday 1pm"
	fault(clickuptest.Fault{Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_log_time", args, nil)
	if len(w.fake.TimeEntries(w.ws)) != 2 {
		t.Fatal("the rate-limited log was not sent again")
	}
	args["start"] = "yesterday 4pm"
	fault(clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_log_time", args, "Outcome unknown", "clickup_get_time_entries")
	if len(w.fake.TimeEntries(w.ws)) != 2 {
		t.Fatal("a 502 logged time")
	}
}

// The listing always sends a range and people, and says what it assumed.
func TestGetTimeEntries(t *testing.T) {
	h := newHarness(t, "pk_alex")
	ny, _ := time.LoadLocation("America/New_York")
	day := func(d, hr int) time.Time { return time.Date(2026, 11, d, hr, 0, 0, 0, ny) }
	h.fake.AddTimeEntry(h.ws, clickuptest.TimeEntry{UserID: h.alex, TaskID: h.login, Start: day(23, 9), End: day(23, 11)})
	h.fake.AddTimeEntry(h.ws, clickuptest.TimeEntry{UserID: h.alex, TaskID: h.logout, Start: day(24, 9), End: day(24, 10), Description: "Pairing"})
	h.fake.AddTimeEntry(h.ws, clickuptest.TimeEntry{UserID: h.alex, Start: day(24, 13), End: day(24, 13).Add(30 * time.Minute)})
	h.fake.AddTimeEntry(h.ws, clickuptest.TimeEntry{UserID: h.alex, TaskID: h.login, Start: day(16, 9), End: day(16, 10)}) // last week
	h.fake.AddTimeEntry(h.ws, clickuptest.TimeEntry{UserID: h.blair, TaskID: h.login, Start: day(24, 9), End: day(24, 12)})
	var r TimeEntriesResult
	text := h.mustOK(t, "clickup_get_time_entries", map[string]any{}, &r)
	q := lastQuery(t, h.fake, "GET /v2/team/{team_Id}/time_entries")
	monday := strconv.FormatInt(day(23, 0).UnixMilli(), 10)
	sunday := strconv.FormatInt(day(30, 0).UnixMilli()-1, 10)
	if q.Get("start_date") != monday || q.Get("end_date") != sunday || q.Get("assignee") != "101" {
		t.Fatalf("query %v: want this week's Monday and Alex sent explicitly", q)
	}
	if r.Total != "3h30m" || len(r.Entries) != 3 || len(r.Totals) != 1 || !strings.Contains(r.Assumed, "this week") || !strings.Contains(text, "your own last 30 days") {
		t.Fatalf("result %+v\n%s", r, text)
	}
	h.mustOK(t, "clickup_get_time_entries", map[string]any{"group_by": "task"}, &r)
	if len(r.Totals) != 3 || r.Totals[0].Key != h.loginCustom+" Fix login redirect" || r.Totals[0].Duration != "2h" {
		t.Fatalf("by task %+v", r.Totals)
	}
	r = TimeEntriesResult{}
	h.mustOK(t, "clickup_get_time_entries", map[string]any{"group_by": "day", "from": "2026-11-16", "to": "2026-11-24"}, &r)
	if len(r.Totals) != 3 || r.Totals[0].Key != "2026-11-16 Mon" || r.Total != "4h30m" || r.Assumed != "people: me (America/New_York)" {
		t.Fatalf("by day %+v", r)
	}
	// Others' time needs an admin: ClickUp's refusal reaches the model.
	h.mustErr(t, "clickup_get_time_entries", map[string]any{"people": []string{"Blair Chen"}}, "owners and admins")
	h.mustOK(t, "clickup_get_time_entries", map[string]any{"task_id": h.loginCustom}, &r)
	if r.Total != "2h" {
		t.Fatalf("by task id %+v", r)
	}
	h.mustOK(t, "clickup_get_time_entries", map[string]any{"list_id": "Sprint 12", "billable": false}, &r)
	if lastQuery(t, h.fake, "GET /v2/team/{team_Id}/time_entries").Get("list_id") != h.sprint {
		t.Fatal("list by name not sent as its id")
	}
	for _, c := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"group_by": "week"}, "group_by"},
		{map[string]any{"from": "2026-11-24", "to": "2026-11-20"}, "not after"},
		{map[string]any{"from": "2024-01-01", "to": "2026-11-20"}, "more than a year"},
		{map[string]any{"people": "me"}, "array"},
		{map[string]any{"people": []string{"ghost"}}, "no member"},
		{map[string]any{"list_id": "Nope"}, "list_id"},
		{map[string]any{"task_id": h.login, "list_id": "Sprint 12"}, "not both"},
		{map[string]any{"task_id": "nosuch"}, "OAUTH_027"},
	} {
		h.mustErr(t, "clickup_get_time_entries", c.args, c.want)
	}
	// Rate limited: waited out.
	h.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/team/{team_Id}/time_entries", Status: 429, Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	h.mustOK(t, "clickup_get_time_entries", map[string]any{}, nil)
}

func TestTimer(t *testing.T) {
	h := newHarness(t, "pk_alex")
	h.deps.Tune(func(c *workspace.Config) { c.TimezoneSet = true; c.Location = time.UTC })
	var r TimerResult
	if text := h.mustOK(t, "clickup_timer", map[string]any{"action": "status"}, &r); r.Running || !strings.Contains(text, "No timer") {
		t.Fatalf("status: %s", text)
	}
	h.mustErr(t, "clickup_timer", map[string]any{"action": "stop"}, "no timer")
	h.mustOK(t, "clickup_timer", map[string]any{"action": "start", "task_id": h.loginCustom, "description": "Pairing"}, &r)
	if !r.Running || r.TaskID != h.loginCustom {
		t.Fatalf("start: %+v", r)
	}
	first := r.ID
	text := h.mustOK(t, "clickup_timer", map[string]any{"action": "start", "task_id": h.logout}, &r)
	if r.Stopped != first || !strings.Contains(text, "was stopped") {
		t.Fatalf("second start: %+v %s", r, text)
	}
	h.mustOK(t, "clickup_timer", map[string]any{"action": "status"}, &r)
	if !r.Running || r.Task != "Logout button misaligned" {
		t.Fatalf("status: %+v", r)
	}
	h.mustOK(t, "clickup_timer", map[string]any{"action": "stop"}, &r)
	if r.Running || r.ID == "" {
		t.Fatalf("stop: %+v", r)
	}
	h.mustErr(t, "clickup_timer", map[string]any{"action": "pause"}, "action")
	h.mustErr(t, "clickup_timer", map[string]any{}, "action")
	h.mustErr(t, "clickup_timer", map[string]any{"action": "status", "task_id": h.login}, "status takes no")
	h.mustErr(t, "clickup_timer", map[string]any{"action": "start", "task_id": "nosuch"}, "OAUTH_027")
	h.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/team/{team_Id}/time_entries/start", Status: 502, Body: `{"err":"Bad gateway"}`})
	h.mustErr(t, "clickup_timer", map[string]any{"action": "start", "task_id": h.login}, "Outcome unknown", "action=status")
}
