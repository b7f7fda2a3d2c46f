package clickup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// TimeService reads and writes time entries and timers.
type TimeService service

// TimeEntry is a time entry (GET /v2/team/{team_id}/time_entries and the
// timer endpoints). Duration is in milliseconds; a negative one means the
// timer is running (it is then minus the start).
type TimeEntry struct {
	ID           FlexString        `json:"id"`
	Task         *TimeEntryTask    `json:"task,omitempty"`
	WorkspaceID  FlexString        `json:"wid"`
	User         User              `json:"user"`
	Billable     FlexBool          `json:"billable"`
	Start        Millis            `json:"start"`
	End          Millis            `json:"end"`
	Duration     FlexInt           `json:"duration"`
	Description  string            `json:"description"`
	Tags         []TimeEntryTag    `json:"tags"`
	Source       string            `json:"source,omitempty"`
	At           Millis            `json:"at"`
	TaskLocation *TimeTaskLocation `json:"task_location,omitempty"`
	TaskURL      string            `json:"task_url,omitempty"`
}

// Running reports whether the entry is a running timer.
func (e *TimeEntry) Running() bool { return e.Duration < 0 }

// TimeEntryTask is the task a time entry is on. ClickUp sends an object,
// or (reported for entries on no task) a string or null: those decode to
// the zero value.
type TimeEntryTask struct {
	ID       FlexString `json:"id"`
	CustomID FlexString `json:"custom_id"`
	Name     string     `json:"name"`
	Status   *Status    `json:"status,omitempty"`
}

func (t *TimeEntryTask) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		*t = TimeEntryTask{}
		return nil
	}
	type plain TimeEntryTask
	return json.Unmarshal(b, (*plain)(t))
}

// TimeEntryTag is a time-entry tag: the spec sends names, the API objects
// with colours; both decode.
type TimeEntryTag struct {
	Name string `json:"name"`
	Fg   string `json:"tag_fg,omitempty"`
	Bg   string `json:"tag_bg,omitempty"`
}

func (t *TimeEntryTag) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &t.Name)
	}
	type plain TimeEntryTag
	return json.Unmarshal(b, (*plain)(t))
}

// TimeTaskLocation is where an entry's task lives (names only with
// IncludeLocationNames).
type TimeTaskLocation struct {
	ListID     FlexString `json:"list_id"`
	FolderID   FlexString `json:"folder_id"`
	SpaceID    FlexString `json:"space_id"`
	ListName   string     `json:"list_name,omitempty"`
	FolderName string     `json:"folder_name,omitempty"`
	SpaceName  string     `json:"space_name,omitempty"`
}

// TimeEntriesOptions filter GET /v2/team/{team_id}/time_entries. ClickUp
// silently answers only the caller's entries of the last 30 days when
// StartDate, EndDate and Assignees are not sent: send them. At most one of
// SpaceID, FolderID, ListID and Task.
type TimeEntriesOptions struct {
	StartDate, EndDate   Millis
	Assignees            []int64 // sent comma-separated; others' entries only for owners and admins
	SpaceID              string
	FolderID             string
	ListID               string
	Task                 *TaskRef
	IncludeTaskTags      bool
	IncludeLocationNames bool
	Billable             *bool
}

