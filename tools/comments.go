package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

type GetCommentsArgs struct {
	TaskID         string       `json:"task_id" jsonschema:"required" jsonschema_description:"id, custom id (DEV-123) or URL"`
	IncludeReplies bool         `json:"include_replies,omitempty" jsonschema_description:"with thread replies"`
	Cursor         string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result"`
	WorkspaceID    workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"for custom ids"`
}

type CommentOut struct {
	ID       string `json:"id"`
	Author   string `json:"author"`
	Date     string `json:"date"`
	Text     string `json:"text"`
	Resolved bool   `json:"resolved,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Replies  int64  `json:"replies,omitempty"`
	// Thread holds the replies (oldest first) with include_replies.
	Thread []ReplyOut `json:"thread,omitempty"`
}

// ReplyOut is a reply in a comment's thread.
type ReplyOut struct {
	ID       string `json:"id"`
	Author   string `json:"author"`
	Date     string `json:"date"`
	Text     string `json:"text"`
	Assignee string `json:"assignee,omitempty"`
}

type CommentsResult struct {
	Comments   []CommentOut `json:"comments" jsonschema_description:"newest first"`
	NextCursor string       `json:"next_cursor,omitempty" jsonschema_description:"pass as cursor for older comments"`
	Note       string       `json:"note,omitempty"`

	taskID string // the task commented on, for its link
}

// ResourceLinks: the task the comments are on.
func (r *CommentsResult) ResourceLinks() []mcp.ResourceLink { return render.TaskLink(r.taskID, "") }

// replyFetches bounds the threads one call reads at once: a page holds at
// most 25 comments, and ClickUp's rate limit is per token, so a few at a
// time keep the call short without a burst that starves the token's other
// calls.
const replyFetches = 4

type commentCursor struct {
	Start   int64  `json:"d"`
	StartID string `json:"i"`
}

func GetTaskComments(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_task_comments", Title: "Get task comments", Toolset: toolkit.ToolsetComments, Hints: toolkit.ReadHints,
		Description: "A task's comments, newest first, 25 a page (next_cursor for older ones).",
		Examples: []string{
			`{"task_id": "ACME-1"}`,
			`{"task_id": "ACME-1", "include_replies": true}`,
		},
	}, func(ctx context.Context, s *workspace.Session, a *GetCommentsArgs) (*CommentsResult, string, error) {
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		var page *clickup.CommentPageOptions
		if a.Cursor != "" {
			var c commentCursor
			if err := render.DecodeCursor("cursor", a.Cursor, &c); err != nil {
				return nil, "", err
			}
			page = &clickup.CommentPageOptions{Start: clickup.Millis(c.Start), StartID: c.StartID}
		}
		cs, err := s.Client.Comments.ListForTask(ctx, ref, page)
		if err != nil {
			return nil, "", err
		}
		loc := s.Location(ctx)
		r := &CommentsResult{Comments: make([]CommentOut, 0, len(cs)), taskID: ref.ID}
		size, budget := 100, d.Config().MaxResultTokens
		for i, c := range cs {
			co := CommentOut{
				ID: string(c.ID), Author: c.User.Username, Date: workspace.ISOTime(int64(c.Date), true, loc),
				Text: commentText(ctx, s, c), Resolved: bool(c.Resolved), Replies: int64(c.ReplyCount),
			}
			if c.Assignee != nil {
				co.Assignee = c.Assignee.Username
			}
			// Each comment is in the text and the structured content.
			js, _ := json.Marshal(co)
			if size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(co.line()); size > budget && i > 0 {
				// Over the budget: continue from the last comment shown.
				last := cs[i-1]
				r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(last.Date), StartID: string(last.ID)})
				break
			}
			s.RememberComment(ref, co.ID, "")
			r.Comments = append(r.Comments, co)
		}
		if r.NextCursor == "" && len(cs) >= clickup.CommentPageSize {
			last := cs[len(cs)-1]
			r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(last.Date), StartID: string(last.ID)})
		}
		if a.IncludeReplies {
			addThreads(ctx, s, ref, r, cs, 100, budget)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d comments (newest first)", len(r.Comments))
		for _, c := range r.Comments {
			b.WriteString(c.line())
			for _, rp := range c.Thread {
				b.WriteString(rp.line())
			}
		}
		if r.Note != "" {
			b.WriteString("\n" + r.Note)
		}
		if r.NextCursor != "" {
			fmt.Fprintf(&b, "\nOlder: call again with cursor=%s", r.NextCursor)
		}
		return r, b.String(), nil
	})
}

