package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// --- clickup_search_tasks ---

type CustomFieldFilterArg struct {
	FieldID  string `json:"field_id" jsonschema:"required" jsonschema_description:"custom field id"`
	Operator string `json:"operator" jsonschema:"required,enum==,enum===,enum=<,enum=<=,enum=>,enum=>=,enum=!=,enum=!==,enum=IS NULL,enum=IS NOT NULL,enum=RANGE,enum=ANY,enum=ALL,enum=NOT ANY,enum=NOT ALL" jsonschema_description:"comparison"`
	Value    string `json:"value,omitempty" jsonschema_description:"the value; JSON for numbers and arrays (e.g. 5 or [1,10])"`
}

type SearchTasksArgs struct {
	WorkspaceID   workspace.ID           `json:"workspace_id,omitempty" jsonschema_description:"workspace id; optional when the token has one workspace"`
	Query         string                 `json:"query,omitempty" jsonschema_description:"words all in the task name, any case (scans pages: ClickUp has no full-text search)"`
	Statuses      []string               `json:"statuses,omitempty" jsonschema_description:"status names"`
	Assignees     []string               `json:"assignees,omitempty" jsonschema_description:"user ids, emails, usernames or me"`
	Tags          []string               `json:"tags,omitempty" jsonschema_description:"tag names"`
	SpaceIDs      []workspace.ID         `json:"space_ids,omitempty" jsonschema_description:"space ids or names"`
	FolderIDs     []workspace.ID         `json:"folder_ids,omitempty" jsonschema_description:"folder ids, names or paths (Space/Folder)"`
	ListIDs       []workspace.ID         `json:"list_ids,omitempty" jsonschema_description:"list ids, names or paths (Space/Folder/List)"`
	DueAfter      string                 `json:"due_after,omitempty" jsonschema_description:"date, e.g. 2026-12-01, today, next friday"`
	DueBefore     string                 `json:"due_before,omitempty" jsonschema_description:"date"`
	CreatedAfter  string                 `json:"created_after,omitempty" jsonschema_description:"date"`
	CreatedBefore string                 `json:"created_before,omitempty" jsonschema_description:"date"`
	UpdatedAfter  string                 `json:"updated_after,omitempty" jsonschema_description:"date"`
	UpdatedBefore string                 `json:"updated_before,omitempty" jsonschema_description:"date"`
	DoneAfter     string                 `json:"done_after,omitempty" jsonschema_description:"date"`
	DoneBefore    string                 `json:"done_before,omitempty" jsonschema_description:"date"`
	IncludeClosed bool                   `json:"include_closed,omitempty" jsonschema_description:"include closed tasks"`
	Subtasks      bool                   `json:"subtasks,omitempty" jsonschema_description:"include subtasks"`
	Parent        string                 `json:"parent,omitempty" jsonschema_description:"only the subtasks of this task"`
	OrderBy       string                 `json:"order_by,omitempty" jsonschema:"enum=created,enum=updated,enum=due_date,enum=id" jsonschema_description:"sort key"`
	Reverse       bool                   `json:"reverse,omitempty" jsonschema_description:"reverse the order"`
	CustomFields  []CustomFieldFilterArg `json:"custom_fields,omitempty" jsonschema_description:"custom field filters"`
	Detail        string                 `json:"detail,omitempty" jsonschema:"enum=compact,enum=full" jsonschema_description:"full adds priority, tags, dates, estimate, url and an excerpt"`
	Limit         int                    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=100" jsonschema_description:"max tasks to return (default 25)"`
	Cursor        string                 `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result, to continue"`
}

type SearchResult struct {
	Tasks      []render.SearchTask `json:"tasks"`
	Scanned    int                 `json:"scanned" jsonschema_description:"tasks examined in ClickUp"`
	NextCursor string              `json:"next_cursor,omitempty" jsonschema_description:"pass as cursor to get more"`
	Truncated  bool                `json:"truncated,omitempty" jsonschema_description:"cut at the response size budget; continue with next_cursor or narrow the search"`
	Note       string              `json:"note,omitempty"`
}

// ResourceLinks: the tasks found, in order (the framework keeps the first
// toolkit.MaxLinks).
func (r *SearchResult) ResourceLinks() []mcp.ResourceLink {
	var links []mcp.ResourceLink
	for _, t := range r.Tasks {
		links = append(links, t.ResourceLinks()...)
		if len(links) >= toolkit.MaxLinks {
			break
		}
	}
	return links
}

