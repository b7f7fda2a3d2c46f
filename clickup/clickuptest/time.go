package clickuptest

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Time tracking (API-NOTES §5 "Time tracking"): time entries of a
// Workspace, a running timer per person, and ClickUp's silent defaults on
// the listing: without start_date and end_date it answers the last 30 days
// only, and without assignee the caller's entries only.

// TimeEntry is a time entry. A zero End means the timer is running (its
// duration is sent as minus the start, as ClickUp does).
type TimeEntry struct {
	ID          string // "" = generated (a string of digits)
	UserID      int64
	TaskID      string // "" for an entry on no task
	Start       time.Time
	End         time.Time
	Description string
	Billable    bool
	Tags        []string
	// At is when the entry last changed (ClickUp's "at"); zero = its end,
	// or its start while running.
	At time.Time

	WorkspaceID string // set by AddTimeEntry
}

type timeState struct {
	entries []*TimeEntry
	seq     int64
}

// The ECODEs of the time-entry errors below are the fake's own (API-NOTES
// gives none for them); clients should rely on the status and message.

// timeDefaultWindow is what ClickUp answers when no range is sent.
const timeDefaultWindow = 30 * day

// AddTimeEntry adds a time entry to a Workspace and returns it with its id.
func (s *Server) AddTimeEntry(wsID string, e TimeEntry) TimeEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.workspaces[wsID] == nil {
		panic("clickuptest: unknown workspace " + wsID)
	}
	if e.TaskID != "" && s.tasks[e.TaskID] == nil {
		panic("clickuptest: unknown task " + e.TaskID)
	}
	e.WorkspaceID = wsID
	return *s.insertTimeEntry(e)
}

func (s *Server) insertTimeEntry(e TimeEntry) *TimeEntry {
	s.gen++
	if e.ID == "" {
		s.tm.seq++
		e.ID = strconv.FormatInt(4000000000000000000+s.tm.seq, 10)
	}
	if e.Start.IsZero() {
		e.Start = s.now()
	}
	e.Tags = slices.Clone(e.Tags)
	p := &e
	s.tm.entries = append(s.tm.entries, p)
	if t := s.tasks[e.TaskID]; t != nil && !e.End.IsZero() {
		t.TimeSpent += e.End.Sub(e.Start)
	}
	return p
}

// TimeEntries returns a copy of every time entry of a Workspace, oldest
// first (for tests).
func (s *Server) TimeEntries(wsID string) []TimeEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TimeEntry
	for _, e := range s.tm.entries {
		if e.WorkspaceID == wsID {
			out = append(out, *e)
		}
	}
	slices.SortStableFunc(out, func(a, b TimeEntry) int { return a.Start.Compare(b.Start) })
	return out
}

type jTimeTask struct {
	ID         string  `json:"id"`
	CustomID   string  `json:"custom_id"`
	Name       string  `json:"name"`
	Status     jStatus `json:"status"`
	CustomType *string `json:"custom_type"`
}

type jTimeUser struct {
	ID             int64  `json:"id"`
	Username       string `json:"username"`
	Email          string `json:"email"`
	Color          string `json:"color"`
	Initials       string `json:"initials"`
	ProfilePicture string `json:"profilePicture,omitempty"`
}

type jTaskLocation struct {
	ListID     int64  `json:"list_id"`
	FolderID   int64  `json:"folder_id"`
	SpaceID    int64  `json:"space_id"`
	ListName   string `json:"list_name"`
	FolderName string `json:"folder_name"`
	SpaceName  string `json:"space_name"`
}

type jTaskTag struct {
	Name    string `json:"name"`
	Fg      string `json:"tag_fg"`
	Bg      string `json:"tag_bg"`
	Creator int64  `json:"creator"`
}

