package tools

import (
	"context"
	"errors"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// This file exports the pieces of the tools that the prompts and resources
// (package prompts) build on, so both read ClickUp the same way: the same
// task-id forms, names and paths, dates and time zone, members, hierarchy
// cache and error advice.

// ResolveTaskRef reads any task-id form (native id, custom id like DEV-123,
// task URL) into a reference; custom ids use workspace, else the default.
func (s *Session) ResolveTaskRef(ctx context.Context, value, workspace string) (clickup.TaskRef, error) {
	return s.taskRef(ctx, "task_id", value, workspace)
}

// ResolveList turns a list id, name or path (Space/Folder/List) into a list
// id, as the tools' list_id arguments do; arg names the argument in errors.
func (s *Session) ResolveList(ctx context.Context, workspaceID, arg, value string) (string, error) {
	return s.resolveNode(ctx, workspaceID, arg, value, kindList)
}

// ResolveSpace turns a space id or name into a space id.
func (s *Session) ResolveSpace(ctx context.Context, workspaceID, arg, value string) (string, error) {
	return s.resolveNode(ctx, workspaceID, arg, value, kindSpace)
}

// Tree returns a workspace's spaces, folders and lists from the session's
// hierarchy cache (fresh reloads it), as clickup_get_workspace_hierarchy
// shows them.
func (s *Session) Tree(ctx context.Context, workspaceID string, fresh bool) (*HierarchyResult, error) {
	h, err := s.Hierarchy(ctx, workspaceID, fresh)
	if err != nil {
		return nil, err
	}
	return &HierarchyResult{WorkspaceID: workspaceID, Spaces: s.copyTree(h), AgeSeconds: int(s.now().Sub(h.at).Seconds())}, nil
}

// Members returns a workspace's members from the cached identity.
func (s *Session) Members(ctx context.Context, workspaceID string) ([]clickup.User, error) {
	return s.members(ctx, workspaceID)
}

// Now is the current time in the session's time zone (see Location).
func (s *Session) Now() time.Time { return s.now().In(s.knownLocation()) }

// ParseDate reads a date as the tools do ("2026-12-01", "yesterday", "next
// friday") in the session's time zone; hasTime reports a time of day.
func (s *Session) ParseDate(arg, value string) (t time.Time, hasTime bool, err error) {
	return parseDate(arg, value, s.knownLocation(), s.now())
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

// TaskDetailOf is the full rendering clickup_get_task returns for a task.
func TaskDetailOf(t *clickup.Task, loc *time.Location) *TaskDetail { return detail(t, loc) }

// TaskDetail is TaskDetailOf in the session's time zone, with the
// description withheld under --lockdown when a guest wrote it.
func (s *Session) TaskDetail(ctx context.Context, t *clickup.Task) *TaskDetail {
	r := detail(t, s.Location(ctx))
	if r.Description != "" && s.withholds(ctx, int64(t.Creator.ID)) {
		r.Description = Withheld
	}
	return r
}
