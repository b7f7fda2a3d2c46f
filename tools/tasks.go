package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/lithammer/fuzzysearch/fuzzy"
)

// --- clickup_search_tasks ---

type CustomFieldFilterArg struct {
	FieldID  string `json:"field_id" jsonschema:"required"`
	Operator string `json:"operator" jsonschema:"required,enum==,enum===,enum=<,enum=<=,enum=>,enum=>=,enum=!=,enum=!==,enum=IS NULL,enum=IS NOT NULL,enum=RANGE,enum=ANY,enum=ALL,enum=NOT ANY,enum=NOT ALL"`
	Value    string `json:"value,omitempty" jsonschema_description:"the value; JSON for numbers and arrays (e.g. 5 or [1,10])"`
}

type SearchTasksArgs struct {
	WorkspaceID   ID                     `json:"workspace_id,omitempty" jsonschema_description:"workspace id; optional when the token has one workspace"`
	Query         string                 `json:"query,omitempty" jsonschema_description:"words all in the task name, any case (scans pages: ClickUp has no full-text search)"`
	Statuses      []string               `json:"statuses,omitempty"`
	Assignees     []string               `json:"assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	Tags          []string               `json:"tags,omitempty"`
	SpaceIDs      []ID                   `json:"space_ids,omitempty" jsonschema_description:"space ids or names"`
	FolderIDs     []ID                   `json:"folder_ids,omitempty" jsonschema_description:"folder ids, names or paths (Space/Folder)"`
	ListIDs       []ID                   `json:"list_ids,omitempty" jsonschema_description:"list ids, names or paths (Space/Folder/List)"`
	DueAfter      string                 `json:"due_after,omitempty" jsonschema_description:"date, e.g. 2026-12-01, today, next friday"`
	DueBefore     string                 `json:"due_before,omitempty"`
	CreatedAfter  string                 `json:"created_after,omitempty"`
	CreatedBefore string                 `json:"created_before,omitempty"`
	UpdatedAfter  string                 `json:"updated_after,omitempty"`
	UpdatedBefore string                 `json:"updated_before,omitempty"`
	DoneAfter     string                 `json:"done_after,omitempty"`
	DoneBefore    string                 `json:"done_before,omitempty"`
	IncludeClosed bool                   `json:"include_closed,omitempty"`
	Subtasks      bool                   `json:"subtasks,omitempty" jsonschema_description:"include subtasks"`
	Parent        string                 `json:"parent,omitempty" jsonschema_description:"only the subtasks of this task"`
	OrderBy       string                 `json:"order_by,omitempty" jsonschema:"enum=created,enum=updated,enum=due_date,enum=id"`
	Reverse       bool                   `json:"reverse,omitempty"`
	CustomFields  []CustomFieldFilterArg `json:"custom_fields,omitempty"`
	Detail        string                 `json:"detail,omitempty" jsonschema:"enum=compact,enum=full" jsonschema_description:"full adds priority, tags, dates, estimate, url and an excerpt"`
	Limit         int                    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=100" jsonschema_description:"max tasks to return (default 25)"`
	Cursor        string                 `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result, to continue"`
}

type SearchResult struct {
	Tasks      []SearchTask `json:"tasks"`
	Scanned    int          `json:"scanned" jsonschema_description:"tasks examined in ClickUp"`
	NextCursor string       `json:"next_cursor,omitempty" jsonschema_description:"pass as cursor to get more"`
	Truncated  bool         `json:"truncated,omitempty" jsonschema_description:"cut at the response size budget; continue with next_cursor or narrow the search"`
	Note       string       `json:"note,omitempty"`
}

type searchCursor struct {
	Page int `json:"p"`
	Skip int `json:"s"`
}

// maxScanPages bounds the ClickUp pages one search call reads when a query
// filters names client-side (100 tasks a page, one request each).
const maxScanPages = 5

