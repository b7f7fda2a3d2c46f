package prompts

import (
	"context"
	"fmt"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// Names, paths and ids of lists and spaces resolve exactly as in the tools
// (workspace.Session.ResolveList and ResolveSpace, over the session's hierarchy
// cache), so a name that works in a prompt works in the calls it writes.

// place is a list or space with its path, for the messages.
type place struct {
	ID, Name string
	Path     string // Space/Folder/List, as the tools write paths
}

func lists(h *workspace.HierarchyResult) []place {
	var out []place
	for _, sp := range h.Spaces {
		for _, f := range sp.Folders {
			for _, l := range f.Lists {
				out = append(out, place{ID: l.ID, Name: l.Name, Path: sp.Name + "/" + f.Name + "/" + l.Name})
			}
		}
		for _, l := range sp.Lists {
			out = append(out, place{ID: l.ID, Name: l.Name, Path: sp.Name + "/" + l.Name})
		}
	}
	return out
}

func spaces(h *workspace.HierarchyResult) []place {
	out := make([]place, len(h.Spaces))
	for i, sp := range h.Spaces {
		out[i] = place{ID: sp.ID, Name: sp.Name, Path: sp.Name}
	}
	return out
}

// resolveList resolves a list argument (id, name or path) to a place.
func (e *env) resolveList(ctx context.Context, arg, value string) (place, error) {
	id, err := e.s.ResolveList(ctx, e.ws, arg, value)
	if err != nil {
		return place{}, err
	}
	if p, ok := e.find(ctx, lists, id); ok {
		return p, nil
	}
	// An id the cached tree does not hold (archived, or made elsewhere a
	// moment ago): ask ClickUp, which also checks that it exists.
	l, err := e.s.List(ctx, id)
	if err != nil {
		return place{}, notVisible(arg, "list", id, err)
	}
	p := place{ID: id, Name: l.Name, Path: l.Name}
	if l.Folder != nil && l.Folder.Name != "" && !bool(l.Folder.Hidden) {
		p.Path = l.Folder.Name + "/" + p.Path
	}
	if l.Space != nil && l.Space.Name != "" {
		p.Path = l.Space.Name + "/" + p.Path
	}
	return p, nil
}

// resolveSpace resolves a space argument (id or name) to a place.
func (e *env) resolveSpace(ctx context.Context, arg, value string) (place, error) {
	id, err := e.s.ResolveSpace(ctx, e.ws, arg, value)
	if err != nil {
		return place{}, err
	}
	if p, ok := e.find(ctx, spaces, id); ok {
		return p, nil
	}
	sp, err := e.s.Client.Spaces.Get(ctx, id)
	if err != nil {
		return place{}, notVisible(arg, "space", id, err)
	}
	return place{ID: id, Name: sp.Name, Path: sp.Name}, nil
}

func (e *env) find(ctx context.Context, pick func(*workspace.HierarchyResult) []place, id string) (place, bool) {
	h, err := e.s.Tree(ctx, e.ws, false)
	if err != nil {
		return place{}, false
	}
	for _, p := range pick(h) {
		if p.ID == id {
			return p, true
		}
	}
	return place{}, false
}

// notVisible turns ClickUp's answer for an unknown id (401 "Team not
// authorized" as often as 404) into the argument error it is.
func notVisible(arg, kind, id string, err error) error {
	if clickup.IsKind(err, clickup.KindNotFound) || clickup.IsKind(err, clickup.KindWorkspaceNotAuthorized) {
		hint := fmt.Sprintf("use a %s name, or an id from clickup://workspace/{workspace_id}/hierarchy", kind)
		if kind == "task" {
			hint = "check the id: a task id (86b1x2y3z), a custom id with its prefix (DEV-123) or a task URL; find tasks with clickup_search_tasks"
		}
		return &notFoundError{&workspace.ArgError{Arg: arg, Msg: fmt.Sprintf("no %s %s that this token can see (%s; ClickUp answers the same for a wrong id and for one in a workspace the token may not use); %s", kind, id, clickupSays(err), hint)}}
	}
	return err
}

// notFoundError is a task, list or space ClickUp says is not there (for
// this token): a bad argument of a prompt, a resource not found for a
// resource read (readError).
type notFoundError struct{ *workspace.ArgError }

func (e *notFoundError) Unwrap() error { return e.ArgError }
