package prompts

import (
	"context"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// completer suggests argument values from the session's cached knowledge:
// members and workspaces from the cached identity, lists and spaces from
// the cached hierarchy. It never fails a completion: a suggestion list that
// cannot be built is empty, and the person types the value instead.
type completer struct {
	d *workspace.Deps
}

// maxCompletions is the most values MCP allows in one completion.
const maxCompletions = 100

// dateWords are suggested for date arguments; each is checked against the
// tools' date parser before it is offered.
var dateWords = []string{"today", "yesterday", "last monday", "last friday", "start of month", "end of week"}

func (c *completer) CompletePromptArgument(ctx context.Context, prompt string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	ctx, cancel := context.WithTimeout(ctx, c.d.Config().CallTimeout)
	defer cancel()
	var vals []string
	switch arg.Name {
	case "since", "from", "to":
		s, err := c.d.Session(ctx)
		if err != nil {
			break
		}
		s.Location(ctx) // learn the zone the dates are read in
		for _, w := range dateWords {
			if _, _, err := s.ParseDate(arg.Name, w); err == nil {
				vals = append(vals, w)
			}
		}
	case "workspace":
		vals = c.workspaces(ctx, true)
	case "member", "list", "space":
		s, ws, ok := c.session(ctx, cc.Arguments["workspace"])
		if !ok {
			break
		}
		switch arg.Name {
		case "member":
			vals = append([]string{"me"}, c.members(ctx, s, ws)...)
		case "list":
			vals = c.places(ctx, s, ws, lists)
		case "space":
			vals = c.places(ctx, s, ws, spaces)
		}
	}
	return match(vals, arg.Value), nil
}

func (c *completer) CompleteResourceArgument(ctx context.Context, uri string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	ctx, cancel := context.WithTimeout(ctx, c.d.Config().CallTimeout)
	defer cancel()
	switch arg.Name {
	case "workspace_id":
		return match(c.workspaces(ctx, false), arg.Value), nil
	case "list_id":
		s, ws, ok := c.session(ctx, "")
		if !ok {
			break
		}
		h, err := s.Tree(ctx, ws, false)
		if err != nil {
			break
		}
		// A list id is digits nobody remembers: match what was typed
		// against the id or the list's name, and offer ids.
		v := strings.ToLower(arg.Value)
		var ids []string
		for _, p := range lists(h) {
			if strings.HasPrefix(p.ID, arg.Value) || strings.Contains(strings.ToLower(p.Name), v) {
				ids = append(ids, p.ID)
			}
		}
		return match(ids, ""), nil
	}
	return match(nil, ""), nil
}

func (c *completer) session(ctx context.Context, workspace string) (*workspace.Session, string, bool) {
	s, err := c.d.Session(ctx)
	if err != nil {
		return nil, "", false
	}
	ws, err := s.Workspace(ctx, workspace)
	if err != nil {
		return nil, "", false
	}
	return s, ws, true
}

func (c *completer) workspaces(ctx context.Context, names bool) []string {
	s, err := c.d.Session(ctx)
	if err != nil {
		return nil
	}
	_, teams, err := s.Identity(ctx)
	if err != nil {
		return nil
	}
	out := make([]string, len(teams))
	for i, t := range teams {
		out[i] = string(t.ID)
		if names {
			out[i] = t.Name
		}
	}
	return out
}

func (c *completer) members(ctx context.Context, s *workspace.Session, ws string) []string {
	ms, err := s.Members(ctx, ws)
	if err != nil {
		return nil
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Username
	}
	return out
}

// places offers names, or the path where a name is not unique, so every
// suggestion resolves to one list or space.
func (c *completer) places(ctx context.Context, s *workspace.Session, ws string, pick func(*workspace.HierarchyResult) []place) []string {
	h, err := s.Tree(ctx, ws, false)
	if err != nil {
		return nil
	}
	ps := pick(h)
	count := map[string]int{}
	for _, p := range ps {
		count[strings.ToLower(p.Name)]++
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
		if count[strings.ToLower(p.Name)] > 1 {
			out[i] = p.Path
		}
	}
	return out
}

// match keeps the values that fit what was typed, best first: those that
// start with it, then those with a word that starts with it, then those
// that contain it (all ignoring case).
func match(vals []string, typed string) *mcp.Completion {
	t := strings.ToLower(strings.TrimSpace(typed))
	var prefix, word, inner []string
	seen := map[string]bool{}
	for _, v := range vals {
		if seen[v] {
			continue
		}
		seen[v] = true
		l := strings.ToLower(v)
		switch {
		case strings.HasPrefix(l, t):
			prefix = append(prefix, v)
		case strings.Contains(l, " "+t) || strings.Contains(l, "/ "+t):
			word = append(word, v)
		case strings.Contains(l, t):
			inner = append(inner, v)
		}
	}
	all := append(append(prefix, word...), inner...)
	c := &mcp.Completion{Values: all, Total: len(all)}
	if len(all) > maxCompletions {
		c.Values, c.HasMore = all[:maxCompletions], true
	}
	if c.Values == nil {
		c.Values = []string{}
	}
	return c
}
