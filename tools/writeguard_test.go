package tools

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// The write guard seen from the tools: a lost create or comment counts as
// done only when proven this call's own, identical writes happen once, and
// the guard's memory survives strangers. Each test fails on the code before
// the guard (which took any same-named task in the list as the lost one,
// made every concurrent or late duplicate, and kept its memo per session).

const createRoute = "POST /v2/list/{list_id}/task"

func postFault(w *world, f clickuptest.Fault) {
	f.Method, f.Path = "POST", "/v2/list/{id}/task"
	w.fake.InjectFault(f)
}

var fault502 = clickuptest.Fault{Status: 502, Body: `{"err":"Bad gateway"}`}

// A second "Weekly sync" with another description, whose POST never
// reached ClickUp, is not the first one.
func TestLostCreateSameNameOtherDescriptionIsUnknown(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	var first CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Weekly sync", "description": "Agenda: budget"}, &first)
	postFault(w, fault502)
	text := h.mustErr(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Weekly sync", "description": "Agenda: hiring"},
		"Outcome unknown", "may have been applied", first.Task.ID, "differs in description")
	if strings.Contains(text, "Created") || w.fake.TasksCreated() != 1 {
		t.Fatalf("created %d; %s", w.fake.TasksCreated(), text)
	}
}

// allow_duplicate never reconciles: a lost answer is unknown, whatever is
// in the list.
func TestLostCreateWithAllowDuplicateNeverReconciles(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	args := map[string]any{"list_id": w.sprint, "name": "Weekly sync"}
	h.mustOK(t, "clickup_create_task", args, nil)
	args["allow_duplicate"] = true
	postFault(w, fault502)
	h.mustErr(t, "clickup_create_task", args, "Outcome unknown", "nothing is checked or remembered")
	// Even when the lost create did land, allow_duplicate does not claim it.
	postFault(w, clickuptest.Fault{Drop: clickuptest.DropAfterHandling})
	h.mustErr(t, "clickup_create_task", args, "Outcome unknown")
	if w.fake.TasksCreated() != 2 {
		t.Fatalf("created %d", w.fake.TasksCreated())
	}
}

// Two subtasks named "Review" with different descriptions: the second's
// lost POST is not answered with the first's id.
func TestTwoSameNamedSubtasksAreNotOne(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	postFault(w, clickuptest.Fault{Delay: time.Millisecond, Times: 2}) // the parent and the first subtask
	postFault(w, fault502)
	var r CreateTaskResult
	text := h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Release 3.1", "subtasks": []map[string]any{
		{"name": "Review", "description": "code"}, {"name": "Review", "description": "docs"}}}, &r)
	if len(r.Subtasks) != 1 || len(r.FailedSubtasks) != 1 || !strings.Contains(r.FailedSubtasks[0].Error, "Outcome unknown") ||
		!strings.Contains(r.FailedSubtasks[0].Error, r.Subtasks[0].ID) || w.fake.TasksCreated() != 2 {
		t.Fatalf("created %d: %+v\n%s", w.fake.TasksCreated(), r, text)
	}
	// The same in one call with identical subtasks: each is meant, so both
	// are made.
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Release 3.2", "subtasks": []map[string]any{{"name": "Review"}, {"name": "Review"}}}, &r)
	if len(r.Subtasks) != 2 || r.Subtasks[0].ID == r.Subtasks[1].ID || w.fake.TasksCreated() != 5 {
		t.Fatalf("identical subtasks: created %d: %+v", w.fake.TasksCreated(), r)
	}
}

// Alice's lost create is not Bob's task of the same name, made just before.
func TestLostCreateIsNotAnotherUsersTask(t *testing.T) {
	w := newWorld(t)
	w.fake.AddToken("pk_bob"+w.suffix, w.blair, w.ws)
	alice, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	bob, _ := fmConnect(t, w, "pk_bob", fmDefaults)
	args := map[string]any{"list_id": w.sprint, "name": "Standup notes"}
	var bobs CreateTaskResult
	bob.mustOK(t, "clickup_create_task", args, &bobs)
	postFault(w, fault502)
	alice.mustErr(t, "clickup_create_task", args, "Outcome unknown", bobs.Task.ID, "made by another user")
	if w.fake.TasksCreated() != 1 {
		t.Fatalf("created %d", w.fake.TasksCreated())
	}
}

