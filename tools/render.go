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
		return fmt.Sprintf("%s (%d)", p.Username, p.ID)
	}
	return fmt.Sprintf("%s <%s> (%d)", p.Username, p.Email, p.ID)
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

// shortDate renders an ISO date or date-time from a summary for text, as
// briefly as stays unambiguous: "Dec 3" or "Dec 3 17:00" in now's year,
// "Jan 19 2027" otherwise; no seconds or offset, since the text names its
// zone once (zoneLabel). The structured content keeps the ISO form.
func shortDate(iso string, now time.Time) string {
	withTime := len(iso) > len("2006-01-02")
	var t time.Time
	var err error
	if withTime {
		t, err = time.Parse(time.RFC3339, iso)
	} else {
		t, err = time.Parse(time.DateOnly, iso)
	}
	if err != nil {
		return iso
	}
	layout := "Jan 2"
	if t.Year() != now.In(t.Location()).Year() {
		layout += " 2006"
	}
	if withTime {
		layout += " 15:04"
	}
	return t.Format(layout)
}

// zoneLabel names the zone dates are shown in: its IANA name, or, for the
// machine's unnamed zone, its abbreviation and offset now.
func zoneLabel(loc *time.Location, now time.Time) string {
	if n := loc.String(); n != "" && n != "Local" {
		return n
	}
	return now.In(loc).Format("MST (-07:00)")
}

// taskList renders search results as text: one line a task with id, custom
// id, status, name, due date and assignees (priority and tags, like the
// rest of the structured content, with detail=full). What tasks share is
// said once instead of on each line: the zone of the times in the head
// line, and the list, in the head when every task is in one list, or as a
// heading over each list's tasks when the order is ClickUp's default (by
// list, in the order lists first appear; the structured content keeps
// ClickUp's order). full adds the fields detail=full asks for, and the
// excerpt under the line.
type taskList struct {
	tasks []SearchTask
	full  bool
	// ordered: the caller asked for an order (order_by), so lines keep it
	// and name their list instead of being grouped.
	ordered bool
	loc     *time.Location
	now     time.Time
}

// head is the part of the first line after the count: the one list every
// task is in, and the zone of the times shown.
func (l taskList) head() string {
	var parts []string
	if n := l.lists(); len(n) == 1 && len(l.tasks) > 1 {
		parts = append(parts, "all in list "+n[0].label())
	}
	for _, t := range l.tasks {
		if len(t.Due) > len(time.DateOnly) || (l.full && (len(t.Start) > len(time.DateOnly) || t.Created != "")) {
			parts = append(parts, "times "+zoneLabel(l.loc, l.now))
			break
		}
	}
	return strings.Join(parts, "; ")
}

type listRef struct{ id, name string }

func (r listRef) label() string {
	if r.name == "" {
		return r.id
	}
	return r.name + " (" + r.id + ")"
}

// lists are the lists of the tasks, in the order they first appear.
func (l taskList) lists() []listRef {
	var out []listRef
	seen := map[string]bool{}
	for _, t := range l.tasks {
		if t.ListID == "" || seen[t.ListID] {
			continue
		}
		seen[t.ListID] = true
		out = append(out, listRef{t.ListID, t.List})
	}
	return out
}

func (l taskList) write(b *strings.Builder) {
	lists := l.lists()
	switch {
	case len(lists) == 1 && len(l.tasks) > 1:
		// Said in the head line.
		for i := range l.tasks {
			l.line(b, &l.tasks[i], false)
		}
	case len(lists) > 1 && !l.ordered:
		for _, ref := range lists {
			b.WriteString("\nIn list " + ref.label() + ":")
			for i := range l.tasks {
				if l.tasks[i].ListID == ref.id {
					l.line(b, &l.tasks[i], false)
				}
			}
		}
		for i := range l.tasks {
			if l.tasks[i].ListID == "" {
				l.line(b, &l.tasks[i], true)
			}
		}
	default:
		for i := range l.tasks {
			l.line(b, &l.tasks[i], true)
		}
	}
}

func (l taskList) line(b *strings.Builder, t *SearchTask, withList bool) {
	b.WriteString("\n")
	b.WriteString(t.ID)
	if t.CustomID != "" {
		b.WriteString(" " + t.CustomID)
	}
	fmt.Fprintf(b, " [%s] %s", t.Status, t.Name)
	if t.Due != "" {
		b.WriteString("; due " + shortDate(t.Due, l.now))
	}
	if len(t.Assignees) > 0 {
		b.WriteString("; @" + strings.Join(t.Assignees, " @"))
	}
	if withList && t.List != "" {
		b.WriteString("; list " + t.List)
	}
	if t.Parent != "" {
		b.WriteString("; subtask of " + t.Parent)
	}
	if !l.full {
		return
	}
	if t.Priority != "" {
		b.WriteString("; " + t.Priority)
	}
	if len(t.Tags) > 0 {
		b.WriteString("; #" + strings.Join(t.Tags, " #"))
	}
	if t.Start != "" {
		b.WriteString("; start " + shortDate(t.Start, l.now))
	}
	if t.TimeEstimate != "" {
		b.WriteString("; estimate " + t.TimeEstimate)
	}
	if t.Created != "" {
		b.WriteString("; created " + shortDate(t.Created, l.now))
	}
	if t.Updated != "" {
		b.WriteString("; updated " + shortDate(t.Updated, l.now))
	}
	if t.URL != "" {
		b.WriteString("; " + t.URL)
	}
	if t.Excerpt != "" {
		b.WriteString("\n  " + strings.ReplaceAll(t.Excerpt, "\n", "\n  "))
	}
}