func SearchTasks(d *Deps) Tool {
	return newTool(d, spec{
		name: "clickup_search_tasks", title: "Search tasks", toolset: ToolsetTasks, hints: readHints,
		description: "Find tasks by name words, status, assignee, tag, place and dates; open tasks only unless include_closed. One line a task, paged with next_cursor; clickup_get_task shows one in full.",
	}, func(ctx context.Context, s *Session, a *SearchTasksArgs) (*SearchResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		opts, err := d.searchOptions(ctx, s, ws, a)
		if err != nil {
			return nil, "", err
		}
		limit := a.Limit
		switch {
		case limit == 0:
			limit = 25
		case limit < 0 || limit > 100:
			return nil, "", invalidArg("limit", "must be between 1 and 100")
		}
		var cur searchCursor
		if a.Cursor != "" {
			if err := decodeCursor("cursor", a.Cursor, &cur); err != nil {
				return nil, "", err
			}
		}
		full := false
		switch a.Detail {
		case "", "compact":
		case "full":
			full = true
			opts.IncludeMarkdownDescription = true
		default:
			return nil, "", invalidArg("detail", "use compact or full")
		}
		words := strings.Fields(strings.ToLower(a.Query))
		// Each task costs its JSON and its line of text; the head line,
		// cursor and note get a fixed allowance.
		size, budget := 300, d.cfg.MaxResultTokens
		loc := s.Location(ctx)
		lines := taskList{full: full, now: d.cfg.Now()}
		var line strings.Builder
		r := &SearchResult{Tasks: []SearchTask{}}
		opts.Page = cur.Page
		pages := 0
		for page, err := range s.Client.Tasks.SearchPages(ctx, ws, opts) {
			if err != nil {
				return nil, "", err
			}
			pages++
			start := 0
			if page == nil {
				break
			}
			if pages == 1 {
				start = cur.Skip
			}
			more := len(page.Tasks) >= clickup.PageSize && !page.LastPage
			for i := start; i < len(page.Tasks); i++ {
				t := &page.Tasks[i]
				if !nameMatches(t.Name, words) {
					r.Scanned++
					continue
				}
				sum := SearchTask{TaskSummary: summarize(t, loc)}
				if full {
					sum = summarizeFull(t, loc)
				}
				b, _ := json.Marshal(sum)
				line.Reset()
				lines.line(&line, &sum, true)
				if size += estimateJSONTokens(b) + 1 + estimateTokens(line.String()); size > budget && len(r.Tasks) > 0 {
					r.Truncated = true
					r.NextCursor = encodeCursor(searchCursor{Page: opts.Page + pages - 1, Skip: i})
					r.Note = fmt.Sprintf("Cut at the result budget (%d tokens) after %d tasks; continue with cursor, or narrow the search / use detail=compact.", d.cfg.MaxResultTokens, len(r.Tasks))
					break
				}
				r.Scanned++
				r.Tasks = append(r.Tasks, sum)
				if len(r.Tasks) == limit {
					if i+1 < len(page.Tasks) {
						r.NextCursor = encodeCursor(searchCursor{Page: opts.Page + pages - 1, Skip: i + 1})
					} else if more {
						r.NextCursor = encodeCursor(searchCursor{Page: opts.Page + pages})
					}
					break
				}
			}
			if len(r.Tasks) == limit || r.Truncated {
				break
			}
			if pages >= maxScanPages && more {
				r.NextCursor = encodeCursor(searchCursor{Page: opts.Page + pages})
				r.Note = fmt.Sprintf("Scanned %d tasks without filling limit; call again with cursor to keep scanning, or narrow the search (list_ids, statuses, dates).", r.Scanned)
				break
			}
		}
		var b strings.Builder
		l := taskList{tasks: r.Tasks, full: full, ordered: a.OrderBy != "", loc: loc, now: d.cfg.Now()}
		fmt.Fprintf(&b, "%d tasks (scanned %d)", len(r.Tasks), r.Scanned)
		if h := l.head(); h != "" {
			b.WriteString("; " + h)
		}
		l.write(&b)
		if r.NextCursor != "" {
			fmt.Fprintf(&b, "\nMore: call again with cursor=%s", r.NextCursor)
		}
		if r.Note != "" {
			b.WriteString("\n" + r.Note)
		}
		return r, b.String(), nil
	})
}

func nameMatches(name string, words []string) bool {
	if len(words) == 0 {
		return true
	}
	n := strings.ToLower(name)
	for _, w := range words {
		if !strings.Contains(n, w) {
			return false
		}
	}
	return true
}

