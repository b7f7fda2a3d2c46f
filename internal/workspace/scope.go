package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// CheckWritePlace refuses a write outside the server's write scope before
// the tool runs: to the list in listArg's value (an id, name or path) when
// there is one, else to the list of the task in taskArg's value. Without a
// scope it costs nothing; with one, a list costs no request once the
// hierarchy is cached and a task one GET. Missing values are left to the
// tool, which refuses them with its own advice.
func (s *Session) CheckWritePlace(ctx context.Context, listArg, list, taskArg, task, workspaceArg string) error {
	if len(s.deps.cfg.WriteScope) == 0 {
		return nil
	}
	switch {
	case list != "":
		ws, err := s.Workspace(ctx, workspaceArg)
		if err != nil {
			return err
		}
		id, err := s.ResolveNode(ctx, ws, listArg, list, KindList)
		if err != nil {
			return err
		}
		return s.CheckWriteScope(ctx, ws, id)
	case task != "":
		ref, err := s.TaskRef(ctx, taskArg, task, workspaceArg)
		if err != nil {
			return err
		}
		return s.CheckTaskScope(ctx, ref, workspaceArg)
	}
	return nil
}

// CheckWriteScope refuses a write to a list outside the server's write
// scope (space, folder or list ids or names), before any write request is
// sent. Reads are never limited.
func (s *Session) CheckWriteScope(ctx context.Context, ws, listID string) error {
	scope := s.deps.cfg.WriteScope
	if len(scope) == 0 {
		return nil
	}
	if err := s.checkScopeEntries(ctx); err != nil {
		return err
	}
	place, ok, err := s.listPlace(ctx, ws, listID)
	if err != nil {
		return err
	}
	if !ok {
		return InvalidArg("list_id", "list %s is not in workspace %s, so it cannot be checked against the write scope (%s)", listID, ws, strings.Join(scope, ", "))
	}
	ids := map[string]bool{place.ID: true, place.Space.ID: true}
	if place.Folder.ID != "" {
		ids[place.Folder.ID] = true
	}
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return err
	}
	for _, entry := range scope {
		e := strings.TrimSpace(entry)
		if ids[e] {
			return nil
		}
		for _, nodes := range [][]hNode{h.spaces, h.folders, h.lists} {
			for _, m := range matchPath(nodes, e) {
				if ids[m.ID] {
					return nil
				}
			}
		}
	}
	return &scopeError{msg: fmt.Sprintf("writes are limited to %s (the server's write scope); list %s (%s) is outside it. Nothing was changed.", strings.Join(scope, ", "), place.Name, place.path())}
}

type scopeError struct{ msg string }

func (e *scopeError) Error() string { return e.msg }

// CheckTaskScope reads the task (one GET) to learn its list, then checks
// the write scope; without a scope it costs nothing.
func (s *Session) CheckTaskScope(ctx context.Context, ref clickup.TaskRef, workspaceArg string) error {
	if len(s.deps.cfg.WriteScope) == 0 {
		return nil
	}
	t, err := s.Client.Tasks.Get(ctx, ref, nil)
	if err != nil {
		return err
	}
	ws := string(t.TeamID)
	if ws == "" {
		if ws, err = s.Workspace(ctx, workspaceArg); err != nil {
			return err
		}
	}
	return s.CheckWriteScope(ctx, ws, string(t.List.ID))
}

