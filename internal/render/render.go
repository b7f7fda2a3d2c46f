// Package render turns ClickUp objects into the compact results tools and
// prompts show a model: task summaries and details, people, cursors and
// durations. It holds no state.
package render

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// TaskSummary is the compact form of a task used in lists: the fields an
// agent needs to pick a task and act on it, names instead of objects.
type TaskSummary struct {
	ID        string   `json:"id"`
	CustomID  string   `json:"custom_id,omitempty"`
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	Priority  string   `json:"priority,omitempty"`
	Assignees []string `json:"assignees,omitempty" jsonschema_description:"usernames"`
	Due       string   `json:"due,omitempty" jsonschema_description:"ISO 8601 date or date-time"`
	Tags      []string `json:"tags,omitempty"`
	List      string   `json:"list,omitempty"`
	ListID    string   `json:"list_id,omitempty"`
	Parent    string   `json:"parent,omitempty" jsonschema_description:"parent task id, for subtasks"`
}

// SearchTask is a task in search results: the summary, plus more with
// detail=full. Kept apart from TaskSummary so other tools' output schemas
// stay small.
type SearchTask struct {
	TaskSummary
	Start        string `json:"start,omitempty"`
	Created      string `json:"created,omitempty"`
	Updated      string `json:"updated,omitempty"`
	TimeEstimate string `json:"time_estimate,omitempty"`
	Excerpt      string `json:"excerpt,omitempty" jsonschema_description:"start of the description (detail=full)"`
	URL          string `json:"url,omitempty"`
}

// SummarizeFull adds the fields detail=full asks for.
func SummarizeFull(t *clickup.Task, loc *time.Location) SearchTask {
	s := SearchTask{TaskSummary: Summarize(t, loc)}
	s.Start = workspace.ISODue(int64(t.StartDate), bool(t.StartDateTime), loc)
	s.Created = workspace.ISOTime(int64(t.DateCreated), true, loc)
	s.Updated = workspace.ISOTime(int64(t.DateUpdated), true, loc)
	s.TimeEstimate = FormatDuration(int64(t.TimeEstimate))
	s.URL = t.URL
	desc := t.MarkdownDescription
	if desc == "" {
		desc = t.TextContent
	}
	s.Excerpt = CutText(strings.TrimSpace(desc), 300)
	return s
}

// CutText shortens s to at most n bytes on a rune boundary, with a marker
// saying how much was cut.
func CutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(" …[%d more characters]", len(s)-cut)
}

// Summarize is a task as lists of results show it.
func Summarize(t *clickup.Task, loc *time.Location) TaskSummary {
	s := TaskSummary{
		ID:       string(t.ID),
		CustomID: string(t.CustomID),
		Name:     t.Name,
		Status:   t.Status.Status,
		Due:      workspace.ISODue(int64(t.DueDate), bool(t.DueDateTime), loc),
		List:     t.List.Name,
		ListID:   string(t.List.ID),
		Parent:   string(t.Parent),
	}
	if t.Priority != nil {
		s.Priority = t.Priority.Priority
	}
	for _, a := range t.Assignees {
		s.Assignees = append(s.Assignees, a.Username)
	}
	for _, tg := range t.Tags {
		s.Tags = append(s.Tags, tg.Name)
	}
	return s
}

// Line renders a summary as one line of text.
func (s TaskSummary) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "- [%s] %s (id %s", flat(s.Status), flat(s.Name), s.ID)
	if s.CustomID != "" {
		fmt.Fprintf(&b, ", %s", flat(s.CustomID))
	}
	if s.Priority != "" {
		fmt.Fprintf(&b, "; %s", flat(s.Priority))
	}
	if s.Due != "" {
		fmt.Fprintf(&b, "; due %s", s.Due)
	}
	if len(s.Assignees) > 0 {
		fmt.Fprintf(&b, "; @%s", strings.Join(flatAll(s.Assignees), " @"))
	}
	if len(s.Tags) > 0 {
		fmt.Fprintf(&b, "; #%s", strings.Join(flatAll(s.Tags), " #"))
	}
	if s.List != "" {
		fmt.Fprintf(&b, "; list %s", flat(s.List))
	}
	if s.Parent != "" {
		fmt.Fprintf(&b, "; subtask of %s", s.Parent)
	}
	b.WriteString(")")
	return b.String()
}

// EncodeCursor and DecodeCursor keep paging state opaque to the model.
func EncodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor EncodeCursor made into v; arg names the
// argument in errors.
func DecodeCursor(arg, s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || json.Unmarshal(b, v) != nil {
		return workspace.InvalidArg(arg, "not a cursor from a previous result; omit it to start from the beginning")
	}
	return nil
}

