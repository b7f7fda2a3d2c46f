package tools

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// The operations these tools reach have no typed method: each is called
// once, here, through Client.Call.
var (
	opMoveTask       = clickup.Operation{Method: "PUT", Path: "/api/v3/workspaces/{workspace_id}/tasks/{task_id}/home_list/{list_id}"}
	opAddToList      = clickup.Operation{Method: "POST", Path: "/v2/list/{list_id}/task/{task_id}"}
	opRemoveFromList = clickup.Operation{Method: "DELETE", Path: "/v2/list/{list_id}/task/{task_id}"}
	opAddDependency  = clickup.Operation{Method: "POST", Path: "/v2/task/{task_id}/dependency"}
	opDelDependency  = clickup.Operation{Method: "DELETE", Path: "/v2/task/{task_id}/dependency"}
	opAddLink        = clickup.Operation{Method: "POST", Path: "/v2/task/{task_id}/link/{links_to}"}
	opDelLink        = clickup.Operation{Method: "DELETE", Path: "/v2/task/{task_id}/link/{links_to}"}
)

// --- clickup_move_task ---

type MoveTaskArgs struct {
	TaskID      string         `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id or URL"`
	ListID      workspace.ID   `json:"list_id,omitempty" jsonschema_description:"new home list"`
	Status      string         `json:"status,omitempty" jsonschema_description:"status there; default: same name"`
	AlsoIn      []workspace.ID `json:"also_in,omitempty" jsonschema_description:"also show it in these lists"`
	RemoveFrom  []workspace.ID `json:"remove_from,omitempty" jsonschema_description:"drop it from these extra lists"`
	WorkspaceID workspace.ID   `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type MoveTaskResult struct {
	TaskID      string   `json:"task_id"`
	List        string   `json:"list" jsonschema_description:"home list after the call"`
	ListID      string   `json:"list_id"`
	Status      string   `json:"status"`
	AlsoIn      []string `json:"also_in,omitempty"`
	RemovedFrom []string `json:"removed_from,omitempty"`

	name   string   // the task's, for its link
	alsoIn []string // ids of AlsoIn
}

// ResourceLinks: the task, its home list and the lists it was added to.
func (r *MoveTaskResult) ResourceLinks() []mcp.ResourceLink {
	links := append(render.TaskLink(r.TaskID, r.name), render.ListLink(r.ListID, r.List)...)
	for i, id := range r.alsoIn {
		links = append(links, render.ListLink(id, r.AlsoIn[i])...)
	}
	return links
}

type placeRef struct{ id, name string }

func MoveTask(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_move_task", Title: "Move task", Toolset: toolkit.ToolsetTasks, Hints: toolkit.UpdateHints, NotDefault: true,
		Description: "Move a task to another list (status kept by name, or give status) and/or show it in more lists.",
		Examples: []string{
			`{"task_id": "ACME-1", "list_id": "Sprint 13"}`,
			`{"task_id": "ACME-1", "also_in": ["Q3 Launch"]}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *MoveTaskArgs) (*MoveTaskResult, string, error) {
		if a.Status != "" && a.ListID == "" {
			return nil, "", workspace.InvalidArg("status", "status is where a move to list_id lands; give list_id too")
		}
		if a.ListID == "" && len(a.AlsoIn)+len(a.RemoveFrom) == 0 {
			return nil, "", workspace.InvalidArg("list_id", "give list_id (the new home list), also_in or remove_from")
		}
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		// This endpoint takes no custom ids, and the move needs the task's
		// status: read it.
		t, err := s.Client.Tasks.Get(ctx, ref, nil)
		if err != nil {
			return nil, "", err
		}
		ws := string(t.TeamID)
		if ws == "" {
			if ws, err = s.Workspace(ctx, string(a.WorkspaceID)); err != nil {
				return nil, "", err
			}
		}
		native := string(t.ID)
		r := &MoveTaskResult{TaskID: native, List: t.List.Name, ListID: string(t.List.ID), Status: t.Status.Status, name: t.Name}
		// Everything is resolved and checked before anything is sent.
		lists := func(arg string, in []workspace.ID) ([]placeRef, error) {
			out := make([]placeRef, 0, len(in))
			for i, v := range in {
				id, err := s.ResolveNode(ctx, ws, fmt.Sprintf("%s[%d]", arg, i), string(v), workspace.KindList)
				if err != nil {
					return nil, err
				}
				if err := s.CheckWriteScope(ctx, ws, id); err != nil {
					return nil, err
				}
				l, err := s.List(ctx, id)
				if err != nil {
					return nil, err
				}
				out = append(out, placeRef{id: id, name: l.Name})
			}
			return out, nil
		}
		var mapping []map[string]string
		var dst *clickup.List
		if a.ListID != "" {
			id, err := s.ResolveNode(ctx, ws, "list_id", string(a.ListID), workspace.KindList)
			if err != nil {
				return nil, "", err
			}
			if id == string(t.List.ID) {
				return nil, "", workspace.InvalidArg("list_id", "the task is already in %q (its home list)", t.List.Name)
			}
			if err := s.CheckWriteScope(ctx, ws, id); err != nil {
				return nil, "", err
			}
			src, err := s.List(ctx, string(t.List.ID))
			if err != nil {
				return nil, "", err
			}
			if dst, err = s.List(ctx, id); err != nil {
				return nil, "", err
			}
			m, landing, err := statusMapping(t, src, dst, a.Status)
			if err != nil {
				return nil, "", err
			}
			mapping, r.Status = m, landing
		}
		add, err := lists("also_in", a.AlsoIn)
		if err != nil {
			return nil, "", err
		}
		rem, err := lists("remove_from", a.RemoveFrom)
		if err != nil {
			return nil, "", err
		}
		var done []string
		fail := func(err error, what string) (*MoveTaskResult, string, error) {
			already := "Nothing was changed."
			if len(done) > 0 {
				already = "Already done: " + strings.Join(done, "; ") + "."
			}
			return nil, "", workspace.WithHint(err, "%s %s failed, and nothing after it was tried.", already, what)
		}
		if dst != nil {
			body := map[string]any{"status_mappings": mapping}
			err := s.Client.Call(ctx, opMoveTask, clickup.Params{Path: map[string]string{"workspace_id": ws, "task_id": native, "list_id": string(dst.ID)}}, body, nil)
			if err != nil {
				return fail(err, "The move to "+dst.Name)
			}
			s.ForgetTask(ref, workspace.TaskPlace{ID: native})
			s.CountTasks(string(t.List.ID), -1)
			s.CountTasks(string(dst.ID), 1)
			s.TaskCountChanged(string(t.List.ID))
			s.TaskCountChanged(string(dst.ID))
			done = append(done, "moved to "+dst.Name)
			r.List, r.ListID = dst.Name, string(dst.ID)
		}
		for _, l := range add {
			if err := s.Client.Call(ctx, opAddToList, clickup.Params{Path: map[string]string{"list_id": l.id, "task_id": native}}, nil, nil); err != nil {
				return fail(err, "Adding it to "+l.name)
			}
			done = append(done, "added to "+l.name)
			r.AlsoIn = append(r.AlsoIn, l.name)
			r.alsoIn = append(r.alsoIn, l.id)
		}
		for _, l := range rem {
			if err := s.Client.Call(ctx, opRemoveFromList, clickup.Params{Path: map[string]string{"list_id": l.id, "task_id": native}}, nil, nil); err != nil {
				return fail(err, "Removing it from "+l.name)
			}
			done = append(done, "removed from "+l.name)
			r.RemovedFrom = append(r.RemovedFrom, l.name)
		}
		return r, fmt.Sprintf("Task %s (%s): %s. Home list %s, status %s.", native, workspace.Flat(t.Name), strings.Join(done, "; "), r.List, r.Status), nil
	})
}