// commentText is a comment's body as shown: cut at 4,000 bytes, withheld
// under --lockdown when a guest wrote it.
func commentText(ctx context.Context, s *workspace.Session, c clickup.Comment) string {
	if s.Withholds(ctx, int64(c.User.ID)) {
		return render.Withheld
	}
	return render.CutText(strings.TrimRight(c.CommentText, "\n"), 4000)
}

// addThreads reads the threads of the comments shown that have replies
// (only those: one request each, replyFetches at a time) and nests them
// under their comment within the result budget. A thread that cannot be
// read leaves its comment without replies and says so in the note: the
// comments themselves were read, and failing the whole call would hide
// them for one thread's error. Comments past a thread cut at the budget are
// left for the cursor.
func addThreads(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, r *CommentsResult, cs []clickup.Comment, base, budget int) {
	type thread struct {
		replies []clickup.Comment
		err     error
	}
	threads := make([]thread, len(r.Comments))
	sem := make(chan struct{}, replyFetches)
	var wg sync.WaitGroup
	for i, c := range r.Comments {
		if c.Replies <= 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				threads[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			threads[i].replies, threads[i].err = s.Client.Comments.ListReplies(ctx, c.ID)
		}()
	}
	wg.Wait()
	loc := s.Location(ctx)
	var failed []string
	var why error
	// Sizes again from the start: each comment, then its thread.
	size := base
	for i := range r.Comments {
		c := &r.Comments[i]
		js, _ := json.Marshal(c)
		size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(c.line())
		if threads[i].err != nil {
			failed, why = append(failed, c.ID), threads[i].err
			continue
		}
		var thread []ReplyOut
		cut := false
		for _, rp := range threads[i].replies {
			out := ReplyOut{ID: string(rp.ID), Author: rp.User.Username, Date: workspace.ISOTime(int64(rp.Date), true, loc), Text: commentText(ctx, s, rp)}
			if rp.Assignee != nil {
				out.Assignee = rp.Assignee.Username
			}
			js, _ := json.Marshal(out)
			if size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(out.line()); size > budget {
				cut = true
				break
			}
			thread = append(thread, out)
		}
		if cut && i > 0 {
			// This comment and those after it come with the cursor, whole.
			r.Comments = r.Comments[:i]
			last := cs[i-1]
			r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(last.Date), StartID: string(last.ID)})
			r.Note = fmt.Sprintf("Cut at the result budget before comment %s's thread; continue with cursor.", c.ID)
			break
		}
		for _, out := range thread {
			s.RememberComment(ref, out.ID, c.ID)
		}
		c.Thread = thread
		if cut {
			// The first comment's thread alone is over the budget.
			r.Note = fmt.Sprintf("Cut at the result budget: comment %s's thread shows %d of its %d replies.", c.ID, len(thread), len(threads[i].replies))
			if len(r.Comments) > 1 {
				r.Comments = r.Comments[:1]
				r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(cs[0].Date), StartID: string(cs[0].ID)})
			}
			break
		}
	}
	if len(failed) > 0 {
		note := fmt.Sprintf("The replies of comment %s could not be read (%s); call again to retry.", strings.Join(failed, ", "), strings.ReplaceAll(workspace.Explain(why), "\n", "; "))
		r.Note = strings.TrimSpace(r.Note + " " + note)
	}
}

type CreateCommentArgs struct {
	TaskID      string       `json:"task_id" jsonschema:"required" jsonschema_description:"id, custom id (DEV-123) or URL"`
	Text        string       `json:"text" jsonschema:"required" jsonschema_description:"the comment"`
	ReplyTo     string       `json:"reply_to,omitempty" jsonschema_description:"comment id to reply to"`
	Assignee    string       `json:"assignee,omitempty" jsonschema_description:"id, email, username or me"`
	NotifyAll   bool         `json:"notify_all,omitempty" jsonschema_description:"notify everyone on the task"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional with one workspace"`
	// AllowDuplicate skips the write guard.
	AllowDuplicate bool `json:"allow_duplicate,omitempty" jsonschema_description:"post even if just posted (a retry otherwise gets the earlier one)"`
}

type CreateCommentResult struct {
	ID           string `json:"id" jsonschema_description:"empty when ClickUp did not say (a reply) and no read proved it"`
	TaskID       string `json:"task_id"`
	Date         string `json:"date"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"an identical comment was already posted; nothing new was posted"`
}