// jTimeEntry is an entry of GET .../time_entries: times and the duration
// as strings of digits, as the spec declares them.
type jTimeEntry struct {
	ID           string         `json:"id"`
	Task         *jTimeTask     `json:"task,omitempty"`
	WID          string         `json:"wid"`
	User         jTimeUser      `json:"user"`
	Billable     bool           `json:"billable"`
	Start        string         `json:"start"`
	End          string         `json:"end"`
	Duration     string         `json:"duration"`
	Description  string         `json:"description"`
	Tags         []string       `json:"tags"`
	Source       string         `json:"source"`
	At           string         `json:"at"`
	TaskLocation *jTaskLocation `json:"task_location,omitempty"`
	TaskTags     []jTaskTag     `json:"task_tags"`
	TaskURL      string         `json:"task_url,omitempty"`
}

func (s *Server) jTimeUser(id int64) jTimeUser {
	u := s.jUser(id)
	j := jTimeUser{ID: u.ID, Username: u.Username, Email: u.Email, Color: u.Color, Initials: u.Initials}
	if u.ProfilePicture != nil {
		j.ProfilePicture = *u.ProfilePicture
	}
	return j
}

func (s *Server) jTimeTask(t *Task) *jTimeTask {
	st, idx := s.statusOfTask(t)
	return &jTimeTask{ID: t.ID, CustomID: t.CustomID, Name: t.Name,
		Status: jStatus{ID: st.ID, Status: st.Name, Color: st.Color, OrderIndex: idx, Type: st.Type}}
}

// duration is the entry's duration in ms; minus the start while running.
func (e *TimeEntry) duration() int64 {
	if e.End.IsZero() {
		return -e.Start.UnixMilli()
	}
	return e.End.Sub(e.Start).Milliseconds()
}