// FormatDuration renders milliseconds as 1h30m.
func FormatDuration(ms int64) string {
	if ms <= 0 {
		return ""
	}
	d := time.Duration(ms) * time.Millisecond
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case h > 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dm", m)
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

// SubtaskOut is a subtask in its parent's detail: id, name and status, and
// with detail=full who does it and by when (its list and parent are the
// task's own).
type SubtaskOut struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Status    string   `json:"status"`
	Assignees []string `json:"assignees,omitempty"`
	Due       string   `json:"due,omitempty"`
}

// line renders a subtask on one line, in full or as id, name and status.
func (st SubtaskOut) line(full bool) string {
	if !full {
		return fmt.Sprintf("- [%s] %s (id %s)", flat(st.Status), flat(st.Name), st.ID)
	}
	return TaskSummary{ID: st.ID, Name: st.Name, Status: st.Status, Assignees: st.Assignees, Due: st.Due}.Line()
}

// FileOut is an attachment: its name, size in bytes and url.
type FileOut struct {
	Name string `json:"name,omitempty"`
	Size int64  `json:"size,omitempty"`
	URL  string `json:"url,omitempty"`
}

// RelatedOut is another task this one waits on, blocks or is linked to;
// the relation is in clickup_relate_tasks' words, name only when known
// without a request.
type RelatedOut struct {
	Relation string `json:"relation,omitempty"`
	Task     string `json:"task,omitempty"`
	Name     string `json:"name,omitempty"`
}

type TaskDetail struct {
	ID           string             `json:"id"`
	CustomID     string             `json:"custom_id,omitempty"`
	Name         string             `json:"name"`
	Status       string             `json:"status"`
	StatusType   string             `json:"status_type,omitempty" jsonschema_description:"open, custom, done or closed"`
	Priority     string             `json:"priority,omitempty"`
	Description  string             `json:"description,omitempty" jsonschema_description:"markdown"`
	Assignees    []workspace.Person `json:"assignees,omitempty"`
	Creator      string             `json:"creator,omitempty"`
	Tags         []string           `json:"tags,omitempty"`
	Due          string             `json:"due,omitempty"`
	Start        string             `json:"start,omitempty"`
	Created      string             `json:"created,omitempty"`
	Updated      string             `json:"updated,omitempty"`
	Closed       string             `json:"closed,omitempty"`
	TimeEstimate string             `json:"time_estimate,omitempty"`
	TimeSpent    string             `json:"time_spent,omitempty"`
	Points       float64            `json:"points,omitempty"`
	Parent       string             `json:"parent,omitempty"`
	List         NamedRef           `json:"list"`
	Folder       *NamedRef          `json:"folder,omitempty"`
	SpaceID      string             `json:"space_id,omitempty"`
	Subtasks     []SubtaskOut       `json:"subtasks,omitempty"`
	Related      []RelatedOut       `json:"related,omitempty"`
	Attachments  []FileOut          `json:"attachments,omitempty"`
	Checklists   []ChecklistOut     `json:"checklists,omitempty"`
	CustomFields []CustomFieldOut   `json:"custom_fields,omitempty"`
	URL          string             `json:"url"`
	// Full is detail=full: the text shows dates, people and subtasks in
	// full; without it subtasks are id, name and status (Compact).
	Full bool `json:"-"`
	// encoded is the detail's JSON, kept by Encode.
	encoded []byte
}

// Encode returns the detail's JSON (json.Marshal's) and keeps it as the
// bytes the framework sends as the structured content (EncodedJSON), so
// that a tool that weighs the JSON does not have it encoded twice. Call it
// after the detail's last change: a change after it is not sent.
func (t *TaskDetail) Encode() []byte {
	t.encoded = nil
	b, err := json.Marshal(t)
	if err == nil {
		t.encoded = b
	}
	return b
}

// EncodedJSON is what Encode kept (toolkit.Encoded); nil before it.
func (t *TaskDetail) EncodedJSON() []byte {
	if t == nil {
		return nil
	}
	return t.encoded
}

// Compact keeps of each subtask its id, name and status.
func (t *TaskDetail) Compact() {
	t.Full = false
	for i, st := range t.Subtasks {
		t.Subtasks[i] = SubtaskOut{ID: st.ID, Name: st.Name, Status: st.Status}
	}
}

// Withheld replaces a body written by a workspace guest under --lockdown.
const Withheld = workspace.Withheld

// flat and flatAll render one-line fields on one line (workspace.Flat).
func flat(s string) string { return workspace.Flat(s) }

func flatAll(ss []string) []string { return workspace.FlatAll(ss) }