func (o *TimeEntriesOptions) query(q *query) error {
	if o == nil {
		return nil
	}
	if o.StartDate != 0 {
		q.add("start_date", strconv.FormatInt(int64(o.StartDate), 10))
	}
	if o.EndDate != 0 {
		q.add("end_date", strconv.FormatInt(int64(o.EndDate), 10))
	}
	if o.StartDate != 0 && o.EndDate != 0 && o.EndDate < o.StartDate {
		return errors.New("the range ends before it starts")
	}
	if len(o.Assignees) > 0 {
		ids := make([]string, len(o.Assignees))
		for i, a := range o.Assignees {
			ids[i] = strconv.FormatInt(a, 10)
		}
		q.add("assignee", strings.Join(ids, ","))
	}
	n := 0
	for _, f := range []struct{ k, v string }{{"space_id", o.SpaceID}, {"folder_id", o.FolderID}, {"list_id", o.ListID}} {
		if f.v != "" {
			if err := ValidID(f.v); err != nil {
				return err
			}
			q.add(f.k, f.v)
			n++
		}
	}
	if o.Task != nil {
		if err := ValidID(o.Task.ID); err != nil {
			return err
		}
		q.add("task_id", o.Task.ID)
		if o.Task.IsCustom() {
			if err := ValidID(o.Task.TeamID); err != nil {
				return err
			}
			q.add("custom_task_ids", "true")
			q.add("team_id", o.Task.TeamID)
		}
		n++
	}
	if n > 1 {
		return errors.New("at most one of space, folder, list and task")
	}
	q.flag("include_task_tags", o.IncludeTaskTags)
	q.flag("include_location_names", o.IncludeLocationNames)
	if o.Billable != nil {
		q.boolean("is_billable", *o.Billable)
	}
	return nil
}

// List returns a workspace's time entries (GET /v2/team/{team_id}/time_entries).
func (s *TimeService) List(ctx context.Context, workspaceID string, o *TimeEntriesOptions) ([]TimeEntry, error) {
	const tmpl = "/v2/team/{team_Id}/time_entries"
	p, err := pathFor("/v2/team/%s/time_entries", workspaceID)
	if err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var q query
	if err := o.query(&q); err != nil {
		return nil, invalid(get, tmpl, err)
	}
	var out struct {
		Data []TimeEntry `json:"data"`
	}
	if err := s.c.do(ctx, &call{method: get, path: p, query: q.String()}, &out); err != nil {
		return nil, err
	}
	return nonNil(out.Data), nil
}

// TimeEntryCreate is the body of POST /v2/team/{team_id}/time_entries.
// Start and Duration are required; End, when set, wins over Duration.
type TimeEntryCreate struct {
	Start       Millis         `json:"-"`
	Duration    int64          `json:"duration"`
	End         Millis         `json:"-"`
	Description string         `json:"description,omitempty"`
	Tags        []TimeEntryTag `json:"tags,omitempty"`
	Billable    bool           `json:"billable,omitempty"`
	Assignee    int64          `json:"assignee,omitempty"` // another member: owners and admins only
	// Task is the task the time is on; nil for none.
	Task *TaskRef `json:"-"`
}

// MarshalJSON writes start and end as numbers and the task as tid.
func (b TimeEntryCreate) MarshalJSON() ([]byte, error) {
	type plain TimeEntryCreate
	w := struct {
		plain
		Start int64  `json:"start"`
		End   int64  `json:"end,omitempty"`
		TID   string `json:"tid,omitempty"`
	}{plain: plain(b), Start: int64(b.Start), End: int64(b.End)}
	if b.Task != nil {
		w.TID = b.Task.ID
	}
	return json.Marshal(w)
}

// CreatedTimeEntry is what a create answers: the spec gives the entry's
// fields flat, the API (reported) under data; both decode.
type CreatedTimeEntry struct {
	ID       FlexString `json:"id"`
	Start    Millis     `json:"start"`
	Duration FlexInt    `json:"duration"`
	Billable FlexBool   `json:"billable"`
	Assignee FlexInt    `json:"assignee"`
	TID      FlexString `json:"tid"`
}

func (c *CreatedTimeEntry) UnmarshalJSON(b []byte) error {
	var wrap struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(b, &wrap) == nil && len(wrap.Data) > 0 && !bytes.Equal(wrap.Data, []byte("null")) {
		var e TimeEntry
		if err := json.Unmarshal(wrap.Data, &e); err != nil {
			return err
		}
		*c = CreatedTimeEntry{ID: e.ID, Start: e.Start, Duration: e.Duration, Billable: e.Billable, Assignee: e.User.ID}
		if e.Task != nil {
			c.TID = e.Task.ID
		}
		return nil
	}
	type plain CreatedTimeEntry
	return json.Unmarshal(b, (*plain)(c))
}

