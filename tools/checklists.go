package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
	"github.com/mark3labs/mcp-go/mcp"
)

// --- clickup_update_checklist ---

type UpdateChecklistArgs struct {
	TaskID          string            `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id or URL"`
	Checklist       string            `json:"checklist,omitempty" jsonschema_description:"name or id; default: the only one"`
	MustExist       bool              `json:"must_exist,omitempty" jsonschema_description:"never create it"`
	Add             []string          `json:"add,omitempty" jsonschema_description:"new items"`
	Resolve         []string          `json:"resolve,omitempty" jsonschema_description:"items to tick"`
	Reopen          []string          `json:"reopen,omitempty" jsonschema_description:"items to untick"`
	Rename          map[string]string `json:"rename,omitempty" jsonschema_description:"item: new name"`
	Assign          map[string]string `json:"assign,omitempty" jsonschema_description:"item: person (id, email, name, me, none)"`
	Delete          []string          `json:"delete,omitempty" jsonschema_description:"items to delete"`
	RenameChecklist string            `json:"rename_checklist,omitempty" jsonschema_description:"its new name"`
	DeleteChecklist bool              `json:"delete_checklist,omitempty" jsonschema_description:"delete it, items too"`
	DryRun          bool              `json:"dry_run,omitempty" jsonschema_description:"preview only"`
	WorkspaceID     workspace.ID      `json:"workspace_id,omitempty" jsonschema_description:"for custom ids"`
}