// ResourceLinks: the task commented on.
func (r *CreateCommentResult) ResourceLinks() []mcp.ResourceLink {
	return render.TaskLink(r.TaskID, "")
}

// posting is one comment or reply to send: where, how, and how to read
// back what may have been made.
type posting struct {
	op, what, where string
	thread          string // the comment replied to; "" for a task comment
	send            func(context.Context) (*clickup.CreatedComment, error)
	// read lists the comments the new one is among, and whether the list
	// may hide it (a full page).
	read func(context.Context) ([]clickup.Comment, bool, error)
}

func CreateTaskComment(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_task_comment", Title: "Comment on task", Toolset: toolkit.ToolsetComments, Hints: toolkit.CreateHints,
		Description: "Comment on a task, or reply to one of its comments; optionally assigned.",
		Examples: []string{
			`{"task_id": "ACME-1", "text": "Reviewed: looks good to me."}`,
			`{"task_id": "ACME-1", "text": "Agreed, shipping it.", "reply_to": "90150000000006"}`,
		},
		Target: &toolkit.Target{Task: "task_id", Workspace: "workspace_id"},
	}, func(ctx context.Context, s *workspace.Session, a *CreateCommentArgs) (*CreateCommentResult, string, error) {
		if strings.TrimSpace(a.Text) == "" {
			return nil, "", workspace.InvalidArg("text", "is required")
		}
		ref, err := s.TaskRef(ctx, "task_id", a.TaskID, string(a.WorkspaceID))
		if err != nil {
			return nil, "", err
		}
		body := &clickup.CommentCreate{CommentText: a.Text, NotifyAll: a.NotifyAll}
		if a.Assignee != "" {
			ws, err := s.Workspace(ctx, string(a.WorkspaceID))
			if err != nil {
				return nil, "", err
			}
			ids, err := s.ResolveUsers(ctx, ws, "assignee", []string{a.Assignee})
			if err != nil {
				return nil, "", err
			}
			body.Assignee = &ids[0]
		}
		p := posting{
			op: "create_comment", what: "comment",
			where: fmt.Sprintf("read task %s's comments (clickup_get_task_comments) for yours with this text", ref.ID),
			send: func(ctx context.Context) (*clickup.CreatedComment, error) {
				return s.Client.Comments.CreateForTask(ctx, ref, body)
			},
			read: func(ctx context.Context) ([]clickup.Comment, bool, error) {
				cs, err := s.Client.Comments.ListForTask(ctx, ref, nil)
				return cs, len(cs) >= clickup.CommentPageSize, err
			},
		}
		if a.ReplyTo != "" {
			thread, err := replyThread(ctx, s, ref, a.ReplyTo)
			if err != nil {
				return nil, "", err
			}
			p = posting{
				op: "create_reply", what: "reply", thread: thread,
				where: fmt.Sprintf("read comment %s's thread on task %s (clickup_get_task_comments with include_replies) for yours with this text", thread, ref.ID),
				send: func(ctx context.Context) (*clickup.CreatedComment, error) {
					return s.Client.Comments.CreateReply(ctx, thread, body)
				},
				read: func(ctx context.Context) ([]clickup.Comment, bool, error) {
					cs, err := s.Client.Comments.ListReplies(ctx, thread)
					return cs, false, err
				},
			}
		}
		return postComment(ctx, s, ref, body, p, a.AllowDuplicate)
	})
}

// replyThread finds the thread a reply to comment id goes in: the
// comment's own, or for a reply (ClickUp's threads are one level deep) its
// comment's. The comment must be on the task: the write scope was checked
// for that task, and the answer names it. A comment this session read costs
// no request; another is looked for among the task's newest comments.
func replyThread(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", workspace.InvalidArg("reply_to", "%q is not a comment id: use the id (digits) of a comment from clickup_get_task_comments", id)
	}
	check := func() (string, bool, error) {
		p, known, same, sure := s.CommentOn(id, ref)
		if !known || !sure {
			return "", false, nil
		}
		if !same {
			return "", true, workspace.InvalidArg("reply_to", "comment %s is on another task, not %s: reply on the task it belongs to, or pick a comment of %s from clickup_get_task_comments", id, ref.ID, ref.ID)
		}
		if p.Thread != "" {
			return p.Thread, true, nil
		}
		return id, true, nil
	}
	if th, known, err := check(); known || err != nil {
		return th, err
	}
	var page *clickup.CommentPageOptions
	for range replyScanPages {
		cs, err := s.Client.Comments.ListForTask(ctx, ref, page)
		if err != nil {
			return "", err
		}
		for _, c := range cs {
			s.RememberComment(ref, string(c.ID), "")
		}
		if th, known, err := check(); known || err != nil {
			return th, err
		}
		if len(cs) < clickup.CommentPageSize {
			break
		}
		last := cs[len(cs)-1]
		page = &clickup.CommentPageOptions{Start: last.Date, StartID: string(last.ID)}
	}
	return "", workspace.InvalidArg("reply_to", "comment %s is not among task %s's %d newest comments: use a comment id from clickup_get_task_comments for this task (with include_replies, a reply's id answers in its thread)", id, ref.ID, replyScanPages*clickup.CommentPageSize)
}