func (s *Server) renderTimeEntry(e *TimeEntry, taskTags bool) jTimeEntry {
	j := jTimeEntry{
		ID: e.ID, WID: e.WorkspaceID, User: s.jTimeUser(e.UserID), Billable: e.Billable,
		Start: strconv.FormatInt(e.Start.UnixMilli(), 10), Duration: strconv.FormatInt(e.duration(), 10),
		Description: e.Description, Tags: nonNilStrs(e.Tags), Source: "clickup", TaskTags: []jTaskTag{},
	}
	at := e.Start
	if !e.End.IsZero() {
		j.End = strconv.FormatInt(e.End.UnixMilli(), 10)
		at = e.End
	}
	if !e.At.IsZero() {
		at = e.At
	}
	j.At = strconv.FormatInt(at.UnixMilli(), 10)
	if t := s.tasks[e.TaskID]; t != nil {
		j.Task = s.jTimeTask(t)
		j.TaskURL = "https://app.clickup.com/t/" + t.ID
		l := s.listOf(t)
		sp := s.spaces[l.SpaceID]
		// The spec requires the names; the fake always sends them (they
		// are what include_location_names asks for).
		loc := &jTaskLocation{ListID: atoi(l.ID), SpaceID: atoi(sp.ID), ListName: l.Name, SpaceName: sp.Name}
		if f := s.folders[l.FolderID]; f != nil {
			loc.FolderID, loc.FolderName = atoi(f.ID), f.Name
		}
		j.TaskLocation = loc
		if taskTags {
			for _, name := range t.Tags {
				tg := jTaskTag{Name: name}
				for _, st := range sp.Tags {
					if st.Name == name {
						tg.Fg, tg.Bg, tg.Creator = st.Fg, st.Bg, st.Creator
					}
				}
				j.TaskTags = append(j.TaskTags, tg)
			}
		}
	}
	return j
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func nonNilStrs(v []string) []string {
	if v == nil {
		return []string{}
	}
	return slices.Clone(v)
}

// isAdmin reports whether the caller is an owner or admin (who may see and
// log others' time).
func (c *call) isAdmin() bool {
	u := c.user()
	return u != nil && (u.Role == 1 || u.Role == 2)
}

// getTimeEntries: GET /v2/team/{team_Id}/time_entries.
func (c *call) getTimeEntries() *response {
	ws, e := c.resolveTeam(c.params["team_Id"])
	if e != nil {
		return e
	}
	now := c.s.now()
	start, hasStart, e := intParam(c.q, "start_date")
	if e != nil {
		return e
	}
	end, hasEnd, e := intParam(c.q, "end_date")
	if e != nil {
		return e
	}
	// ClickUp's silent default: the last 30 days.
	if !hasEnd {
		end = now.UnixMilli()
	}
	if !hasStart {
		start = now.Add(-timeDefaultWindow).UnixMilli()
	}
	// And the caller only.
	people := map[int64]bool{c.auth.userID: true}
	if raw := first(c.q["assignee"]); raw != "" {
		people = map[int64]bool{}
		for _, p := range strings.Split(raw, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
			if err != nil {
				return badInput("Assignee")
			}
			people[id] = true
		}
		if !c.isAdmin() && (len(people) > 1 || !people[c.auth.userID]) {
			return errResp(http.StatusUnauthorized, "Only owners and admins may see other members' time entries", "TIMEENTRY_057")
		}
	}
	var filters []string
	for _, k := range []string{"space_id", "folder_id", "list_id", "task_id"} {
		if first(c.q[k]) != "" {
			filters = append(filters, k)
		}
	}
	if len(filters) > 1 {
		return errResp(http.StatusBadRequest, "Only one of space_id, folder_id, list_id or task_id may be sent", "TIMEENTRY_060")
	}
	var task *Task
	if v := first(c.q["task_id"]); v != "" {
		if task, e = c.resolveTask(v); e != nil {
			return e
		}
	}
	billable, hasBillable := c.q["is_billable"], len(c.q["is_billable"]) > 0
	out := []jTimeEntry{}
	for _, te := range c.s.tm.entries {
		ms := te.Start.UnixMilli()
		if te.WorkspaceID != ws.ID || !people[te.UserID] || ms < start || ms > end {
			continue
		}
		if hasBillable && te.Billable != strings.EqualFold(billable[0], "true") {
			continue
		}
		if len(filters) == 1 && !c.timeEntryIn(te, filters[0], task) {
			continue
		}
		out = append(out, c.s.renderTimeEntry(te, boolParam(c.q, "include_task_tags")))
	}
	slices.SortStableFunc(out, func(a, b jTimeEntry) int { return strings.Compare(b.Start, a.Start) })
	return jsonResp(200, map[string]any{"data": out})
}

func (c *call) timeEntryIn(te *TimeEntry, filter string, task *Task) bool {
	t := c.s.tasks[te.TaskID]
	if t == nil {
		return false
	}
	l := c.s.listOf(t)
	v := first(c.q[filter])
	switch filter {
	case "task_id":
		return t.ID == task.ID
	case "list_id":
		return l.ID == v
	case "folder_id":
		return l.FolderID == v
	default:
		return l.SpaceID == v
	}
}

// timeBody reads the fields start and create share: tid (with
// custom_task_ids), description, billable and tags.
func (c *call) timeBody(b body, te *TimeEntry) *response {
	if tid, ok, err := b.str("tid"); err != nil {
		return badInput("Task ID")
	} else if ok && tid != "" {
		t, e := c.resolveTask(tid)
		if e != nil {
			return e
		}
		if c.s.wsIDOfTask(t) != te.WorkspaceID {
			return c.taskNotFound()
		}
		te.TaskID = t.ID
	}
	desc, _, err := b.str("description")
	if err != nil {
		return badInput("Description")
	}
	te.Description = desc
	if te.Billable, err = b.boolean("billable"); err != nil {
		return badInput("Billable")
	}
	if b.has("tags") {
		var tags []struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(b["tags"], &tags); err != nil {
			return badInput("Tags")
		}
		for _, tg := range tags {
			if n := strings.TrimSpace(tg.Name); n != "" {
				te.Tags = append(te.Tags, n)
			}
		}
	}
	return nil
}

// createTimeEntry: POST /v2/team/{team_Id}/time_entries. start and
// duration are required; end (or stop) wins over duration. Another
// member's time only for owners and admins.
func (c *call) createTimeEntry() *response {
	ws, e := c.resolveTeam(c.params["team_Id"])
	if e != nil {
		return e
	}
	b, e := parseBody(c.body)
	if e != nil {
		return e
	}
	te := TimeEntry{WorkspaceID: ws.ID, UserID: c.auth.userID, At: c.s.now()}
	start, ok, err := b.int64("start")
	if err != nil || !ok || start <= 0 {
		return badInput("Start")
	}
	te.Start = time.UnixMilli(start)
	end, hasEnd, err := b.int64("end")
	if err != nil {
		return badInput("End")
	}
	if !hasEnd {
		if end, hasEnd, err = b.int64("stop"); err != nil {
			return badInput("Stop")
		}
	}
	dur, hasDur, err := b.int64("duration")
	if err != nil {
		return badInput("Duration")
	}
	switch {
	case hasEnd:
		if end <= start {
			return errResp(http.StatusBadRequest, "End must be after start", "TIMEENTRY_001")
		}
		te.End = time.UnixMilli(end)
	case hasDur && dur > 0:
		te.End = te.Start.Add(time.Duration(dur) * time.Millisecond)
	default:
		return badInput("Duration")
	}
	if who, ok, err := b.int64("assignee"); err != nil {
		return badInput("Assignee")
	} else if ok && who != c.auth.userID {
		if !c.isAdmin() {
			return errResp(http.StatusUnauthorized, "Only owners and admins may track time for other members", "TIMEENTRY_057")
		}
		if !slices.Contains(ws.MemberIDs, who) {
			return badInput("Assignee")
		}
		te.UserID = who
	}
	if e := c.timeBody(b, &te); e != nil {
		return e
	}
	made := c.s.insertTimeEntry(te)
	// The spec's answer: the entry's fields flat, and its id.
	tags := make([]map[string]string, 0, len(made.Tags))
	for _, t := range made.Tags {
		tags = append(tags, map[string]string{"name": t, "tag_fg": "#000000", "tag_bg": "#000000"})
	}
	return jsonResp(200, map[string]any{
		"id": made.ID, "description": made.Description, "tags": tags, "start": made.Start.UnixMilli(),
		"billable": made.Billable, "duration": made.duration(), "assignee": made.UserID, "tid": made.TaskID,
	})
}

func (c *call) runningTimer(wsID string, user int64) *TimeEntry {
	for _, te := range c.s.tm.entries {
		if te.WorkspaceID == wsID && te.UserID == user && te.End.IsZero() {
			return te
		}
	}
	return nil
}

// runningJSON is the running-timer shape: duration as a number, at as ms.
func (c *call) runningJSON(te *TimeEntry) map[string]any {
	j := c.s.renderTimeEntry(te, false)
	m := map[string]any{
		"id": j.ID, "wid": j.WID, "user": j.User, "billable": j.Billable, "start": j.Start,
		"duration": te.duration(), "description": j.Description, "tags": j.Tags,
	}
	if j.Task != nil {
		m["task"] = j.Task
	}
	return m
}

// getRunningTimer: GET /v2/team/{team_id}/time_entries/current; data is
// null when no timer runs.
func (c *call) getRunningTimer() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	who := c.auth.userID
	if raw := first(c.q["assignee"]); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return badInput("Assignee")
		}
		if id != who && !c.isAdmin() {
			return errResp(http.StatusUnauthorized, "Only owners and admins may see other members' timers", "TIMEENTRY_057")
		}
		who = id
	}
	te := c.runningTimer(ws.ID, who)
	if te == nil {
		return jsonResp(200, map[string]any{"data": nil})
	}
	m := c.runningJSON(te)
	m["at"] = strconv.FormatInt(te.Start.UnixMilli(), 10)
	return jsonResp(200, map[string]any{"data": m})
}

