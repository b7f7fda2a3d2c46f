package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// --- clickup_create_task ---

type SubtaskArg struct {
	Name         string   `json:"name" jsonschema:"required" jsonschema_description:"task name"`
	Description  string   `json:"description,omitempty" jsonschema_description:"markdown"`
	Assignees    []string `json:"assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	Status       string   `json:"status,omitempty" jsonschema_description:"status name"`
	Priority     string   `json:"priority,omitempty" jsonschema:"enum=urgent,enum=high,enum=normal,enum=low" jsonschema_description:"priority"`
	DueDate      string   `json:"due_date,omitempty" jsonschema_description:"date"`
	TimeEstimate string   `json:"time_estimate,omitempty" jsonschema_description:"e.g. 2h"`
}

type CreateTaskArgs struct {
	ListID         workspace.ID  `json:"list_id,omitempty" jsonschema_description:"list id, name or Space/Folder/List path; optional with parent"`
	Parent         string        `json:"parent,omitempty" jsonschema_description:"create a subtask of this task (id, custom id or URL)"`
	Name           string        `json:"name" jsonschema:"required" jsonschema_description:"task name"`
	Description    string        `json:"description,omitempty" jsonschema_description:"markdown"`
	Assignees      []string      `json:"assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	Status         string        `json:"status,omitempty" jsonschema_description:"checked against the list's statuses"`
	Priority       string        `json:"priority,omitempty" jsonschema:"enum=urgent,enum=high,enum=normal,enum=low" jsonschema_description:"priority"`
	DueDate        string        `json:"due_date,omitempty" jsonschema_description:"e.g. 2026-12-01, 2026-12-01 17:00, tomorrow 5pm, next friday"`
	StartDate      string        `json:"start_date,omitempty" jsonschema_description:"date"`
	Tags           []string      `json:"tags,omitempty" jsonschema_description:"tag names"`
	TimeEstimate   string        `json:"time_estimate,omitempty" jsonschema_description:"e.g. 90m, 1h30m, 2h"`
	Points         float64       `json:"points,omitempty" jsonschema_description:"sprint points"`
	CustomFields   []NewFieldArg `json:"custom_fields,omitempty" jsonschema_description:"by name"`
	NotifyAll      bool          `json:"notify_all,omitempty" jsonschema_description:"also notify the creator"`
	Subtasks       []SubtaskArg  `json:"subtasks,omitempty" jsonschema_description:"subtasks to create under the new task"`
	WorkspaceID    workspace.ID  `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
	AllowDuplicate bool          `json:"allow_duplicate,omitempty" jsonschema_description:"create even if an identical task was just created (a retry otherwise gets that task)"`
}

type FailedSubtask struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

type CreateTaskResult struct {
	Task           render.TaskSummary   `json:"task"`
	URL            string               `json:"url"`
	Subtasks       []render.TaskSummary `json:"subtasks,omitempty"`
	FailedSubtasks []FailedSubtask      `json:"failed_subtasks,omitempty" jsonschema_description:"subtasks not created; retry only these"`
	Deduplicated   bool                 `json:"deduplicated,omitempty" jsonschema_description:"an identical create was already done; nothing new was created"`
}

// ResourceLinks: the task, its list, then its subtasks.
func (r *CreateTaskResult) ResourceLinks() []mcp.ResourceLink {
	links := append(r.Task.ResourceLinks(), render.ListLink(r.Task.ListID, r.Task.List)...)
	for _, st := range r.Subtasks {
		links = append(links, st.ResourceLinks()...)
	}
	return links
}

func CreateTask(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_task", Title: "Create task", Toolset: toolkit.ToolsetTasks, Hints: toolkit.CreateHints,
		Description: "Create a task in a list, or a subtask with parent; subtasks, if given, are created under it in the same call.",
		Examples: []string{
			`{"list_id": "Sprint 12", "name": "Write the release notes", "assignees": ["me"], "due_date": "tomorrow 5pm"}`,
		},
		Target: &toolkit.Target{List: "list_id", Task: "parent", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *CreateTaskArgs) (*CreateTaskResult, string, error) {
		if strings.TrimSpace(a.Name) == "" {
			return nil, "", workspace.InvalidArg("name", "is required")
		}
		ws := string(a.WorkspaceID)
		listID := ""
		if a.ListID != "" {
			w, err := s.Workspace(ctx, ws)
			if err != nil {
				return nil, "", err
			}
			if listID, err = s.ResolveNode(ctx, w, "list_id", string(a.ListID), workspace.KindList); err != nil {
				return nil, "", err
			}
		}
		var parentID string
		if a.Parent != "" {
			ref, err := s.TaskRef(ctx, "parent", a.Parent, ws)
			if err != nil {
				return nil, "", err
			}
			if ref.IsCustom() || listID == "" {
				p, err := s.Client.Tasks.Get(ctx, ref, nil)
				if err != nil {
					return nil, "", workspace.WithHint(err, "Check the parent task id (%s).", ref.ID)
				}
				ref = clickup.Native(string(p.ID))
				if listID == "" {
					listID = string(p.List.ID)
				} else if listID != string(p.List.ID) {
					return nil, "", workspace.InvalidArg("list_id", "the parent is in list %s (%s); a subtask must be in its parent's list, so omit list_id", p.List.ID, p.List.Name)
				}
			}
			parentID = ref.ID
		}
		if listID == "" {
			return nil, "", workspace.InvalidArg("list_id", "is required (or give parent); find list ids with clickup_get_workspace_hierarchy")
		}
		body, err := taskBody(ctx, d, s, ws, listID, taskFields{
			name: a.Name, description: a.Description, assignees: a.Assignees, status: a.Status,
			priority: a.Priority, due: a.DueDate, start: a.StartDate, estimate: a.TimeEstimate,
		}, "")
		if err != nil {
			return nil, "", err
		}
		body.Tags = a.Tags
		body.NotifyAll = a.NotifyAll
		body.Parent = parentID
		if a.Points != 0 {
			body.Points = &a.Points
		}
		fws, err := checkFields(ctx, s, ws, listID, newFieldArgs(a.CustomFields), false)
		if err != nil {
			return nil, "", err
		}
		if len(fws) > 0 {
			body.CustomFields = createValues(fws)
		}
		// Check every subtask before anything is created, so bad input
		// creates nothing.
		subBodies := make([]*clickup.TaskCreate, len(a.Subtasks))
		for i, st := range a.Subtasks {
			prefix := fmt.Sprintf("subtasks[%d].", i)
			if strings.TrimSpace(st.Name) == "" {
				return nil, "", workspace.InvalidArg(prefix+"name", "is required")
			}
			if subBodies[i], err = taskBody(ctx, d, s, ws, listID, taskFields{
				name: st.Name, description: st.Description, assignees: st.Assignees, status: st.Status,
				priority: st.Priority, due: st.DueDate, estimate: st.TimeEstimate,
			}, prefix); err != nil {
				return nil, "", err
			}
		}
		subDigests := make([]any, len(subBodies)) // [] when none, as createSubtask's key
		for i, sb := range subBodies {
			subDigests[i] = workspace.TaskDigest(listID, sb)
		}
		var t *clickup.Task
		found := writeguard.Sent
		var tk *writeguard.Ticket
		if a.AllowDuplicate {
			// On purpose: no guard, no reconciliation.
			if t, err = s.Client.Tasks.Create(ctx, listID, body); err != nil {
				return nil, "", workspace.UnguardedLost(err, fmt.Sprintf("search list %s (clickup_search_tasks) for a task named %q", listID, body.Name))
			}
		} else {
			if tk, err = s.BeginWrite(ctx, "create_task", workspace.TaskDigest(listID, body), subDigests); err != nil {
				return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
			}
			defer tk.Close()
			if tk.Replay != nil {
				return replayCreate(ctx, s, tk.Replay)
			}
			if t, found, err = s.CreateTask(ctx, tk, listID, body); err != nil {
				return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
			}
		}
		loc := s.Location(ctx)
		r := &CreateTaskResult{Task: render.Summarize(t, loc), URL: t.URL, Deduplicated: found == writeguard.FoundEarlier}
		// Identical subtasks in one call are each meant: the n-th repeat gets
		// its own key.
		repeats := map[string]int{}
		for i, sb := range subBodies {
			sb.Parent = string(t.ID)
			dg := writeguard.Digest(workspace.TaskDigest(listID, sb), nil)
			repeats[dg]++
			st, err := createSubtask(ctx, s, listID, sb, repeats[dg], a.AllowDuplicate)
			if err != nil {
				r.FailedSubtasks = append(r.FailedSubtasks, FailedSubtask{Name: a.Subtasks[i].Name, Error: workspace.Explain(err)})
				continue
			}
			r.Subtasks = append(r.Subtasks, st)
		}
		if tk != nil {
			data, _ := json.Marshal(r)
			tk.Done(ctx, string(t.ID), data)
		}
		s.CountTasks(listID, int64(1+len(r.Subtasks)))
		s.TaskCountChanged(listID)
		var b strings.Builder
		fmt.Fprintf(&b, "Created %s\n%s", r.Task.Line(), r.URL)
		switch found {
		case writeguard.Reconciled:
			b.WriteString("\nClickUp's answer to the create was lost; a check proved this task is this call's own (same creator, made after the call began, every field equal): created once.")
		case writeguard.FoundEarlier:
			b.WriteString("\nAn earlier identical call lost ClickUp's answer; a check proved this task is its write: not created again.")
		}
		for _, st := range r.Subtasks {
			fmt.Fprintf(&b, "\n  subtask %s", st.Line())
		}
		for _, f := range r.FailedSubtasks {
			fmt.Fprintf(&b, "\n  NOT created: subtask %q: %s", f.Name, f.Error)
		}
		if len(r.FailedSubtasks) > 0 {
			fmt.Fprintf(&b, "\nRetry only the failed subtasks, with parent=%s; the task and the other subtasks exist.", r.Task.ID)
		}
		return r, b.String(), nil
	})
}

type taskFields struct {
	name, description, status, priority, due, start, estimate string
	assignees                                                 []string
}

// taskBody turns person-friendly fields into a ClickUp create body, checking
// everything (status against the list, people against the workspace) first.
func taskBody(ctx context.Context, d *workspace.Deps, s *workspace.Session, ws, listID string, f taskFields, prefix string) (*clickup.TaskCreate, error) {
	b := &clickup.TaskCreate{Name: strings.TrimSpace(f.name), MarkdownContent: f.description}
	if f.status != "" {
		st, err := s.ResolveStatus(ctx, prefix+"status", listID, f.status)
		if err != nil {
			return nil, err
		}
		b.Status = st
	}
	if f.priority != "" {
		p, err := workspace.ParsePriority(prefix+"priority", f.priority)
		if err != nil {
			return nil, err
		}
		b.Priority = &p
	}
	if len(f.assignees) > 0 {
		w, err := s.Workspace(ctx, ws)
		if err != nil {
			return nil, err
		}
		ids, err := s.ResolveUsers(ctx, w, prefix+"assignees", f.assignees)
		if err != nil {
			return nil, err
		}
		b.Assignees = ids
	}
	var err error
	if f.due != "" {
		if b.DueDate, b.DueDateTime, err = writeDate(d, s.Location(ctx), prefix+"due_date", f.due); err != nil {
			return nil, err
		}
	}
	if f.start != "" {
		if b.StartDate, b.StartDateTime, err = writeDate(d, s.Location(ctx), prefix+"start_date", f.start); err != nil {
			return nil, err
		}
	}
	if f.estimate != "" {
		ms, err := workspace.ParseDuration(prefix+"time_estimate", f.estimate)
		if err != nil {
			return nil, err
		}
		b.TimeEstimate = &ms
	}
	return b, nil
}

// writeDate reads a date for a write. A date without a time of day is sent
// as 04:00 local time with *_date_time=false, as ClickUp itself stores it.
func writeDate(d *workspace.Deps, loc *time.Location, arg, v string) (*int64, *bool, error) {
	t, hasTime, err := workspace.ParseDate(arg, v, loc, d.Config().Now())
	if err != nil {
		return nil, nil, err
	}
	if !hasTime {
		t = time.Date(t.Year(), t.Month(), t.Day(), 4, 0, 0, 0, t.Location())
	}
	ms := t.UnixMilli()
	return &ms, &hasTime, nil
}

// --- clickup_update_task ---

type UpdateTaskArgs struct {
	TaskID          string           `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id (DEV-123) or task URL"`
	Name            string           `json:"name,omitempty" jsonschema_description:"new name"`
	Description     string           `json:"description,omitempty" jsonschema_description:"new markdown description (replaces the old one)"`
	Status          string           `json:"status,omitempty" jsonschema_description:"checked against the list's statuses"`
	Priority        string           `json:"priority,omitempty" jsonschema:"enum=urgent,enum=high,enum=normal,enum=low,enum=none" jsonschema_description:"priority; none clears it"`
	DueDate         string           `json:"due_date,omitempty" jsonschema_description:"new due date; none clears it"`
	StartDate       string           `json:"start_date,omitempty" jsonschema_description:"new start date; none clears it"`
	TimeEstimate    string           `json:"time_estimate,omitempty" jsonschema_description:"e.g. 2h; none clears it"`
	Points          *float64         `json:"points,omitempty" jsonschema_description:"sprint points"`
	AddAssignees    []string         `json:"add_assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	RemoveAssignees []string         `json:"remove_assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	AddTags         []string         `json:"add_tags,omitempty" jsonschema_description:"tag names"`
	RemoveTags      []string         `json:"remove_tags,omitempty" jsonschema_description:"tag names"`
	Parent          string           `json:"parent,omitempty" jsonschema_description:"move this subtask under another task of the same list"`
	Clear           []string         `json:"clear,omitempty" jsonschema_description:"fields to empty: description, priority, due_date, start_date, time_estimate, points"`
	CustomFields    []CustomFieldArg `json:"custom_fields,omitempty" jsonschema_description:"by name"`
	WorkspaceID     workspace.ID     `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type UpdateTaskResult struct {
	TaskID  string              `json:"task_id"`
	Task    *render.TaskSummary `json:"task,omitempty" jsonschema_description:"absent when only custom fields changed"`
	Changed []string            `json:"changed"`
}

// ResourceLinks: the task updated.
func (r *UpdateTaskResult) ResourceLinks() []mcp.ResourceLink {
	if r.Task != nil {
		return r.Task.ResourceLinks()
	}
	return render.TaskLink(r.TaskID, "")
}

func isNone(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "none", "null", "clear":
		return true
	}
	return false
}

func UpdateTask(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_update_task", Title: "Update task", Toolset: toolkit.ToolsetTasks, Hints: toolkit.UpdateHints,
		Description: "Change the given fields of a task, nothing else; assignees and tags are added or removed, clear (or the value none) empties fields; custom fields by name.",
		Examples: []string{
			`{"task_id": "ACME-1", "status": "in review"}`,
			`{"task_id": "ACME-1", "custom_fields": [{"field": "Severity", "value": "S2 - Major"}]}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *UpdateTaskArgs) (*UpdateTaskResult, string, error) {
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		u := &clickup.TaskUpdate{}
		var changed []string
		set := func(name string) { changed = append(changed, name) }
		clearing := map[string]bool{}
		for _, c := range a.Clear {
			c = strings.ToLower(strings.TrimSpace(c))
			switch c {
			case "description", "priority", "due_date", "start_date", "time_estimate", "points":
				clearing[c] = true
			default:
				return nil, "", workspace.InvalidArg("clear", "cannot clear %q; use description, priority, due_date, start_date, time_estimate or points", c)
			}
		}
		if a.Name != "" {
			n := strings.TrimSpace(a.Name)
			u.Name = &n
			set("name")
		}
		if a.Description != "" && !clearing["description"] {
			u.MarkdownContent = &a.Description
			set("description")
		}
		if clearing["description"] {
			blank := " " // ClickUp clears a description sent as a single space
			u.Description = &blank
			set("description")
		}
		switch {
		case clearing["priority"] || isNone(a.Priority):
			u.Priority = clickup.Null[int]()
			set("priority")
		case a.Priority != "":
			p, err := workspace.ParsePriority("priority", a.Priority)
			if err != nil {
				return nil, "", err
			}
			u.Priority = clickup.Some(p)
			set("priority")
		}
		for _, f := range []struct {
			arg, val string
			dst      *clickup.Nullable[int64]
			dstTime  **bool
		}{{"due_date", a.DueDate, &u.DueDate, &u.DueDateTime}, {"start_date", a.StartDate, &u.StartDate, &u.StartDateTime}} {
			switch {
			case clearing[f.arg] || isNone(f.val):
				*f.dst = clickup.Null[int64]()
				set(f.arg)
			case f.val != "":
				ms, hasTime, err := writeDate(d, s.Location(ctx), f.arg, f.val)
				if err != nil {
					return nil, "", err
				}
				*f.dst = clickup.Some(*ms)
				*f.dstTime = hasTime
				set(f.arg)
			}
		}
		switch {
		case clearing["time_estimate"] || isNone(a.TimeEstimate):
			u.TimeEstimate = clickup.Null[int64]()
			set("time_estimate")
		case a.TimeEstimate != "":
			ms, err := workspace.ParseDuration("time_estimate", a.TimeEstimate)
			if err != nil {
				return nil, "", err
			}
			u.TimeEstimate = clickup.Some(ms)
			set("time_estimate")
		}
		switch {
		case clearing["points"]:
			u.Points = clickup.Null[float64]()
			set("points")
		case a.Points != nil:
			u.Points = clickup.Some(*a.Points)
			set("points")
		}
		if len(a.AddAssignees)+len(a.RemoveAssignees) > 0 {
			ws, err := s.Workspace(ctx, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			add, err := s.ResolveUsers(ctx, ws, "add_assignees", a.AddAssignees)
			if err != nil {
				return nil, "", err
			}
			rem, err := s.ResolveUsers(ctx, ws, "remove_assignees", a.RemoveAssignees)
			if err != nil {
				return nil, "", err
			}
			u.Assignees = &clickup.AddRem{Add: orEmpty(add), Rem: orEmpty(rem)}
			set("assignees")
		}
		if a.Parent != "" {
			pref, err := s.TaskRef(ctx, "parent", a.Parent, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			if pref.IsCustom() {
				p, err := s.Client.Tasks.Get(ctx, pref, nil)
				if err != nil {
					return nil, "", err
				}
				pref = clickup.Native(string(p.ID))
			}
			u.Parent = &pref.ID
			set("parent")
		}
		if a.Status != "" {
			// The status must exist in the task's own list: read the task
			// (its list's statuses are cached) and refuse a name ClickUp
			// would reject.
			cur, err := s.Client.Tasks.Get(ctx, ref, nil)
			if err != nil {
				return nil, "", err
			}
			s.RememberTask(cur)
			st, err := s.ResolveStatus(ctx, "status", string(cur.List.ID), a.Status)
			if err != nil {
				return nil, "", err
			}
			u.Status = &st
			set("status")
		}
		tagsChanged := len(a.AddTags)+len(a.RemoveTags) > 0
		if len(changed) == 0 && !tagsChanged && len(a.CustomFields) == 0 {
			return nil, "", workspace.InvalidArg("arguments", "nothing to change; give at least one field to update (e.g. status, due_date, add_assignees, custom_fields)")
		}
		var fws []fieldWrite
		if len(a.CustomFields) > 0 {
			// Every value is checked against the field before anything is
			// sent; the task's list and its fields are cached, so a warm
			// call sends only the writes.
			place, err := s.Place(ctx, ref)
			if err != nil {
				return nil, "", err
			}
			if fws, err = checkFields(ctx, s, string(a.WorkspaceID), place.ListID, a.CustomFields, true); err != nil {
				return nil, "", err
			}
		}
		var t *clickup.Task
		if len(changed) > 0 {
			if t, err = s.Client.Tasks.Update(ctx, ref, u); err != nil {
				return nil, "", err
			}
			s.RememberTask(t)
		}
		setFields, err := applyFields(ctx, s, ref, fws, changed)
		if err != nil {
			return nil, "", err
		}
		changed = append(changed, setFields...)
		for i, tag := range a.AddTags {
			if err := s.Client.Tags.AddToTask(ctx, ref, tag); err != nil {
				if err := checkTagAdded(ctx, s, ref, tag, err); err != nil {
					return nil, "", workspace.WithHint(err, "Fields %v were updated; tags %v were applied. %s", changed, a.AddTags[:i], tagAdvice(err, tag))
				}
			}
		}
		for _, tag := range a.RemoveTags {
			if err := s.Client.Tags.RemoveFromTask(ctx, ref, tag); err != nil {
				return nil, "", workspace.WithHint(err, "Fields %v were updated; removing tag %q failed.", changed, tag)
			}
		}
		if tagsChanged {
			set("tags")
			if t, err = s.Client.Tasks.Get(ctx, ref, nil); err != nil {
				return nil, "", err
			}
		}
		r := &UpdateTaskResult{TaskID: ref.ID, Changed: changed}
		if t == nil {
			return r, fmt.Sprintf("Updated %s: %s", ref.ID, strings.Join(changed, ", ")), nil
		}
		sum := render.Summarize(t, s.Location(ctx))
		r.Task, r.TaskID = &sum, sum.ID
		return r, fmt.Sprintf("Updated %s: %s\n%s", sum.ID, strings.Join(changed, ", "), sum.Line()), nil
	})
}

