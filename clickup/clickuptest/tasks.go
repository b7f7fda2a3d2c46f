package clickuptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func validTaskID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if (ch < '0' || ch > '9') && (ch < 'a' || ch > 'z') && (ch < 'A' || ch > 'Z') && ch != '_' {
			return false
		}
	}
	return true
}

func (c *call) taskNotFound() *response {
	if c.s.notFound404 {
		return errResp(http.StatusNotFound, "Task not found", "ITEM_013")
	}
	return teamNotAuthorized()
}

// resolveTask finds a task by id, or by custom id with
// custom_task_ids=true&team_id=X. Unknown tasks answer like the real API:
// 401 OAUTH_027 (or 404 ITEM_013 under WithNotFoundAs404).
func (c *call) resolveTask(id string) (*Task, *response) {
	if boolParam(c.q, "custom_task_ids") {
		team := first(c.q["team_id"])
		if team == "" {
			return nil, errResp(http.StatusBadRequest, "team_id is required when custom_task_ids is true", "INPUT_001")
		}
		if !c.s.tokenSees(c.auth, team) {
			return nil, teamNotAuthorized()
		}
		t := c.s.tasks[c.s.customIDs[team+"\x00"+strings.ToLower(id)]]
		if t == nil {
			return nil, c.taskNotFound()
		}
		return t, nil
	}
	if !validTaskID(id) {
		return nil, errResp(http.StatusBadRequest, "Task ID invalid", "INPUT_004")
	}
	t := c.s.tasks[id]
	if t == nil {
		return nil, c.taskNotFound()
	}
	if !c.s.tokenSees(c.auth, c.s.wsIDOfTask(t)) {
		return nil, teamNotAuthorized()
	}
	return t, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func (c *call) getTask() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	return jsonResp(200, c.s.renderTask(t, renderOpts{
		markdown:    boolParam(c.q, "include_markdown_description"),
		subtasks:    boolParam(c.q, "include_subtasks"),
		attachments: true,
	}))
}

func statusDoesNotExist() *response {
	return errResp(http.StatusBadRequest, "Status does not exist", "ITEM_114")
}

// setStatus moves a task to a status and keeps date_done/date_closed in step.
func (s *Server) setStatus(t *Task, st Status, now time.Time) {
	t.Status = st.Name
	switch st.Type {
	case "closed":
		if t.DateDone.IsZero() {
			t.DateDone = now
		}
		if t.DateClosed.IsZero() {
			t.DateClosed = now
		}
	case "done":
		if t.DateDone.IsZero() {
			t.DateDone = now
		}
		t.DateClosed = time.Time{}
	default:
		t.DateDone, t.DateClosed = time.Time{}, time.Time{}
	}
}

