package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/render"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
	"github.com/mark3labs/mcp-go/mcp"
)

// --- clickup_log_time ---

type LogTimeArgs struct {
	TaskID      string       `json:"task_id,omitempty" jsonschema_description:"task id, custom id or URL; omit for time on no task"`
	Duration    string       `json:"duration,omitempty" jsonschema_description:"e.g. 1h30m, 45m; or give end"`
	Start       string       `json:"start,omitempty" jsonschema_description:"when it began, e.g. yesterday 2pm; default: duration ago"`
	End         string       `json:"end,omitempty" jsonschema_description:"when it ended, instead of duration"`
	Person      string       `json:"person,omitempty" jsonschema_description:"whose time: id, email, name or me (default); others need admin"`
	Description string       `json:"description,omitempty" jsonschema_description:"what was done"`
	Billable    bool         `json:"billable,omitempty" jsonschema_description:"mark billable"`
	Tags        []string     `json:"tags,omitempty" jsonschema_description:"time-entry tag names"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
	// AllowDuplicate skips the write guard.
	AllowDuplicate bool `json:"allow_duplicate,omitempty" jsonschema_description:"log even if this identical entry was just logged"`
}

type LogTimeResult struct {
	ID           string `json:"id"`
	TaskID       string `json:"task_id,omitempty"`
	Person       string `json:"person"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Duration     string `json:"duration"`
	Billable     bool   `json:"billable,omitempty"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"already logged moments ago; nothing new was logged"`
}

// ResourceLinks: the task the time was logged on, if any.
func (r *LogTimeResult) ResourceLinks() []mcp.ResourceLink { return render.TaskLink(r.TaskID, "") }

// timeStart reads a start: a day without a time of day starts at 09:00.
func timeStart(s *workspace.Session, arg, v string) (time.Time, bool, error) {
	t, hasTime, err := s.ParseDate(arg, v)
	if err != nil {
		return t, false, err
	}
	if !hasTime {
		t = time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, t.Location())
	}
	return t, !hasTime, nil
}

