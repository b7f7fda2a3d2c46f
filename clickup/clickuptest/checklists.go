package clickuptest

import (
	"net/http"
	"slices"
	"strings"
)

// Task checklists (API-NOTES §5 "Checklists"): created on a task, then
// addressed by their UUID alone. A create, and every item change, answers
// {"checklist": {...}} with every item; a checklist edit and both deletes
// answer {}. Checklist names and item names are required and not blank;
// an item's assignee who is not a member of the task's Workspace is
// ignored, as on comments; parent nests an item under another of the same
// checklist, and deleting an item deletes the items nested under it.

// checklistNotFound answers an unknown checklist like an unknown task: 401
// OAUTH_027, or 404 under WithNotFoundAs404 (CHECKLIST_001 is the fake's).
func (c *call) checklistNotFound() *response {
	if c.s.notFound404 {
		return errResp(http.StatusNotFound, "Checklist not found", "CHECKLIST_001")
	}
	return teamNotAuthorized()
}

// resolveChecklist finds a checklist the token may see by id.
func (c *call) resolveChecklist() (*Task, int, *response) {
	id := c.params["checklist_id"]
	for _, t := range c.s.taskOrder {
		for i := range t.Checklists {
			if t.Checklists[i].ID == id {
				if !c.s.tokenSees(c.auth, c.s.wsIDOfTask(t)) {
					return nil, 0, teamNotAuthorized()
				}
				return t, i, nil
			}
		}
	}
	return nil, 0, c.checklistNotFound()
}

// resolveChecklistItem finds an item of a checklist.
func (c *call) resolveChecklistItem() (*Task, int, int, *response) {
	t, i, e := c.resolveChecklist()
	if e != nil {
		return nil, 0, 0, e
	}
	id := c.params["checklist_item_id"]
	for k, it := range t.Checklists[i].Items {
		if it.ID == id {
			return t, i, k, nil
		}
	}
	return nil, 0, 0, errResp(http.StatusNotFound, "Checklist item not found", "CHECKLIST_002")
}

func (c *call) checklistAnswer(t *Task, i int) *response {
	return jsonResp(200, map[string]any{"checklist": c.s.renderChecklist(t, i)})
}

// requiredName reads a name that must be present and not blank.
func requiredName(b body, what string) (string, *response) {
	name, ok, err := b.str("name")
	if err != nil || !ok || strings.TrimSpace(name) == "" {
		return "", badInput(what + " name")
	}
	return name, nil
}

// itemAssignee reads an assignee: a user id as a number or a string of
// digits (the spec declares an integer on the create, a string on the
// edit), or null for none. Ids outside the Workspace are ignored.
func (c *call) itemAssignee(b body, t *Task) (int64, bool, *response) {
	if !b.has("assignee") {
		return 0, false, nil
	}
	if b.isNull("assignee") {
		return 0, true, nil
	}
	id, err := int64Val(b["assignee"])
	if err != nil || id < 0 {
		return 0, false, badInput("Assignee")
	}
	if id != 0 && len(c.memberIDs(c.s.wsIDOfTask(t), []int64{id})) == 0 {
		id = 0
	}
	return id, true, nil
}

// createChecklist answers POST /v2/task/{task_id}/checklist.
func (c *call) createChecklist() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, e := requiredName(b, "Checklist")
	if e != nil {
		return e
	}
	now := c.s.now()
	t.Checklists = append(t.Checklists, Checklist{ID: c.s.uuid(), Name: name, CreatorID: c.auth.userID, DateCreated: now})
	t.DateUpdated = now
	return c.checklistAnswer(t, len(t.Checklists)-1)
}

// editChecklist answers PUT /v2/checklist/{checklist_id}: name and
// position (0 is the top; past the end is the end).
func (c *call) editChecklist() *response {
	t, i, e := c.resolveChecklist()
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	cl := t.Checklists[i]
	if b.has("name") {
		if cl.Name, e = requiredName(b, "Checklist"); e != nil {
			return e
		}
	}
	pos := i
	if b.has("position") && !b.isNull("position") {
		p, err := int64Val(b["position"])
		if err != nil || p < 0 {
			return badInput("Position")
		}
		pos = int(min(p, int64(len(t.Checklists)-1)))
	}
	t.Checklists[i] = cl
	if pos != i {
		moved := t.Checklists[i]
		t.Checklists = slices.Insert(slices.Delete(t.Checklists, i, i+1), pos, moved)
	}
	t.DateUpdated = c.s.now()
	return jsonResp(200, struct{}{})
}