// SessionDetail is Detail in the session's time zone, with the description
// withheld under --lockdown when a guest (or an unknown author) wrote it,
// and related tasks named when this session has read them.
func SessionDetail(ctx context.Context, s *workspace.Session, t *clickup.Task) *TaskDetail {
	r := Detail(t, s.Location(ctx))
	if r.Description != "" && s.Withholds(ctx, int64(t.Creator.ID)) {
		r.Description = Withheld
	}
	for i := range r.Related {
		if r.Related[i].Name == "" {
			r.Related[i].Name = s.KnownTaskName(r.Related[i].Task)
		}
	}
	return r
}

// related lists the tasks t waits on, blocks and is linked to, each once,
// named when t's own payload (its subtasks, its parent) names them.
func related(t *clickup.Task) []RelatedOut {
	names := map[string]string{}
	for _, st := range t.Subtasks {
		names[string(st.ID)] = st.Name
	}
	var out []RelatedOut
	seen := map[string]bool{}
	add := func(rel, id string) {
		if id == "" || id == string(t.ID) || seen[rel+id] {
			return
		}
		seen[rel+id] = true
		out = append(out, RelatedOut{Relation: rel, Task: id, Name: names[id]})
	}
	for _, d := range t.Dependencies {
		switch string(t.ID) {
		case string(d.TaskID):
			add("waiting_on", string(d.DependsOn))
		case string(d.DependsOn):
			add("blocking", string(d.TaskID))
		}
	}
	for _, l := range t.LinkedTasks {
		other := string(l.LinkID)
		if other == string(t.ID) {
			other = string(l.TaskID)
		}
		add("linked", other)
	}
	return out
}

// HumanSize renders a byte count for a reader: 240 B, 18 KB, 2.4 MB.
func HumanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1_000_000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	case n < 1_000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1_000_000)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1_000_000_000)
}