// statusMapping maps the task's status to the destination's, by name or to
// the status asked for; a status the destination lacks is refused before
// anything is sent, with the destination's statuses.
func statusMapping(t *clickup.Task, src, dst *clickup.List, want string) ([]map[string]string, string, error) {
	cur := string(t.Status.ID)
	for _, st := range src.Statuses {
		if cur == "" && strings.EqualFold(st.Status, t.Status.Status) {
			cur = string(st.ID)
		}
	}
	names := make([]string, len(dst.Statuses))
	for i, st := range dst.Statuses {
		names[i] = st.Status
	}
	target, arg := t.Status.Status, "status"
	if want != "" {
		target = strings.TrimSpace(want)
	}
	for _, st := range dst.Statuses {
		if strings.EqualFold(st.Status, target) {
			if cur == "" || st.ID == "" {
				return nil, st.Status, nil
			}
			return []map[string]string{{"source_status_id": cur, "destination_status_id": string(st.ID)}}, st.Status, nil
		}
	}
	if want != "" {
		return nil, "", workspace.InvalidArg(arg, "%q is not a status of list %q; its statuses: %s", workspace.Truncate(want, 40), dst.Name, strings.Join(names, ", "))
	}
	return nil, "", workspace.InvalidArg(arg, "the task's status %q is not in list %q; say where it lands with status, one of: %s", t.Status.Status, dst.Name, strings.Join(names, ", "))
}

// --- clickup_relate_tasks ---

type RelationArg struct {
	Relation string `json:"relation" jsonschema:"required,enum=waiting_on,enum=blocking,enum=linked" jsonschema_description:"task_id is ... task"`
	Task     string `json:"task" jsonschema:"required" jsonschema_description:"other task"`
}