// checkScopeEntries refuses a write scope with an entry that matches no
// space, folder or list in any of the token's workspaces, listing the valid
// names: a typo must not silently refuse every write (or allow none of the
// intended ones). Checked once per session while the entries match.
func (s *Session) checkScopeEntries(ctx context.Context) error {
	s.mu.Lock()
	ok := s.scopeChecked
	s.mu.Unlock()
	if ok {
		return nil
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return err
	}
	var valid []string
	matched := map[string]bool{}
	for _, t := range teams {
		h, err := s.Hierarchy(ctx, string(t.ID), false)
		if err != nil {
			return err
		}
		for _, nodes := range [][]hNode{h.spaces, h.folders, h.lists} {
			for _, n := range nodes {
				valid = append(valid, fmt.Sprintf("%s (%s)", n.path(), n.ID))
				for _, e := range s.deps.cfg.WriteScope {
					if e = strings.TrimSpace(e); e == n.ID {
						matched[e] = true
					}
				}
			}
			for _, e := range s.deps.cfg.WriteScope {
				if e = strings.TrimSpace(e); len(matchPath(nodes, e)) > 0 {
					matched[e] = true
				}
			}
		}
	}
	var bad []string
	for _, e := range s.deps.cfg.WriteScope {
		if e = strings.TrimSpace(e); e != "" && !matched[e] {
			bad = append(bad, fmt.Sprintf("%q", e))
		}
	}
	if len(bad) > 0 {
		if len(valid) > 60 {
			valid = append(valid[:60], fmt.Sprintf("and %d more", len(valid)-60))
		}
		return &scopeError{msg: fmt.Sprintf("the server's write scope (--write-scope) names %s, which matches no space, folder or list this token can see, so writes are refused until it is fixed. Valid names (paths or ids): %s. Nothing was changed.", strings.Join(bad, ", "), strings.Join(valid, "; "))}
	}
	s.mu.Lock()
	s.scopeChecked = true
	s.mu.Unlock()
	return nil
}

// CheckWriteScope checks the write scope against the server's own token at
// start-up, so that a typo stops the server instead of refusing every
// write later. Without a scope or a token it checks nothing.
func (d *Deps) CheckWriteScope(ctx context.Context) error {
	if len(d.cfg.WriteScope) == 0 || d.cfg.Token == "" {
		return nil
	}
	s, err := d.Session(ctx)
	if err != nil {
		return err
	}
	return s.checkScopeEntries(ctx)
}

// IsScopeError reports a write-scope refusal (as opposed to ClickUp being
// unreachable while checking it).
func IsScopeError(err error) bool {
	var se *scopeError
	return errors.As(err, &se)
}

// HasWriteScope reports whether the server limits writes.
func (s *Session) HasWriteScope() bool { return len(s.deps.cfg.WriteScope) > 0 }

// Budget is the token budget of one result.
func (s *Session) Budget() int { return s.deps.cfg.MaxResultTokens }

// CheckNodeScope refuses a write to a space or folder (kind "space" or
// "folder", by id, name or path) outside the write scope: a folder is inside
// when it or its space is named, a space when it is.
func (s *Session) CheckNodeScope(ctx context.Context, ws, kind, value string) error {
	if len(s.deps.cfg.WriteScope) == 0 {
		return nil
	}
	ws, err := s.Workspace(ctx, ws)
	if err != nil {
		return err
	}
	k := KindSpace
	if kind == "folder" {
		k = KindFolder
	}
	id, err := s.ResolveNode(ctx, ws, kind+"_id", value, k)
	if err != nil {
		return err
	}
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return err
	}
	nodes := h.spaces
	if k == KindFolder {
		nodes = h.folders
	}
	var n hNode
	for _, x := range nodes {
		if x.ID == id {
			n = x
		}
	}
	ids := map[string]bool{id: true}
	if n.Space.ID != "" {
		ids[n.Space.ID] = true
	}
	for _, entry := range s.deps.cfg.WriteScope {
		e := strings.TrimSpace(entry)
		if ids[e] {
			return nil
		}
		for _, group := range [][]hNode{h.spaces, h.folders} {
			for _, m := range matchPath(group, e) {
				if ids[m.ID] {
					return nil
				}
			}
		}
	}
	return &scopeError{msg: fmt.Sprintf("writes are limited to %s (the server's write scope); %s %s is outside it. Nothing was changed.", strings.Join(s.deps.cfg.WriteScope, ", "), kind, value)}
}

// RefuseUnscoped refuses, while the server has a write scope, a write that
// no scope can contain: one at the doc, view or workspace level (the scope
// names spaces, folders and lists). what names the write (a tool or an
// operation), nothing what was not done ("changed", "sent"). The curated
// tools and the catalogue refuse alike through it; without a scope it is
// nil and costs nothing.
func (s *Session) RefuseUnscoped(what, level, nothing string) error {
	if len(s.deps.cfg.WriteScope) == 0 {
		return nil
	}
	return &scopeError{msg: fmt.Sprintf("%s writes at the %s level, which the server's write scope (--write-scope %s) cannot contain. Nothing was %s.", what, level, strings.Join(s.deps.cfg.WriteScope, ","), nothing)}
}