func (d *Deps) searchOptions(ctx context.Context, s *Session, ws string, a *SearchTasksArgs) (*clickup.SearchTasksOptions, error) {
	o := &clickup.SearchTasksOptions{
		Statuses:      a.Statuses,
		Tags:          a.Tags,
		IncludeClosed: a.IncludeClosed,
		Subtasks:      a.Subtasks,
		Reverse:       a.Reverse,
		OrderBy:       a.OrderBy,
	}
	switch a.OrderBy {
	case "", "created", "updated", "due_date", "id":
	default:
		return nil, invalidArg("order_by", "use created, updated, due_date or id")
	}
	var err error
	ids := func(arg string, in []ID, kind nodeKind) ([]string, error) {
		out := make([]string, 0, len(in))
		for _, v := range in {
			id, err := s.resolveNode(ctx, ws, arg, string(v), kind)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, nil
	}
	if o.SpaceIDs, err = ids("space_ids", a.SpaceIDs, kindSpace); err != nil {
		return nil, err
	}
	if o.ProjectIDs, err = ids("folder_ids", a.FolderIDs, kindFolder); err != nil {
		return nil, err
	}
	if o.ListIDs, err = ids("list_ids", a.ListIDs, kindList); err != nil {
		return nil, err
	}
	users, err := s.ResolveUsers(ctx, ws, "assignees", a.Assignees)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		o.Assignees = append(o.Assignees, fmt.Sprint(u))
	}
	if a.Parent != "" {
		ref, err := s.taskRef(ctx, "parent", a.Parent, ws)
		if err != nil {
			return nil, err
		}
		if ref.IsCustom() {
			t, err := s.Client.Tasks.Get(ctx, ref, nil)
			if err != nil {
				return nil, err
			}
			ref = clickup.Native(string(t.ID))
		}
		o.Parent = ref.ID
		o.Subtasks = true
	}
	now := d.cfg.Now()
	for _, f := range []struct {
		arg, val string
		dst      *clickup.Millis
		end      bool
	}{
		{"due_after", a.DueAfter, &o.DueDateGt, false}, {"due_before", a.DueBefore, &o.DueDateLt, true},
		{"created_after", a.CreatedAfter, &o.DateCreatedGt, false}, {"created_before", a.CreatedBefore, &o.DateCreatedLt, true},
		{"updated_after", a.UpdatedAfter, &o.DateUpdatedGt, false}, {"updated_before", a.UpdatedBefore, &o.DateUpdatedLt, true},
		{"done_after", a.DoneAfter, &o.DateDoneGt, false}, {"done_before", a.DoneBefore, &o.DateDoneLt, true},
	} {
		if f.val == "" {
			continue
		}
		t, hasTime, err := parseDate(f.arg, f.val, s.Location(ctx), now)
		if err != nil {
			return nil, err
		}
		if !hasTime && f.end {
			// "due before Friday" includes Friday.
			t = t.AddDate(0, 0, 1)
		}
		*f.dst = clickup.MillisOf(t)
	}
	for i, cf := range a.CustomFields {
		arg := fmt.Sprintf("custom_fields[%d]", i)
		if cf.FieldID == "" {
			return nil, invalidArg(arg, "field_id is required")
		}
		f := clickup.CustomFieldFilter{FieldID: cf.FieldID, Operator: cf.Operator}
		if cf.Value != "" {
			var v any
			if json.Unmarshal([]byte(cf.Value), &v) == nil {
				f.Value = v
			} else {
				f.Value = cf.Value
			}
		}
		o.CustomFields = append(o.CustomFields, f)
	}
	return o, nil
}

// --- clickup_get_task ---

type GetTaskArgs struct {
	TaskID          string `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id (DEV-123) or task URL"`
	WorkspaceID     ID     `json:"workspace_id,omitempty" jsonschema_description:"for custom ids; optional when the token has one workspace"`
	IncludeSubtasks bool   `json:"include_subtasks,omitempty"`
}

type NamedRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type ChecklistOut struct {
	Name string   `json:"name"`
	Done []string `json:"done,omitempty"`
	Open []string `json:"open,omitempty"`
}

type CustomFieldOut struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value,omitempty" jsonschema_description:"the value as text (option names for dropdowns and labels)"`
}

type TaskDetail struct {
	ID           string           `json:"id"`
	CustomID     string           `json:"custom_id,omitempty"`
	Name         string           `json:"name"`
	Status       string           `json:"status"`
	StatusType   string           `json:"status_type,omitempty" jsonschema_description:"open, custom, done or closed"`
	Priority     string           `json:"priority,omitempty"`
	Description  string           `json:"description,omitempty" jsonschema_description:"markdown"`
	Assignees    []Person         `json:"assignees,omitempty"`
	Creator      string           `json:"creator,omitempty"`
	Tags         []string         `json:"tags,omitempty"`
	Due          string           `json:"due,omitempty"`
	DueMs        int64            `json:"due_ms,omitempty"`
	Start        string           `json:"start,omitempty"`
	StartMs      int64            `json:"start_ms,omitempty"`
	Created      string           `json:"created,omitempty"`
	Updated      string           `json:"updated,omitempty"`
	Closed       string           `json:"closed,omitempty"`
	TimeEstimate string           `json:"time_estimate,omitempty"`
	TimeSpent    string           `json:"time_spent,omitempty"`
	Points       float64          `json:"points,omitempty"`
	Parent       string           `json:"parent,omitempty"`
	List         NamedRef         `json:"list"`
	Folder       *NamedRef        `json:"folder,omitempty"`
	SpaceID      string           `json:"space_id,omitempty"`
	Subtasks     []TaskSummary    `json:"subtasks,omitempty"`
	Checklists   []ChecklistOut   `json:"checklists,omitempty"`
	CustomFields []CustomFieldOut `json:"custom_fields,omitempty"`
	URL          string           `json:"url"`
}

