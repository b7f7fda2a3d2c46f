package clickuptest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Hand-written handlers for what a task holds besides its fields: custom
// field values, dependencies, links, extra lists (Tasks in Multiple Lists)
// and the v3 move to another home list. Values are checked the way ClickUp
// checks them (API-NOTES §5): a drop-down takes an option's id, labels an
// array of option ids, people {add, rem}, a date epoch ms; names are not
// accepted, so a client that sends them fails here as it would for real.

func (c *call) taskField() (*Task, *fieldRec, *response) {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return nil, nil, e
	}
	for _, f := range c.s.fieldsForList(c.s.listOf(t)) {
		if f.ID == c.params["field_id"] {
			return t, f, nil
		}
	}
	return nil, nil, errResp(http.StatusBadRequest, "Custom field not found or not on this task's list: "+c.params["field_id"], "FIELD_001")
}

func fieldInvalid(f *fieldRec, what string) *response {
	return errResp(http.StatusBadRequest, "Value is not valid for custom field "+f.Name+": "+what, "FIELD_002")
}

// setTaskField answers POST /v2/task/{task_id}/field/{field_id}.
func (c *call) setTaskField() *response {
	t, f, e := c.taskField()
	if e != nil {
		return e
	}
	var in struct {
		Value        json.RawMessage `json:"value"`
		ValueOptions *struct {
			Time bool `json:"time"`
		} `json:"value_options"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || len(in.Value) == 0 {
		return errResp(http.StatusBadRequest, "Value must be provided", "FIELD_002")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(in.Value)))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return fieldInvalid(f, "not JSON")
	}
	var stored any
	switch f.Type {
	case "drop_down":
		id, ok := v.(string)
		if _, known := f.optionIdx[id]; !ok || !known {
			return fieldInvalid(f, "want the id of one of its options")
		}
		stored = id
	case "labels":
		arr, ok := v.([]any)
		if !ok {
			return fieldInvalid(f, "want an array of option ids")
		}
		ids := []string{}
		for _, x := range arr {
			id, ok := x.(string)
			if _, known := f.optionIdx[id]; !ok || !known {
				return fieldInvalid(f, "want an array of option ids")
			}
			ids = append(ids, id)
		}
		stored = ids
	case "users":
		m, ok := v.(map[string]any)
		if !ok {
			return fieldInvalid(f, "want {add: [user ids], rem: [user ids]}")
		}
		cur, _ := t.CustomFields[f.ID].([]int64)
		next := slices.Clone(cur)
		for _, key := range []string{"add", "rem"} {
			arr, _ := m[key].([]any)
			for _, x := range arr {
				n, ok := toFloat(x)
				if !ok {
					return fieldInvalid(f, "want user ids")
				}
				id := int64(n)
				if key == "add" && !slices.Contains(next, id) && slices.Contains(c.s.workspaces[c.s.wsIDOfTask(t)].MemberIDs, id) {
					next = append(next, id)
				}
				if key == "rem" {
					next = slices.DeleteFunc(next, func(x int64) bool { return x == id })
				}
			}
		}
		stored = next
	case "number", "currency", "emoji":
		n, ok := v.(json.Number)
		if !ok {
			return fieldInvalid(f, "want a number")
		}
		x, _ := n.Float64()
		stored = x
	case "date":
		n, ok := v.(json.Number)
		ms, err := n.Int64()
		if !ok || err != nil {
			return fieldInvalid(f, "want epoch milliseconds")
		}
		stored = ms
	case "checkbox":
		b, ok := v.(bool)
		if !ok {
			return fieldInvalid(f, "want true or false")
		}
		stored = b
	case "short_text", "text", "email", "url", "phone":
		str, ok := v.(string)
		if !ok {
			return fieldInvalid(f, "want a string")
		}
		stored = str
	default:
		n, err := c.s.normFieldValue(f, v)
		if err != nil {
			return fieldInvalid(f, err.Error())
		}
		stored = n
	}
	if t.CustomFields == nil {
		t.CustomFields = map[string]any{}
	}
	t.CustomFields[f.ID] = stored
	t.DateUpdated = c.s.now()
	return jsonResp(200, map[string]any{})
}

// removeTaskField answers DELETE /v2/task/{task_id}/field/{field_id}.
func (c *call) removeTaskField() *response {
	t, f, e := c.taskField()
	if e != nil {
		return e
	}
	delete(t.CustomFields, f.ID)
	t.DateUpdated = c.s.now()
	return jsonResp(200, map[string]any{})
}

// otherTask finds the task on the other side of a relation by its native
// id (these bodies and paths take no custom ids).
func (c *call) otherTask(id string, t *Task) (*Task, *response) {
	o := c.s.tasks[id]
	if o == nil || c.s.wsIDOfTask(o) != c.s.wsIDOfTask(t) {
		return nil, c.taskNotFound()
	}
	if o.ID == t.ID {
		return nil, errResp(http.StatusBadRequest, "A task cannot depend on or link to itself", "DEP_001")
	}
	return o, nil
}

// addDependency answers POST /v2/task/{task_id}/dependency with
// {depends_on} (the task waits on it) or {dependency_of} (it waits on the
// task).
func (c *call) addDependency() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	var in struct {
		DependsOn    string `json:"depends_on"`
		DependencyOf string `json:"dependency_of"`
	}
	if json.Unmarshal(c.body, &in) != nil || (in.DependsOn == "") == (in.DependencyOf == "") {
		return errResp(http.StatusBadRequest, "Give depends_on or dependency_of", "DEP_002")
	}
	waiter, blocker := t, (*Task)(nil)
	if in.DependsOn != "" {
		o, e := c.otherTask(in.DependsOn, t)
		if e != nil {
			return e
		}
		blocker = o
	} else {
		o, e := c.otherTask(in.DependencyOf, t)
		if e != nil {
			return e
		}
		waiter, blocker = o, t
	}
	if slices.Contains(blocker.DependsOn, waiter.ID) {
		return errResp(http.StatusBadRequest, "Dependency would create a cycle", "DEP_003")
	}
	if !slices.Contains(waiter.DependsOn, blocker.ID) {
		waiter.DependsOn = append(waiter.DependsOn, blocker.ID)
	}
	return jsonResp(200, map[string]any{})
}

// removeDependency answers DELETE /v2/task/{task_id}/dependency: the spec
// requires both depends_on and dependency_of; each removes its direction.
func (c *call) removeDependency() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	on, of := first(c.q["depends_on"]), first(c.q["dependency_of"])
	if on == "" || of == "" {
		return errResp(http.StatusBadRequest, "depends_on and dependency_of are required", "DEP_002")
	}
	t.DependsOn = slices.DeleteFunc(t.DependsOn, func(id string) bool { return id == on })
	if o := c.s.tasks[of]; o != nil {
		o.DependsOn = slices.DeleteFunc(o.DependsOn, func(id string) bool { return id == t.ID })
	}
	return jsonResp(200, map[string]any{})
}

// taskLink answers POST and DELETE /v2/task/{task_id}/link/{links_to} with
// the task and its links; a link shows on both tasks.
func (c *call) taskLink() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	o, e := c.otherTask(c.params["links_to"], t)
	if e != nil {
		return e
	}
	if c.r.Method == http.MethodPost {
		if !slices.Contains(t.LinkedTasks, o.ID) && !slices.Contains(o.LinkedTasks, t.ID) {
			t.LinkedTasks = append(t.LinkedTasks, o.ID)
		}
	} else {
		t.LinkedTasks = slices.DeleteFunc(t.LinkedTasks, func(id string) bool { return id == o.ID })
		o.LinkedTasks = slices.DeleteFunc(o.LinkedTasks, func(id string) bool { return id == t.ID })
	}
	return jsonResp(200, map[string]any{"task": c.s.renderTask(t, renderOpts{})})
}

// listTask answers POST and DELETE /v2/list/{list_id}/task/{task_id}
// (Tasks in Multiple Lists): the home list can be neither added nor removed.
func (c *call) listTask() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	t := c.s.tasks[c.params["task_id"]]
	if t == nil || c.s.wsIDOfTask(t) != c.s.workspaceOfList(l).ID {
		return c.taskNotFound()
	}
	if t.ListID == l.ID {
		return errResp(http.StatusBadRequest, "This is the task's home list", "ITEM_140")
	}
	if c.r.Method == http.MethodPost {
		if !slices.Contains(t.OtherListIDs, l.ID) {
			t.OtherListIDs = append(t.OtherListIDs, l.ID)
		}
	} else {
		if !slices.Contains(t.OtherListIDs, l.ID) {
			return errResp(http.StatusBadRequest, "Task is not in this list", "ITEM_141")
		}
		t.OtherListIDs = slices.DeleteFunc(t.OtherListIDs, func(id string) bool { return id == l.ID })
	}
	return jsonResp(200, map[string]any{})
}

// moveTask answers v3 PUT /workspaces/{ws}/tasks/{task_id}/home_list/{list_id}.
// The task keeps its status when the destination has one of that name;
// otherwise status_mappings must say, by status ids, where it lands.
func (c *call) moveTask() *response {
	if !c.s.tokenSees(c.auth, c.params["workspace_id"]) {
		return teamNotAuthorized()
	}
	t := c.s.tasks[c.params["task_id"]]
	if t == nil || c.s.wsIDOfTask(t) != c.params["workspace_id"] {
		return errResp(http.StatusNotFound, "Task not found", "ITEM_013")
	}
	dst := c.s.lists[c.params["list_id"]]
	if dst == nil || c.s.workspaceOfList(dst).ID != c.params["workspace_id"] {
		return errResp(http.StatusNotFound, "List not found", "ITEM_015")
	}
	var in struct {
		StatusMappings []struct {
			Source      string `json:"source_status_id"`
			Destination string `json:"destination_status_id"`
		} `json:"status_mappings"`
	}
	if len(strings.TrimSpace(string(c.body))) > 0 && json.Unmarshal(c.body, &in) != nil {
		return errResp(http.StatusBadRequest, "Body must be a JSON object", "INPUT_001")
	}
	cur, _ := c.s.statusOfTask(t)
	land, ok := c.s.findStatus(dst, cur.Name)
	for _, m := range in.StatusMappings {
		if m.Source != cur.ID {
			continue
		}
		ok = false
		for _, st := range c.s.statusesOf(dst) {
			if st.ID == m.Destination {
				land, ok = st, true
			}
		}
		if !ok {
			return errResp(http.StatusBadRequest, "Destination status not in the list: "+m.Destination, "ITEM_142")
		}
	}
	if !ok {
		return errResp(http.StatusBadRequest, "Status "+cur.Name+" is not in the destination list; give status_mappings", "ITEM_143")
	}
	tree := []*Task{t}
	for i := 0; i < len(tree) && i < 10000; i++ {
		tree = append(tree, c.s.children(tree[i].ID)...)
	}
	for _, sub := range tree {
		sub.ListID = dst.ID
		sub.OtherListIDs = slices.DeleteFunc(sub.OtherListIDs, func(id string) bool { return id == dst.ID })
		if st, ok := c.s.findStatus(dst, sub.Status); ok {
			sub.Status = st.Name
		} else {
			sub.Status = c.s.statusesOf(dst)[0].Name
		}
	}
	c.s.setStatus(t, land, c.s.now())
	t.DateUpdated = c.s.now()
	return jsonResp(200, map[string]any{"data": map[string]any{"task_id": t.ID, "new_list_id": dst.ID}})
}
