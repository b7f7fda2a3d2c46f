package clickuptest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// The time-entry endpoints, driven through the client, with every request
// and answer validated against ClickUp's spec; and ClickUp's silent
// defaults on the listing.
func TestTimeEntriesContract(t *testing.T) {
	rig := newFallbackRig(t)
	c, ctx := rig.client, context.Background()
	check := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for _, v := range rig.takeViolations() {
			t.Errorf("%s: %s", step, v)
		}
	}
	now := time.Now()
	// No range and no assignee: the caller's last 30 days only.
	def, err := c.Time.List(ctx, DemoWorkspaceID, nil)
	check("List (defaults)", err)
	if len(def) == 0 {
		t.Fatal("the demo has no time entries for Alex in the last 30 days")
	}
	for _, e := range def {
		if int64(e.User.ID) != DemoUserID || e.Start.Time().Before(now.Add(-31*day)) {
			t.Fatalf("default listing answered %d at %v: only the caller's last 30 days are expected", e.User.ID, e.Start.Time())
		}
		if e.Task == nil || e.Task.ID == "" || e.TaskLocation == nil {
			t.Fatalf("entry without its task: %+v", e)
		}
	}
	// An explicit range and people: two months, several people.
	all, err := c.Time.List(ctx, DemoWorkspaceID, &clickup.TimeEntriesOptions{
		StartDate: clickup.MillisOf(now.Add(-62 * day)), EndDate: clickup.MillisOf(now),
		Assignees: []int64{demoAlex, demoPriya, demoMarc}, IncludeLocationNames: true, IncludeTaskTags: true,
	})
	check("List (range, people)", err)
	people := map[int64]bool{}
	oldest := now
	for _, e := range all {
		people[int64(e.User.ID)] = true
		if e.Start.Time().Before(oldest) {
			oldest = e.Start.Time()
		}
		if e.TaskLocation.ListName == "" {
			t.Fatalf("include_location_names: no list name in %+v", e.TaskLocation)
		}
	}
	if len(people) != 3 || now.Sub(oldest) < 45*day {
		t.Fatalf("explicit range: people %v, oldest %v", people, oldest)
	}
	// One task, by custom id.
	task := all[0].Task
	byTask, err := c.Time.List(ctx, DemoWorkspaceID, &clickup.TimeEntriesOptions{
		StartDate: clickup.MillisOf(now.Add(-62 * day)), EndDate: clickup.MillisOf(now),
		Assignees: []int64{demoAlex, demoPriya, demoMarc}, Task: &clickup.TaskRef{ID: task.CustomID.String(), TeamID: DemoWorkspaceID},
	})
	check("List (task)", err)
	for _, e := range byTask {
		if e.Task.ID != task.ID {
			t.Fatalf("task filter answered an entry on %s", e.Task.ID)
		}
	}

	// Log 90 minutes on the task by custom id, and see it listed.
	start := now.Add(-26 * time.Hour).Truncate(time.Minute)
	made, err := c.Time.Create(ctx, DemoWorkspaceID, &clickup.TimeEntryCreate{
		Start: clickup.MillisOf(start), Duration: 90 * 60 * 1000, Description: "contract", Billable: true,
		Tags: []clickup.TimeEntryTag{{Name: "review", Fg: "#000000", Bg: "#000000"}},
		Task: &clickup.TaskRef{ID: task.CustomID.String(), TeamID: DemoWorkspaceID},
	})
	check("Create", err)
	if made.ID == "" || made.Duration != 90*60*1000 || made.TID != task.ID {
		t.Fatalf("created %+v", made)
	}
	got, err := c.Time.List(ctx, DemoWorkspaceID, &clickup.TimeEntriesOptions{
		StartDate: clickup.MillisOf(start), EndDate: clickup.MillisOf(start), Assignees: []int64{demoAlex},
	})
	check("List (created)", err)
	if len(got) != 1 || got[0].ID != made.ID || got[0].End.Time().Sub(start) != 90*time.Minute || len(got[0].Tags) != 1 {
		t.Fatalf("listed %+v", got)
	}
	// Someone else's time, as the owner.
	_, err = c.Time.Create(ctx, DemoWorkspaceID, &clickup.TimeEntryCreate{Start: clickup.MillisOf(start), End: clickup.MillisOf(start.Add(time.Hour)), Assignee: demoPriya})
	check("Create (for Priya, start and end)", err)

	// Timers: Alex's seeded one, stopped; none; start, current, start again (stops the first), stop.
	if seeded, err := c.Time.Current(ctx, DemoWorkspaceID, 0); err != nil || seeded == nil || !seeded.Running() {
		t.Fatalf("the demo's running timer = %+v, %v", seeded, err)
	}
	_, err = c.Time.Stop(ctx, DemoWorkspaceID)
	check("Stop (seeded)", err)
	cur, err := c.Time.Current(ctx, DemoWorkspaceID, 0)
	if err != nil || cur != nil {
		t.Fatalf("current before start = %+v, %v", cur, err)
	}
	rig.takeViolations() // the spec declares only a running timer; the fake answers data: null for none
	run, err := c.Time.Start(ctx, DemoWorkspaceID, &clickup.TimerStart{Description: "pairing", Task: &clickup.TaskRef{ID: task.ID.String()}})
	check("Start", err)
	if !run.Running() || run.Task == nil || run.Task.ID != task.ID {
		t.Fatalf("started %+v", run)
	}
	cur, err = c.Time.Current(ctx, DemoWorkspaceID, 0)
	check("Current", err)
	if cur == nil || cur.ID != run.ID {
		t.Fatalf("current = %+v", cur)
	}
	second, err := c.Time.Start(ctx, DemoWorkspaceID, &clickup.TimerStart{Task: &clickup.TaskRef{ID: task.CustomID.String(), TeamID: DemoWorkspaceID}})
	check("Start (again)", err)
	stopped, err := c.Time.Stop(ctx, DemoWorkspaceID)
	check("Stop", err)
	if stopped.ID != second.ID || stopped.Running() {
		t.Fatalf("stopped %+v, want %s stopped", stopped, second.ID)
	}
	entries := rig.fake.TimeEntries(DemoWorkspaceID)
	for _, e := range entries {
		if e.ID == run.ID.String() && e.End.IsZero() {
			t.Fatal("starting a second timer left the first running")
		}
	}
	// Stopping with nothing running is an error.
	if _, err := c.Time.Stop(ctx, DemoWorkspaceID); !clickup.IsKind(err, clickup.KindInvalid) && err == nil {
		t.Fatal("stop with no timer: want an error")
	}
	rig.takeViolations()
}