func detail(t *clickup.Task, loc *time.Location) *TaskDetail {
	r := &TaskDetail{
		ID: string(t.ID), CustomID: string(t.CustomID), Name: t.Name,
		Status: t.Status.Status, StatusType: t.Status.Type,
		Description: t.MarkdownDescription,
		Creator:     t.Creator.Username,
		Due:         isoDue(int64(t.DueDate), bool(t.DueDateTime), loc), DueMs: int64(t.DueDate),
		Start: isoDue(int64(t.StartDate), bool(t.StartDateTime), loc), StartMs: int64(t.StartDate),
		Created:      isoTime(int64(t.DateCreated), true, loc),
		Updated:      isoTime(int64(t.DateUpdated), true, loc),
		Closed:       isoTime(int64(t.DateClosed), true, loc),
		TimeEstimate: formatDuration(int64(t.TimeEstimate)),
		TimeSpent:    formatDuration(int64(t.TimeSpent)),
		Points:       float64(t.Points),
		Parent:       string(t.Parent),
		List:         NamedRef{ID: string(t.List.ID), Name: t.List.Name},
		SpaceID:      string(t.Space.ID),
		URL:          t.URL,
	}
	if r.Description == "" {
		r.Description = t.Description
	}
	if t.Folder.ID != "" && !bool(t.Folder.Hidden) {
		r.Folder = &NamedRef{ID: string(t.Folder.ID), Name: t.Folder.Name}
	}
	if t.Priority != nil {
		r.Priority = t.Priority.Priority
	}
	for _, a := range t.Assignees {
		r.Assignees = append(r.Assignees, person(a))
	}
	for _, tg := range t.Tags {
		r.Tags = append(r.Tags, tg.Name)
	}
	for i := range t.Subtasks {
		r.Subtasks = append(r.Subtasks, summarize(&t.Subtasks[i], loc))
	}
	for _, c := range t.Checklists {
		co := ChecklistOut{Name: c.Name}
		for _, it := range c.Items {
			if it.Resolved {
				co.Done = append(co.Done, it.Name)
			} else {
				co.Open = append(co.Open, it.Name)
			}
		}
		r.Checklists = append(r.Checklists, co)
	}
	for _, f := range t.CustomFields {
		v := fieldValue(f)
		if v == "" {
			continue
		}
		r.CustomFields = append(r.CustomFields, CustomFieldOut{ID: string(f.ID), Name: f.Name, Type: f.Type, Value: v})
	}
	return r
}