type searchCursor struct {
	Page int `json:"p"`
	Skip int `json:"s"`
}

// maxScanPages bounds the ClickUp pages one search call reads when a query
// filters names client-side (100 tasks a page, one request each).
const maxScanPages = 5

func SearchTasks(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_search_tasks", Title: "Search tasks", Toolset: toolkit.ToolsetTasks, Hints: toolkit.ReadHints,
		Description: "Find tasks by name words, status, assignee, tag, place and dates; leaves closed tasks out unless include_closed. One line a task, paged with next_cursor; clickup_get_task shows one in full.",
		Examples: []string{
			`{"query": "login"}`,
			`{"assignees": ["me"], "statuses": ["in progress"]}`,
			`{"list_ids": ["Sprint 12"], "due_before": "next friday"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *SearchTasksArgs) (*SearchResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		opts, err := searchOptions(ctx, d, s, ws, a)
		if err != nil {
			return nil, "", err
		}
		limit := a.Limit
		switch {
		case limit == 0:
			limit = 25
		case limit < 0 || limit > 100:
			return nil, "", workspace.InvalidArg("limit", "must be between 1 and 100")
		}
		var cur searchCursor
		if a.Cursor != "" {
			if err := render.DecodeCursor("cursor", a.Cursor, &cur); err != nil {
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
			return nil, "", workspace.InvalidArg("detail", "use compact or full")
		}
		words := strings.Fields(strings.ToLower(a.Query))
		// Each task costs its JSON and its line of text; the head line,
		// cursor and note get a fixed allowance.
		size, budget := 300, d.Config().MaxResultTokens
		loc := s.Location(ctx)
		lines := render.TaskList{Full: full, Now: d.Config().Now()}
		var line strings.Builder
		r := &SearchResult{Tasks: []render.SearchTask{}}
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
				sum := render.SearchTask{TaskSummary: render.Summarize(t, loc)}
				if full {
					sum = render.SummarizeFull(t, loc)
					if sum.Excerpt != "" && s.Withholds(ctx, int64(t.Creator.ID)) {
						sum.Excerpt = render.Withheld
					}
				}
				b, _ := json.Marshal(sum)
				line.Reset()
				lines.Line(&line, &sum, true)
				if size += toolkit.EstimateJSONTokens(b) + 1 + toolkit.EstimateTokens(line.String()); size > budget && len(r.Tasks) > 0 {
					r.Truncated = true
					r.NextCursor = render.EncodeCursor(searchCursor{Page: opts.Page + pages - 1, Skip: i})
					r.Note = fmt.Sprintf("Cut at the result budget (%d tokens) after %d tasks; continue with cursor, or narrow the search / use detail=compact.", budget, len(r.Tasks))
					break
				}
				r.Scanned++
				r.Tasks = append(r.Tasks, sum)
				if len(r.Tasks) == limit {
					if i+1 < len(page.Tasks) {
						r.NextCursor = render.EncodeCursor(searchCursor{Page: opts.Page + pages - 1, Skip: i + 1})
					} else if more {
						r.NextCursor = render.EncodeCursor(searchCursor{Page: opts.Page + pages})
					}
					break
				}
			}
			if len(r.Tasks) == limit || r.Truncated {
				break
			}
			if pages >= maxScanPages && more {
				r.NextCursor = render.EncodeCursor(searchCursor{Page: opts.Page + pages})
				r.Note = fmt.Sprintf("Scanned %d tasks without filling limit; call again with cursor to keep scanning, or narrow the search (list_ids, statuses, dates).", r.Scanned)
				break
			}
		}
		var b strings.Builder
		l := render.TaskList{Tasks: r.Tasks, Full: full, Ordered: a.OrderBy != "", Loc: loc, Now: d.Config().Now()}
		fmt.Fprintf(&b, "%d tasks (scanned %d)", len(r.Tasks), r.Scanned)
		if h := l.Head(); h != "" {
			b.WriteString("; " + h)
		}
		l.Write(&b)
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

func searchOptions(ctx context.Context, d *workspace.Deps, s *workspace.Session, ws string, a *SearchTasksArgs) (*clickup.SearchTasksOptions, error) {
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
		return nil, workspace.InvalidArg("order_by", "use created, updated, due_date or id")
	}
	var err error
	ids := func(arg string, in []workspace.ID, kind workspace.NodeKind) ([]string, error) {
		out := make([]string, 0, len(in))
		for _, v := range in {
			id, err := s.ResolveNode(ctx, ws, arg, string(v), kind)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, nil
	}
	if o.SpaceIDs, err = ids("space_ids", a.SpaceIDs, workspace.KindSpace); err != nil {
		return nil, err
	}
	if o.ProjectIDs, err = ids("folder_ids", a.FolderIDs, workspace.KindFolder); err != nil {
		return nil, err
	}
	if o.ListIDs, err = ids("list_ids", a.ListIDs, workspace.KindList); err != nil {
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
		ref, err := s.TaskRef(ctx, "parent", a.Parent, ws)
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
	now := d.Config().Now()
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
		t, hasTime, err := workspace.ParseDate(f.arg, f.val, s.Location(ctx), now)
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
			return nil, workspace.InvalidArg(arg, "field_id is required")
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
	TaskID      string       `json:"task_id" jsonschema:"required" jsonschema_description:"id, custom id (DEV-123) or URL"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"for custom ids"`
	Detail      string       `json:"detail,omitempty" jsonschema:"enum=compact,enum=full" jsonschema_description:"full: creator, dates, subtask details"`
}

func GetTask(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_task", Title: "Get task", Toolset: toolkit.ToolsetTasks, Hints: toolkit.ReadHints,
		Description: "One task: markdown description, status, people, dates, list, checklists, tags, custom fields, subtasks, dependencies, links, attachments.",
		Examples: []string{
			`{"task_id": "ACME-1"}`,
			`{"task_id": "ACME-1", "detail": "full"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetTaskArgs) (*render.TaskDetail, string, error) {
		full := false
		switch a.Detail {
		case "", "compact":
		case "full":
			full = true
		default:
			return nil, "", workspace.InvalidArg("detail", "use compact or full")
		}
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		// Subtasks come in the same request: include_subtasks costs none.
		t, err := s.Client.Tasks.Get(ctx, ref, &clickup.GetTaskOptions{IncludeSubtasks: true, IncludeMarkdownDescription: true})
		if err != nil {
			return nil, "", err
		}
		s.RememberTask(t)
		for i := range t.Subtasks {
			s.RememberTask(&t.Subtasks[i])
		}
		r := render.SessionDetail(ctx, s, t)
		r.Full = full
		if !full {
			r.Compact()
		}
		// The description is in both the text and the structured content:
		// each copy gets half of what the rest of the task leaves. The
		// rest of the text is rendered once, and the JSON encoded once, for
		// both (the framework sends the bytes weighed here).
		desc := r.Description
		whole := r.Encode()
		rest := withoutDescription(whole, desc)
		if rest == nil {
			r.Description = ""
			rest, _ = json.Marshal(r)
			r.Description = desc
		}
		head, tail := r.TextAround()
		text := head + tail
		room := (d.Config().MaxResultTokens - toolkit.EstimateJSONTokens(rest) - toolkit.EstimateTokens(text) - toolkit.LinkTokens(r) - 200) / 2
		if toolkit.EstimateTokens(desc) > room {
			r.Description = toolkit.CutTokens(desc, max(room-100, 0)) + " (description cut at the result budget; the full text is in ClickUp: " + r.URL + ")"
			r.Encode()
		}
		if section := r.DescriptionText(); section != "" {
			text = head + section + tail
		}
		return r, text, nil
	})
}

// withoutDescription is a task detail's JSON without its description: what
// json.Marshal makes of the detail with an empty one (the field is
// omitempty, and no other field's bytes depend on it). The member is
// `,"description":` and the description as json.Marshal quotes it; that
// text cannot occur inside a string, where quotes are escaped. Nil when it
// is not found (the caller encodes the detail again).
func withoutDescription(whole []byte, desc string) []byte {
	if desc == "" {
		return whole
	}
	q, err := json.Marshal(desc)
	if err != nil {
		return nil
	}
	member := append([]byte(`,"description":`), q...)
	i := bytes.Index(whole, member)
	if i < 0 {
		return nil
	}
	out := make([]byte, 0, len(whole)-len(member))
	out = append(out, whole[:i]...)
	return append(out, whole[i+len(member):]...)
}