// A member who is not an owner or admin sees and logs only their own time;
// the defaults hide older entries; bad input is refused.
func TestTimeEntriesRules(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Write docs", Assignees: []int64{annID}})
	now := w.clock.Now()
	w.AddTimeEntry(wsDev, TimeEntry{UserID: annID, TaskID: task.ID, Start: now.Add(-40 * day), End: now.Add(-40*day + time.Hour)})
	w.AddTimeEntry(wsDev, TimeEntry{UserID: annID, TaskID: task.ID, Start: now.Add(-2 * day), End: now.Add(-2*day + time.Hour)})
	w.AddTimeEntry(wsDev, TimeEntry{UserID: bobID, TaskID: task.ID, Start: now.Add(-day), End: now.Add(-day + time.Hour)})
	base := "/api/v2/team/" + wsDev + "/time_entries"
	r := w.get(t, base)
	expect(t, r, 200, "")
	if n := len(r.json(t)["data"].([]any)); n != 1 {
		t.Fatalf("defaults answered %d entries, want 1 (Ann's, the last 30 days)", n)
	}
	r = w.get(t, base+q("start_date", fmt.Sprint(now.Add(-50*day).UnixMilli()), "end_date", fmt.Sprint(now.UnixMilli())))
	if n := len(r.json(t)["data"].([]any)); n != 2 {
		t.Fatalf("explicit range answered %d entries, want Ann's 2", n)
	}
	expect(t, w.get(t, base+q("assignee", fmt.Sprint(bobID))), 401, "TIMEENTRY_057")
	expect(t, w.get(t, base+q("assignee", "x")), 400, "INPUT_001")
	expect(t, w.get(t, base+q("list_id", list30, "task_id", task.ID)), 400, "TIMEENTRY_060")
	expect(t, w.call(t, "POST", base, annTok, map[string]any{"start": now.UnixMilli(), "duration": 1000, "assignee": bobID}), 401, "TIMEENTRY_057")
	expect(t, w.call(t, "POST", base, annTok, map[string]any{"duration": 1000}), 400, "INPUT_001")
	expect(t, w.call(t, "POST", base, annTok, map[string]any{"start": now.UnixMilli(), "duration": 0}), 400, "INPUT_001")
	expect(t, w.call(t, "POST", base, annTok, map[string]any{"start": now.UnixMilli(), "duration": 1000, "tid": "nosuch"}), 401, "OAUTH_027")
	expect(t, w.call(t, "POST", "/api/v2/team/"+wsOther+"/time_entries", annTok, map[string]any{"start": now.UnixMilli(), "duration": 1000}), 401, "OAUTH_027")
	expect(t, w.call(t, "POST", base+"/stop", annTok, nil), 400, "TIMEENTRY_013")
	// Logged time adds to the task's time spent.
	r = w.call(t, "POST", base+q("custom_task_ids", "true", "team_id", wsDev), annTok, map[string]any{"start": now.UnixMilli(), "duration": 30 * 60 * 1000, "tid": task.CustomID})
	expect(t, r, 200, "")
	tr := w.get(t, "/api/v2/task/"+task.ID)
	if got := tr.json(t)["time_spent"]; got != float64((3*time.Hour+30*time.Minute)/time.Millisecond) {
		t.Fatalf("time_spent = %v", got)
	}
}
