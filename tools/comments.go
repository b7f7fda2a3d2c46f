package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/writeguard"
)

type GetCommentsArgs struct {
	TaskID      string       `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id (DEV-123) or task URL"`
	Cursor      string       `json:"cursor,omitempty" jsonschema_description:"next_cursor of a previous result, for older comments"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"for custom ids; optional when the token has one workspace"`
}

type CommentOut struct {
	ID       string `json:"id"`
	Author   string `json:"author"`
	Date     string `json:"date"`
	Text     string `json:"text"`
	Resolved bool   `json:"resolved,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Replies  int64  `json:"replies,omitempty"`
}

type CommentsResult struct {
	Comments   []CommentOut `json:"comments" jsonschema_description:"newest first"`
	NextCursor string       `json:"next_cursor,omitempty" jsonschema_description:"pass as cursor for older comments"`

	taskID string // the task commented on, for its link
}

// ResourceLinks: the task the comments are on.
func (r *CommentsResult) ResourceLinks() []mcp.ResourceLink { return render.TaskLink(r.taskID, "") }

type commentCursor struct {
	Start   int64  `json:"d"`
	StartID string `json:"i"`
}

func GetTaskComments(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_get_task_comments", Title: "Get task comments", Toolset: toolkit.ToolsetComments, Hints: toolkit.ReadHints,
		Description: "A task's comments, newest first, 25 at a time; next_cursor fetches older ones.",
		Examples: []string{
			`{"task_id": "ACME-1"}`,
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
		r := &CommentsResult{Comments: make([]CommentOut, 0, len(cs)), taskID: ref.ID}
		size, budget := 100, d.Config().MaxResultTokens
		for i, c := range cs {
			co := CommentOut{
				ID: string(c.ID), Author: c.User.Username, Date: workspace.ISOTime(int64(c.Date), true, s.Location(ctx)),
				Text: strings.TrimRight(c.CommentText, "\n"), Resolved: bool(c.Resolved), Replies: int64(c.ReplyCount),
			}
			if c.Assignee != nil {
				co.Assignee = c.Assignee.Username
			}
			co.Text = render.CutText(co.Text, 4000)
			if s.Withholds(ctx, int64(c.User.ID)) {
				co.Text = render.Withheld
			}
			// Each comment is in the text and the structured content.
			js, _ := json.Marshal(co)
			if size += toolkit.EstimateJSONTokens(js) + toolkit.EstimateTokens(co.line()); size > budget && i > 0 {
				// Over the budget: continue from the last comment shown.
				last := cs[i-1]
				r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(last.Date), StartID: string(last.ID)})
				break
			}
			r.Comments = append(r.Comments, co)
		}
		if r.NextCursor == "" && len(cs) >= clickup.CommentPageSize {
			last := cs[len(cs)-1]
			r.NextCursor = render.EncodeCursor(commentCursor{Start: int64(last.Date), StartID: string(last.ID)})
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d comments (newest first)", len(r.Comments))
		for _, c := range r.Comments {
			b.WriteString(c.line())
		}
		if r.NextCursor != "" {
			fmt.Fprintf(&b, "\nOlder: call again with cursor=%s", r.NextCursor)
		}
		return r, b.String(), nil
	})
}

type CreateCommentArgs struct {
	TaskID      string       `json:"task_id" jsonschema:"required" jsonschema_description:"task id, custom id (DEV-123) or task URL"`
	Text        string       `json:"text" jsonschema:"required" jsonschema_description:"the comment"`
	Assignee    string       `json:"assignee,omitempty" jsonschema_description:"assign the comment to this person (id, email, username or me)"`
	NotifyAll   bool         `json:"notify_all,omitempty" jsonschema_description:"notify everyone on the task"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
	// AllowDuplicate skips the write guard.
	AllowDuplicate bool `json:"allow_duplicate,omitempty" jsonschema_description:"post even if this identical comment was just posted by this server (retries are otherwise answered with the earlier comment)"`
}

type CreateCommentResult struct {
	ID           string `json:"id"`
	TaskID       string `json:"task_id"`
	Date         string `json:"date"`
	Deduplicated bool   `json:"deduplicated,omitempty" jsonschema_description:"an identical comment was already posted; nothing new was posted"`
}

