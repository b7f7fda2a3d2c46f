package tools

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/mcp"
)

const updateChecklist = "clickup_update_checklist"

// addReleaseTask adds a task with a checklist "Ship it" (one item done, one
// assigned to Blair) and returns its id and custom id.
func (w *world) addReleaseTask(t *testing.T) (string, string) {
	t.Helper()
	tk := w.fake.AddTask(w.sprint, clickuptest.Task{Name: "Release 2.0", Checklists: []clickuptest.Checklist{{Name: "Ship it", Items: []clickuptest.ChecklistItem{
		{Name: "Write tests"}, {Name: "Tag release", Resolved: true}, {Name: "Announce", Assignee: w.blair},
	}}}})
	return tk.ID, tk.CustomID
}

func itemNamed(r UpdateChecklistResult, name string) *ChecklistItemOut {
	for i := range r.Items {
		if r.Items[i].Name == name {
			return &r.Items[i]
		}
	}
	return nil
}

// "tick 'Write tests' on DEV-n": warm, the task read and one PUT; the
// result is the checklist after the change.
func TestUpdateChecklist(t *testing.T) {
	h := newHarness(t, "pk_alex")
	id, custom := h.addReleaseTask(t)
	var r UpdateChecklistResult
	ok := func(args map[string]any) string {
		t.Helper()
		r = UpdateChecklistResult{}
		return h.mustOK(t, updateChecklist, args, &r)
	}
	h.mustOK(t, "clickup_whoami", map[string]any{}, nil)
	// Cold: the default checklist (the task's only one), reopened by id.
	items := h.fake.Checklists(id)[0].Items
	ok(map[string]any{"task_id": custom, "reopen": []string{items[1].ID}})
	if it := itemNamed(r, "Tag release"); it == nil || it.Resolved || r.Done != 0 || r.Checklist != "Ship it" {
		t.Fatalf("reopen by id: %+v", r)
	}
	before := h.fake.Count("")
	text := ok(map[string]any{"task_id": custom, "resolve": []string{"write TESTS"}})
	if n := h.fake.Count("") - before; n != 2 {
		t.Errorf("warm tick cost %d requests, want 2 (read the task, PUT the item)", n)
	}
	if it := itemNamed(r, "Write tests"); it == nil || !it.Resolved || r.Done != 1 || len(r.Changes) != 1 {
		t.Fatalf("tick: %+v", r)
	}
	for _, want := range []string{`Checklist "Ship it" on task ` + custom + " (1 of 3 done)", "[x] Write tests", "(@Blair Chen)", `resolve "Write tests"`} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// Already so: nothing sent, and said.
	before = h.fake.Count("")
	text = ok(map[string]any{"task_id": custom, "resolve": []string{"Write tests"}})
	if n := h.fake.Count("") - before; n != 1 || len(r.Changes) != 0 || !strings.Contains(text, "already resolved") {
		t.Errorf("already resolved: %d requests, %+v\n%s", n, r, text)
	}
	// An add with its assignee is one POST; a name already there is not added again.
	before = h.fake.Count("")
	ok(map[string]any{"task_id": custom, "add": []string{"Docs", "announce"}, "assign": map[string]any{"Docs": "me", "Announce": "none"}})
	if n := h.fake.Count("POST /v2/checklist/{checklist_id}/checklist_item"); n != 1 {
		t.Errorf("%d item POSTs, want 1", n)
	}
	if n := h.fake.Count("") - before; n != 3 {
		t.Errorf("add+assign cost %d requests, want 3 (read, POST with the assignee, PUT the unassign)", n)
	}
	if d := itemNamed(r, "Docs"); d == nil || d.Assignee != "Alex Rivera" || itemNamed(r, "Announce").Assignee != "" || len(r.Items) != 4 || len(r.Unchanged) != 1 {
		t.Fatalf("add: %+v", r)
	}
	// The same call again adds nothing.
	ok(map[string]any{"task_id": custom, "add": []string{"Docs"}})
	if n := h.fake.Count("POST /v2/checklist/{checklist_id}/checklist_item"); n != 1 || len(h.fake.Checklists(id)[0].Items) != 4 {
		t.Fatalf("retried add sent again: %d POSTs", n)
	}
	// Rename an item and the checklist.
	ok(map[string]any{"task_id": id, "checklist": "ship IT", "rename": map[string]any{"Docs": "Write docs"}, "rename_checklist": "Launch"})
	if r.Checklist != "Launch" || itemNamed(r, "Write docs") == nil || h.fake.Checklists(id)[0].Name != "Launch" {
		t.Fatalf("rename: %+v", r)
	}
	// A second checklist by name, created with its items; then the task has two.
	text = ok(map[string]any{"task_id": id, "checklist": "QA", "add": []string{"Smoke test", "Load test"}, "assign": map[string]any{"Load test": "blair@example.com"}})
	if !r.Created || r.Checklist != "QA" || len(r.Items) != 2 || itemNamed(r, "Load test").Assignee != "Blair Chen" || !strings.Contains(text, `create checklist "QA"`) {
		t.Fatalf("create: %+v\n%s", r, text)
	}
	h.mustErr(t, updateChecklist, map[string]any{"task_id": id, "resolve": []string{"Smoke test"}}, "2 checklists", "Launch", "QA")
	// A task without one: add creates "Checklist"; resolve refuses.
	h.mustErr(t, updateChecklist, map[string]any{"task_id": h.logout, "resolve": []string{"x"}}, "has no checklist")
	ok(map[string]any{"task_id": h.logout, "add": []string{"One"}})
	if r.Checklist != "Checklist" || !r.Created || len(r.Items) != 1 {
		t.Fatalf("default create: %+v", r)
	}
	// Delete an item then add it again: added again (the guard remembers
	// the first add, but the item is gone).
	ok(map[string]any{"task_id": h.logout, "delete": []string{"One"}})
	ok(map[string]any{"task_id": h.logout, "add": []string{"One"}})
	if len(r.Items) != 1 || len(h.fake.Checklists(h.logout)[0].Items) != 1 {
		t.Fatalf("re-add after delete: %+v", r)
	}
	// Delete the checklist.
	ok(map[string]any{"task_id": h.logout, "delete_checklist": true})
	if !r.Deleted || len(h.fake.Checklists(h.logout)) != 0 {
		t.Fatalf("delete checklist: %+v", r)
	}
}

