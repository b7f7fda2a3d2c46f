package tools

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// summarizeFull adds the fields detail=full asks for.
func summarizeFull(t *clickup.Task, loc *time.Location) SearchTask {
	s := SearchTask{TaskSummary: summarize(t, loc)}
	s.Start = workspace.ISODue(int64(t.StartDate), bool(t.StartDateTime), loc)
	s.Created = workspace.ISOTime(int64(t.DateCreated), true, loc)
	s.Updated = workspace.ISOTime(int64(t.DateUpdated), true, loc)
	s.TimeEstimate = formatDuration(int64(t.TimeEstimate))
	s.URL = t.URL
	desc := t.MarkdownDescription
	if desc == "" {
		desc = t.TextContent
	}
	s.Excerpt = cutText(strings.TrimSpace(desc), 300)
	return s
}

// cutText shortens s to at most n bytes on a rune boundary, with a marker
// saying how much was cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(" …[%d more characters]", len(s)-cut)
}

func summarize(t *clickup.Task, loc *time.Location) TaskSummary {
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

// line renders a summary as one line of text.
func (s TaskSummary) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "- [%s] %s (id %s", s.Status, s.Name, s.ID)
	if s.CustomID != "" {
		fmt.Fprintf(&b, ", %s", s.CustomID)
	}
	if s.Priority != "" {
		fmt.Fprintf(&b, "; %s", s.Priority)
	}
	if s.Due != "" {
		fmt.Fprintf(&b, "; due %s", s.Due)
	}
	if len(s.Assignees) > 0 {
		fmt.Fprintf(&b, "; @%s", strings.Join(s.Assignees, " @"))
	}
	if len(s.Tags) > 0 {
		fmt.Fprintf(&b, "; #%s", strings.Join(s.Tags, " #"))
	}
	if s.List != "" {
		fmt.Fprintf(&b, "; list %s", s.List)
	}
	if s.Parent != "" {
		fmt.Fprintf(&b, "; subtask of %s", s.Parent)
	}
	b.WriteString(")")
	return b.String()
}

// encodeCursor and decodeCursor keep paging state opaque to the model.
func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(arg, s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || json.Unmarshal(b, v) != nil {
		return workspace.InvalidArg(arg, "not a cursor from a previous result; omit it to start from the beginning")
	}
	return nil
}

// formatDuration renders milliseconds as 1h30m.
func formatDuration(ms int64) string {
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