func timeTaskQuery(t *TaskRef, q *query) error {
	if t == nil {
		return nil
	}
	if err := ValidID(t.ID); err != nil {
		return err
	}
	if t.IsCustom() {
		if err := ValidID(t.TeamID); err != nil {
			return err
		}
		q.add("custom_task_ids", "true")
		q.add("team_id", t.TeamID)
	}
	return nil
}

// Create logs time (POST /v2/team/{team_id}/time_entries). Like every POST
// it is not retried once it may have reached ClickUp.
func (s *TimeService) Create(ctx context.Context, workspaceID string, body *TimeEntryCreate) (*CreatedTimeEntry, error) {
	const tmpl = "/v2/team/{team_Id}/time_entries"
	p, err := pathFor("/v2/team/%s/time_entries", workspaceID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil || body.Start <= 0 || (body.Duration <= 0 && body.End <= body.Start) {
		return nil, invalid(post, tmpl, errors.New("a time entry needs a start and a positive duration or a later end"))
	}
	var q query
	if err := timeTaskQuery(body.Task, &q); err != nil {
		return nil, invalid(post, tmpl, err)
	}
	var out CreatedTimeEntry
	if err := s.c.do(ctx, &call{method: post, path: p, query: q.String(), body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// TimerStart is the body of POST /v2/team/{team_id}/time_entries/start.
type TimerStart struct {
	Description string `json:"description,omitempty"`
	Tags        []struct {
		Name string `json:"name"`
	} `json:"tags,omitempty"`
	Billable bool     `json:"billable,omitempty"`
	TID      string   `json:"tid,omitempty"`
	Task     *TaskRef `json:"-"`
}

// Start starts the caller's timer (ClickUp stops one already running).
func (s *TimeService) Start(ctx context.Context, workspaceID string, body *TimerStart) (*TimeEntry, error) {
	const tmpl = "/v2/team/{team_Id}/time_entries/start"
	p, err := pathFor("/v2/team/%s/time_entries/start", workspaceID)
	if err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body == nil {
		body = &TimerStart{}
	}
	var q query
	if err := timeTaskQuery(body.Task, &q); err != nil {
		return nil, invalid(post, tmpl, err)
	}
	if body.Task != nil {
		body.TID = body.Task.ID
	}
	return s.timer(ctx, &call{method: post, path: p, query: q.String(), body: body})
}

// Stop stops the caller's running timer (POST .../time_entries/stop).
func (s *TimeService) Stop(ctx context.Context, workspaceID string) (*TimeEntry, error) {
	p, err := pathFor("/v2/team/%s/time_entries/stop", workspaceID)
	if err != nil {
		return nil, invalid(post, "/v2/team/{team_id}/time_entries/stop", err)
	}
	return s.timer(ctx, &call{method: post, path: p})
}

// Current returns the running timer of the caller (assignee 0) or of a
// member, or nil when none runs (GET .../time_entries/current).
func (s *TimeService) Current(ctx context.Context, workspaceID string, assignee int64) (*TimeEntry, error) {
	p, err := pathFor("/v2/team/%s/time_entries/current", workspaceID)
	if err != nil {
		return nil, invalid(get, "/v2/team/{team_id}/time_entries/current", err)
	}
	var q query
	if assignee != 0 {
		q.add("assignee", strconv.FormatInt(assignee, 10))
	}
	return s.timer(ctx, &call{method: get, path: p, query: q.String()})
}

func (s *TimeService) timer(ctx context.Context, rq *call) (*TimeEntry, error) {
	var out struct {
		Data *TimeEntry `json:"data"`
	}
	if err := s.c.do(ctx, rq, &out); err != nil {
		return nil, err
	}
	if out.Data == nil || out.Data.ID == "" {
		return nil, nil
	}
	return out.Data, nil
}