func TestUpdateChecklistRefusals(t *testing.T) {
	h := newHarness(t, "pk_alex")
	id, _ := h.addReleaseTask(t)
	h.fake.AddTask(h.sprint, clickuptest.Task{ID: "twins1", Name: "Twins", Checklists: []clickuptest.Checklist{
		{ID: "cl-a", Name: "A", Items: []clickuptest.ChecklistItem{{Name: "Check"}, {Name: "check"}}}, {Name: "a"}}})
	for _, c := range []struct {
		args map[string]any
		want []string
	}{
		{map[string]any{"task_id": id, "resolve": []string{"Nope"}}, []string{"resolve[0]", `no item "Nope"`, "Write tests", "Tag release", "Announce"}},
		{map[string]any{"task_id": id, "checklist": "Other", "resolve": []string{"Write tests"}}, []string{"no checklist", "Ship it"}},
		{map[string]any{"task_id": id, "checklist": "Other", "must_exist": true}, []string{"no checklist", "Ship it"}},
		{map[string]any{"task_id": "twins1", "checklist": "a", "add": []string{"x"}}, []string{"names 2 checklists", "give its id"}},
		{map[string]any{"task_id": "twins1", "checklist": "cl-a", "resolve": []string{"CHECK"}}, []string{"names 2 items", "give one's id"}},
		{map[string]any{"task_id": id, "add": "Write tests"}, []string{"add", "array"}},
		{map[string]any{"task_id": id, "assign": []string{"Write tests"}}, []string{"assign", "object"}},
		{map[string]any{"task_id": id, "resolve": []string{" "}}, []string{"resolve[0]", "empty"}},
		{map[string]any{"task_id": id, "resolve": []string{"Write tests"}, "reopen": []string{"write tests"}}, []string{"reopen[0]", "already resolved or reopened"}},
		{map[string]any{"task_id": id, "resolve": []string{"Write tests"}, "delete": []string{"Write tests"}}, []string{"delete[0]", "deleted and changed"}},
		{map[string]any{"task_id": id, "delete_checklist": true, "add": []string{"x"}}, []string{"delete_checklist", "without other changes"}},
		{map[string]any{"task_id": id, "add": []string{"x", "X"}}, []string{"add[1]", "named twice"}},
		{map[string]any{"task_id": id, "rename": map[string]any{"Write tests": "announce"}}, []string{"another item"}},
		{map[string]any{"task_id": id, "assign": map[string]any{"Write tests": "nobody@example.com"}}, []string{"no member", "Alex Rivera"}},
		{map[string]any{"task_id": id}, []string{"nothing to do"}},
		{map[string]any{"task_id": id, "tick": []string{"x"}}, []string{"unknown argument", "resolve"}},
		{map[string]any{"task_id": "nosuch", "add": []string{"x"}}, []string{"OAUTH_027"}},
	} {
		h.mustErr(t, updateChecklist, c.args, c.want...)
	}
	if n := writes(h.fake); n != 0 {
		t.Fatalf("refused calls made %d writes", n)
	}
}

