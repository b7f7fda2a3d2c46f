package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/clickup-mcp/clickup-mcp/clickup"
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
}

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
		r := &CommentsResult{Comments: make([]CommentOut, 0, len(cs))}
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
	NotifyAll   bool         `json:"notify_all,omitempty"`
	WorkspaceID workspace.ID `json:"workspace_id,omitempty" jsonschema_description:"optional when the token has one workspace"`
}

type CreateCommentResult struct {
	ID     string `json:"id"`
	TaskID string `json:"task_id"`
	Date   string `json:"date"`
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
		c, err := s.Client.Comments.CreateForTask(ctx, ref, body)
		if err != nil {
			return nil, "", err
		}
		r := &CreateCommentResult{ID: string(c.ID), TaskID: ref.ID, Date: workspace.ISOTime(int64(c.Date), true, s.Location(ctx))}
		return r, fmt.Sprintf("Comment %s added to task %s.", r.ID, r.TaskID), nil
	})
}

func (c CommentOut) line() string {
	return fmt.Sprintf("\n- %s, %s (id %s): %s", c.Author, c.Date, c.ID, c.Text)
}