func orEmpty(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

// --- clickup_delete_task ---

type DeleteTaskArgs struct {
	TaskID      string       `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id (DEV-123) or task URL"`
	DryRun      bool         `json:"dry_run,omitempty" jsonschema_description:"report what would be deleted without deleting"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type DeleteTaskResult struct {
	Task     render.TaskSummary `json:"task"`
	Subtasks int                `json:"subtasks" jsonschema_description:"subtasks deleted with it"`
	Deleted  bool               `json:"deleted"`
	DryRun   bool               `json:"dry_run,omitempty"`
	// Confirmation is the user's answer when the client could ask them.
	Confirmation string `json:"confirmation,omitempty" jsonschema_description:"the user's answer when asked: accepted, declined or cancelled"`
}

func DeleteTask(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_delete_task", Title: "Delete task", Toolset: toolkit.ToolsetTasks, Hints: toolkit.DestroyHints,
		Description: "Delete a task and its subtasks. Irreversible: confirm with the user first; dry_run=true shows what would be deleted.",
		Examples: []string{
			`{"task_id": "ACME-2", "dry_run": true}`,
		},
		Target:  &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
		Confirm: true,
	}, func(ctx context.Context, s *workspace.Session, a *DeleteTaskArgs) (*DeleteTaskResult, string, error) {
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		t, err := s.Client.Tasks.Get(ctx, ref, &clickup.GetTaskOptions{IncludeSubtasks: true})
		if err != nil {
			return nil, "", err
		}
		r := &DeleteTaskResult{Task: render.Summarize(t, s.Location(ctx)), Subtasks: len(t.Subtasks), DryRun: a.DryRun}
		if a.DryRun {
			return r, fmt.Sprintf("Dry run: would delete %s and %d subtasks. Nothing was deleted.", r.Task.Line(), r.Subtasks), nil
		}
		dec, err := toolkit.Confirm(ctx, toolkit.Question{
			Subject: string(t.ID), Action: "Delete the task",
			Describe: func() (string, error) { return describeDelete(ctx, s, t) },
		})
		if err != nil {
			return nil, "", err
		}
		if dec != toolkit.NotAsked {
			r.Confirmation = dec.String()
		}
		if !dec.Proceed() {
			return r, toolkit.ConfirmRefusal(dec, fmt.Sprintf("%s and its %d subtasks were not deleted", r.Task.Line(), r.Subtasks)), nil
		}
		if err := s.Client.Tasks.Delete(ctx, clickup.Native(string(t.ID))); err != nil {
			return nil, "", err
		}
		r.Deleted = true
		s.CountTasks(string(t.List.ID), -int64(1+len(t.Subtasks)))
		s.TaskCountChanged(string(t.List.ID))
		return r, fmt.Sprintf("Deleted %s and %d subtasks.", r.Task.Line(), r.Subtasks), nil
	})
}

// describeDelete is the confirmation a user sees before a task is deleted:
// its name, where it is, and what goes with it.
func describeDelete(ctx context.Context, s *workspace.Session, t *clickup.Task) (string, error) {
	comments, err := s.Client.Comments.ListForTask(ctx, clickup.Native(string(t.ID)), nil)
	if err != nil {
		return "", err
	}
	nc := strconv.Itoa(len(comments))
	if len(comments) >= 25 { // one page; more may follow
		nc += " or more"
	}
	where := ""
	if t.List.Name != "" {
		where = " in list " + strconv.Quote(t.List.Name)
	}
	return fmt.Sprintf("Delete task %q (%s)%s, with its %d subtasks and %s comments? This cannot be undone.", t.Name, t.ID, where, len(t.Subtasks), nc), nil
}

// checkTagAdded settles a failed tag add whose answer was lost: adding a
// tag may have taken effect, so the task is read to see. It returns nil
// when the tag is on the task.
func checkTagAdded(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, tag string, err error) error {
	if !writeguard.MaybeApplied(err) {
		return err
	}
	t, gerr := s.Client.Tasks.Get(ctx, ref, nil)
	if gerr != nil {
		return &tagUnknown{err: err}
	}
	for _, tg := range t.Tags {
		if strings.EqualFold(strings.TrimSpace(tg.Name), strings.TrimSpace(tag)) {
			return nil
		}
	}
	return &tagChecked{err: err}
}

type tagUnknown struct{ err error }

func (e *tagUnknown) Error() string { return e.err.Error() }
func (e *tagUnknown) Unwrap() error { return e.err }

type tagChecked struct{ err error }

func (e *tagChecked) Error() string { return e.err.Error() }
func (e *tagChecked) Unwrap() error { return e.err }

func tagAdvice(err error, tag string) string {
	var u *tagUnknown
	var c *tagChecked
	switch {
	case errors.As(err, &u):
		return fmt.Sprintf("Outcome unknown for tag %q: ClickUp's answer was lost, so it may have been applied, and the task could not be read to check. Check the task's tags (clickup_get_task); adding it again is harmless.", tag)
	case errors.As(err, &c):
		return fmt.Sprintf("Tag %q was not applied: ClickUp's answer was lost and the task, read since, does not have it. Adding it again is safe.", tag)
	}
	return fmt.Sprintf("Tag %q and any after it were not applied.", tag)
}

// replayCreate answers an identical create from the guard's record.
func replayCreate(ctx context.Context, s *workspace.Session, e *writeguard.Entry) (*CreateTaskResult, string, error) {
	var r CreateTaskResult
	if len(e.Data) == 0 || json.Unmarshal(e.Data, &r) != nil {
		t, err := s.Client.Tasks.Get(ctx, clickup.Native(e.Ref), nil)
		if err != nil {
			return nil, "", workspace.WithHint(err, "An identical create already made task %s moments ago; it was not created again.", e.Ref)
		}
		r = CreateTaskResult{Task: render.Summarize(t, s.Location(ctx)), URL: t.URL}
	}
	r.Deduplicated = true
	return &r, fmt.Sprintf("Already created moments ago (not created again): %s\n%s\nPass allow_duplicate=true to create another.", r.Task.Line(), r.URL), nil
}

// createSubtask creates one subtask under its own key: the same key as a
// clickup_create_task call with parent and the same fields, so a model that
// retries a failed subtask that way is guarded too; n > 1 marks the n-th
// identical subtask of one call.
func createSubtask(ctx context.Context, s *workspace.Session, listID string, body *clickup.TaskCreate, n int, allowDup bool) (render.TaskSummary, error) {
	loc := s.Location(ctx)
	if allowDup {
		t, err := s.Client.Tasks.Create(ctx, listID, body)
		if err != nil {
			return render.TaskSummary{}, workspace.UnguardedLost(err, fmt.Sprintf("read task %s's subtasks (clickup_get_task) for one named %q", body.Parent, body.Name))
		}
		return render.Summarize(t, loc), nil
	}
	parts := []any{workspace.TaskDigest(listID, body), []any{}}
	if n > 1 {
		parts = append(parts, n)
	}
	tk, err := s.BeginWrite(ctx, "create_task", parts...)
	if err != nil {
		return render.TaskSummary{}, workspace.GuardErr(err, "")
	}
	defer tk.Close()
	if tk.Replay != nil {
		r, _, err := replayCreate(ctx, s, tk.Replay)
		if err != nil {
			return render.TaskSummary{}, err
		}
		return r.Task, nil
	}
	t, _, err := s.CreateTask(ctx, tk, listID, body)
	if err != nil {
		return render.TaskSummary{}, workspace.GuardErr(err, "")
	}
	r := CreateTaskResult{Task: render.Summarize(t, loc), URL: t.URL}
	data, _ := json.Marshal(r)
	tk.Done(ctx, string(t.ID), data)
	return r.Task, nil
}