// A lost answer on an add is proven by a read and added once; a rate limit
// is waited out; a 502 that did not apply is reported unknown, and the
// same call again does not send it blindly.
func TestUpdateChecklistFaults(t *testing.T) {
	w := newWorld(t)
	id, custom := w.addReleaseTask(t)
	h, _ := fmConnect(t, w, "pk_alex", fmDefaults)
	itemPath := "/v2/checklist/{checklist_id}/checklist_item"
	items := func() int { return len(w.fake.Checklists(id)[0].Items) }
	w.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: itemPath, Truncate: true})
	text := h.mustOK(t, updateChecklist, map[string]any{"task_id": custom, "add": []string{"Lost once"}}, nil)
	if !strings.Contains(text, "added once") || items() != 4 {
		t.Fatalf("truncated: %s; %d items", text, items())
	}
	w.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: itemPath + "/{checklist_item_id}", Status: 429,
		Body: `{"err":"Rate limit reached","ECODE":"APP_002"}`, Header: http.Header{"Retry-After": {"0"}}})
	var r UpdateChecklistResult
	h.mustOK(t, updateChecklist, map[string]any{"task_id": custom, "resolve": []string{"Lost once"}}, &r)
	if it := itemNamed(r, "Lost once"); it == nil || !it.Resolved {
		t.Fatalf("rate limited: %+v", r)
	}
	w.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: itemPath, Status: 502, Body: `{"err":"Bad gateway"}`})
	args := map[string]any{"task_id": custom, "add": []string{"Never sent twice"}}
	h.mustErr(t, updateChecklist, args, "Outcome unknown", "clickup_get_task")
	h.mustErr(t, updateChecklist, args, "Outcome unknown", "never sends it again")
	if n := w.fake.Count("POST " + itemPath); n != 2 || items() != 4 {
		t.Fatalf("after a 502: %d POSTs (want 2: the lost one and the first add), %d items", n, items())
	}
	// A lost create of the checklist itself.
	w.fake.InjectFault(clickuptest.Fault{Method: "POST", Path: "/v2/task/{task_id}/checklist", Truncate: true})
	text = h.mustOK(t, updateChecklist, map[string]any{"task_id": custom, "checklist": "Post-launch", "add": []string{"Retro"}}, &r)
	if !strings.Contains(text, "created once") || len(w.fake.Checklists(id)) != 2 || !r.Created || len(r.Items) != 1 {
		t.Fatalf("lost create: %s\n%+v", text, r)
	}
	// A failure part way says what was done.
	w.fake.InjectFault(clickuptest.Fault{Method: "PUT", Path: "/v2/checklist/{checklist_id}", Status: 400, Body: `{"err":"Checklist name invalid","ECODE":"INPUT_001"}`})
	h.mustErr(t, updateChecklist, map[string]any{"task_id": custom, "checklist": "Post-launch", "resolve": []string{"Retro"}, "rename_checklist": "After"}, "Done before the failure", `resolve "Retro"`)
}