// A lost answer whose write did land, with every field sent equal, is
// proven and answered once; the proof covers every field.
func TestLostCreateProvenWhenEveryFieldMatches(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	args := map[string]any{"list_id": w.sprint, "name": "Full create", "description": "**bold**", "assignees": []string{"blair@example.com", "me"},
		"status": "in progress", "priority": "high", "due_date": "2026-12-01 17:00", "start_date": "2026-11-30", "tags": []string{"Ops", "bug"},
		"time_estimate": "90m", "points": 3}
	for i, f := range []clickuptest.Fault{{Drop: clickuptest.DropAfterHandling}, {Truncate: true}, {Status: 502, Body: `{"err":"Bad gateway"}`, Applied: true}} {
		args["name"] = fmt.Sprintf("Full create %d", i)
		before := w.fake.TasksCreated()
		postFault(w, f)
		var r CreateTaskResult
		text := h.mustOK(t, "clickup_create_task", args, &r)
		if !strings.Contains(text, "this call's own") || w.fake.TasksCreated() != before+1 {
			t.Fatalf("%+v: %s", f, text)
		}
		if got, ok := w.fake.Task(r.Task.ID); !ok || got.Name != args["name"] {
			t.Fatalf("%+v: claims %s", f, r.Task.ID)
		}
		// The model retries: answered from memory, nothing sent.
		w.fake.ResetLog()
		h.mustOK(t, "clickup_create_task", args, &r)
		if !r.Deduplicated || w.fake.Count(createRoute) != 0 {
			t.Fatalf("%+v: retry %+v, %d POSTs", f, r, w.fake.Count(createRoute))
		}
	}
}

// Two identical creates in flight at once make one task; both calls get it.
func TestIdenticalCreatesInFlightMakeOneTask(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
	postFault(w, clickuptest.Fault{Delay: 300 * time.Millisecond, Times: 2})
	args := map[string]any{"list_id": w.sprint, "name": "Twice at once"}
	var wg sync.WaitGroup
	res := make([]CreateTaskResult, 4)
	errs := make([]string, 4)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text, isErr := h.call(t, "clickup_create_task", args, &res[i])
			if isErr {
				errs[i] = text
			}
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	dedup := 0
	for i := range res {
		if errs[i] != "" {
			t.Fatalf("call %d: %s", i, errs[i])
		}
		ids[res[i].Task.ID] = true
		if res[i].Deduplicated {
			dedup++
		}
	}
	if created := w.fake.TasksCreated(); created != 2 || len(ids) != 1 || dedup != 3 {
		t.Fatalf("created %d (warm-up included), ids %v, %d deduplicated", created, ids, dedup)
	}
}

// A create that timed out on our side while ClickUp was still working,
// retried at once: the retry checks and does not send; once the first
// lands, a retry finds it. One task.
func TestTimedOutCreateRetriedWhileFirstLandsLate(t *testing.T) {
	w := newWorld(t)
	h, fl := fmConnect(t, w, "pk_alex", fmConfig{attemptTimeout: 200 * time.Millisecond, callTimeout: 5 * time.Second})
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
	postFault(w, clickuptest.Fault{LandAfter: 700 * time.Millisecond})
	args := map[string]any{"list_id": w.sprint, "name": "Late lander", "description": "arrives late"}
	w.fake.ResetLog()
	h.mustErr(t, "clickup_create_task", args, "Outcome unknown", "never sends it again")
	if !fl.settle(3 * time.Second) {
		t.Fatal("the late create did not land")
	}
	if n := w.fake.Count(createRoute); n != 1 {
		t.Fatalf("the retry sent the create again: %d POSTs", n)
	}
	var r CreateTaskResult
	text := h.mustOK(t, "clickup_create_task", args, &r)
	if !r.Deduplicated || w.fake.TasksCreated() != 1 || w.fake.Count(createRoute) != 1 {
		t.Fatalf("created %d, %d POSTs: %+v\n%s", w.fake.TasksCreated(), w.fake.Count(createRoute), r, text)
	}
}

// Past the landing window, an unknown create that the check still does not
// find is sent again (once), and the advice said so.
func TestUnknownCreateSendsAgainAfterLandingWindow(t *testing.T) {
	w := newWorld(t)
	var mu sync.Mutex
	now := testNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	h.deps.Tune(func(c *workspace.Config) { c.Now = clock }) // the guard and its store read the deps' clock
	args := map[string]any{"list_id": w.sprint, "name": "Never landed"}
	postFault(w, fault502)
	h.mustErr(t, "clickup_create_task", args, "until 15:02:00 UTC checks first and never sends it again")
	h.mustErr(t, "clickup_create_task", args, "Outcome unknown")
	mu.Lock()
	now = now.Add(2*time.Minute + time.Second)
	mu.Unlock()
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", args, &r)
	if r.Deduplicated || w.fake.TasksCreated() != 1 {
		t.Fatalf("created %d: %+v", w.fake.TasksCreated(), r)
	}
}