// Detail is the full rendering clickup_get_task returns for a task.
func Detail(t *clickup.Task, loc *time.Location) *TaskDetail {
	r := &TaskDetail{
		ID: string(t.ID), CustomID: string(t.CustomID), Name: t.Name,
		Status: t.Status.Status, StatusType: t.Status.Type,
		Description:  t.MarkdownDescription,
		Creator:      t.Creator.Username,
		Due:          workspace.ISODue(int64(t.DueDate), bool(t.DueDateTime), loc),
		Start:        workspace.ISODue(int64(t.StartDate), bool(t.StartDateTime), loc),
		Created:      workspace.ISOTime(int64(t.DateCreated), true, loc),
		Updated:      workspace.ISOTime(int64(t.DateUpdated), true, loc),
		Closed:       workspace.ISOTime(int64(t.DateClosed), true, loc),
		TimeEstimate: FormatDuration(int64(t.TimeEstimate)),
		TimeSpent:    FormatDuration(int64(t.TimeSpent)),
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
		r.Assignees = append(r.Assignees, workspace.PersonOf(a))
	}
	for _, tg := range t.Tags {
		r.Tags = append(r.Tags, tg.Name)
	}
	for i := range t.Subtasks {
		st := Summarize(&t.Subtasks[i], loc)
		r.Subtasks = append(r.Subtasks, SubtaskOut{ID: st.ID, Name: st.Name, Status: st.Status, Assignees: st.Assignees, Due: st.Due})
	}
	r.Related = related(t)
	for _, a := range t.Attachments {
		if a.Deleted || a.Hidden {
			continue
		}
		r.Attachments = append(r.Attachments, FileOut{Name: a.Title, Size: int64(a.Size), URL: a.URL})
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
	cfg := f.Config()
	option := func(key string) string {
		if o, ok := cfg.Option(key); ok {
			return o.Title()
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

// Text renders a task's detail as the text of a result: with Full, also
// who made it, when, time spent, points and subtasks in full.
func (t *TaskDetail) Text() string {
	head, tail := t.TextAround()
	return head + t.DescriptionText() + tail
}

// TextAround is Text without the description's section (DescriptionText):
// what comes before it and after it. Text is head + DescriptionText() +
// tail, so that a tool weighing the text with and without the description
// renders the rest once.
func (t *TaskDetail) TextAround() (head, tail string) {
	var b strings.Builder
	b.Grow(512)
	b.WriteString(flat(t.Name))
	b.WriteString(" (id ")
	b.WriteString(t.ID)
	if t.CustomID != "" {
		b.WriteString(", ")
		b.WriteString(flat(t.CustomID))
	}
	b.WriteString(")\nStatus: ")
	b.WriteString(flat(t.Status))
	if t.Priority != "" {
		b.WriteString(" | Priority: ")
		b.WriteString(flat(t.Priority))
	}
	if t.Due != "" {
		b.WriteString(" | Due: ")
		b.WriteString(t.Due)
	}
	if t.Start != "" {
		b.WriteString(" | Start: ")
		b.WriteString(t.Start)
	}
	b.WriteString("\nList: ")
	b.WriteString(flat(t.List.Name))
	b.WriteString(" (")
	b.WriteString(t.List.ID)
	b.WriteString(")")
	if t.Full && t.Folder != nil {
		b.WriteString(" | Folder: ")
		b.WriteString(flat(t.Folder.Name))
		b.WriteString(" (")
		b.WriteString(t.Folder.ID)
		b.WriteString(")")
	}
	if t.Parent != "" {
		b.WriteString(" | Subtask of ")
		b.WriteString(t.Parent)
	}
	if len(t.Assignees) > 0 {
		b.WriteString("\nAssignees: ")
		for i, a := range t.Assignees {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.String())
		}
	}
	if t.Full {
		if t.Creator != "" {
			b.WriteString("\nCreated by ")
			b.WriteString(flat(t.Creator))
			if t.Created != "" {
				b.WriteString(" on ")
				b.WriteString(t.Created)
			}
		}
		if t.Updated != "" {
			b.WriteString(" | Updated: ")
			b.WriteString(t.Updated)
		}
		if t.Closed != "" {
			b.WriteString(" | Closed: ")
			b.WriteString(t.Closed)
		}
	}
	if len(t.Tags) > 0 {
		b.WriteString("\nTags: ")
		for i, tg := range t.Tags {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(flat(tg))
		}
	}
	if t.TimeEstimate != "" {
		b.WriteString("\nEstimate: ")
		b.WriteString(t.TimeEstimate)
	}
	if t.Full && t.TimeSpent != "" {
		b.WriteString("\nTime spent: ")
		b.WriteString(t.TimeSpent)
	}
	if t.Full && t.Points != 0 {
		b.WriteString("\nPoints: ")
		b.WriteString(strconv.FormatFloat(t.Points, 'f', -1, 64))
	}
	for _, f := range t.CustomFields {
		b.WriteString("\n")
		b.WriteString(flat(f.Name))
		b.WriteString(": ")
		b.WriteString(flat(f.Value))
	}
	t.writeRelated(&b)
	head = b.String()
	b = strings.Builder{}
	b.Grow(256)
	for _, c := range t.Checklists {
		b.WriteString("\nChecklist ")
		b.WriteString(flat(c.Name))
		b.WriteString(":")
		for _, it := range c.Done {
			b.WriteString("\n  [x] ")
			b.WriteString(flat(it))
		}
		for _, it := range c.Open {
			b.WriteString("\n  [ ] ")
			b.WriteString(flat(it))
		}
	}
	if len(t.Subtasks) > 0 {
		b.WriteString("\nSubtasks:")
		for _, st := range t.Subtasks {
			b.WriteString("\n")
			b.WriteString(st.line(t.Full))
		}
	}
	if len(t.Attachments) > 0 {
		b.WriteString("\nAttachments:")
		for _, f := range t.Attachments {
			b.WriteString("\n- ")
			b.WriteString(flat(f.Name))
			if f.Size > 0 {
				b.WriteString(" (")
				b.WriteString(HumanSize(f.Size))
				b.WriteString(")")
			}
			b.WriteString(" ")
			b.WriteString(flat(f.URL))
		}
	}
	b.WriteString("\n")
	b.WriteString(t.URL)
	return head, b.String()
}

// DescriptionText is the description's section of Text ("" without one).
func (t *TaskDetail) DescriptionText() string {
	switch t.Description {
	case "":
		return ""
	case Withheld:
		return "\n\nDescription: " + Withheld + "\n"
	}
	return "\n\n" + workspace.Quoted("Description", t.Creator, t.Description) + "\n"
}

// writeRelated writes one line per relation: "Waiting on: id (name), id".
func (t *TaskDetail) writeRelated(b *strings.Builder) {
	for _, rel := range []struct{ key, label string }{{"waiting_on", "Waiting on"}, {"blocking", "Blocking"}, {"linked", "Linked"}} {
		var parts []string
		for _, r := range t.Related {
			if r.Relation != rel.key {
				continue
			}
			p := r.Task
			if r.Name != "" {
				p += " (" + flat(r.Name) + ")"
			}
			parts = append(parts, p)
		}
		if len(parts) > 0 {
			fmt.Fprintf(b, "\n%s: %s", rel.label, strings.Join(parts, ", "))
		}
	}
}
