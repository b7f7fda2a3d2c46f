package clickup

import (
	"context"
	"errors"
	"iter"
)

// Search runs Get Filtered Team Tasks (GET /v2/team/{team_id}/task): one
// page of up to 100 tasks across a workspace. ClickUp has no full-text
// search; filter names client-side over pages (see SearchPages).
func (s *TasksService) Search(ctx context.Context, teamID string, opts *SearchTasksOptions) (*TaskPage, error) {
	const tmpl = "/v2/team/{team_id}/task"
	p, err := pathFor("/v2/team/%s/task", teamID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	q, err := searchQuery(opts)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	return s.page(ctx, p, q)
}

func searchQuery(o *SearchTasksOptions) (string, error) {
	if o == nil {
		o = &SearchTasksOptions{}
	}
	var q query
	err := q.encode(o)
	return q.String(), err
}

// SearchTasksOptions are the query parameters of Get Filtered Team Tasks
// (GET /v2/team/{team_Id}/task): every parameter the spec lists.
type SearchTasksOptions struct {
	Page                       int                 `query:"page,always"`
	OrderBy                    string              `query:"order_by"` // id, created, updated, due_date
	Reverse                    bool                `query:"reverse"`
	Subtasks                   bool                `query:"subtasks"`
	SpaceIDs                   []string            `query:"space_ids"`
	ProjectIDs                 []string            `query:"project_ids"` // folders
	ListIDs                    []string            `query:"list_ids"`
	Statuses                   []string            `query:"statuses"`
	IncludeClosed              bool                `query:"include_closed"`
	Assignees                  []string            `query:"assignees"` // user ids
	Tags                       []string            `query:"tags"`
	DueDateGt                  Millis              `query:"due_date_gt"`
	DueDateLt                  Millis              `query:"due_date_lt"`
	DateCreatedGt              Millis              `query:"date_created_gt"`
	DateCreatedLt              Millis              `query:"date_created_lt"`
	DateUpdatedGt              Millis              `query:"date_updated_gt"`
	DateUpdatedLt              Millis              `query:"date_updated_lt"`
	DateDoneGt                 Millis              `query:"date_done_gt"`
	DateDoneLt                 Millis              `query:"date_done_lt"`
	CustomFields               []CustomFieldFilter `query:"custom_fields,json"`
	Parent                     string              `query:"parent"`
	IncludeMarkdownDescription bool                `query:"include_markdown_description"`
	CustomItems                []int               `query:"custom_items"`
}

// ListTasksOptions are the query parameters of Get Tasks
// (GET /v2/list/{list_id}/task).
type ListTasksOptions struct {
	Page                       int    `query:"page,always"`
	Archived                   bool   `query:"archived"`
	IncludeMarkdownDescription bool   `query:"include_markdown_description"`
	OrderBy                    string `query:"order_by"`
	Reverse                    bool   `query:"reverse"`
	Subtasks                   bool   `query:"subtasks"`
	// The spec names statuses, assignees, watchers and tags without
	// brackets for this operation, but its own descriptions and ClickUp's
	// docs use name[]; API-NOTES: send name[].
	Statuses      []string            `query:"statuses"`
	IncludeClosed bool                `query:"include_closed"`
	IncludeTiml   bool                `query:"include_timl"`
	Assignees     []string            `query:"assignees"`
	Watchers      []string            `query:"watchers"`
	Tags          []string            `query:"tags"`
	DueDateGt     Millis              `query:"due_date_gt"`
	DueDateLt     Millis              `query:"due_date_lt"`
	DateCreatedGt Millis              `query:"date_created_gt"`
	DateCreatedLt Millis              `query:"date_created_lt"`
	DateUpdatedGt Millis              `query:"date_updated_gt"`
	DateUpdatedLt Millis              `query:"date_updated_lt"`
	DateDoneGt    Millis              `query:"date_done_gt"`
	DateDoneLt    Millis              `query:"date_done_lt"`
	CustomFields  []CustomFieldFilter `query:"custom_fields,json"`
	CustomItems   []int               `query:"custom_items"`
}

// SearchPages walks Search from opts.Page (0-based). It yields every page it
// fetches and stops after one that says last_page, holds fewer than 100
// tasks, or is empty; on an error it yields (nil, err) once and stops.
// opts is not modified.
func (s *TasksService) SearchPages(ctx context.Context, teamID string, opts *SearchTasksOptions) iter.Seq2[*TaskPage, error] {
	return func(yield func(*TaskPage, error) bool) {
		var o SearchTasksOptions
		if opts != nil {
			o = *opts
		}
		for {
			p, err := s.Search(ctx, teamID, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) || p.LastPage || len(p.Tasks) < PageSize {
				return
			}
			o.Page++
		}
	}
}

// ListInList runs Get Tasks (GET /v2/list/{list_id}/task): one page of up
// to 100 tasks whose home is the list (plus tasks in multiple lists with
// IncludeTiml).
func (s *TasksService) ListInList(ctx context.Context, listID string, opts *ListTasksOptions) (*TaskPage, error) {
	const tmpl = "/v2/list/{list_id}/task"
	p, err := pathFor("/v2/list/%s/task", listID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	o := opts
	if o == nil {
		o = &ListTasksOptions{}
	}
	var q query
	if err := q.encode(o); err != nil {
		return nil, invalid(get, tmpl, err)
	}
	return s.page(ctx, p, q.String())
}

func (s *TasksService) page(ctx context.Context, path, q string) (*TaskPage, error) {
	var out TaskPage
	if err := s.c.do(ctx, &call{method: get, path: path, query: q}, &out); err != nil {
		return nil, err
	}
	out.Tasks = nonNil(out.Tasks)
	return &out, nil
}

// Get returns one task (GET /v2/task/{task_id}); a custom id is sent with
// custom_task_ids=true&team_id=.
func (s *TasksService) Get(ctx context.Context, ref TaskRef, opts *GetTaskOptions) (*Task, error) {
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(get, "/v2/task/{task_id}", err)
	}
	if opts != nil {
		q.flag("include_subtasks", opts.IncludeSubtasks)
		q.flag("include_markdown_description", opts.IncludeMarkdownDescription)
	}
	var out Task
	if err := s.c.do(ctx, &call{method: get, path: "/v2/task/" + id, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Create creates a task, or a subtask when body.Parent is set, in a list
// (POST /v2/list/{list_id}/task). It is never retried once the request may
// have reached ClickUp; an error with MaybeApplied means the task may exist.
func (s *TasksService) Create(ctx context.Context, listID string, body *TaskCreate) (*Task, error) {
	const tmpl = "/v2/list/{list_id}/task"
	p, err := pathFor("/v2/list/%s/task", listID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || body.Name == "" {
		return nil, invalid(post, tmpl, errors.New("a task needs a name"))
	}
	var out Task
	if err := s.c.do(ctx, &call{method: post, path: p, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update changes a task (PUT /v2/task/{task_id}).
func (s *TasksService) Update(ctx context.Context, ref TaskRef, body *TaskUpdate) (*Task, error) {
	const tmpl = "/v2/task/{task_id}"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(put, tmpl, err)
	}
	if body == nil {
		return nil, invalid(put, tmpl, errors.New("nothing to update"))
	}
	var out Task
	if err := s.c.do(ctx, &call{method: put, path: "/v2/task/" + id, query: q.String(), body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a task (DELETE /v2/task/{task_id}); 200 and 204, with an
// empty or {} body, are success.
func (s *TasksService) Delete(ctx context.Context, ref TaskRef) error {
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return invalid(del, "/v2/task/{task_id}", err)
	}
	return s.c.do(ctx, &call{method: del, path: "/v2/task/" + id, query: q.String()}, nil)
}

// Members returns the people with explicit access to a task
// (GET /v2/task/{task_id}/member).
func (s *TasksService) Members(ctx context.Context, ref TaskRef) ([]User, error) {
	const tmpl = "/v2/task/{task_id}/member"
	var q query
	id, err := taskRef(ref, &q)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out struct {
		Members []User `json:"members"`
	}
	if err := s.c.do(ctx, &call{method: get, path: "/v2/task/" + id + "/member", query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Members), nil
}
