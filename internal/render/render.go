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
	DueMs        int64              `json:"due_ms,omitempty"`
	Start        string             `json:"start,omitempty"`
	StartMs      int64              `json:"start_ms,omitempty"`
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
	Subtasks     []TaskSummary      `json:"subtasks,omitempty"`
	Checklists   []ChecklistOut     `json:"checklists,omitempty"`
	CustomFields []CustomFieldOut   `json:"custom_fields,omitempty"`
	URL          string             `json:"url"`
}

// Withheld replaces a body written by a workspace guest under --lockdown.
const Withheld = workspace.Withheld

// flat and flatAll render one-line fields on one line (workspace.Flat).
func flat(s string) string { return workspace.Flat(s) }

func flatAll(ss []string) []string { return workspace.FlatAll(ss) }

// SessionDetail is Detail in the session's time zone, with the description
// withheld under --lockdown when a guest (or an unknown author) wrote it.
func SessionDetail(ctx context.Context, s *workspace.Session, t *clickup.Task) *TaskDetail {
	r := Detail(t, s.Location(ctx))
	if r.Description != "" && s.Withholds(ctx, int64(t.Creator.ID)) {
		r.Description = Withheld
	}
	return r
}

// Detail is the full rendering clickup_get_task returns for a task.
func Detail(t *clickup.Task, loc *time.Location) *TaskDetail {
	r := &TaskDetail{
		ID: string(t.ID), CustomID: string(t.CustomID), Name: t.Name,
		Status: t.Status.Status, StatusType: t.Status.Type,
		Description: t.MarkdownDescription,
		Creator:     t.Creator.Username,
		Due:         workspace.ISODue(int64(t.DueDate), bool(t.DueDateTime), loc), DueMs: int64(t.DueDate),
		Start: workspace.ISODue(int64(t.StartDate), bool(t.StartDateTime), loc), StartMs: int64(t.StartDate),
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
		r.Subtasks = append(r.Subtasks, Summarize(&t.Subtasks[i], loc))
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

// Text renders a task's detail as the text of a result.
func (t *TaskDetail) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (id %s", flat(t.Name), t.ID)
	if t.CustomID != "" {
		fmt.Fprintf(&b, ", %s", flat(t.CustomID))
	}
	fmt.Fprintf(&b, ")\nStatus: %s", flat(t.Status))
	if t.Priority != "" {
		fmt.Fprintf(&b, " | Priority: %s", flat(t.Priority))
	}
	if t.Due != "" {
		fmt.Fprintf(&b, " | Due: %s", t.Due)
	}
	if t.Start != "" {
		fmt.Fprintf(&b, " | Start: %s", t.Start)
	}
	fmt.Fprintf(&b, "\nList: %s (%s)", flat(t.List.Name), t.List.ID)
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
		fmt.Fprintf(&b, "\nTags: %s", strings.Join(flatAll(t.Tags), ", "))
	}
	if t.TimeEstimate != "" {
		fmt.Fprintf(&b, "\nEstimate: %s", t.TimeEstimate)
	}
	for _, f := range t.CustomFields {
		fmt.Fprintf(&b, "\n%s: %s", flat(f.Name), flat(f.Value))
	}
	switch t.Description {
	case "":
	case Withheld:
		fmt.Fprintf(&b, "\n\nDescription: %s\n", Withheld)
	default:
		fmt.Fprintf(&b, "\n\n%s\n", workspace.Quoted("Description", t.Creator, t.Description))
	}
	for _, c := range t.Checklists {
		fmt.Fprintf(&b, "\nChecklist %s:", flat(c.Name))
		for _, it := range c.Done {
			fmt.Fprintf(&b, "\n  [x] %s", flat(it))
		}
		for _, it := range c.Open {
			fmt.Fprintf(&b, "\n  [ ] %s", flat(it))
		}
	}
	if len(t.Subtasks) > 0 {
		fmt.Fprintf(&b, "\nSubtasks:")
		for _, st := range t.Subtasks {
			b.WriteString("\n")
			b.WriteString(st.Line())
		}
	}
	fmt.Fprintf(&b, "\n%s", t.URL)
	return b.String()
}