// startTimer: POST /v2/team/{team_Id}/time_entries/start. A timer already
// running for the caller is stopped first, as ClickUp does.
func (c *call) startTimer() *response {
	ws, e := c.resolveTeam(c.params["team_Id"])
	if e != nil {
		return e
	}
	b := body{}
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if b, e = parseBody(c.body); e != nil {
			return e
		}
	}
	te := TimeEntry{WorkspaceID: ws.ID, UserID: c.auth.userID}
	if e := c.timeBody(b, &te); e != nil {
		return e
	}
	now := c.s.now()
	if run := c.runningTimer(ws.ID, c.auth.userID); run != nil {
		c.stopEntry(run, now)
	}
	te.Start = now
	made := c.s.insertTimeEntry(te)
	m := c.runningJSON(made)
	m["at"] = now.UnixMilli()
	return jsonResp(200, map[string]any{"data": m})
}

func (c *call) stopEntry(te *TimeEntry, now time.Time) {
	if !now.After(te.Start) {
		now = te.Start.Add(time.Millisecond)
	}
	te.End, te.At = now, now
	if t := c.s.tasks[te.TaskID]; t != nil {
		t.TimeSpent += te.End.Sub(te.Start)
	}
	c.s.gen++
}

// stopTimer: POST /v2/team/{team_id}/time_entries/stop.
func (c *call) stopTimer() *response {
	ws, e := c.resolveTeam(c.params["team_id"])
	if e != nil {
		return e
	}
	te := c.runningTimer(ws.ID, c.auth.userID)
	if te == nil {
		return errResp(http.StatusBadRequest, "No timer is running", "TIMEENTRY_013")
	}
	c.stopEntry(te, c.s.now())
	j := c.s.renderTimeEntry(te, false)
	m := map[string]any{
		"id": j.ID, "wid": j.WID, "user": j.User, "billable": j.Billable, "start": j.Start,
		"end": te.End.UnixMilli(), "duration": te.duration(), "description": j.Description, "tags": j.Tags,
		"source": j.Source, "at": te.End.UnixMilli(),
	}
	if j.Task != nil {
		m["task"] = j.Task
	}
	return jsonResp(200, map[string]any{"data": m})
}