// fieldValue renders a custom field's value for a reader: strings
// unquoted, dropdown and label option ids as their names, anything else as
// compact JSON.
func fieldValue(f clickup.CustomField) string {
	raw := strings.TrimSpace(string(f.Value))
	if raw == "" || raw == "null" || raw == `""` || raw == "[]" {
		return ""
	}
	var cfg struct {
		Options []struct {
			ID         clickup.FlexString `json:"id"`
			Name       string             `json:"name"`
			Label      string             `json:"label"`
			Orderindex clickup.FlexString `json:"orderindex"`
		} `json:"options"`
	}
	_ = json.Unmarshal(f.TypeConfig, &cfg)
	option := func(key string) string {
		for _, o := range cfg.Options {
			if string(o.ID) == key || string(o.Orderindex) == key {
				if o.Name != "" {
					return o.Name
				}
				return o.Label
			}
		}
		return key
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		return raw
	}
	switch x := v.(type) {
	case string:
		if f.Type == "drop_down" {
			return option(x)
		}
		return x
	case float64:
		if f.Type == "drop_down" {
			return option(strconv.FormatFloat(x, 'f', -1, 64))
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		if f.Type == "labels" {
			names := make([]string, 0, len(x))
			for _, e := range x {
				if id, ok := e.(string); ok {
					names = append(names, option(id))
				}
			}
			return strings.Join(names, ", ")
		}
	}
	return raw
}

func (t *TaskDetail) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (id %s", t.Name, t.ID)
	if t.CustomID != "" {
		fmt.Fprintf(&b, ", %s", t.CustomID)
	}
	fmt.Fprintf(&b, ")\nStatus: %s", t.Status)
	if t.Priority != "" {
		fmt.Fprintf(&b, " | Priority: %s", t.Priority)
	}
	if t.Due != "" {
		fmt.Fprintf(&b, " | Due: %s", t.Due)
	}
	if t.Start != "" {
		fmt.Fprintf(&b, " | Start: %s", t.Start)
	}
	fmt.Fprintf(&b, "\nList: %s (%s)", t.List.Name, t.List.ID)
	if t.Parent != "" {
		fmt.Fprintf(&b, " | Subtask of %s", t.Parent)
	}
	if len(t.Assignees) > 0 {
		names := make([]string, len(t.Assignees))
		for i, a := range t.Assignees {
			names[i] = a.String()
		}
		fmt.Fprintf(&b, "\nAssignees: %s", strings.Join(names, ", "))
	}
	if len(t.Tags) > 0 {
		fmt.Fprintf(&b, "\nTags: %s", strings.Join(t.Tags, ", "))
	}
	if t.TimeEstimate != "" {
		fmt.Fprintf(&b, "\nEstimate: %s", t.TimeEstimate)
	}
	for _, f := range t.CustomFields {
		fmt.Fprintf(&b, "\n%s: %s", f.Name, f.Value)
	}
	if t.Description != "" {
		fmt.Fprintf(&b, "\n\n%s\n", t.Description)
	}
	for _, c := range t.Checklists {
		fmt.Fprintf(&b, "\nChecklist %s:", c.Name)
		for _, it := range c.Done {
			fmt.Fprintf(&b, "\n  [x] %s", it)
		}
		for _, it := range c.Open {
			fmt.Fprintf(&b, "\n  [ ] %s", it)
		}
	}
	if len(t.Subtasks) > 0 {
		fmt.Fprintf(&b, "\nSubtasks:")
		for _, st := range t.Subtasks {
			b.WriteString("\n")
			b.WriteString(st.line())
		}
	}
	fmt.Fprintf(&b, "\n%s", t.URL)
	return b.String()
}

func GetTask(d *Deps) Tool {
	return newTool(d, spec{
		name: "clickup_get_task", title: "Get task", toolset: ToolsetTasks, hints: readHints,
		description: "One task in full: markdown description, status, assignees, dates, list, parent, checklists, tags, custom fields and url; subtasks with include_subtasks. Accepts task ids, custom ids (DEV-123) and task URLs.",
	}, func(ctx context.Context, s *Session, a *GetTaskArgs) (*TaskDetail, string, error) {
		ref, err := s.taskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		t, err := s.Client.Tasks.Get(ctx, ref, &clickup.GetTaskOptions{IncludeSubtasks: a.IncludeSubtasks, IncludeMarkdownDescription: true})
		if err != nil {
			return nil, "", err
		}
		r := detail(t, s.Location(ctx))
		// The description is in both the text and the structured content:
		// each copy gets half of what the rest of the task leaves.
		desc := r.Description
		r.Description = ""
		rest, _ := json.Marshal(r)
		room := (d.cfg.MaxResultTokens - estimateJSONTokens(rest) - estimateTokens(r.text()) - 200) / 2
		if estimateTokens(desc) > room {
			desc = cutTokens(desc, max(room-100, 0)) + " (description cut at the result budget; the full text is in ClickUp: " + r.URL + ")"
		}
		r.Description = desc
		return r, r.text(), nil
	})
}

// resolveStatus checks a status name against a list's statuses,
// case-insensitively, and returns ClickUp's own spelling. An unknown status
// is refused with the list's statuses, nearest first: ClickUp would reject it.
func (s *Session) resolveStatus(ctx context.Context, arg, listID, status string) (string, error) {
	l, err := s.List(ctx, listID)
	if err != nil {
		return "", err
	}
	want := strings.TrimSpace(status)
	names := make([]string, 0, len(l.Statuses))
	for _, st := range l.Statuses {
		if strings.EqualFold(st.Status, want) {
			return st.Status, nil
		}
		names = append(names, st.Status)
	}
	if len(names) == 0 {
		// A list without its statuses in the answer: let ClickUp decide.
		return want, nil
	}
	sort.SliceStable(names, func(i, j int) bool {
		return fuzzy.LevenshteinDistance(strings.ToLower(want), strings.ToLower(names[i])) <
			fuzzy.LevenshteinDistance(strings.ToLower(want), strings.ToLower(names[j]))
	})
	return "", invalidArg(arg, "%q is not a status of list %q; valid statuses: %s", truncate(want, 40), l.Name, strings.Join(names, ", "))
}
