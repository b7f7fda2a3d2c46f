package clickuptest

import (
	"testing"
)

// Checklists: created on a task by custom id, items added (a non-member
// assignee ignored), edited, nested, refused a cycle, deleted with what is
// nested under them; GET task shows each change.
func TestChecklists(t *testing.T) {
	w := newWorld(t)
	task := w.AddTask(list30, Task{Name: "Release"})
	expect(t, w.call(t, "POST", "/api/v2/task/"+task.ID+"/checklist", annTok, map[string]any{"name": " "}), 400, "INPUT_001")
	r := w.call(t, "POST", "/api/v2/task/"+task.CustomID+"/checklist"+q("custom_task_ids", "true", "team_id", wsDev), annTok, map[string]any{"name": "Ship"})
	expect(t, r, 200, "")
	cl := r.json(t)["checklist"].(map[string]any)
	id := cl["id"].(string)
	if cl["name"] != "Ship" || cl["task_id"] != task.ID || len(cl["items"].([]any)) != 0 || cl["creator"].(float64) != float64(annID) {
		t.Fatalf("created %v", cl)
	}
	item := func(body map[string]any) map[string]any {
		t.Helper()
		r := w.call(t, "POST", "/api/v2/checklist/"+id+"/checklist_item", annTok, body)
		expect(t, r, 200, "")
		items := r.json(t)["checklist"].(map[string]any)["items"].([]any)
		return items[len(items)-1].(map[string]any)
	}
	a := item(map[string]any{"name": "Build", "assignee": bobID})
	b := item(map[string]any{"name": "Tag", "assignee": cyID}) // Cy is not in the Workspace
	if a["assignee"].(map[string]any)["id"].(float64) != float64(bobID) || b["assignee"] != nil || b["orderindex"].(float64) != 1 {
		t.Fatalf("items %v %v", a, b)
	}
	path := "/api/v2/checklist/" + id + "/checklist_item/"
	r = w.call(t, "PUT", path+b["id"].(string), annTok, map[string]any{"resolved": true, "assignee": "502", "parent": a["id"], "name": "Tag it"})
	expect(t, r, 200, "")
	cl = r.json(t)["checklist"].(map[string]any)
	got := cl["items"].([]any)[1].(map[string]any)
	if got["resolved"] != true || got["parent"] != a["id"] || got["name"] != "Tag it" || got["assignee"].(map[string]any)["id"].(float64) != float64(bobID) ||
		cl["resolved"].(float64) != 1 || len(cl["items"].([]any)[0].(map[string]any)["children"].([]any)) != 1 {
		t.Fatalf("edited %v", cl)
	}
	expect(t, w.call(t, "PUT", path+a["id"].(string), annTok, map[string]any{"parent": b["id"]}), 400, "CHECKLIST_003")
	expect(t, w.call(t, "PUT", path+"nope", annTok, map[string]any{"resolved": true}), 404, "CHECKLIST_002")
	expect(t, w.call(t, "PUT", "/api/v2/checklist/nope", annTok, map[string]any{"name": "x"}), 401, "OAUTH_027")
	expect(t, w.call(t, "PUT", "/api/v2/checklist/"+id, cyTok, map[string]any{"name": "x"}), 401, "OAUTH_027")
	r = w.call(t, "PUT", path+b["id"].(string), annTok, map[string]any{"assignee": nil})
	expect(t, r, 200, "")
	if r.json(t)["checklist"].(map[string]any)["items"].([]any)[1].(map[string]any)["assignee"] != nil {
		t.Fatal("null did not unassign")
	}
	// A second checklist, moved to the top, then renamed.
	expect(t, w.call(t, "POST", "/api/v2/task/"+task.ID+"/checklist", annTok, map[string]any{"name": "Later"}), 200, "")
	cls := w.Checklists(task.ID)
	expect(t, w.call(t, "PUT", "/api/v2/checklist/"+cls[1].ID, annTok, map[string]any{"position": 0, "name": "First"}), 200, "")
	if cls = w.Checklists(task.ID); cls[0].Name != "First" || cls[1].Name != "Ship" {
		t.Fatalf("after the move %+v", cls)
	}
	// Deleting the parent deletes the nested item; the checklist delete the rest.
	expect(t, w.call(t, "DELETE", path+a["id"].(string), annTok, nil), 200, "")
	if cls = w.Checklists(task.ID); len(cls[1].Items) != 0 {
		t.Fatalf("nested item kept: %+v", cls[1])
	}
	expect(t, w.call(t, "DELETE", "/api/v2/checklist/"+id, annTok, nil), 200, "")
	m := w.get(t, "/api/v2/task/"+task.ID).json(t)
	if cs := m["checklists"].([]any); len(cs) != 1 || cs[0].(map[string]any)["name"] != "First" {
		t.Fatalf("task checklists %v", cs)
	}
}