func (c *call) memberIDs(wsID string, ids []int64) []int64 {
	ws := c.s.workspaces[wsID]
	var out []int64
	for _, id := range ids {
		// ClickUp ignores ids of people outside the Workspace.
		if slices.Contains(ws.MemberIDs, id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func (c *call) createTask() *response {
	l, e := c.resolveList(c.params["list_id"])
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	s := c.s
	wsID := s.spaces[l.SpaceID].WorkspaceID
	now := s.now()
	var t Task

	name, _, err := b.str("name")
	name = strings.TrimSpace(name)
	if err != nil || name == "" || utf8.RuneCountInString(name) > 2048 {
		return errResp(http.StatusBadRequest, "Task name invalid", "INPUT_005")
	}
	t.Name = name

	desc, _, err := b.str("description")
	if err != nil {
		return badInput("Description")
	}
	md, hasMD, err := b.str("markdown_content")
	if err != nil {
		return badInput("Markdown content")
	}
	if !hasMD {
		if md, hasMD, err = b.str("markdown_description"); err != nil {
			return badInput("Markdown description")
		}
	}
	if hasMD && md != "" {
		t.MarkdownDescription = md
		t.Description = markdownToText(md)
	} else {
		t.Description = desc
		t.MarkdownDescription = desc
	}

	if st, has, err := b.str("status"); err != nil {
		return badInput("Status")
	} else if has && strings.TrimSpace(st) != "" {
		found, ok := s.findStatus(l, st)
		if !ok {
			return statusDoesNotExist()
		}
		t.Status = found.Name
	} else {
		t.Status = s.statusesOf(l)[0].Name
	}

	if p, has, err := b.int64("priority"); err != nil || has && (p < 1 || p > 4) {
		return badInput("Priority")
	} else if has {
		t.Priority = int(p)
	}

	assignees, err := b.int64s("assignees")
	if err != nil {
		return badInput("Assignees")
	}
	t.Assignees = c.memberIDs(wsID, assignees)
	if t.GroupAssignees, err = b.strs("group_assignees"); err != nil {
		return badInput("Group assignees")
	}
	tags, err := b.strs("tags")
	if err != nil {
		return badInput("Tags")
	}

	if resp := c.applyDates(b, &t); resp != nil {
		return resp
	}
	if v, has, err := b.int64("time_estimate"); err != nil || v < 0 {
		return badInput("Time estimate")
	} else if has {
		t.TimeEstimate = time.Duration(v) * time.Millisecond
	}
	if v, has, err := b.float("points"); err != nil {
		return badInput("Points")
	} else if has {
		t.Points = &v
	}
	if v, has, err := b.int64("custom_item_id"); err != nil {
		return badInput("Custom item id")
	} else if has {
		t.CustomItemID = int(v)
	}
	if t.Archived, err = b.boolean("archived"); err != nil {
		return badInput("Archived")
	}
	if _, err = b.boolean("notify_all"); err != nil {
		return badInput("Notify all")
	}

	if parent, has, err := b.str("parent"); err != nil {
		return badInput("Parent")
	} else if has && parent != "" {
		// The parent "can be a subtask, but must be in the same List specified in the path".
		p := s.tasks[parent]
		if p == nil || p.ListID != l.ID {
			return errResp(http.StatusBadRequest, "Parent not child of list", "ITEM_137")
		}
		t.Parent = p.ID
	}
	var linkTo *Task
	if link, has, err := b.str("links_to"); err != nil {
		return badInput("Links to")
	} else if has && link != "" {
		lt := s.tasks[link]
		if lt == nil || !s.tokenSees(c.auth, s.wsIDOfTask(lt)) {
			return c.taskNotFound()
		}
		linkTo = lt
	}

	fields, resp := c.customFieldValues(b, l)
	if resp != nil {
		return resp
	}
	t.CustomFields = fields
	check, err := b.boolean("check_required_custom_fields")
	if err != nil {
		return badInput("Check required custom fields")
	}
	if check {
		for _, f := range s.fieldsForList(l) {
			if f.Required && t.CustomFields[f.ID] == nil {
				return errResp(http.StatusBadRequest, "Required custom fields missing: "+f.Name, "FIELD_002")
			}
		}
	}

	me := c.auth.userID
	t.CreatorID = me
	t.Watchers = []int64{me}
	for _, a := range t.Assignees {
		if !slices.Contains(t.Watchers, a) {
			t.Watchers = append(t.Watchers, a)
		}
	}
	for _, name := range tags {
		if strings.TrimSpace(name) == "" {
			continue
		}
		tag := s.ensureSpaceTag(l.SpaceID, name, me)
		if !slices.Contains(t.Tags, tag) {
			t.Tags = append(t.Tags, tag)
		}
	}
	t.DateCreated, t.DateUpdated = now, now
	st, _ := s.findStatus(l, t.Status)
	s.setStatus(&t, st, now)
	p := s.insertTask(l, t)
	if linkTo != nil {
		p.LinkedTasks = append(p.LinkedTasks, linkTo.ID)
		linkTo.LinkedTasks = append(linkTo.LinkedTasks, p.ID)
	}
	return jsonResp(200, s.renderTask(p, renderOpts{attachments: true}))
}

// applyDates reads due_date/start_date (ms, or null to clear) and their
// *_time flags.
func (c *call) applyDates(b body, t *Task) *response {
	for _, d := range []struct {
		key   string
		date  *time.Time
		isSet *bool
	}{{"due_date", &t.DueDate, &t.DueDateTime}, {"start_date", &t.StartDate, &t.StartDateTime}} {
		if b.isNull(d.key) {
			*d.date = time.Time{}
		} else if v, has, err := b.int64(d.key); err != nil || v < 0 {
			return badInput(strings.ReplaceAll(d.key, "_", " "))
		} else if has {
			*d.date = msTime(v)
		}
		if b.has(d.key + "_time") {
			v, err := b.boolean(d.key + "_time")
			if err != nil {
				return badInput(strings.ReplaceAll(d.key, "_", " ") + " time")
			}
			*d.isSet = v
		}
	}
	return nil
}

// customFieldValues reads CreateTask's custom_fields: [{id, value}].
func (c *call) customFieldValues(b body, l *List) (map[string]any, *response) {
	if !b.has("custom_fields") || b.isNull("custom_fields") {
		return nil, nil
	}
	var in []struct {
		ID    string `json:"id"`
		Value any    `json:"value"`
	}
	if err := json.Unmarshal(b["custom_fields"], &in); err != nil {
		return nil, badInput("Custom fields")
	}
	avail := c.s.fieldsForList(l)
	out := map[string]any{}
	for _, cf := range in {
		var f *fieldRec
		for _, a := range avail {
			if a.ID == cf.ID {
				f = a
			}
		}
		if f == nil {
			return nil, errResp(http.StatusBadRequest, "Custom field not found: "+cf.ID, "FIELD_001")
		}
		if cf.Value == nil {
			continue
		}
		v, err := c.s.normFieldValue(f, cf.Value)
		if err != nil {
			return nil, errResp(http.StatusBadRequest, "Value is not valid for custom field "+f.Name+": "+err.Error(), "FIELD_001")
		}
		out[f.ID] = v
	}
	return out, nil
}

func (c *call) updateTask() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	s := c.s
	l := s.listOf(t)
	wsID := s.wsIDOfTask(t)
	now := s.now()
	// Validate everything on a copy, then commit: a 400 changes nothing.
	n := cloneTask(t)

	if b.has("name") {
		name, _, err := b.str("name")
		name = strings.TrimSpace(name)
		if err != nil || name == "" || utf8.RuneCountInString(name) > 2048 {
			return errResp(http.StatusBadRequest, "Task name invalid", "INPUT_005")
		}
		n.Name = name
	}
	md, hasMD, err := b.str("markdown_content")
	if err != nil {
		return badInput("Markdown content")
	}
	if !hasMD {
		if md, hasMD, err = b.str("markdown_description"); err != nil {
			return badInput("Markdown description")
		}
	}
	desc, hasDesc, err := b.str("description")
	if err != nil {
		return badInput("Description")
	}
	switch {
	case hasMD && strings.TrimSpace(md) != "":
		n.MarkdownDescription, n.Description = md, markdownToText(md)
	case hasMD && md != "" || hasDesc && desc != "" && strings.TrimSpace(desc) == "":
		// " " is how the API clears a description.
		n.MarkdownDescription, n.Description = "", ""
	case hasDesc && desc != "":
		n.MarkdownDescription, n.Description = desc, desc
	}
	var newStatus *Status
	if st, has, err := b.str("status"); err != nil {
		return badInput("Status")
	} else if has && strings.TrimSpace(st) != "" {
		found, ok := s.findStatus(l, st)
		if !ok {
			return statusDoesNotExist()
		}
		newStatus = &found
	}
	if b.isNull("priority") {
		n.Priority = 0
	} else if p, has, err := b.int64("priority"); err != nil || has && (p < 0 || p > 4) {
		return badInput("Priority")
	} else if has {
		n.Priority = int(p)
	}
	if resp := c.applyDates(b, &n); resp != nil {
		return resp
	}
	if b.isNull("time_estimate") {
		n.TimeEstimate = 0
	} else if v, has, err := b.int64("time_estimate"); err != nil || v < 0 {
		return badInput("Time estimate")
	} else if has {
		n.TimeEstimate = time.Duration(v) * time.Millisecond
	}
	if b.isNull("points") {
		n.Points = nil
	} else if v, has, err := b.float("points"); err != nil {
		return badInput("Points")
	} else if has {
		n.Points = &v
	}
	if v, has, err := b.int64("custom_item_id"); err != nil {
		return badInput("Custom item id")
	} else if has {
		n.CustomItemID = int(v)
	}
	if b.has("archived") {
		if n.Archived, err = b.boolean("archived"); err != nil {
			return badInput("Archived")
		}
	}
	for _, d := range []struct {
		key  string
		list *[]int64
	}{{"assignees", &n.Assignees}, {"watchers", &n.Watchers}} {
		add, rem, has, err := b.diff(d.key)
		if err != nil {
			return badInput(strings.ToUpper(d.key[:1]) + d.key[1:])
		}
		if !has {
			continue
		}
		for _, id := range c.memberIDs(wsID, add) {
			if !slices.Contains(*d.list, id) {
				*d.list = append(*d.list, id)
			}
		}
		*d.list = slices.DeleteFunc(*d.list, func(id int64) bool { return slices.Contains(rem, id) })
	}
	if r, ok := b["group_assignees"]; ok && string(r) != "null" {
		var g struct{ Add, Rem []string }
		if err := json.Unmarshal(r, &g); err != nil {
			return badInput("Group assignees")
		}
		for _, id := range g.Add {
			if !slices.Contains(n.GroupAssignees, id) {
				n.GroupAssignees = append(n.GroupAssignees, id)
			}
		}
		n.GroupAssignees = slices.DeleteFunc(n.GroupAssignees, func(id string) bool { return slices.Contains(g.Rem, id) })
	}
	// parent moves a subtask under another task; null does not make it a
	// top-level task again (the API ignores it).
	if parent, has, err := b.str("parent"); err != nil {
		return badInput("Parent")
	} else if has && parent != "" && parent != n.Parent {
		p := s.tasks[parent]
		if p == nil || !s.tokenSees(c.auth, s.wsIDOfTask(p)) {
			return errResp(http.StatusBadRequest, "Parent not child of list", "ITEM_137")
		}
		for a := p; a != nil; a = s.tasks[a.Parent] {
			if a.ID == n.ID {
				return errResp(http.StatusBadRequest, "Parent not child of list", "ITEM_137")
			}
			if a.Parent == "" {
				break
			}
		}
		n.Parent = p.ID
	}

	if newStatus != nil && newStatus.Name != t.Status {
		s.setStatus(&n, *newStatus, now)
	}
	n.DateUpdated = now
	*t = n
	return jsonResp(200, s.renderTask(t, renderOpts{attachments: true}))
}

func (c *call) deleteTask() *response {
	t, e := c.resolveTask(c.params["task_id"])
	if e != nil {
		return e
	}
	c.s.deleteTaskTree(t)
	return &response{status: http.StatusNoContent}
}

// deleteTaskTree removes a task with all its subtasks, their comments, and
// every link or dependency pointing at them.
func (s *Server) deleteTaskTree(root *Task) {
	gone := map[string]bool{root.ID: true}
	for changed := true; changed; {
		changed = false
		for _, t := range s.taskOrder {
			if !gone[t.ID] && gone[t.Parent] {
				gone[t.ID] = true
				changed = true
			}
		}
	}
	kept := s.taskOrder[:0]
	for _, t := range s.taskOrder {
		if !gone[t.ID] {
			t.LinkedTasks = slices.DeleteFunc(t.LinkedTasks, func(id string) bool { return gone[id] })
			t.DependsOn = slices.DeleteFunc(t.DependsOn, func(id string) bool { return gone[id] })
			kept = append(kept, t)
			continue
		}
		if t.CustomID != "" {
			delete(s.customIDs, s.wsIDOfTask(t)+"\x00"+strings.ToLower(t.CustomID))
		}
		delete(s.tasks, t.ID)
		delete(s.order, t.ID)
		for _, c := range s.comments[t.ID] {
			delete(s.replies, c.ID)
		}
		delete(s.comments, t.ID)
	}
	clear(s.taskOrder[len(kept):])
	s.taskOrder = kept
}

// normFieldValue turns a custom field value (from a request or a fixture)
// into the stored form documented on Task.CustomFields.
func (s *Server) normFieldValue(f *fieldRec, v any) (any, error) {
	switch f.Type {
	case "drop_down":
		return f.optionID(v)
	case "labels":
		var in []any
		switch x := v.(type) {
		case []any:
			in = x
		case []string:
			for _, e := range x {
				in = append(in, e)
			}
		default:
			return nil, fmt.Errorf("want an array of option ids")
		}
		out := make([]string, 0, len(in))
		for _, e := range in {
			id, err := f.optionID(e)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, nil
	case "number", "currency", "emoji", "progress":
		n, ok := toFloat(v)
		if !ok {
			return nil, fmt.Errorf("want a number")
		}
		return n, nil
	case "checkbox":
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if x == "true" || x == "false" {
				return x == "true", nil
			}
		}
		return nil, fmt.Errorf("want a boolean")
	case "date":
		if tm, ok := v.(time.Time); ok {
			return tm.UnixMilli(), nil
		}
		n, ok := toFloat(v)
		if !ok {
			return nil, fmt.Errorf("want a date in ms")
		}
		return int64(n), nil
	case "users":
		var in []any
		switch x := v.(type) {
		case []int64:
			return slices.Clone(x), nil
		case []any:
			in = x
		case map[string]any:
			in, _ = x["add"].([]any)
		default:
			return nil, fmt.Errorf("want user ids")
		}
		out := []int64{}
		for _, e := range in {
			n, ok := toFloat(e)
			if !ok {
				return nil, fmt.Errorf("want user ids")
			}
			out = append(out, int64(n))
		}
		return out, nil
	case "short_text", "text", "email", "url", "phone":
		str, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want a string")
		}
		return str, nil
	}
	return v, nil
}

// optionID accepts an option's id, its name (case-insensitive) or its
// orderindex.
func (f *fieldRec) optionID(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if _, ok := f.optionIdx[x]; ok {
			return x, nil
		}
		for _, o := range f.Options {
			if strings.EqualFold(o.Name, x) {
				return o.ID, nil
			}
		}
		if i, err := strconv.Atoi(x); err == nil && i >= 0 && i < len(f.Options) {
			return f.Options[i].ID, nil
		}
	default:
		if n, ok := toFloat(v); ok && n >= 0 && int(n) < len(f.Options) && float64(int(n)) == n {
			return f.Options[int(n)].ID, nil
		}
	}
	return "", fmt.Errorf("unknown option %v", v)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}
