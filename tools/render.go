package tools

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	s.Start = isoDue(int64(t.StartDate), bool(t.StartDateTime), loc)
	s.Created = isoTime(int64(t.DateCreated), true, loc)
	s.Updated = isoTime(int64(t.DateUpdated), true, loc)
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
		Due:      isoDue(int64(t.DueDate), bool(t.DueDateTime), loc),
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

// Person is a user as results show them.
type Person struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email,omitempty"`
}

func person(u clickup.User) Person {
	return Person{ID: int64(u.ID), Username: u.Username, Email: u.Email}
}

func (p Person) String() string {
	if p.Email == "" {
		return fmt.Sprintf("%s (%d)", flat(p.Username), p.ID)
	}
	return fmt.Sprintf("%s <%s> (%d)", flat(p.Username), flat(p.Email), p.ID)
}

// encodeCursor and decodeCursor keep paging state opaque to the model.
func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(arg, s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || json.Unmarshal(b, v) != nil {
		return invalidArg(arg, "not a cursor from a previous result; omit it to start from the beginning")
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

// parseDuration reads "90m", "1h30m", "2h", "1.5h" or a number of minutes.
func parseDuration(arg, s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, invalidArg(arg, "empty duration")
	}
	if mins, err := strconv.ParseFloat(s, 64); err == nil {
		if !(mins*60000 >= 1 && mins <= 1e7) { // NaN too
			return 0, invalidArg(arg, "%q minutes is out of range", truncate(s, 30))
		}
		return int64(mins * 60000), nil
	}
	s = strings.ReplaceAll(s, "mins", "m")
	s = strings.ReplaceAll(s, "min", "m")
	s = strings.ReplaceAll(s, "hours", "h")
	s = strings.ReplaceAll(s, "hour", "h")
	s = strings.ReplaceAll(s, "hrs", "h")
	s = strings.ReplaceAll(s, "hr", "h")
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Millisecond {
		return 0, invalidArg(arg, "cannot read %q as a duration; use e.g. 90m, 1h30m, 2h or minutes as a number", truncate(s, 30))
	}
	return d.Milliseconds(), nil
}