var demoTimeNotes = []string{
	"", "", "Implementation", "Code review", "Pairing", "Investigation", "Planning", "Testing", "Docs", "Customer call",
}

// seedDemoTime logs time for the members of Acme Product over the two
// months before now: weekdays, working hours in each person's zone, on
// tasks assigned to them. Its own random stream keeps the rest of the demo
// unchanged.
func seedDemoTime(s *Server, now time.Time) {
	r := rand.New(rand.NewPCG(20251201, 16))
	s.mu.Lock()
	mine := map[int64][]string{}
	for _, t := range s.taskOrder {
		if s.wsIDOfTask(t) != DemoWorkspaceID {
			continue
		}
		for _, a := range t.Assignees {
			mine[a] = append(mine[a], t.ID)
		}
	}
	s.mu.Unlock()
	for _, who := range []int64{demoAlex, demoPriya, demoMarc, demoSofia, demoJamal, demoEmma, demoLiam} {
		tasks := mine[who]
		if len(tasks) == 0 {
			continue
		}
		loc, err := time.LoadLocation(s.users[who].Timezone)
		if err != nil {
			loc = time.UTC
		}
		today := now.In(loc)
		for d := 60; d >= 1; d-- {
			day := time.Date(today.Year(), today.Month(), today.Day()-d, 9, 0, 0, 0, loc)
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			at := day.Add(time.Duration(r.IntN(4)) * 15 * time.Minute)
			for range 1 + r.IntN(3) {
				dur := time.Duration(1+r.IntN(12)) * 15 * time.Minute
				e := TimeEntry{UserID: who, TaskID: pick(r, tasks), Start: at, End: at.Add(dur),
					Description: pick(r, demoTimeNotes), Billable: r.IntN(2) == 0}
				if r.IntN(5) == 0 {
					e.Tags = []string{pick(r, []string{"meeting", "deep work", "support"})}
				}
				s.AddTimeEntry(DemoWorkspaceID, e)
				at = at.Add(dur + time.Duration(r.IntN(5))*15*time.Minute)
			}
		}
	}
	// Alex's timer runs on an Engineering task, started 25 minutes ago.
	s.mu.Lock()
	var eng string
	for _, id := range mine[demoAlex] {
		if s.lists[s.tasks[id].ListID].SpaceID == DemoSpaceEngineering {
			eng = id
			break
		}
	}
	s.mu.Unlock()
	if eng != "" {
		s.AddTimeEntry(DemoWorkspaceID, TimeEntry{UserID: demoAlex, TaskID: eng, Start: now.Add(-25 * time.Minute), Description: "Pairing"})
	}
}
