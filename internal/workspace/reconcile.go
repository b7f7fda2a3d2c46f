package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

// Every non-idempotent write (POST) goes through the write guard
// (internal/writeguard): identical calls in flight send once, a done write
// is answered from memory, and a write whose answer was lost counts as done
// only when a check proves it is this call's own. The happy path costs no
// request; a lost answer costs one GET (plus GET /v2/user when the user is
// not cached).

// SearchSkew widens the list query for clock differences; the proof itself
// compares dates with the guard's much smaller Skew.
const SearchSkew = 2 * time.Minute

// BeginWrite begins the guarded write op of this session's token, keyed by
// the canonical digest of parts (what is sent): see writeguard.Guard.Begin.
func (s *Session) BeginWrite(ctx context.Context, op string, parts ...any) (*writeguard.Ticket, error) {
	return s.deps.guard.Begin(ctx, writeguard.Call{Owner: s.owner, Op: op, Digest: writeguard.Digest(parts...), Accepted: s.Client.Accepted})
}

// TaskDigest is what a create sends, in a canonical form: assignees and
// tags are sets to ClickUp.
func TaskDigest(listID string, b *clickup.TaskCreate) any {
	c := *b
	c.Assignees = slices.Clone(b.Assignees)
	slices.Sort(c.Assignees)
	c.Tags = make([]string, 0, len(b.Tags))
	for _, t := range b.Tags {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			c.Tags = append(c.Tags, t)
		}
	}
	slices.Sort(c.Tags)
	return struct {
		List string              `json:"list"`
		Body *clickup.TaskCreate `json:"body"`
	}{listID, &c}
}

// CreateTask sends one create under tk (which must not be a replay) and
// returns the task it made or proved to be its own.
func (s *Session) CreateTask(ctx context.Context, tk *writeguard.Ticket, listID string, body *clickup.TaskCreate) (*clickup.Task, writeguard.How, error) {
	var made *clickup.Task
	seen := map[string]*clickup.Task{}
	where := fmt.Sprintf("search list %s (clickup_search_tasks) for a task named %q", listID, body.Name)
	if body.Parent != "" {
		where = fmt.Sprintf("read task %s's subtasks (clickup_get_task) for one named %q", body.Parent, body.Name)
	}
	ref, how, err := tk.Send(ctx, writeguard.Write{
		What: "task", Where: where,
		Send: func(ctx context.Context) (string, error) {
			t, err := s.Client.Tasks.Create(ctx, listID, body)
			if err != nil {
				return "", err
			}
			made = t
			return string(t.ID), nil
		},
		Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
			return s.taskEvidence(ctx, listID, body, since, seen)
		},
	})
	if err != nil {
		return nil, how, err
	}
	if how == writeguard.Sent {
		return made, how, nil
	}
	return seen[ref], how, nil
}

// taskEvidence lists the tasks of listID named like body made since about
// since, with how each differs from body.
func (s *Session) taskEvidence(ctx context.Context, listID string, body *clickup.TaskCreate, since time.Time, seen map[string]*clickup.Task) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	page, err := s.Client.Tasks.ListInList(ctx, listID, &clickup.ListTasksOptions{
		Subtasks: true, IncludeClosed: true, IncludeMarkdownDescription: true,
		DateCreatedGt: clickup.MillisOf(since.Add(-SearchSkew)),
	})
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: strconv.FormatInt(int64(me.ID), 10), Partial: len(page.Tasks) >= clickup.PageSize}
	name := strings.TrimSpace(body.Name)
	for i := range page.Tasks {
		t := &page.Tasks[i]
		if strings.TrimSpace(t.Name) != name {
			continue
		}
		seen[string(t.ID)] = t
		ev.Candidates = append(ev.Candidates, writeguard.Candidate{
			Ref: string(t.ID), Label: t.Name, Creator: strconv.FormatInt(int64(t.Creator.ID), 10),
			Created: t.DateCreated.Time(), Differs: taskDiffers(body, t),
		})
	}
	return ev, nil
}

// taskDiffers names the fields of t that are not what body sent. A field
// not sent must be empty on t: ClickUp fills none of these by itself.
func taskDiffers(b *clickup.TaskCreate, t *clickup.Task) []string {
	var d []string
	add := func(ok bool, name string) {
		if !ok {
			d = append(d, name)
		}
	}
	md := t.MarkdownDescription
	if md == "" {
		md = t.Description
	}
	sent := b.MarkdownContent
	if sent == "" {
		sent = b.Description
	}
	add(NormText(md) == NormText(sent), "description")
	var got []int64
	for _, u := range t.Assignees {
		got = append(got, int64(u.ID))
	}
	want := slices.Clone(b.Assignees)
	slices.Sort(got)
	slices.Sort(want)
	add(slices.Equal(got, want), "assignees")
	var gotTags, wantTags []string
	for _, tg := range t.Tags {
		gotTags = append(gotTags, strings.ToLower(strings.TrimSpace(tg.Name)))
	}
	for _, tg := range b.Tags {
		if tg = strings.ToLower(strings.TrimSpace(tg)); tg != "" && !slices.Contains(wantTags, tg) {
			wantTags = append(wantTags, tg)
		}
	}
	slices.Sort(gotTags)
	slices.Sort(wantTags)
	add(slices.Equal(gotTags, wantTags), "tags")
	if b.Status != "" {
		add(strings.EqualFold(strings.TrimSpace(t.Status.Status), strings.TrimSpace(b.Status)), "status")
	}
	gotPrio := ""
	if t.Priority != nil {
		gotPrio = string(t.Priority.ID)
	}
	wantPrio := ""
	if b.Priority != nil {
		wantPrio = strconv.Itoa(*b.Priority)
	}
	add(gotPrio == wantPrio, "priority")
	add(int64(t.DueDate) == deref(b.DueDate), "due_date")
	add(int64(t.StartDate) == deref(b.StartDate), "start_date")
	add(int64(t.TimeEstimate) == deref(b.TimeEstimate), "time_estimate")
	wantPts := 0.0
	if b.Points != nil {
		wantPts = *b.Points
	}
	add(float64(t.Points) == wantPts, "points")
	add(string(t.Parent) == b.Parent, "parent")
	for _, cf := range b.CustomFields {
		ok := false
		for i := range t.CustomFields {
			if have := &t.CustomFields[i]; string(have.ID) == cf.ID {
				ok = SameFieldValue(have, cf.Value)
				break
			}
		}
		add(ok, "custom field "+cf.ID)
	}
	return d
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// NormText is text as compared for a match: trimmed, with \n line ends.
func NormText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// UnguardedLost explains a lost create made with allow_duplicate, which is
// never reconciled: the model must look.
func UnguardedLost(err error, where string) error {
	if !writeguard.MaybeApplied(err) {
		return err
	}
	return WithHint(err, "Outcome unknown: the task may have been applied (ClickUp's answer was lost), or not. With allow_duplicate=true nothing is checked or remembered: %s before calling again, or calling again may make a second one.", where)
}

// GuardErr turns the guard's errors into advice for the model; flag is the
// argument that skips the guard ("" when none).
func GuardErr(err error, flag string) error {
	var ue *writeguard.UnknownError
	switch {
	case errors.As(err, &ue):
		return WithHint(err, "%s", ue.Advice(flag))
	case errors.Is(err, writeguard.ErrInFlight):
		return WithHint(err, "Call again with the same arguments in a moment: it returns the other call's outcome and sends nothing twice.")
	}
	return err
}