// A comment whose answer was lost: proven when it landed, unknown when it
// did not; an identical retry never posts it twice.
func TestLostCommentThenRetriedIsPostedOnce(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	cfault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/task/{id}/comment"
		w.fake.InjectFault(f)
	}
	before := len(w.fake.Comments(w.login))
	args := map[string]any{"task_id": w.login, "text": "Deployed to staging"}
	cfault(clickuptest.Fault{Truncate: true})
	text := h.mustOK(t, "clickup_create_task_comment", args, nil)
	if !strings.Contains(text, "posted once") {
		t.Fatalf("truncated: %s", text)
	}
	var r CreateCommentResult
	h.mustOK(t, "clickup_create_task_comment", args, &r)
	if !r.Deduplicated || len(w.fake.Comments(w.login)) != before+1 {
		t.Fatalf("retry: %+v, %d comments", r, len(w.fake.Comments(w.login))-before)
	}

	// Malformed and not applied: unknown, the advice names the comments.
	args["text"] = "Rolled back"
	cfault(clickuptest.Fault{Status: 200, Body: `{"id":"9`})
	h.mustErr(t, "clickup_create_task_comment", args, "Outcome unknown", "clickup_get_task_comments", "never sends it again")
	h.mustErr(t, "clickup_create_task_comment", args, "Outcome unknown")
	if len(w.fake.Comments(w.login)) != before+1 {
		t.Fatal("the retry posted")
	}

	// Late: the comment lands after our timeout; the retry finds it.
	args["text"] = "Late note"
	h2, fl := fmConnect(t, w, "pk_alex", fmConfig{attemptTimeout: 200 * time.Millisecond, callTimeout: 5 * time.Second})
	cfault(clickuptest.Fault{LandAfter: 600 * time.Millisecond})
	h2.mustErr(t, "clickup_create_task_comment", args, "Outcome unknown")
	if !fl.settle(3 * time.Second) {
		t.Fatal("did not land")
	}
	h2.mustOK(t, "clickup_create_task_comment", args, &r)
	if !r.Deduplicated || len(w.fake.Comments(w.login)) != before+2 {
		t.Fatalf("late: %+v, %d comments", r, len(w.fake.Comments(w.login))-before)
	}
	// Someone else's identical comment is not ours.
	w.fake.AddToken("pk_bob"+w.suffix, w.blair, w.ws)
	bob, _ := fmConnect(t, w, "pk_bob", fmDefaults)
	args["text"] = "LGTM"
	bob.mustOK(t, "clickup_create_task_comment", args, nil)
	cfault(fault502)
	h.mustErr(t, "clickup_create_task_comment", args, "made by another user")
}

// 1,001 calls with junk tokens (more than the 1,000 sessions kept) do not
// evict a user's record: the user's retry is still answered from it.
func TestJunkTokensDoNotEvictAUsersWrites(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	args := map[string]any{"list_id": w.sprint, "name": "Survives the flood"}
	h.mustOK(t, "clickup_create_task", args, nil)
	tool := CreateTask(h.deps)
	for i := 0; i < 1001; i++ {
		req := mcp.CallToolRequest{}
		req.Params.Name = "clickup_create_task"
		req.Params.Arguments = map[string]any{"list_id": w.sprint, "name": fmt.Sprintf("junk %d", i)}
		r, err := tool.Handler(workspace.WithRequestToken(context.Background(), fmt.Sprintf("pk_junk_%d", i)), req)
		if err != nil || !r.IsError {
			t.Fatalf("junk call %d: %v %+v", i, err, r)
		}
	}
	if owners, _, _ := h.deps.WriteMemory().Stats(); owners != 1 {
		t.Errorf("%d tokens hold write-guard state; only the one ClickUp accepted may", owners)
	}
	tasks := w.fake.TaskCount()
	w.fake.ResetLog()
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", args, &r)
	if !r.Deduplicated || w.fake.Count(createRoute) != 0 || w.fake.TaskCount() != tasks {
		t.Fatalf("the retry after the flood: %+v, %d POSTs", r, w.fake.Count(createRoute))
	}
}

// More than 200 creates do not wipe the record: the first is still
// answered from it.
func TestManyCreatesDoNotWipeTheRecord(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	for i := 0; i < 250; i++ {
		h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": fmt.Sprintf("Bulk %d", i)}, nil)
	}
	w.fake.ResetLog()
	var r CreateTaskResult
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Bulk 0"}, &r)
	if !r.Deduplicated || w.fake.Count(createRoute) != 0 {
		t.Fatalf("retry of the first of 250: %+v, %d POSTs", r, w.fake.Count(createRoute))
	}
}