// replyScanPages bounds the pages of a task's comments read to find a
// comment this session has not seen.
const replyScanPages = 4

// postComment sends a comment or reply through the write guard: never
// twice for a retry, a lost answer proven from a read or reported unknown.
func postComment(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, body *clickup.CommentCreate, p posting, allowDuplicate bool) (*CreateCommentResult, string, error) {
	loc := s.Location(ctx)
	done := func(r *CreateCommentResult) string {
		if p.thread == "" {
			return fmt.Sprintf("Comment %s added to task %s.", r.ID, r.TaskID)
		}
		if r.ID == "" {
			return fmt.Sprintf("Reply added to comment %s's thread on task %s. ClickUp answers a reply without its id and a read of the thread did not single yours out, so its id is not known: %s.", p.thread, r.TaskID, p.where)
		}
		return fmt.Sprintf("Reply %s added to comment %s's thread on task %s.", r.ID, p.thread, r.TaskID)
	}
	// sendOne posts and learns the new comment's id and date: from the
	// answer, or (a reply: ClickUp answers {}) from a read of the thread.
	sendOne := func(ctx context.Context, start time.Time) (string, clickup.Millis, error) {
		c, err := p.send(ctx)
		if err != nil {
			return "", 0, err
		}
		if c.ID != "" {
			return string(c.ID), c.Date, nil
		}
		if found, ok := ownNew(ctx, s, p, body, start); ok {
			return string(found.ID), found.Date, nil
		}
		return "", 0, nil
	}
	if allowDuplicate {
		id, date, err := sendOne(ctx, s.Now())
		if err != nil {
			if writeguard.MaybeApplied(err) {
				return nil, "", workspace.WithHint(err, "Outcome unknown: the %s may have been applied (ClickUp's answer was lost), or not. With allow_duplicate=true nothing is checked or remembered: %s before posting again.", p.what, p.where)
			}
			return nil, "", err
		}
		r := &CreateCommentResult{ID: id, TaskID: ref.ID, Date: workspace.ISOTime(int64(date), true, loc)}
		return r, done(r), nil
	}
	var tk *writeguard.Ticket
	var err error
	if p.thread == "" {
		tk, err = s.BeginWrite(ctx, p.op, ref, body)
	} else {
		tk, err = s.BeginWrite(ctx, p.op, ref, p.thread, body)
	}
	if err != nil {
		return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
	}
	defer tk.Close()
	if tk.Replay != nil {
		var r CreateCommentResult
		if json.Unmarshal(tk.Replay.Data, &r) != nil {
			r = CreateCommentResult{ID: tk.Replay.Ref, TaskID: ref.ID}
		}
		r.Deduplicated = true
		what := p.what + " " + r.ID
		if r.ID == "" {
			what = p.what + " (its id is not known)"
		}
		return &r, fmt.Sprintf("Already posted moments ago (not posted again): %s on task %s. Pass allow_duplicate=true to post another.", what, r.TaskID), nil
	}
	var date clickup.Millis
	unnamed := ""
	seen := map[string]clickup.Comment{}
	id, how, err := tk.Send(ctx, writeguard.Write{
		What: p.what, Where: p.where,
		Send: func(ctx context.Context) (string, error) {
			start := s.Now()
			id, d, err := sendOne(ctx, start)
			if err != nil {
				return "", err
			}
			date = d
			if id == "" {
				// Posted, id unknown: a ref of its own, so that a retry is
				// answered with this outcome and never claims another's.
				unnamed = fmt.Sprintf("reply:%s:%d", p.thread, start.UnixNano())
				return unnamed, nil
			}
			return id, nil
		},
		Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
			return commentEvidence(ctx, s, p, body, since, seen)
		},
	})
	if err != nil {
		return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
	}
	r := &CreateCommentResult{ID: id, TaskID: ref.ID, Deduplicated: how == writeguard.FoundEarlier}
	if id == unnamed {
		r.ID = ""
	}
	note := ""
	if how == writeguard.Sent {
		r.Date = workspace.ISOTime(int64(date), true, loc)
	} else {
		r.Date = workspace.ISOTime(int64(seen[id].Date), true, loc)
		note = fmt.Sprintf("\nClickUp's answer was lost; a check proved this %s is this call's own (same author, posted after the call began, same text): posted once.", p.what)
		if how == writeguard.FoundEarlier {
			note = fmt.Sprintf("\nAn earlier identical call lost ClickUp's answer; a check proved this %s is its write: not posted again.", p.what)
		}
	}
	data, _ := json.Marshal(r)
	tk.Done(ctx, id, data)
	return r, done(r) + note, nil
}