// Deleting items asks a client that elicits, with what goes and the
// counts; only accept deletes, and a decline changes nothing at all. A
// call that deletes nothing is not asked; a client without elicitation
// deletes as before, and dry_run deletes nothing.
func TestUpdateChecklistConfirmsByElicitation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		action  mcp.ElicitationResponseAction
		content map[string]any
		deleted bool
	}{
		{"accept", mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}, true},
		{"decline", mcp.ElicitationResponseActionDecline, nil, false},
		{"cancel", mcp.ElicitationResponseActionCancel, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			id, _ := w.addReleaseTask(t)
			e := &elicitor{action: tc.action, content: tc.content}
			h := w.connectEliciting(t, e, mcp.LATEST_PROTOCOL_VERSION)
			var r UpdateChecklistResult
			text := h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "delete": []string{"Tag release", "Announce"}, "resolve": []string{"Write tests"}}, &r)
			if len(e.asked) != 1 {
				t.Fatalf("asked %d times, want once", len(e.asked))
			}
			for _, want := range []string{"Delete 2 items (1 done)", `"Ship it"`, "Release 2.0", `"Tag release"`, `"Announce"`, "1 other changes", "cannot be undone"} {
				if !strings.Contains(e.asked[0].Message, want) {
					t.Errorf("confirmation %q lacks %q", e.asked[0].Message, want)
				}
			}
			cl := w.fake.Checklists(id)[0]
			deletes := w.fake.Count("DELETE /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}")
			if tc.deleted {
				if deletes != 2 || len(cl.Items) != 1 || !cl.Items[0].Resolved || r.Confirmation != "accepted" {
					t.Errorf("accepted: %d DELETEs, %+v, %+v", deletes, cl, r)
				}
				return
			}
			if deletes != 0 || writes(w.fake) != 0 || len(cl.Items) != 3 || r.Confirmation != tc.name+"d" && r.Confirmation != tc.name+"led" {
				t.Errorf("%s: %d DELETEs, %d writes, %+v, %+v", tc.name, deletes, writes(w.fake), cl, r)
			}
			if !strings.Contains(text, "Nothing was changed") {
				t.Errorf("%s: text %q", tc.name, text)
			}
		})
	}
	t.Run("the checklist", func(t *testing.T) {
		w := newWorld(t)
		id, _ := w.addReleaseTask(t)
		e := &elicitor{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
		h := w.connectEliciting(t, e, "2025-11-25")
		var r UpdateChecklistResult
		h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "delete_checklist": true}, &r)
		if len(e.asked) != 1 || !strings.Contains(e.asked[0].Message, `Delete checklist "Ship it" with its 3 items (1 done)`) || !r.Deleted {
			t.Fatalf("asked %+v; %+v", e.asked, r)
		}
	})
	t.Run("no delete is not asked", func(t *testing.T) {
		w := newWorld(t)
		id, _ := w.addReleaseTask(t)
		e := &elicitor{action: mcp.ElicitationResponseActionDecline}
		h := w.connectEliciting(t, e, mcp.LATEST_PROTOCOL_VERSION)
		h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "resolve": []string{"Write tests"}, "add": []string{"More"}}, nil)
		if len(e.asked) != 0 || len(w.fake.Checklists(id)[0].Items) != 4 {
			t.Fatalf("asked %d times", len(e.asked))
		}
		h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "delete": []string{"More"}, "dry_run": true}, nil)
		if len(e.asked) != 0 {
			t.Fatal("a dry run was asked")
		}
	})
	t.Run("without elicitation", func(t *testing.T) {
		h := newHarness(t, "pk_alex")
		id, _ := h.addReleaseTask(t)
		var r UpdateChecklistResult
		text := h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "delete": []string{"Announce"}, "dry_run": true}, &r)
		if !r.DryRun || writes(h.fake) != 0 || !strings.Contains(text, "Dry run") || r.Changes[0] != `delete "Announce"` {
			t.Fatalf("dry run: %+v\n%s", r, text)
		}
		h.mustOK(t, updateChecklist, map[string]any{"task_id": id, "delete": []string{"Announce"}}, &r)
		if r.Confirmation != "" || len(r.Items) != 2 || len(h.fake.Checklists(id)[0].Items) != 2 {
			t.Fatalf("without elicitation: %+v", r)
		}
	})
}

// Every fault of the fault matrix on the item add: the item is never
// added twice (by the call or by the model's identical retry), and a call
// reported done made it.
func TestUpdateChecklistAddUnderEveryFault(t *testing.T) {
	for i, f := range fmFaults() {
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			id, custom := w.addReleaseTask(t)
			fc := fmDefaults
			if f.cfg != nil {
				fc = *f.cfg
			}
			h, fl := fmConnect(t, w, "pk_alex", fc)
			h.mustOK(t, updateChecklist, map[string]any{"task_id": custom, "add": []string{"warm-up"}}, nil)
			named := func() int {
				n := 0
				for _, it := range w.fake.Checklists(id)[0].Items {
					if it.Name == "Under fault" {
						n++
					}
				}
				return n
			}
			flt := f.make()
			flt.Method, flt.Path = "POST", "/v2/checklist/{checklist_id}/checklist_item"
			w.fake.InjectFault(flt)
			args := map[string]any{"task_id": custom, "add": []string{"Under fault"}}
			text, isErr := h.call(t, updateChecklist, args, nil)
			fl.settle(3 * time.Second)
			t.Logf("%s: error=%v, %d made: %.120s", f.name, isErr, named(), text)
			if !isErr && named() != 1 {
				t.Errorf("%s: reported done with %d items made: %s", f.name, named(), text)
			}
			if isErr && named() > 0 && !strings.Contains(text, "Outcome unknown") {
				t.Errorf("%s: the item was made, but the error does not say the outcome is unknown: %s", f.name, text)
			}
			w.fake.ClearFaults()
			h.call(t, updateChecklist, args, nil)
			fl.settle(3 * time.Second)
			if n := named(); n > 1 {
				t.Errorf("%s: %d items made by the call and its retry", f.name, n)
			}
		})
	}
}
