package render

import (
	"fmt"
	"strings"
	"time"
)

// ShortDate renders an ISO date or date-time from a summary for text, as
// briefly as stays unambiguous: "Dec 3" or "Dec 3 17:00" in now's year,
// "Jan 19 2027" otherwise; no seconds or offset, since the text names its
// zone once (ZoneLabel). The structured content keeps the ISO form.
func ShortDate(iso string, now time.Time) string {
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

// ZoneLabel names the zone dates are shown in: its IANA name, or, for the
// machine's unnamed zone, its abbreviation and offset now.
func ZoneLabel(loc *time.Location, now time.Time) string {
	if n := loc.String(); n != "" && n != "Local" {
		return n
	}
	return now.In(loc).Format("MST (-07:00)")
}

// TaskList renders search results as text: one line a task with id, custom
// id, status, name, due date and assignees (priority and tags, like the
// rest of the structured content, with detail=full). What tasks share is
// said once instead of on each line: the zone of the times in the head
// line, and the list, in the head when every task is in one list, or as a
// heading over each list's tasks when the order is ClickUp's default (by
// list, in the order lists first appear; the structured content keeps
// ClickUp's order). full adds the fields detail=full asks for, and the
// excerpt under the line.
type TaskList struct {
	Tasks []SearchTask
	Full  bool
	// Ordered: the caller asked for an order (order_by), so lines keep it
	// and name their list instead of being grouped.
	Ordered bool
	Loc     *time.Location
	Now     time.Time
}

// Head is the part of the first line after the count: the one list every
// task is in, and the zone of the times shown.
func (l TaskList) Head() string {
	var parts []string
	if n := l.lists(); len(n) == 1 && len(l.Tasks) > 1 {
		parts = append(parts, "all in list "+n[0].label())
	}
	for _, t := range l.Tasks {
		if len(t.Due) > len(time.DateOnly) || (l.Full && (len(t.Start) > len(time.DateOnly) || t.Created != "")) {
			parts = append(parts, "times "+ZoneLabel(l.Loc, l.Now))
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
	return flat(r.name) + " (" + r.id + ")"
}

// lists are the lists of the tasks, in the order they first appear.
func (l TaskList) lists() []listRef {
	var out []listRef
	seen := map[string]bool{}
	for _, t := range l.Tasks {
		if t.ListID == "" || seen[t.ListID] {
			continue
		}
		seen[t.ListID] = true
		out = append(out, listRef{t.ListID, t.List})
	}
	return out
}

// Write writes the tasks' lines, grouped by list as TaskList says.
func (l TaskList) Write(b *strings.Builder) {
	lists := l.lists()
	switch {
	case len(lists) == 1 && len(l.Tasks) > 1:
		// Said in the head line.
		for i := range l.Tasks {
			l.Line(b, &l.Tasks[i], false)
		}
	case len(lists) > 1 && !l.Ordered:
		for _, ref := range lists {
			b.WriteString("\nIn list " + ref.label() + ":")
			for i := range l.Tasks {
				if l.Tasks[i].ListID == ref.id {
					l.Line(b, &l.Tasks[i], false)
				}
			}
		}
		for i := range l.Tasks {
			if l.Tasks[i].ListID == "" {
				l.Line(b, &l.Tasks[i], true)
			}
		}
	default:
		for i := range l.Tasks {
			l.Line(b, &l.Tasks[i], true)
		}
	}
}

// Line writes one task's line, naming its list when withList.
func (l TaskList) Line(b *strings.Builder, t *SearchTask, withList bool) {
	b.WriteString("\n")
	b.WriteString(t.ID)
	if t.CustomID != "" {
		b.WriteString(" " + t.CustomID)
	}
	fmt.Fprintf(b, " [%s] %s", flat(t.Status), flat(t.Name))
	if t.Due != "" {
		b.WriteString("; due " + ShortDate(t.Due, l.Now))
	}
	if len(t.Assignees) > 0 {
		b.WriteString("; @" + strings.Join(flatAll(t.Assignees), " @"))
	}
	if withList && t.List != "" {
		b.WriteString("; list " + flat(t.List))
	}
	if t.Parent != "" {
		b.WriteString("; subtask of " + t.Parent)
	}
	if !l.Full {
		return
	}
	if t.Priority != "" {
		b.WriteString("; " + t.Priority)
	}
	if len(t.Tags) > 0 {
		b.WriteString("; #" + strings.Join(flatAll(t.Tags), " #"))
	}
	if t.Start != "" {
		b.WriteString("; start " + ShortDate(t.Start, l.Now))
	}
	if t.TimeEstimate != "" {
		b.WriteString("; estimate " + t.TimeEstimate)
	}
	if t.Created != "" {
		b.WriteString("; created " + ShortDate(t.Created, l.Now))
	}
	if t.Updated != "" {
		b.WriteString("; updated " + ShortDate(t.Updated, l.Now))
	}
	if t.URL != "" {
		b.WriteString("; " + t.URL)
	}
	if t.Excerpt != "" {
		b.WriteString("\n  " + strings.ReplaceAll(t.Excerpt, "\n", "\n  "))
	}
}