type ChecklistItemOut struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Resolved bool   `json:"resolved,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Parent   string `json:"parent,omitempty" jsonschema_description:"id of the item it is nested under"`
}

type UpdateChecklistResult struct {
	TaskID      string             `json:"task_id"`
	Checklist   string             `json:"checklist"`
	ChecklistID string             `json:"checklist_id,omitempty"`
	Created     bool               `json:"created,omitempty" jsonschema_description:"the checklist was created by this call"`
	Deleted     bool               `json:"deleted,omitempty" jsonschema_description:"the checklist was deleted"`
	Done        int                `json:"done"`
	Items       []ChecklistItemOut `json:"items"`
	Omitted     int                `json:"omitted,omitempty" jsonschema_description:"items left out for size"`
	Changes     []string           `json:"changes" jsonschema_description:"what this call changed (or, in a dry run, would change)"`
	Unchanged   []string           `json:"unchanged,omitempty" jsonschema_description:"asked for but already so"`
	DryRun      bool               `json:"dry_run,omitempty"`
	// Confirmation is the user's answer when the client could ask them.
	Confirmation string `json:"confirmation,omitempty" jsonschema_description:"the user's answer when asked: accepted, declined or cancelled"`
}

// ResourceLinks: the task whose checklist it is (its resource shows the
// checklists).
func (r *UpdateChecklistResult) ResourceLinks() []mcp.ResourceLink {
	return render.TaskLink(r.TaskID, "")
}

// clTarget is an item an edit is for: one on the checklist, or one this
// call adds (its id known once added).
type clTarget struct {
	id, name string
	added    *clAdd
}

type clAdd struct {
	name     string
	assignee int64
	id       string // once added
}

type clEdit struct {
	target   *clTarget
	name     *string
	resolved *bool
	assignee clickup.Nullable[string]
	who      string // the assignee's name, for the changes
	what     []string
}

// clPlan is a call's changes, resolved and checked before anything is sent.
type clPlan struct {
	task      *clickup.Task
	ws        string
	cur       *clickup.Checklist // nil: to be created
	name      string             // the checklist's name (to create, or as found)
	adds      []*clAdd
	edits     []*clEdit
	deletes   []clickup.ChecklistItem
	nested    int // items nested under the deleted ones, deleted with them
	rename    string
	deleteAll bool
	removed   bool // the checklist was deleted
	created   bool // the checklist was created
	changes   []string
	unchanged []string
}

func UpdateChecklist(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_update_checklist", Title: "Update checklist", Toolset: toolkit.ToolsetTasks, NotDefault: true,
		Hints:       toolkit.Hints{Destructive: true, OpenWorld: true},
		Description: "Edit a task's checklist (by name; created when missing): add, resolve, reopen, rename, assign, delete items; rename or delete it. Items by name or id. Deletes are irreversible; dry_run previews.",
		Examples: []string{
			`{"task_id": "ACME-262", "resolve": ["Support briefed"], "assign": {"Flip reads in production": "me"}}`,
			`{"task_id": "ACME-262", "checklist": "Release", "add": ["Write tests", "Tag the release"]}`,
			`{"task_id": "ACME-262", "checklist": "Cutover checklist", "delete": ["Remove legacy code path"], "dry_run": true}`,
		},
		Target:  &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
		Confirm: true,
	}, func(ctx context.Context, s *workspace.Session, a *UpdateChecklistArgs) (*UpdateChecklistResult, string, error) {
		p, err := planChecklist(ctx, s, a)
		if err != nil {
			return nil, "", err
		}
		r := p.result(ctx, s, d)
		r.Changes = p.changes
		r.Unchanged = p.unchanged
		if a.DryRun {
			r.DryRun = true
			return r, p.text(r, "Dry run, nothing was changed. Would change"), nil
		}
		confirmation := ""
		if p.deleteAll || len(p.deletes) > 0 {
			dec, err := toolkit.Confirm(ctx, toolkit.Question{
				Subject: p.subject(), Action: "Delete",
				Describe: func() (string, error) { return p.describeDelete(), nil },
			})
			if err != nil {
				return nil, "", err
			}
			if dec != toolkit.NotAsked {
				confirmation = dec.String()
			}
			if !dec.Proceed() {
				r.Changes, r.Confirmation = []string{}, confirmation
				return r, toolkit.ConfirmRefusal(dec, "nothing on the checklist was deleted or changed"), nil
			}
		}
		notes, err := p.apply(ctx, s)
		if err != nil {
			return nil, "", p.failure(err)
		}
		r = p.result(ctx, s, d)
		r.Changes, r.Unchanged, r.Confirmation = p.changes, p.unchanged, confirmation
		text := p.text(r, "Changed")
		if len(notes) > 0 {
			text += "\n" + strings.Join(notes, "\n")
		}
		return r, text, nil
	})
}

// planChecklist reads the task (one request) and resolves every argument
// against its checklists; nothing is sent.
func planChecklist(ctx context.Context, s *workspace.Session, a *UpdateChecklistArgs) (*clPlan, error) {
	for _, l := range []struct {
		arg  string
		list []string
	}{{"add", a.Add}, {"resolve", a.Resolve}, {"reopen", a.Reopen}, {"delete", a.Delete}} {
		for i, v := range l.list {
			if strings.TrimSpace(v) == "" {
				return nil, workspace.InvalidArg(fmt.Sprintf("%s[%d]", l.arg, i), "is empty")
			}
		}
	}
	edits := len(a.Resolve) + len(a.Reopen) + len(a.Rename) + len(a.Assign) + len(a.Delete)
	if a.DeleteChecklist && (edits+len(a.Add) > 0 || a.RenameChecklist != "") {
		return nil, workspace.InvalidArg("delete_checklist", "deletes the checklist with every item: give it without other changes")
	}
	if a.Checklist == "" && edits+len(a.Add) == 0 && a.RenameChecklist == "" && !a.DeleteChecklist {
		return nil, workspace.InvalidArg("checklist", "nothing to do: give the checklist to create or show, or changes (add, resolve, reopen, rename, assign, delete)")
	}
	if a.RenameChecklist != "" && strings.TrimSpace(a.RenameChecklist) == "" {
		return nil, workspace.InvalidArg("rename_checklist", "is empty")
	}
	ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
	if err != nil {
		return nil, err
	}
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return nil, err
	}
	s.RememberTask(t)
	p := &clPlan{task: t, ws: string(t.TeamID), rename: strings.TrimSpace(a.RenameChecklist), deleteAll: a.DeleteChecklist}
	if p.ws == "" {
		if p.ws, err = s.Workspace(ctx, string(a.WorkspaceID)); err != nil {
			return nil, err
		}
	}
	// Only adds, and edits of what this call adds (tick, untick, rename,
	// assign), can go to a new checklist.
	creatable := !a.MustExist && len(a.Delete) == 0 && !a.DeleteChecklist && a.RenameChecklist == ""
	added := func(item string) bool {
		return slices.ContainsFunc(a.Add, func(n string) bool { return sameName(n, item) })
	}
	for _, item := range slices.Concat(a.Resolve, a.Reopen, slices.Collect(maps.Keys(a.Rename)), slices.Collect(maps.Keys(a.Assign))) {
		if !added(item) {
			creatable = false
		}
	}
	if err := p.findChecklist(a.Checklist, creatable); err != nil {
		return nil, err
	}
	var items []clickup.ChecklistItem
	if p.cur != nil {
		items = p.cur.Items
	}
	// Adds: a name already on the checklist is not added again.
	for i, n := range a.Add {
		n = strings.TrimSpace(n)
		for _, o := range a.Add[:i] {
			if sameName(o, n) {
				return nil, workspace.InvalidArg(fmt.Sprintf("add[%d]", i), "%q is named twice; item names address items, so each must be unique", workspace.Truncate(n, 60))
			}
		}
		if k := slices.IndexFunc(items, func(it clickup.ChecklistItem) bool { return sameName(it.Name, n) }); k >= 0 {
			p.unchanged = append(p.unchanged, fmt.Sprintf("%q is already on the checklist", items[k].Name))
			continue
		}
		p.adds = append(p.adds, &clAdd{name: n})
	}
	targets := map[string]*clEdit{}
	edit := func(arg, v string) (*clEdit, error) {
		tg, err := p.findItem(arg, v)
		if err != nil {
			return nil, err
		}
		key := tg.id
		if tg.added != nil {
			key = "new\x00" + strings.ToLower(tg.name)
		}
		if e := targets[key]; e != nil {
			return e, nil
		}
		e := &clEdit{target: tg}
		targets[key] = e
		p.edits = append(p.edits, e)
		return e, nil
	}
	for _, set := range []struct {
		arg  string
		list []string
		to   bool
	}{{"resolve", a.Resolve, true}, {"reopen", a.Reopen, false}} {
		for i, v := range set.list {
			arg := fmt.Sprintf("%s[%d]", set.arg, i)
			e, err := edit(arg, v)
			if err != nil {
				return nil, err
			}
			if e.resolved != nil {
				return nil, workspace.InvalidArg(arg, "%q is already resolved or reopened in this call", workspace.Truncate(e.target.name, 60))
			}
			to := set.to
			e.resolved = &to
		}
	}
	for _, item := range sortedKeys(a.Rename) {
		arg := "rename." + item
		to := strings.TrimSpace(a.Rename[item])
		if to == "" {
			return nil, workspace.InvalidArg(arg, "the new name is empty")
		}
		e, err := edit(arg, item)
		if err != nil {
			return nil, err
		}
		if e.name != nil {
			return nil, workspace.InvalidArg(arg, "%q is renamed twice", workspace.Truncate(e.target.name, 60))
		}
		if k := slices.IndexFunc(items, func(it clickup.ChecklistItem) bool { return sameName(it.Name, to) && string(it.ID) != e.target.id }); k >= 0 {
			return nil, workspace.InvalidArg(arg, "%q is the name of another item (%s); names address items, so each must be unique", workspace.Truncate(to, 60), items[k].ID)
		}
		e.name = &to
	}
	for _, item := range sortedKeys(a.Assign) {
		arg := "assign." + item
		e, err := edit(arg, item)
		if err != nil {
			return nil, err
		}
		if e.assignee.Set || (e.target.added != nil && e.who != "") {
			return nil, workspace.InvalidArg(arg, "%q is assigned twice", workspace.Truncate(e.target.name, 60))
		}
		person := strings.TrimSpace(a.Assign[item])
		if strings.EqualFold(person, "none") {
			e.assignee, e.who = clickup.Null[string](), "nobody"
			continue
		}
		ids, err := s.ResolveUsers(ctx, p.ws, arg, []string{person})
		if err != nil {
			return nil, err
		}
		e.who = personName(ctx, s, p.ws, ids[0])
		if e.target.added != nil {
			e.target.added.assignee = ids[0] // sent with the add
			continue
		}
		e.assignee = clickup.Some(fmt.Sprint(ids[0]))
	}
	seen := map[string]bool{}
	for i, v := range a.Delete {
		arg := fmt.Sprintf("delete[%d]", i)
		tg, err := p.findItem(arg, v)
		if err != nil {
			return nil, err
		}
		if tg.added != nil {
			return nil, workspace.InvalidArg(arg, "%q is being added by this call; do not add it", workspace.Truncate(tg.name, 60))
		}
		if targets[tg.id] != nil {
			return nil, workspace.InvalidArg(arg, "%q is deleted and changed in the same call; give one", workspace.Truncate(tg.name, 60))
		}
		if seen[tg.id] {
			continue
		}
		seen[tg.id] = true
		k := slices.IndexFunc(items, func(it clickup.ChecklistItem) bool { return string(it.ID) == tg.id })
		p.deletes = append(p.deletes, items[k])
	}
	for _, it := range items {
		if !seen[string(it.ID)] && nestedUnderAny(items, it, seen) {
			if targets[string(it.ID)] != nil {
				return nil, workspace.InvalidArg("delete", "%q is nested under a deleted item, so it goes with it, and is changed in the same call", workspace.Truncate(it.Name, 60))
			}
			p.nested++
		}
	}
	p.describeChanges()
	return p, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// nestedUnderAny reports whether it sits (at any depth) under one of the
// items in roots.
func nestedUnderAny(items []clickup.ChecklistItem, it clickup.ChecklistItem, roots map[string]bool) bool {
	for range len(items) {
		if it.Parent == "" {
			return false
		}
		if roots[string(it.Parent)] {
			return true
		}
		k := slices.IndexFunc(items, func(o clickup.ChecklistItem) bool { return o.ID == it.Parent })
		if k < 0 {
			return false
		}
		it = items[k]
	}
	return false
}

// findChecklist picks the checklist: by id, by name (any case), or the
// task's only one; a missing one is to be created when allowed.
func (p *clPlan) findChecklist(want string, creatable bool) error {
	cls := p.task.Checklists
	names := func() string {
		if len(cls) == 0 {
			return "the task has none"
		}
		out := make([]string, len(cls))
		for i, c := range cls {
			out[i] = fmt.Sprintf("%q (%s, %d items)", workspace.Flat(c.Name), c.ID, len(c.Items))
		}
		return "its checklists are: " + strings.Join(out, ", ")
	}
	want = strings.TrimSpace(want)
	if want == "" {
		switch len(cls) {
		case 1:
			p.cur, p.name = &cls[0], cls[0].Name
			return nil
		case 0:
			if creatable {
				p.name = "Checklist" // ClickUp's own default name
				return nil
			}
			return workspace.InvalidArg("checklist", "task %s has no checklist; give add (and checklist, its name) to create one", p.task.ID)
		}
		return workspace.InvalidArg("checklist", "task %s has %d checklists: say which; %s", p.task.ID, len(cls), names())
	}
	var found []int
	for i, c := range cls {
		if string(c.ID) == want {
			p.cur, p.name = &cls[i], c.Name
			return nil
		}
		if sameName(c.Name, want) {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 1:
		p.cur, p.name = &cls[found[0]], cls[found[0]].Name
		return nil
	case 0:
		if creatable {
			p.name = want
			return nil
		}
		return workspace.InvalidArg("checklist", "no checklist %q on task %s; %s", workspace.Truncate(want, 60), p.task.ID, names())
	}
	return workspace.InvalidArg("checklist", "%q names %d checklists of task %s: give its id; %s", workspace.Truncate(want, 60), len(found), p.task.ID, names())
}

// findItem resolves an item by id or name (any case), among the
// checklist's items and those this call adds.
func (p *clPlan) findItem(arg, v string) (*clTarget, error) {
	v = strings.TrimSpace(v)
	var items []clickup.ChecklistItem
	if p.cur != nil {
		items = p.cur.Items
	}
	var found []clickup.ChecklistItem
	for _, it := range items {
		if string(it.ID) == v {
			return &clTarget{id: v, name: it.Name}, nil
		}
		if sameName(it.Name, v) {
			found = append(found, it)
		}
	}
	switch len(found) {
	case 1:
		return &clTarget{id: string(found[0].ID), name: found[0].Name}, nil
	case 0:
		for _, ad := range p.adds {
			if sameName(ad.name, v) {
				return &clTarget{name: ad.name, added: ad}, nil
			}
		}
		if len(items) == 0 {
			return nil, workspace.InvalidArg(arg, "no item %q: checklist %q has no items", workspace.Truncate(v, 60), workspace.Flat(p.name))
		}
		return nil, workspace.InvalidArg(arg, "no item %q on checklist %q; its items are: %s", workspace.Truncate(v, 60), workspace.Flat(p.name), itemList(items, 30))
	}
	return nil, workspace.InvalidArg(arg, "%q names %d items: give one's id; they are: %s", workspace.Truncate(v, 60), len(found), itemList(found, 10))
}

func itemList(items []clickup.ChecklistItem, limit int) string {
	out := make([]string, 0, min(len(items), limit)+1)
	for i, it := range items {
		if i == limit {
			out = append(out, fmt.Sprintf("and %d more", len(items)-limit))
			break
		}
		out = append(out, fmt.Sprintf("%q (%s)", workspace.Flat(render.CutText(it.Name, 80)), it.ID))
	}
	return strings.Join(out, ", ")
}

// describeChanges fills changes (what will be sent) and unchanged (what is
// already so: nothing is sent for it).
func (p *clPlan) describeChanges() {
	q := func(s string) string { return fmt.Sprintf("%q", workspace.Flat(render.CutText(s, 80))) }
	if p.cur == nil {
		p.changes = append(p.changes, "create checklist "+q(p.name))
	}
	for _, ad := range p.adds {
		c := "add " + q(ad.name)
		for _, e := range p.edits {
			if e.target.added == ad && e.who != "" {
				c += " for " + workspace.Flat(e.who)
			}
		}
		p.changes = append(p.changes, c)
	}
	byID := map[string]clickup.ChecklistItem{}
	if p.cur != nil {
		for _, it := range p.cur.Items {
			byID[string(it.ID)] = it
		}
	}
	kept := p.edits[:0]
	for _, e := range p.edits {
		it, known := byID[e.target.id]
		if e.resolved != nil {
			switch {
			case known && bool(it.Resolved) == *e.resolved:
				p.unchanged = append(p.unchanged, q(it.Name)+map[bool]string{true: " is already resolved", false: " is already open"}[*e.resolved])
				e.resolved = nil
			case *e.resolved:
				e.what = append(e.what, "resolve "+q(e.target.name))
			default:
				e.what = append(e.what, "reopen "+q(e.target.name))
			}
		}
		if e.name != nil {
			if known && it.Name == *e.name {
				p.unchanged = append(p.unchanged, q(it.Name)+" already has that name")
				e.name = nil
			} else {
				e.what = append(e.what, "rename "+q(e.target.name)+" to "+q(*e.name))
			}
		}
		if e.assignee.Set {
			var cur int64
			if known && it.Assignee != nil {
				cur = int64(it.Assignee.ID)
			}
			if (e.assignee.Null && cur == 0) || (!e.assignee.Null && fmt.Sprint(cur) == e.assignee.Value) {
				p.unchanged = append(p.unchanged, q(e.target.name)+" is already assigned to "+workspace.Flat(e.who))
				e.assignee = clickup.Nullable[string]{}
			} else {
				e.what = append(e.what, "assign "+q(e.target.name)+" to "+workspace.Flat(e.who))
			}
		}
		if e.resolved != nil || e.name != nil || e.assignee.Set {
			p.changes = append(p.changes, e.what...)
			kept = append(kept, e)
		}
	}
	p.edits = kept
	for _, it := range p.deletes {
		p.changes = append(p.changes, "delete "+q(it.Name))
	}
	if p.nested > 0 {
		p.changes = append(p.changes, fmt.Sprintf("delete %d items nested under those", p.nested))
	}
	if p.rename != "" {
		if p.cur != nil && p.cur.Name == p.rename {
			p.unchanged = append(p.unchanged, "the checklist is already named "+q(p.rename))
			p.rename = ""
		} else {
			p.changes = append(p.changes, "rename the checklist to "+q(p.rename))
		}
	}
	if p.deleteAll {
		p.changes = append(p.changes, fmt.Sprintf("delete checklist %s with its %d items", q(p.name), len(p.cur.Items)))
	}
	if p.changes == nil {
		p.changes = []string{}
	}
}

// subject identifies what a confirmation is for: this checklist and
// exactly these deletions.
func (p *clPlan) subject() string {
	ids := make([]string, 0, len(p.deletes))
	for _, it := range p.deletes {
		ids = append(ids, string(it.ID))
	}
	slices.Sort(ids)
	return "checklist:" + writeguard.Digest(string(p.task.ID), string(p.cur.ID), ids, p.deleteAll)
}

// describeDelete is what the user is asked before anything is deleted:
// the task, the checklist, the items (names and counts) and the rest of
// the call.
func (p *clPlan) describeDelete() string {
	var b strings.Builder
	done := 0
	if p.deleteAll {
		for _, it := range p.cur.Items {
			if it.Resolved {
				done++
			}
		}
		fmt.Fprintf(&b, "Delete checklist %q with its %d items (%d done) from task %q (%s)?", p.cur.Name, len(p.cur.Items), done, p.task.Name, p.task.ID)
	} else {
		names := make([]string, 0, len(p.deletes))
		for _, it := range p.deletes {
			if it.Resolved {
				done++
			}
			names = append(names, fmt.Sprintf("%q", render.CutText(it.Name, 80)))
		}
		if len(names) > 10 {
			names = append(names[:10], fmt.Sprintf("and %d more", len(p.deletes)-10))
		}
		fmt.Fprintf(&b, "Delete %d items (%d done) from checklist %q on task %q (%s): %s", len(p.deletes), done, p.cur.Name, p.task.Name, p.task.ID, strings.Join(names, ", "))
		if p.nested > 0 {
			fmt.Fprintf(&b, ", and %d items nested under them", p.nested)
		}
		b.WriteString("?")
		if other := len(p.changes) - len(p.deletes) - min(p.nested, 1); other > 0 {
			fmt.Fprintf(&b, " The call also makes %d other changes (only if you accept).", other)
		}
	}
	b.WriteString(" This cannot be undone.")
	return b.String()
}

// apply sends the plan: the create, the adds (each through the write
// guard), the edits, the rename, then the deletes. It stops at the first
// failure; changes then lists what was done.
func (p *clPlan) apply(ctx context.Context, s *workspace.Session) ([]string, error) {
	planned := p.changes
	p.changes = []string{}
	var notes []string
	next := 0
	done := func(n int) {
		p.changes = append(p.changes, planned[next:next+n]...)
		next += n
	}
	ref := clickup.Native(string(p.task.ID))
	if p.cur == nil {
		cl, how, err := createChecklist(ctx, s, ref, p.name)
		if err != nil {
			return notes, err
		}
		if how != "" {
			notes = append(notes, how)
		}
		p.cur, p.created = cl, true
		done(1)
	}
	for _, ad := range p.adds {
		cl, id, how, err := addChecklistItem(ctx, s, p.cur, ad)
		if err != nil {
			return notes, err
		}
		if how != "" {
			notes = append(notes, how)
		}
		ad.id = id
		p.cur = cl
		done(1)
	}
	for _, e := range p.edits {
		id := e.target.id
		if e.target.added != nil {
			id = e.target.added.id
		}
		cl, err := s.Client.Checklists.EditItem(ctx, string(p.cur.ID), id, &clickup.ChecklistItemEdit{Name: e.name, Resolved: e.resolved, Assignee: e.assignee})
		if err != nil {
			return notes, err
		}
		p.cur = cl
		done(len(e.what))
	}
	for _, it := range p.deletes {
		err := s.Client.Checklists.DeleteItem(ctx, string(p.cur.ID), string(it.ID))
		if err != nil && !gone(err) {
			return notes, err
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%q was already gone.", workspace.Flat(it.Name)))
		}
		drop := map[clickup.FlexString]bool{}
		for _, o := range p.cur.Items {
			if o.ID == it.ID || nestedUnderAny(p.cur.Items, o, map[string]bool{string(it.ID): true}) {
				drop[o.ID] = true
			}
		}
		p.cur.Items = slices.DeleteFunc(p.cur.Items, func(o clickup.ChecklistItem) bool { return drop[o.ID] })
		done(1)
	}
	if p.nested > 0 {
		done(1)
	}
	if p.rename != "" {
		if err := s.Client.Checklists.Edit(ctx, string(p.cur.ID), &clickup.ChecklistEdit{Name: &p.rename}); err != nil {
			return notes, err
		}
		p.cur.Name, p.name = p.rename, p.rename
		done(1)
	}
	if p.deleteAll {
		if err := s.Client.Checklists.Delete(ctx, string(p.cur.ID)); err != nil && !gone(err) {
			return notes, err
		}
		p.removed = true
		done(1)
	}
	return notes, nil
}

// gone reports a 404 on a delete: what was to be deleted is not there
// (a retry whose first attempt did it, or someone else).
func gone(err error) bool {
	var ce *clickup.Error
	return errors.As(err, &ce) && ce.StatusCode == 404
}

// failure explains a call that stopped part way: what was done, and that
// calling again is safe.
func (p *clPlan) failure(err error) error {
	done := "nothing"
	if len(p.changes) > 0 {
		done = strings.Join(p.changes, "; ")
	}
	var ue *writeguard.UnknownError
	if errors.As(err, &ue) {
		return workspace.WithHint(err, "%s Done before it: %s.", ue.Advice(""), done)
	}
	if writeguard.MaybeApplied(err) {
		return workspace.WithHint(err, "Outcome unknown for the change after these (ClickUp's answer was lost); done before it: %s. Read the task (clickup_get_task) to see; calling again with the same arguments is safe: what is already so is not sent again.", done)
	}
	return workspace.WithHint(err, "Done before the failure: %s. Calling again with the same arguments is safe: what is already so is not sent again.", done)
}

// createChecklist creates a checklist through the write guard.
func createChecklist(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, name string) (*clickup.Checklist, string, error) {
	parts := []any{ref.ID, strings.ToLower(workspace.NormText(name))}
	where := fmt.Sprintf("read task %s (clickup_get_task) for a checklist named %q", ref.ID, name)
	for range 3 {
		tk, err := s.BeginWrite(ctx, "create_checklist", parts...)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "")
		}
		if tk.Replay != nil {
			// Not on the task as read: made by an identical call since
			// (answered from it), or made and then deleted (made again).
			t, err := s.Client.Tasks.Get(ctx, ref, nil)
			if err != nil {
				tk.Close()
				return nil, "", err
			}
			tk.Close()
			for i := range t.Checklists {
				if string(t.Checklists[i].ID) == tk.Replay.Ref {
					return &t.Checklists[i], fmt.Sprintf("Checklist %q was created moments ago by an identical call: not created again.", workspace.Flat(name)), nil
				}
			}
			parts = append(parts, "after:"+tk.Replay.Ref)
			continue
		}
		var made *clickup.Checklist
		seen := map[string]*clickup.Checklist{}
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "checklist", Where: where,
			Send: func(ctx context.Context) (string, error) {
				cl, err := s.Client.Checklists.Create(ctx, ref, name)
				if err != nil {
					return "", err
				}
				made = cl
				return string(cl.ID), nil
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				return checklistEvidence(ctx, s, ref, name, seen)
			},
		})
		if err != nil {
			tk.Close()
			return nil, "", err
		}
		tk.Done(ctx, id, nil)
		if made == nil {
			made = seen[id]
		}
		switch how {
		case writeguard.Reconciled:
			return made, fmt.Sprintf("ClickUp's answer to creating checklist %q was lost; a check proved it is this call's: created once.", workspace.Flat(name)), nil
		case writeguard.FoundEarlier:
			return made, fmt.Sprintf("An earlier identical call lost ClickUp's answer; a check proved checklist %q is its write: not created again.", workspace.Flat(name)), nil
		}
		return made, "", nil
	}
	return nil, "", fmt.Errorf("checklist %q was created and deleted again several times within minutes; not created again: check task %s", name, ref.ID)
}

// checklistEvidence lists the task's checklists of that name.
func checklistEvidence(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, name string, seen map[string]*clickup.Checklist) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: fmt.Sprint(me.ID)}
	for i, c := range t.Checklists {
		if !sameName(c.Name, name) {
			continue
		}
		seen[string(c.ID)] = &t.Checklists[i]
		var differs []string
		if len(c.Items) > 0 {
			differs = append(differs, "items") // a new checklist has none
		}
		ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: string(c.ID), Label: c.Name, Creator: fmt.Sprint(c.Creator), Created: c.DateCreated.Time(), Differs: differs})
	}
	return ev, nil
}

// addChecklistItem adds one item through the write guard and returns the
// checklist after it and the new item's id.
func addChecklistItem(ctx context.Context, s *workspace.Session, cl *clickup.Checklist, ad *clAdd) (*clickup.Checklist, string, string, error) {
	cid := string(cl.ID)
	body := &clickup.ChecklistItemCreate{Name: ad.name, Assignee: ad.assignee}
	parts := []any{cid, strings.ToLower(workspace.NormText(ad.name)), ad.assignee}
	where := fmt.Sprintf("read task %s (clickup_get_task) for item %q on checklist %q", cl.TaskID, ad.name, cl.Name)
	ref := clickup.Native(string(cl.TaskID))
	before := map[clickup.FlexString]bool{}
	for _, it := range cl.Items {
		before[it.ID] = true
	}
	for range 3 {
		tk, err := s.BeginWrite(ctx, "add_checklist_item", parts...)
		if err != nil {
			return nil, "", "", workspace.GuardErr(err, "")
		}
		if tk.Replay != nil {
			t, err := s.Client.Tasks.Get(ctx, ref, nil)
			tk.Close()
			if err != nil {
				return nil, "", "", err
			}
			for i := range t.Checklists {
				if t.Checklists[i].ID != cl.ID {
					continue
				}
				for _, it := range t.Checklists[i].Items {
					if string(it.ID) == tk.Replay.Ref {
						return &t.Checklists[i], tk.Replay.Ref, fmt.Sprintf("%q was added moments ago by an identical call: not added again.", workspace.Flat(ad.name)), nil
					}
				}
			}
			parts = append(parts, "after:"+tk.Replay.Ref)
			continue
		}
		var after *clickup.Checklist
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "checklist item", Where: where,
			Send: func(ctx context.Context) (string, error) {
				got, err := s.Client.Checklists.CreateItem(ctx, cid, body)
				if err != nil {
					return "", err
				}
				after = got
				for _, it := range got.Items {
					if !before[it.ID] && sameName(it.Name, ad.name) {
						return string(it.ID), nil
					}
				}
				return "", &clickup.Error{Kind: clickup.KindDecode, Method: "POST", Path: "/v2/checklist/{checklist_id}/checklist_item",
					Message: "the answer does not show the new item", MaybeApplied: true}
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				ev, got, err := itemEvidence(ctx, s, ref, cl.ID, body)
				if got != nil {
					after = got
				}
				return ev, err
			},
		})
		if err != nil {
			tk.Close()
			return nil, "", "", err
		}
		tk.Done(ctx, id, nil)
		switch how {
		case writeguard.Reconciled:
			return after, id, fmt.Sprintf("ClickUp's answer to adding %q was lost; a check proved the item is this call's: added once.", workspace.Flat(ad.name)), nil
		case writeguard.FoundEarlier:
			return after, id, fmt.Sprintf("An earlier identical call lost ClickUp's answer; a check proved %q is its write: not added again.", workspace.Flat(ad.name)), nil
		}
		return after, id, "", nil
	}
	return nil, "", "", fmt.Errorf("item %q was added and deleted again several times within minutes; not added again: check checklist %q", ad.name, cl.Name)
}

// itemEvidence lists the checklist's items of that name. ClickUp records
// no creator on an item: each counts as the token's own, and the proof
// rests on its creation date (after the write began), its fields, and the
// guard's claim (no other call took it).
func itemEvidence(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, id clickup.FlexString, body *clickup.ChecklistItemCreate) (writeguard.Evidence, *clickup.Checklist, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, nil, err
	}
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return writeguard.Evidence{}, nil, err
	}
	ev := writeguard.Evidence{Self: fmt.Sprint(me.ID)}
	for i := range t.Checklists {
		cl := &t.Checklists[i]
		if cl.ID != id {
			continue
		}
		for _, it := range cl.Items {
			if !sameName(it.Name, body.Name) {
				continue
			}
			var differs []string
			var got int64
			if it.Assignee != nil {
				got = int64(it.Assignee.ID)
			}
			if got != body.Assignee {
				differs = append(differs, "assignee")
			}
			ev.Candidates = append(ev.Candidates, writeguard.Candidate{Ref: string(it.ID), Label: it.Name, Creator: ev.Self, Created: it.DateCreated.Time(), Differs: differs})
		}
		return ev, cl, nil
	}
	return writeguard.Evidence{}, nil, fmt.Errorf("checklist %s is no longer on task %s", id, ref.ID)
}

// result is the checklist as the plan (or the changes) left it.
func (p *clPlan) result(ctx context.Context, s *workspace.Session, d *workspace.Deps) *UpdateChecklistResult {
	r := &UpdateChecklistResult{TaskID: string(p.task.ID), Checklist: p.name, Items: []ChecklistItemOut{}, Changes: []string{}}
	if p.task.CustomID != "" {
		r.TaskID = string(p.task.CustomID)
	}
	if p.cur == nil {
		return r
	}
	r.ChecklistID, r.Created = string(p.cur.ID), p.created
	if p.removed {
		r.Deleted = true
		return r
	}
	size, budget := 300, d.Config().MaxResultTokens
	for _, it := range p.cur.Items {
		o := ChecklistItemOut{ID: string(it.ID), Name: it.Name, Resolved: bool(it.Resolved), Parent: string(it.Parent)}
		if it.Assignee != nil && it.Assignee.ID != 0 {
			o.Assignee = it.Assignee.Username
			if o.Assignee == "" {
				o.Assignee = personName(ctx, s, p.ws, int64(it.Assignee.ID))
			}
		}
		if o.Resolved {
			r.Done++
		}
		js, _ := json.Marshal(o)
		if size += 2 * toolkit.EstimateJSONTokens(js); size > budget/2 {
			r.Omitted++
			continue
		}
		r.Items = append(r.Items, o)
	}
	return r
}

// text is the result's short rendering: the checklist, then what changed.
func (p *clPlan) text(r *UpdateChecklistResult, verb string) string {
	var b strings.Builder
	switch {
	case r.Deleted:
		fmt.Fprintf(&b, "Checklist %q deleted from task %s.", workspace.Flat(r.Checklist), r.TaskID)
	case r.ChecklistID == "":
		fmt.Fprintf(&b, "Checklist %q on task %s: to be created.", workspace.Flat(r.Checklist), r.TaskID)
	default:
		fmt.Fprintf(&b, "Checklist %q on task %s (%d of %d done):", workspace.Flat(r.Checklist), r.TaskID, r.Done, len(r.Items)+r.Omitted)
		for _, it := range r.Items {
			box := "[ ]"
			if it.Resolved {
				box = "[x]"
			}
			indent := "\n- "
			if it.Parent != "" {
				indent = "\n  - "
			}
			fmt.Fprintf(&b, "%s%s %s", indent, box, workspace.Flat(it.Name))
			if it.Assignee != "" {
				fmt.Fprintf(&b, " (@%s)", workspace.Flat(it.Assignee))
			}
		}
		if r.Omitted > 0 {
			fmt.Fprintf(&b, "\n%d more items not shown (size).", r.Omitted)
		}
	}
	if len(r.Changes) > 0 {
		fmt.Fprintf(&b, "\n%s: %s.", verb, strings.Join(r.Changes, "; "))
	} else {
		b.WriteString("\nNothing to change.")
	}
	if len(r.Unchanged) > 0 {
		fmt.Fprintf(&b, "\nAlready so (not sent): %s.", strings.Join(r.Unchanged, "; "))
	}
	return b.String()
}