// The guard costs no request on the happy path: a warm create is one POST,
// a comment one POST.
func TestWriteGuardHappyPathCostsNoRequest(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
	h.mustOK(t, "clickup_create_task_comment", map[string]any{"task_id": w.login, "text": "warm-up"}, nil)
	w.fake.ResetLog()
	h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Counted", "subtasks": []map[string]any{{"name": "one"}}}, nil)
	h.mustOK(t, "clickup_create_task_comment", map[string]any{"task_id": w.login, "text": "counted"}, nil)
	if n, posts := w.fake.Count(""), w.fake.Count(createRoute); n != 3 || posts != 2 {
		t.Fatalf("%d requests (%d creates); want 3: two creates and a comment", n, posts)
	}
}

// A tag add whose answer was lost is checked: applied is reported applied,
// and an unreadable task is "outcome unknown", never "not applied".
func TestLostTagAddIsChecked(t *testing.T) {
	w := newWorld(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	tagFault := func(f clickuptest.Fault) {
		f.Method, f.Path = "POST", "/v2/task/{id}/tag/{name}"
		w.fake.InjectFault(f)
	}
	tagFault(clickuptest.Fault{Drop: clickuptest.DropAfterHandling})
	var r UpdateTaskResult
	h.mustOK(t, "clickup_update_task", map[string]any{"task_id": w.logout, "add_tags": []string{"urgent"}}, &r)
	if !strings.Contains(strings.Join(r.Task.Tags, ","), "urgent") {
		t.Fatalf("%+v", r)
	}
	tagFault(clickuptest.Fault{Drop: clickuptest.DropAfterHandling})
	w.fake.InjectFault(clickuptest.Fault{Method: "GET", Path: "/v2/task/{id}", Status: 503, Times: 10, Body: `{"err":"down"}`})
	text := h.mustErr(t, "clickup_update_task", map[string]any{"task_id": w.logout, "add_tags": []string{"later"}}, "Outcome unknown for tag \"later\"")
	if strings.Contains(text, "not applied") || strings.Contains(text, "not all applied") {
		t.Fatalf("says not applied: %s", text)
	}
	w.fake.ClearFaults()
	tagFault(clickuptest.Fault{Drop: clickuptest.DropBeforeHandling, Times: 1})
	h.mustErr(t, "clickup_update_task", map[string]any{"task_id": w.logout, "add_tags": []string{"never"}}, "was not applied", "does not have it")
}

// wgRow is one scenario of the write-guard matrix in docs/RELIABILITY.md.
type wgRow struct {
	scenario, first, retry string
	made, want, posts      int
}

// TestWriteGuardMatrix runs the write guard's scenarios end to end and, with
// -v, prints them as the table in docs/RELIABILITY.md. Each row asserts
// that no call made more than it should.
func TestWriteGuardMatrix(t *testing.T) {
	sum := func(text string, isErr bool) string {
		first, _, _ := strings.Cut(text, "\n")
		switch {
		case !isErr && strings.Contains(text, "not created again"), !isErr && strings.Contains(text, "not posted again"):
			return "ok (deduplicated)"
		case !isErr && strings.Contains(text, "this call's own"):
			return "ok: proven this call's own"
		case !isErr:
			return "ok"
		}
		return "isError: " + fmSummary(first, text)
	}
	rows := []func(t *testing.T) wgRow{
		func(t *testing.T) wgRow {
			w := newWorld(t)
			h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
			h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "Weekly sync", "description": "A"}, nil)
			w.fake.ResetLog()
			postFault(w, fault502)
			args := map[string]any{"list_id": w.sprint, "name": "Weekly sync", "description": "B"}
			a, ae := h.call(t, "clickup_create_task", args, nil)
			b, be := h.call(t, "clickup_create_task", args, nil)
			return wgRow{"same name, other description, POST lost (502, not applied)", sum(a, ae), sum(b, be), w.fake.TasksCreated(), 0, w.fake.Count(createRoute)}
		},
		func(t *testing.T) wgRow {
			w := newWorld(t)
			w.fake.AddToken("pk_bob"+w.suffix, w.blair, w.ws)
			alice, _ := fmConnect(t, w, "pk_alex", fmDefaults)
			bob, _ := fmConnect(t, w, "pk_bob", fmDefaults)
			args := map[string]any{"list_id": w.sprint, "name": "Standup notes"}
			bob.mustOK(t, "clickup_create_task", args, nil)
			w.fake.ResetLog()
			postFault(w, fault502)
			a, ae := alice.call(t, "clickup_create_task", args, nil)
			b, be := alice.call(t, "clickup_create_task", args, nil)
			return wgRow{"same name made by another user, POST lost (502)", sum(a, ae), sum(b, be), w.fake.TasksCreated(), 0, w.fake.Count(createRoute)}
		},
		func(t *testing.T) wgRow {
			w := newWorld(t)
			h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
			h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
			w.fake.ResetLog()
			postFault(w, clickuptest.Fault{Delay: 300 * time.Millisecond, Times: 4})
			args := map[string]any{"list_id": w.sprint, "name": "Four at once"}
			var wg sync.WaitGroup
			outs := make([]string, 4)
			for i := range outs {
				wg.Add(1)
				go func() { defer wg.Done(); outs[i] = sum(h.call(t, "clickup_create_task", args, nil)) }()
			}
			wg.Wait()
			dedup := 0
			for _, o := range outs {
				if o == "ok (deduplicated)" {
					dedup++
				}
			}
			return wgRow{"4 identical creates in flight at once (ClickUp answers in 0.3 s)", "ok ×1", fmt.Sprintf("ok (deduplicated) ×%d", dedup), w.fake.TasksCreated(), 1, w.fake.Count(createRoute)}
		},
		func(t *testing.T) wgRow {
			w := newWorld(t)
			h, fl := fmConnect(t, w, "pk_alex", fmConfig{attemptTimeout: 200 * time.Millisecond, callTimeout: 5 * time.Second})
			h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": "warm-up"}, nil)
			w.fake.ResetLog()
			postFault(w, clickuptest.Fault{LandAfter: 700 * time.Millisecond})
			args := map[string]any{"list_id": w.sprint, "name": "Late lander"}
			a, ae := h.call(t, "clickup_create_task", args, nil)
			b, be := h.call(t, "clickup_create_task", args, nil)
			fl.settle(3 * time.Second)
			c, ce := h.call(t, "clickup_create_task", args, nil)
			return wgRow{"create times out (0.2 s), lands 0.7 s later; retried at once, then after it landed", sum(a, ae), sum(b, be) + "; then " + sum(c, ce), w.fake.TasksCreated(), 1, w.fake.Count(createRoute)}
		},
		func(t *testing.T) wgRow {
			w := newWorld(t)
			h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
			before := len(w.fake.Comments(w.login))
			w.fake.ResetLog()
			w.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/task/{id}/comment", Truncate: true})
			args := map[string]any{"task_id": w.login, "text": "Deployed"}
			a, ae := h.call(t, "clickup_create_task_comment", args, nil)
			b, be := h.call(t, "clickup_create_task_comment", args, nil)
			return wgRow{"comment answer truncated (posted), then retried", sum(a, ae), sum(b, be), len(w.fake.Comments(w.login)) - before, 1, w.fake.Count("POST /v2/task/{task_id}/comment")}
		},
		func(t *testing.T) wgRow {
			w := newWorld(t)
			h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
			args := map[string]any{"list_id": w.sprint, "name": "Before the flood"}
			a, ae := h.call(t, "clickup_create_task", args, nil)
			tool := CreateTask(h.deps)
			for i := 0; i < 1001; i++ {
				req := mcp.CallToolRequest{}
				req.Params.Arguments = map[string]any{"list_id": w.sprint, "name": "junk"}
				_, _ = tool.Handler(workspace.WithRequestToken(context.Background(), fmt.Sprintf("pk_junk_%d", i)), req)
			}
			for i := 0; i < 250; i++ {
				h.mustOK(t, "clickup_create_task", map[string]any{"list_id": w.sprint, "name": fmt.Sprintf("Bulk %d", i)}, nil)
			}
			w.fake.ResetLog()
			b, be := h.call(t, "clickup_create_task", args, nil)
			return wgRow{"create, then 1,001 junk-token calls and 250 other creates, then the same create (counted: that last call)", sum(a, ae), sum(b, be), w.fake.TasksCreated(), 0, w.fake.Count(createRoute)}
		},
	}
	var out []wgRow
	for i, row := range rows {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			r := row(t)
			if r.made > r.want {
				t.Errorf("%s: made %d, want at most %d", r.scenario, r.made, r.want)
			}
			out = append(out, r)
		})
	}
	if t.Failed() || !testing.Verbose() {
		return
	}
	var b strings.Builder
	b.WriteString("| Scenario | First call | Identical retry | Made (by the calls shown) | POSTs sent |\n|---|---|---|---|---|\n")
	for _, r := range out {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", r.scenario, r.first, r.retry, r.made, r.posts)
	}
	fmt.Printf("\nWrite-guard matrix (%d scenarios):\n\n%s\n", len(out), b.String())
}
