package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/mark3labs/mcp-go/mcp"
)

// This file exports the pieces of the tools that the prompts and resources
// (package prompts) build on, so both read ClickUp the same way: the same
// task-id forms, dates, members, error advice and hierarchy.

// ResolveTaskRef reads any task-id form (native id, custom id like DEV-123,
// task URL) into a reference; custom ids use workspace, else the default.
func (s *Session) ResolveTaskRef(ctx context.Context, value, workspace string) (clickup.TaskRef, error) {
	return s.taskRef(ctx, "task_id", value, workspace)
}

// Members returns a workspace's members from the cached identity.
func (s *Session) Members(ctx context.Context, workspaceID string) ([]clickup.User, error) {
	return s.members(ctx, workspaceID)
}

// Explain renders an error the way tool results do: what failed, the ClickUp
// error code, and what to do next (with the token's workspaces when a
// workspace was refused).
func (s *Session) Explain(ctx context.Context, err error) string {
	return explain(s.explainWorkspaceErr(ctx, err))
}

// Explain renders an error without a session (e.g. no token).
func Explain(err error) string { return explain(err) }

// IsArgError reports whether err is a bad argument the caller can fix.
func IsArgError(err error) bool {
	var ae *ArgError
	return errors.As(err, &ae)
}

// ParseDate reads a date as the tools do ("2026-12-01", "yesterday", "next
// friday"), in the configured time zone; hasTime reports a time of day.
func (d *Deps) ParseDate(arg, value string) (t time.Time, hasTime bool, err error) {
	return parseDate(arg, value, d.cfg.Location, d.cfg.Now())
}

// TaskDetailOf is the full rendering clickup_get_task returns for a task.
func TaskDetailOf(t *clickup.Task, loc *time.Location) *TaskDetail { return detail(t, loc) }

// Hierarchy returns a workspace's spaces, folders and lists, exactly as
// clickup_get_workspace_hierarchy does; a failure comes back as an error
// whose text is already explained for a model.
func (d *Deps) Hierarchy(ctx context.Context, workspaceID string) (*HierarchyResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = "clickup_get_workspace_hierarchy"
	if workspaceID != "" {
		req.Params.Arguments = map[string]any{"workspace_id": workspaceID}
	}
	res, err := GetWorkspaceHierarchy(d).Handler(ctx, req)
	if err != nil {
		return nil, err
	}
	if res.IsError {
		return nil, &ExplainedError{Text: resultText(res)}
	}
	h, ok := res.StructuredContent.(*HierarchyResult)
	if !ok {
		return nil, fmt.Errorf("tools: hierarchy result is %T", res.StructuredContent)
	}
	return h, nil
}

// ExplainedError carries an error already rendered for a model.
type ExplainedError struct{ Text string }

func (e *ExplainedError) Error() string { return e.Text }

func resultText(r *mcp.CallToolResult) string {
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			return tc.Text
		}
	}
	return "unknown error"
}