// deleteChecklist answers DELETE /v2/checklist/{checklist_id}.
func (c *call) deleteChecklist() *response {
	t, i, e := c.resolveChecklist()
	if e != nil {
		return e
	}
	t.Checklists = slices.Delete(t.Checklists, i, i+1)
	t.DateUpdated = c.s.now()
	return jsonResp(200, struct{}{})
}

// createChecklistItem answers POST /v2/checklist/{checklist_id}/checklist_item.
func (c *call) createChecklistItem() *response {
	t, i, e := c.resolveChecklist()
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	name, e := requiredName(b, "Checklist item")
	if e != nil {
		return e
	}
	assignee, _, e := c.itemAssignee(b, t)
	if e != nil {
		return e
	}
	now := c.s.now()
	t.Checklists[i].Items = append(t.Checklists[i].Items, ChecklistItem{ID: c.s.uuid(), Name: name, Assignee: assignee, DateCreated: now})
	t.DateUpdated = now
	return c.checklistAnswer(t, i)
}

// editChecklistItem answers PUT
// /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}: name,
// resolved, assignee (null unassigns) and parent (null unnests). A failed
// edit changes nothing.
func (c *call) editChecklistItem() *response {
	t, i, k, e := c.resolveChecklistItem()
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	items := t.Checklists[i].Items
	it := items[k]
	if b.has("name") {
		if it.Name, e = requiredName(b, "Checklist item"); e != nil {
			return e
		}
	}
	if b.has("resolved") && !b.isNull("resolved") {
		v, err := b.boolean("resolved")
		if err != nil {
			return badInput("Resolved")
		}
		it.Resolved = v
	}
	if a, ok, e := c.itemAssignee(b, t); e != nil {
		return e
	} else if ok {
		it.Assignee = a
	}
	if b.has("parent") {
		p, _, err := b.str("parent")
		if err != nil {
			return badInput("Parent")
		}
		if p != "" {
			known := slices.ContainsFunc(items, func(o ChecklistItem) bool { return o.ID == p })
			if !known || p == it.ID || c.s.nestedUnder(items, p, it.ID) {
				return errResp(http.StatusBadRequest, "Parent must be another item of this checklist, not nested under this one", "CHECKLIST_003")
			}
		}
		it.Parent = p
	}
	items[k] = it
	t.DateUpdated = c.s.now()
	return c.checklistAnswer(t, i)
}

// nestedUnder reports whether item id sits (at any depth) under item root.
func (s *Server) nestedUnder(items []ChecklistItem, id, root string) bool {
	for range len(items) {
		k := slices.IndexFunc(items, func(o ChecklistItem) bool { return o.ID == id })
		if k < 0 || items[k].Parent == "" {
			return false
		}
		if items[k].Parent == root {
			return true
		}
		id = items[k].Parent
	}
	return false
}

// deleteChecklistItem answers DELETE
// /v2/checklist/{checklist_id}/checklist_item/{checklist_item_id}; the
// items nested under it go with it.
func (c *call) deleteChecklistItem() *response {
	t, i, k, e := c.resolveChecklistItem()
	if e != nil {
		return e
	}
	items := t.Checklists[i].Items
	root := items[k].ID
	gone := map[string]bool{}
	for _, o := range items {
		if o.ID == root || c.s.nestedUnder(items, o.ID, root) {
			gone[o.ID] = true
		}
	}
	t.Checklists[i].Items = slices.DeleteFunc(items, func(o ChecklistItem) bool { return gone[o.ID] })
	t.DateUpdated = c.s.now()
	return jsonResp(200, struct{}{})
}

// Checklists returns a copy of a task's checklists, for assertions.
func (s *Server) Checklists(taskID string) []Checklist {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tasks[taskID]
	if t == nil {
		return nil
	}
	return cloneTask(t).Checklists
}