// ownNew finds the one comment of p's list that is this call's: by the
// token's user, with the text sent, made since start (within the clock
// skew allowed). Several or none: not found.
func ownNew(ctx context.Context, s *workspace.Session, p posting, body *clickup.CommentCreate, start time.Time) (clickup.Comment, bool) {
	seen := map[string]clickup.Comment{}
	ev, err := commentEvidence(ctx, s, p, body, start, seen)
	if err != nil {
		return clickup.Comment{}, false
	}
	var found []clickup.Comment
	for _, c := range ev.Candidates {
		if c.Creator == ev.Self && len(c.Differs) == 0 && !c.Created.Before(start.Add(-ownSkew)) {
			found = append(found, seen[c.Ref])
		}
	}
	if len(found) != 1 {
		return clickup.Comment{}, false
	}
	return found[0], true
}

// ownSkew is the clock difference allowed between this server and ClickUp
// when a reply's date is compared with the time its post began (the write
// guard's default).
const ownSkew = time.Second

// commentEvidence lists the comments of p's list with the text body sent,
// made since about since.
func commentEvidence(ctx context.Context, s *workspace.Session, p posting, body *clickup.CommentCreate, since time.Time, seen map[string]clickup.Comment) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	cs, mayHide, err := p.read(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	ev := writeguard.Evidence{Self: strconv.FormatInt(int64(me.ID), 10)}
	oldest := time.Time{}
	for _, c := range cs {
		if oldest.IsZero() || c.Date.Time().Before(oldest) {
			oldest = c.Date.Time()
		}
		if workspace.NormText(c.CommentText) != workspace.NormText(body.CommentText) || c.Date.Time().Before(since.Add(-workspace.SearchSkew)) {
			continue
		}
		seen[string(c.ID)] = c
		var differs []string
		var got int64
		if c.Assignee != nil {
			got = int64(c.Assignee.ID)
		}
		var want int64
		if body.Assignee != nil {
			want = *body.Assignee
		}
		if got != want {
			differs = append(differs, "assignee")
		}
		ev.Candidates = append(ev.Candidates, writeguard.Candidate{
			Ref: string(c.ID), Label: render.CutText(c.CommentText, 60), Creator: strconv.FormatInt(int64(c.User.ID), 10),
			Created: c.Date.Time(), Differs: differs,
		})
	}
	// A full page whose oldest comment is still newer than the window may
	// hide the one we look for.
	ev.Partial = mayHide && !oldest.Before(since.Add(-workspace.SearchSkew))
	return ev, nil
}

// line renders a reply under its comment, indented.
func (c ReplyOut) line() string {
	if c.Text == render.Withheld {
		return fmt.Sprintf("\n  - reply by %s, %s (id %s): %s", workspace.Flat(c.Author), c.Date, c.ID, render.Withheld)
	}
	return fmt.Sprintf("\n  - reply by %s, %s (id %s):\n%s", workspace.Flat(c.Author), c.Date, c.ID, workspace.Quoted("Reply", c.Author, c.Text))
}

// line renders a comment in the text: its one-line fields flattened, its
// body quoted as data with its author (or withheld under --lockdown).
func (c CommentOut) line() string {
	if c.Text == render.Withheld {
		return fmt.Sprintf("\n- %s, %s (id %s): %s", workspace.Flat(c.Author), c.Date, c.ID, render.Withheld)
	}
	return fmt.Sprintf("\n- %s, %s (id %s):\n%s", workspace.Flat(c.Author), c.Date, c.ID, workspace.Quoted("Comment", c.Author, c.Text))
}