func LogTime(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_log_time", Title: "Log time", Toolset: toolkit.ToolsetTime, Hints: toolkit.CreateHints,
		Description: "Log time spent, on a task or none: a start in words plus a duration, or start and end.",
		Examples: []string{
			`{"task_id": "ACME-42", "duration": "1h30m", "start": "yesterday 2pm"}`,
			`{"task_id": "ACME-7", "start": "2026-11-30 09:00", "end": "2026-11-30 10:15", "description": "Code review", "billable": true}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *LogTimeArgs) (*LogTimeResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		if strings.TrimSpace(a.TaskID) == "" && s.HasWriteScope() {
			return nil, "", workspace.InvalidArg("task_id", "the server's write scope limits writes to some lists, and time on no task is outside every list: give the task the time is on. Nothing was logged.")
		}
		loc := s.Location(ctx)
		var start, end time.Time
		var dur int64
		var note []string
		switch {
		case a.Duration != "" && a.End != "":
			return nil, "", workspace.InvalidArg("duration", "give duration or end, not both")
		case a.Duration == "" && a.End == "":
			return nil, "", workspace.InvalidArg("duration", "is required (e.g. 1h30m), or give start and end")
		case a.Duration != "":
			if dur, err = workspace.ParseDuration("duration", a.Duration); err != nil {
				return nil, "", err
			}
			if dur > 24*3600*1000 {
				return nil, "", workspace.InvalidArg("duration", "%s is more than a day; log each day on its own", render.FormatDuration(dur))
			}
			if a.Start == "" {
				end = s.Now().Truncate(time.Minute)
				start = end.Add(-time.Duration(dur) * time.Millisecond)
				note = append(note, "start not given: the time ends now")
			} else {
				var nine bool
				if start, nine, err = timeStart(s, "start", a.Start); err != nil {
					return nil, "", err
				}
				if nine {
					note = append(note, "no time of day in start: 09:00 assumed")
				}
				end = start.Add(time.Duration(dur) * time.Millisecond)
			}
		default:
			if a.Start == "" {
				return nil, "", workspace.InvalidArg("start", "is required with end")
			}
			if start, _, err = timeStart(s, "start", a.Start); err != nil {
				return nil, "", err
			}
			if end, _, err = s.ParseDate("end", a.End); err != nil {
				return nil, "", err
			}
			if !end.After(start) {
				return nil, "", workspace.InvalidArg("end", "%s is not after the start %s", end.Format("2006-01-02 15:04"), start.Format("2006-01-02 15:04"))
			}
			dur = end.Sub(start).Milliseconds()
			if dur > 24*3600*1000 {
				return nil, "", workspace.InvalidArg("end", "the entry would last %s; log each day on its own", render.FormatDuration(dur))
			}
		}
		if end.After(s.Now().Add(time.Minute)) {
			return nil, "", workspace.InvalidArg("start", "the time would end %s, in the future; log time already spent (clickup_timer starts a timer)", end.In(loc).Format("2006-01-02 15:04"))
		}
		body := &clickup.TimeEntryCreate{Start: clickup.MillisOf(start), Duration: dur, Description: a.Description, Billable: a.Billable}
		me, err := s.Me(ctx)
		if err != nil {
			return nil, "", err
		}
		person := int64(me.ID)
		if a.Person != "" {
			ids, err := s.ResolveUsers(ctx, ws, "person", []string{a.Person})
			if err != nil {
				return nil, "", err
			}
			person = ids[0]
		}
		if person != int64(me.ID) {
			body.Assignee = person
		}
		for _, t := range a.Tags {
			t = strings.TrimSpace(t)
			if t == "" {
				return nil, "", workspace.InvalidArg("tags", "empty tag name")
			}
			// The spec requires colours; these are the spec's own example's.
			body.Tags = append(body.Tags, clickup.TimeEntryTag{Name: t, Fg: "#000000", Bg: "#000000"})
		}
		var ref clickup.TaskRef
		if strings.TrimSpace(a.TaskID) != "" {
			if ref, err = s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID)); err != nil {
				return nil, "", err
			}
			body.Task = &ref
		}
		who := personName(ctx, s, ws, person)
		r := &LogTimeResult{TaskID: ref.ID, Person: who, Start: start.In(loc).Format(time.RFC3339), End: end.In(loc).Format(time.RFC3339),
			Duration: render.FormatDuration(dur), Billable: a.Billable}
		on := "no task"
		if ref.ID != "" {
			on = ref.ID
		}
		text := func(r *LogTimeResult, extra string) string {
			t := fmt.Sprintf("Logged %s on %s for %s: %s to %s (%s), entry %s.", r.Duration, on, workspace.Flat(r.Person),
				start.In(loc).Format("Mon 2006-01-02 15:04"), end.In(loc).Format("15:04"), loc, r.ID)
			if len(note) > 0 {
				t += " (" + strings.Join(note, "; ") + ")"
			}
			return t + extra
		}
		where := fmt.Sprintf("read the time entries of %s around %s (clickup_get_time_entries) for this one", who, start.In(loc).Format("2006-01-02 15:04"))
		if a.AllowDuplicate {
			made, err := s.Client.Time.Create(ctx, ws, body)
			if err != nil {
				if writeguard.MaybeApplied(err) {
					return nil, "", workspace.WithHint(err, "Outcome unknown: the time may have been logged (ClickUp's answer was lost), or not. With allow_duplicate=true nothing is checked or remembered: %s before logging again.", where)
				}
				return nil, "", err
			}
			r.ID = made.ID.String()
			return r, text(r, ""), nil
		}
		tk, err := s.BeginWrite(ctx, "log_time", ws, person, body)
		if err != nil {
			return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
		}
		defer tk.Close()
		if tk.Replay != nil {
			var old LogTimeResult
			if json.Unmarshal(tk.Replay.Data, &old) != nil {
				old = *r
				old.ID = tk.Replay.Ref
			}
			old.Deduplicated = true
			return &old, fmt.Sprintf("Already logged moments ago (not logged again): entry %s, %s on %s. Pass allow_duplicate=true to log another.", old.ID, old.Duration, on), nil
		}
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "time entry", Where: where,
			Send: func(ctx context.Context) (string, error) {
				made, err := s.Client.Time.Create(ctx, ws, body)
				if err != nil {
					return "", err
				}
				return made.ID.String(), nil
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				return timeEvidence(ctx, s, ws, person, body, since)
			},
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
		}
		r.ID, r.Deduplicated = id, how == writeguard.FoundEarlier
		extra := ""
		switch how {
		case writeguard.Reconciled:
			extra = "\nClickUp's answer was lost; a check proved this entry is this call's own (same person, start, duration and task, recorded after the call began): logged once."
		case writeguard.FoundEarlier:
			extra = "\nAn earlier identical call lost ClickUp's answer; a check proved this entry is its write: not logged again."
		}
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		return r, text(r, extra), nil
	})
}

// timeEvidence lists the person's entries that start when body starts.
func timeEvidence(ctx context.Context, s *workspace.Session, ws string, person int64, body *clickup.TimeEntryCreate, since time.Time) (writeguard.Evidence, error) {
	o := &clickup.TimeEntriesOptions{StartDate: body.Start - clickup.Millis(time.Minute/time.Millisecond), EndDate: body.Start + clickup.Millis(time.Minute/time.Millisecond),
		Assignees: []int64{person}, Task: body.Task}
	es, err := s.Client.Time.List(ctx, ws, o)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: strconv.FormatInt(person, 10)}
	for _, e := range es {
		if e.Start != body.Start || e.At.Time().Before(since.Add(-workspace.SearchSkew)) {
			continue
		}
		var differs []string
		if int64(e.Duration) != body.Duration {
			differs = append(differs, "duration")
		}
		if workspace.NormText(e.Description) != workspace.NormText(body.Description) {
			differs = append(differs, "description")
		}
		if bool(e.Billable) != body.Billable {
			differs = append(differs, "billable")
		}
		ev.Candidates = append(ev.Candidates, writeguard.Candidate{
			Ref: e.ID.String(), Label: render.FormatDuration(int64(e.Duration)), Creator: strconv.FormatInt(int64(e.User.ID), 10),
			Created: e.At.Time(), Differs: differs,
		})
	}
	return ev, nil
}

// personName is a member's name from the cached members, else the id.
func personName(ctx context.Context, s *workspace.Session, ws string, id int64) string {
	if me, err := s.Me(ctx); err == nil && int64(me.ID) == id {
		return me.Username
	}
	ms, err := s.Members(ctx, ws)
	if err == nil {
		for _, m := range ms {
			if int64(m.ID) == id {
				return m.Username
			}
		}
	}
	return strconv.FormatInt(id, 10)
}

// --- clickup_get_time_entries ---

type GetTimeEntriesArgs struct {
	From        string       `json:"from,omitempty" jsonschema_description:"range start, e.g. monday, 2026-11-01; default: this week"`
	To          string       `json:"to,omitempty" jsonschema_description:"range end (a date includes that day); default: end of this week"`
	People      []string     `json:"people,omitempty" jsonschema_description:"ids, emails, names, me or all; default me; others need admin"`
	TaskID      string       `json:"task_id,omitempty" jsonschema_description:"only this task's time"`
	ListID      workspace.ID `json:"list_id,omitempty" jsonschema_description:"only this list's time: id, name or path"`
	Billable    *bool        `json:"billable,omitempty" jsonschema_description:"only billable (true) or non-billable (false)"`
	GroupBy     string       `json:"group_by,omitempty" jsonschema:"enum=person,enum=task,enum=day" jsonschema_description:"totals by; default person"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type TimeTotal struct {
	Key      string `json:"key"`
	Duration string `json:"duration"`
	Entries  int    `json:"entries"`
}

type TimeEntryOut struct {
	ID          string `json:"id"`
	Person      string `json:"person"`
	TaskID      string `json:"task_id,omitempty"`
	Task        string `json:"task,omitempty"`
	Start       string `json:"start"`
	Duration    string `json:"duration"`
	Running     bool   `json:"running,omitempty"`
	Billable    bool   `json:"billable,omitempty"`
	Description string `json:"description,omitempty"`
}

type TimeEntriesResult struct {
	From    string         `json:"from"`
	To      string         `json:"to"`
	People  []string       `json:"people"`
	Assumed string         `json:"assumed,omitempty" jsonschema_description:"what was assumed where arguments were left out"`
	Total   string         `json:"total"`
	Totals  []TimeTotal    `json:"totals"`
	Entries []TimeEntryOut `json:"entries" jsonschema_description:"newest first"`
	Omitted int            `json:"omitted,omitempty" jsonschema_description:"entries left out for size; narrow the range"`
}

func GetTimeEntries(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_time_entries", Title: "Get time entries", Toolset: toolkit.ToolsetTime, Hints: toolkit.ReadHints,
		Description: "Time entries in a range (default this week) for people (default me), with totals by person, task or day.",
		Examples: []string{
			`{}`,
			`{"from": "2026-11-01", "to": "2026-11-30", "people": ["all"], "group_by": "task"}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetTimeEntriesArgs) (*TimeEntriesResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		group := a.GroupBy
		switch group {
		case "":
			group = "person"
		case "person", "task", "day":
		default:
			return nil, "", workspace.InvalidArg("group_by", "%q is not one of person, task, day", workspace.Truncate(group, 30))
		}
		loc := s.Location(ctx)
		now := s.Now()
		var assumed []string
		// This week, Monday to Sunday, in the user's zone.
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		from, to := monday, monday.AddDate(0, 0, 7).Add(-time.Millisecond)
		if a.From != "" {
			if from, _, err = s.ParseDate("from", a.From); err != nil {
				return nil, "", err
			}
		} else {
			assumed = append(assumed, "from: Monday of this week")
		}
		if a.To != "" {
			t, hasTime, err := s.ParseDate("to", a.To)
			if err != nil {
				return nil, "", err
			}
			if !hasTime {
				t = t.AddDate(0, 0, 1).Add(-time.Millisecond)
			}
			to = t
		} else if a.From != "" {
			to = now
			assumed = append(assumed, "to: now")
		} else {
			assumed = append(assumed, "to: Sunday of this week")
		}
		if !to.After(from) {
			return nil, "", workspace.InvalidArg("to", "%s is not after from %s", to.Format("2006-01-02 15:04"), from.Format("2006-01-02 15:04"))
		}
		if to.Sub(from) > 366*24*time.Hour {
			return nil, "", workspace.InvalidArg("from", "the range spans more than a year; ask for a year or less at a time")
		}
		people := a.People
		if len(people) == 0 {
			people = []string{"me"}
			assumed = append(assumed, "people: me")
		}
		var ids []int64
		if len(people) == 1 && strings.EqualFold(strings.TrimSpace(people[0]), "all") {
			ms, err := s.Members(ctx, ws)
			if err != nil {
				return nil, "", err
			}
			for _, m := range ms {
				ids = append(ids, int64(m.ID))
			}
		} else if ids, err = s.ResolveUsers(ctx, ws, "people", people); err != nil {
			return nil, "", err
		}
		o := &clickup.TimeEntriesOptions{StartDate: clickup.MillisOf(from), EndDate: clickup.MillisOf(to), Assignees: ids, Billable: a.Billable}
		if a.TaskID != "" && a.ListID != "" {
			return nil, "", workspace.InvalidArg("list_id", "give task_id or list_id, not both")
		}
		if a.TaskID != "" {
			ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			o.Task = &ref
		}
		if a.ListID != "" {
			if o.ListID, err = s.ResolveList(ctx, ws, "list_id", string(a.ListID)); err != nil {
				return nil, "", err
			}
		}
		es, err := s.Client.Time.List(ctx, ws, o)
		if err != nil {
			return nil, "", err
		}
		r := &TimeEntriesResult{From: from.In(loc).Format(time.RFC3339), To: to.In(loc).Format(time.RFC3339), Totals: []TimeTotal{}, Entries: []TimeEntryOut{}}
		for _, id := range ids {
			r.People = append(r.People, personName(ctx, s, ws, id))
		}
		if len(assumed) > 0 {
			r.Assumed = strings.Join(assumed, "; ") + " (" + loc.String() + ")"
		}
		sort.SliceStable(es, func(i, j int) bool { return es[i].Start > es[j].Start })
		totals := map[string]*struct {
			ms int64
			n  int
		}{}
		var keys []string
		var total int64
		size, budget := 200, d.Config().MaxResultTokens
		for _, e := range es {
			ms := int64(e.Duration)
			running := ms < 0
			if running {
				ms = now.Sub(e.Start.Time()).Milliseconds()
			}
			total += ms
			eo := TimeEntryOut{ID: e.ID.String(), Person: e.User.Username, Start: e.Start.Time().In(loc).Format(time.RFC3339),
				Duration: render.FormatDuration(ms), Running: running, Billable: bool(e.Billable), Description: render.CutText(e.Description, 200)}
			if eo.Duration == "" {
				eo.Duration = "0m"
			}
			if e.Task != nil && e.Task.ID != "" {
				eo.TaskID, eo.Task = e.Task.ID.String(), render.CutText(e.Task.Name, 120)
				if e.Task.CustomID != "" {
					eo.TaskID = e.Task.CustomID.String()
				}
			}
			if eo.Description != "" && s.Withholds(ctx, int64(e.User.ID)) {
				eo.Description = render.Withheld
			}
			var key string
			switch group {
			case "person":
				key = e.User.Username
			case "task":
				key = "(no task)"
				if eo.TaskID != "" {
					key = eo.TaskID + " " + eo.Task
				}
			default:
				key = e.Start.Time().In(loc).Format("2006-01-02 Mon")
			}
			if totals[key] == nil {
				totals[key] = &struct {
					ms int64
					n  int
				}{}
				keys = append(keys, key)
			}
			totals[key].ms += ms
			totals[key].n++
			js, _ := json.Marshal(eo)
			if size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(eo.line()); size > budget/2 {
				r.Omitted++
				continue
			}
			r.Entries = append(r.Entries, eo)
		}
		if group == "day" {
			slices.Sort(keys)
		} else {
			sort.SliceStable(keys, func(i, j int) bool { return totals[keys[i]].ms > totals[keys[j]].ms })
		}
		for _, k := range keys {
			dur := render.FormatDuration(totals[k].ms)
			if dur == "" {
				dur = "0m"
			}
			r.Totals = append(r.Totals, TimeTotal{Key: k, Duration: dur, Entries: totals[k].n})
		}
		r.Total = render.FormatDuration(total)
		if r.Total == "" {
			r.Total = "0m"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s in %d entries, %s to %s, for %s.", r.Total, len(es), from.In(loc).Format("Mon 2006-01-02 15:04"),
			to.In(loc).Format("Mon 2006-01-02 15:04"), strings.Join(workspace.FlatAll(r.People), ", "))
		if r.Assumed != "" {
			fmt.Fprintf(&b, "\nAssumed: %s. (ClickUp alone would answer only your own last 30 days: this range and these people were sent explicitly.)", r.Assumed)
		}
		fmt.Fprintf(&b, "\nTotals by %s:", group)
		for _, t := range r.Totals {
			fmt.Fprintf(&b, "\n- %s: %s (%d)", workspace.Flat(t.Key), t.Duration, t.Entries)
		}
		if len(r.Entries) > 0 {
			b.WriteString("\nEntries (newest first):")
			for _, e := range r.Entries {
				b.WriteString(e.line())
			}
		}
		if r.Omitted > 0 {
			fmt.Fprintf(&b, "\n%d more entries not shown (the totals count them); narrow the range or the people to see them.", r.Omitted)
		}
		return r, b.String(), nil
	})
}

func (e TimeEntryOut) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n- %s %s %s", e.Start, workspace.Flat(e.Person), e.Duration)
	if e.Running {
		b.WriteString(" (running)")
	}
	if e.TaskID != "" {
		fmt.Fprintf(&b, " on %s %s", workspace.Flat(e.TaskID), workspace.Flat(e.Task))
	}
	if e.Billable {
		b.WriteString(", billable")
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", workspace.Flat(e.Description))
	}
	fmt.Fprintf(&b, " [%s]", e.ID)
	return b.String()
}

// --- clickup_timer ---

type TimerArgs struct {
	Action      string       `json:"action" jsonschema:"required,enum=start,enum=stop,enum=status" jsonschema_description:"start, stop or status of your timer"`
	TaskID      string       `json:"task_id,omitempty" jsonschema_description:"start: the task to time (id, custom id or URL)"`
	Description string       `json:"description,omitempty" jsonschema_description:"start: what you work on"`
	Billable    bool         `json:"billable,omitempty" jsonschema_description:"start: mark billable"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type TimerResult struct {
	Running  bool   `json:"running"`
	ID       string `json:"id,omitempty"`
	TaskID   string `json:"task_id,omitempty"`
	Task     string `json:"task,omitempty"`
	Start    string `json:"start,omitempty"`
	Duration string `json:"duration,omitempty" jsonschema_description:"so far, or in all once stopped"`
	Stopped  string `json:"stopped,omitempty" jsonschema_description:"id of a timer this call stopped"`
}

// ResourceLinks: the task the timer runs (or ran) on, if any.
func (r *TimerResult) ResourceLinks() []mcp.ResourceLink { return render.TaskLink(r.TaskID, r.Task) }

func Timer(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_timer", Title: "Timer", Toolset: toolkit.ToolsetTime, Hints: toolkit.CreateHints,
		Description: "Your ClickUp timer: start (on a task; stops one already running), stop, or status.",
		Examples: []string{
			`{"action": "start", "task_id": "ACME-42", "description": "Pairing"}`,
			`{"action": "stop"}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *TimerArgs) (*TimerResult, string, error) {
		ws, err := s.Workspace(ctx, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		loc, now := s.Location(ctx), s.Now()
		out := func(e *clickup.TimeEntry) *TimerResult {
			r := &TimerResult{Running: e.Running(), ID: e.ID.String(), Start: e.Start.Time().In(loc).Format(time.RFC3339)}
			ms := int64(e.Duration)
			if e.Running() {
				ms = now.Sub(e.Start.Time()).Milliseconds()
			}
			if r.Duration = render.FormatDuration(ms); r.Duration == "" {
				r.Duration = "0m"
			}
			if e.Task != nil && e.Task.ID != "" {
				r.TaskID, r.Task = e.Task.ID.String(), render.CutText(e.Task.Name, 120)
				if e.Task.CustomID != "" {
					r.TaskID = e.Task.CustomID.String()
				}
			}
			return r
		}
		on := func(r *TimerResult) string {
			if r.TaskID == "" {
				return "no task"
			}
			return workspace.Flat(r.TaskID + " " + r.Task)
		}
		switch a.Action {
		case "status":
			if a.TaskID != "" || a.Description != "" || a.Billable {
				return nil, "", workspace.InvalidArg("action", "status takes no task_id, description or billable")
			}
			cur, err := s.Client.Time.Current(ctx, ws, 0)
			if err != nil {
				return nil, "", err
			}
			if cur == nil {
				return &TimerResult{}, "No timer is running.", nil
			}
			r := out(cur)
			return r, fmt.Sprintf("Timer running on %s for %s (since %s).", on(r), r.Duration, r.Start), nil
		case "stop":
			if a.TaskID != "" || a.Description != "" || a.Billable {
				return nil, "", workspace.InvalidArg("action", "stop takes no task_id, description or billable: it stops your running timer")
			}
			if s.HasWriteScope() {
				// The running timer's task decides the scope: one read first.
				cur, err := s.Client.Time.Current(ctx, ws, 0)
				if err != nil {
					return nil, "", err
				}
				if cur == nil {
					return &TimerResult{}, "No timer is running: nothing to stop.", nil
				}
				if cur.Task == nil || cur.Task.ID == "" {
					return nil, "", workspace.InvalidArg("action", "the running timer is on no task, outside the server's write scope; nothing was stopped")
				}
				if err := s.CheckTaskScope(ctx, clickup.Native(cur.Task.ID.String()), string(a.WorkspaceID)); err != nil {
					return nil, "", err
				}
			}
			e, err := s.Client.Time.Stop(ctx, ws)
			if err != nil {
				var ce *clickup.Error
				if errors.As(err, &ce) && ce.StatusCode == 400 {
					return nil, "", workspace.WithHint(err, "ClickUp refused the stop; most often no timer is running: check with action=status.")
				}
				return nil, "", err
			}
			if e == nil {
				return &TimerResult{}, "No timer is running: nothing to stop.", nil
			}
			r := out(e)
			r.Running = false
			return r, fmt.Sprintf("Timer stopped: %s on %s (entry %s).", r.Duration, on(r), r.ID), nil
		case "start":
			if strings.TrimSpace(a.TaskID) == "" && s.HasWriteScope() {
				return nil, "", workspace.InvalidArg("task_id", "the server's write scope limits writes to some lists: give the task to time. Nothing was started.")
			}
			body := &clickup.TimerStart{Description: a.Description, Billable: a.Billable}
			if strings.TrimSpace(a.TaskID) != "" {
				ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
				if err != nil {
					return nil, "", err
				}
				body.Task = &ref
			}
			// ClickUp stops a running timer when another starts: say so.
			cur, err := s.Client.Time.Current(ctx, ws, 0)
			if err != nil {
				return nil, "", err
			}
			e, err := s.Client.Time.Start(ctx, ws, body)
			if err != nil {
				if writeguard.MaybeApplied(err) {
					return nil, "", workspace.WithHint(err, "Outcome unknown: the timer may have started (ClickUp's answer was lost). Check with action=status before starting again.")
				}
				return nil, "", err
			}
			if e == nil {
				return nil, "", workspace.WithHint(fmt.Errorf("ClickUp answered the start without a timer"), "Check with action=status.")
			}
			r := out(e)
			text := fmt.Sprintf("Timer started on %s at %s (entry %s).", on(r), r.Start, r.ID)
			if cur != nil {
				old := out(cur)
				r.Stopped = old.ID
				text += fmt.Sprintf(" The timer that was running on %s (%s) was stopped.", on(old), old.Duration)
			}
			return r, text, nil
		}
		return nil, "", workspace.InvalidArg("action", "%q is not one of start, stop, status", workspace.Truncate(a.Action, 30))
	})
}