type RelateTasksArgs struct {
	TaskID      string        `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id or URL"`
	Add         []RelationArg `json:"add,omitempty" jsonschema_description:"to add"`
	Remove      []RelationArg `json:"remove,omitempty" jsonschema_description:"to remove"`
	WorkspaceID workspace.ID  `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type RelateTasksResult struct {
	TaskID  string   `json:"task_id"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`

	others []string // native ids of the tasks related or unrelated
}

// ResourceLinks: the task and each task it was related to or unrelated from.
func (r *RelateTasksResult) ResourceLinks() []mcp.ResourceLink {
	links := render.TaskLink(r.TaskID, "")
	for _, id := range r.others {
		links = append(links, render.TaskLink(id, "")...)
	}
	return links
}

type relation struct {
	kind   string
	other  string // native id
	shown  string // as given
	remove bool
}

func RelateTasks(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_relate_tasks", Title: "Relate tasks", Toolset: toolkit.ToolsetTasks, Hints: toolkit.UpdateHints, NotDefault: true,
		Description: "Add or remove relations: task_id waiting_on, blocking or linked to another task.",
		Examples: []string{
			`{"task_id": "ACME-1", "add": [{"relation": "waiting_on", "task": "ACME-2"}]}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *RelateTasksArgs) (*RelateTasksResult, string, error) {
		if len(a.Add)+len(a.Remove) == 0 {
			return nil, "", workspace.InvalidArg("add", "give add or remove, e.g. [{\"relation\": \"waiting_on\", \"task\": \"DEV-2\"}]")
		}
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		self, err := s.NativeID(ctx, ref)
		if err != nil {
			return nil, "", err
		}
		var rels []relation
		for _, group := range []struct {
			arg    string
			in     []RelationArg
			remove bool
		}{{"add", a.Add, false}, {"remove", a.Remove, true}} {
			for i, ra := range group.in {
				arg := fmt.Sprintf("%s[%d]", group.arg, i)
				switch ra.Relation {
				case "waiting_on", "blocking", "linked":
				default:
					return nil, "", workspace.InvalidArg(arg+".relation", "use waiting_on, blocking or linked, not %q", workspace.Truncate(ra.Relation, 30))
				}
				oref, err := s.TaskRef(ctx, arg+".task", ra.Task, string(a.WorkspaceID))
				if err != nil {
					return nil, "", err
				}
				other, err := s.NativeID(ctx, oref)
				if err != nil {
					return nil, "", workspace.WithHint(err, "Check %s.task (%s).", arg, oref.ID)
				}
				if other == self {
					return nil, "", workspace.InvalidArg(arg+".task", "a task cannot relate to itself")
				}
				if err := s.CheckTaskScope(ctx, clickup.Native(other), string(a.WorkspaceID)); err != nil {
					return nil, "", err
				}
				rels = append(rels, relation{kind: ra.Relation, other: other, shown: strings.TrimSpace(ra.Task), remove: group.remove})
			}
		}
		// The path takes the task as given (custom ids with the workspace);
		// bodies and the link's other side take native ids.
		q := url.Values{}
		if ref.IsCustom() {
			q.Set("custom_task_ids", "true")
			q.Set("team_id", ref.TeamID)
		}
		r := &RelateTasksResult{TaskID: self}
		for _, rel := range rels {
			var err error
			path := map[string]string{"task_id": ref.ID}
			switch {
			case rel.kind == "linked":
				path["links_to"] = rel.other
				op := opAddLink
				if rel.remove {
					op = opDelLink
				}
				err = s.Client.Call(ctx, op, clickup.Params{Path: path, Query: q}, nil, nil)
			case rel.remove:
				// ClickUp's delete takes both directions at once: any
				// dependency between the two tasks goes.
				dq := url.Values{"depends_on": {rel.other}, "dependency_of": {rel.other}}
				for k, v := range q {
					dq[k] = v
				}
				err = s.Client.Call(ctx, opDelDependency, clickup.Params{Path: path, Query: dq}, nil, nil)
			default:
				key := "depends_on"
				if rel.kind == "blocking" {
					key = "dependency_of"
				}
				err = s.Client.Call(ctx, opAddDependency, clickup.Params{Path: path, Query: q}, map[string]string{key: rel.other}, nil)
			}
			line := rel.kind + " " + rel.shown
			if err != nil {
				done := append(append([]string{}, r.Added...), r.Removed...)
				already := "Nothing was changed."
				if len(done) > 0 {
					already = "Already done: " + strings.Join(done, ", ") + "."
				}
				return nil, "", workspace.WithHint(err, "%s %q failed and nothing after it was tried.", already, line)
			}
			r.others = append(r.others, rel.other)
			if rel.remove {
				r.Removed = append(r.Removed, line)
			} else {
				r.Added = append(r.Added, line)
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Task %s:", self)
		if len(r.Added) > 0 {
			fmt.Fprintf(&b, " added %s.", strings.Join(r.Added, ", "))
		}
		if len(r.Removed) > 0 {
			fmt.Fprintf(&b, " removed %s (a removed dependency goes in both directions).", strings.Join(r.Removed, ", "))
		}
		return r, b.String(), nil
	})
}