// ResourceLinks: the task commented on.
func (r *CreateCommentResult) ResourceLinks() []mcp.ResourceLink {
	return render.TaskLink(r.TaskID, "")
}

func CreateTaskComment(d *workspace.Deps) toolkit.Tool {
	return newTool(d, toolkit.Spec{
		Name: "clickup_create_task_comment", Title: "Comment on task", Toolset: toolkit.ToolsetComments, Hints: toolkit.CreateHints,
		Description: "Add a comment to a task, optionally assigned to someone.",
		Examples: []string{
			`{"task_id": "ACME-1", "text": "Reviewed: looks good to me."}`,
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
		where := fmt.Sprintf("read task %s's comments (clickup_get_task_comments) for yours with this text", ref.ID)
		if a.AllowDuplicate {
			c, err := s.Client.Comments.CreateForTask(ctx, ref, body)
			if err != nil {
				if writeguard.MaybeApplied(err) {
					return nil, "", workspace.WithHint(err, "Outcome unknown: the comment may have been applied (ClickUp's answer was lost), or not. With allow_duplicate=true nothing is checked or remembered: %s before posting again.", where)
				}
				return nil, "", err
			}
			r := &CreateCommentResult{ID: string(c.ID), TaskID: ref.ID, Date: workspace.ISOTime(int64(c.Date), true, s.Location(ctx))}
			return r, fmt.Sprintf("Comment %s added to task %s.", r.ID, r.TaskID), nil
		}
		tk, err := s.BeginWrite(ctx, "create_comment", ref, body)
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
			return &r, fmt.Sprintf("Already posted moments ago (not posted again): comment %s on task %s. Pass allow_duplicate=true to post another.", r.ID, r.TaskID), nil
		}
		var made *clickup.CreatedComment
		seen := map[string]clickup.Comment{}
		id, how, err := tk.Send(ctx, writeguard.Write{
			What: "comment", Where: where,
			Send: func(ctx context.Context) (string, error) {
				c, err := s.Client.Comments.CreateForTask(ctx, ref, body)
				if err != nil {
					return "", err
				}
				made = c
				return string(c.ID), nil
			},
			Check: func(ctx context.Context, since time.Time) (writeguard.Evidence, error) {
				return commentEvidence(ctx, s, ref, body, since, seen)
			},
		})
		if err != nil {
			return nil, "", workspace.GuardErr(err, "allow_duplicate=true")
		}
		r := &CreateCommentResult{ID: id, TaskID: ref.ID, Deduplicated: how == writeguard.FoundEarlier}
		note := ""
		if how == writeguard.Sent {
			r.Date = workspace.ISOTime(int64(made.Date), true, s.Location(ctx))
		} else {
			r.Date = workspace.ISOTime(int64(seen[id].Date), true, s.Location(ctx))
			note = "\nClickUp's answer was lost; a check proved this comment is this call's own (same author, posted after the call began, same text): posted once."
			if how == writeguard.FoundEarlier {
				note = "\nAn earlier identical call lost ClickUp's answer; a check proved this comment is its write: not posted again."
			}
		}
		data, _ := json.Marshal(r)
		tk.Done(ctx, id, data)
		return r, fmt.Sprintf("Comment %s added to task %s.%s", r.ID, r.TaskID, note), nil
	})
}

// commentEvidence lists the task's newest comments with the text body
// sent, made since about since.
func commentEvidence(ctx context.Context, s *workspace.Session, ref clickup.TaskRef, body *clickup.CommentCreate, since time.Time, seen map[string]clickup.Comment) (writeguard.Evidence, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return writeguard.Evidence{}, err
	}
	cs, err := s.Client.Comments.ListForTask(ctx, ref, nil)
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
	ev.Partial = len(cs) >= clickup.CommentPageSize && !oldest.Before(since.Add(-workspace.SearchSkew))
	return ev, nil
}

// line renders a comment in the text: its one-line fields flattened, its
// body quoted as data with its author (or withheld under --lockdown).
func (c CommentOut) line() string {
	if c.Text == render.Withheld {
		return fmt.Sprintf("\n- %s, %s (id %s): %s", workspace.Flat(c.Author), c.Date, c.ID, render.Withheld)
	}
	return fmt.Sprintf("\n- %s, %s (id %s):\n%s", workspace.Flat(c.Author), c.Date, c.ID, workspace.Quoted("Comment", c.Author, c.Text))
}
