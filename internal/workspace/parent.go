package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

// Parent is a space or a folder that lists (or folders) are made in.
type Parent struct {
	Kind    NodeKind // KindSpace or KindFolder
	ID      string
	Name    string
	SpaceID string
	Path    string // "Space" or "Space/Folder"
}

// Children are the names already taken under a parent, from the cached
// hierarchy: its lists (folderless lists for a space) and, for a space, its
// folders.
type Children struct {
	Lists, Folders map[string]string // lower-case name -> id
	Age            time.Duration
}

// ResolveParent turns a space or folder (an id, a name, "Space" or
// "Space/Folder") into the place a list is made in. A name that is both a
// space and a folder is refused with both paths: making a list in the wrong
// place is worse than asking. With spaceOnly only spaces are taken (folders
// are made in spaces). Children.Age is how old the cached hierarchy is.
func (s *Session) ResolveParent(ctx context.Context, ws, arg, value string, spaceOnly bool) (Parent, Children, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return Parent{}, Children{}, InvalidArg(arg, "is required")
	}
	if len(v) > 300 || strings.ContainsAny(v, "\x00\r\n") {
		return Parent{}, Children{}, InvalidArg(arg, "%q is not a space or folder id, name or path", Truncate(v, 40))
	}
	if ws == "" {
		return Parent{}, Children{}, InvalidArg(arg, "a workspace is needed to resolve names")
	}
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return Parent{}, Children{}, err
	}
	find := func(h *hierarchy) []hNode {
		var out []hNode
		if isNumericID(v) {
			for _, n := range h.spaces {
				if n.ID == v {
					out = append(out, n)
				}
			}
			if !spaceOnly {
				for _, n := range h.folders {
					if n.ID == v {
						out = append(out, n)
					}
				}
			}
			return out
		}
		out = matchPath(h.spaces, v)
		if !spaceOnly {
			out = append(out, matchPath(h.folders, v)...)
		}
		return out
	}
	matches := find(h)
	if len(matches) == 0 && s.now().Sub(h.at) >= time.Second {
		if h, err = s.Hierarchy(ctx, ws, true); err != nil {
			return Parent{}, Children{}, err
		}
		matches = find(h)
	}
	what := "space or folder"
	if spaceOnly {
		what = "space"
	}
	switch len(matches) {
	case 0:
		pool := h.spaces
		if !spaceOnly {
			pool = append(append([]hNode{}, h.spaces...), h.folders...)
		}
		return Parent{}, Children{}, InvalidArg(arg, "no %s named %q; closest: %s", what, Truncate(v, 60), closest(pool, v, 6))
	case 1:
	default:
		paths := make([]string, len(matches))
		for i, m := range matches {
			paths[i] = fmt.Sprintf("%s (%s)", m.path(), m.ID)
		}
		return Parent{}, Children{}, InvalidArg(arg, "%q matches several: %s; use the id or the full path", v, strings.Join(paths, ", "))
	}
	n := matches[0]
	p := Parent{Kind: KindSpace, ID: n.ID, Name: n.Name, SpaceID: n.ID, Path: n.path()}
	if n.Space.ID != "" {
		p.Kind, p.SpaceID = KindFolder, n.Space.ID
	}
	AddNote(ctx, "%s %q = %s (%s)", p.Kind, v, p.ID, p.Path)
	return p, s.children(h, p), nil
}

// Children are the names taken under p in the cached hierarchy of ws.
func (s *Session) Children(ctx context.Context, ws string, p Parent) (Children, error) {
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return Children{}, err
	}
	return s.children(h, p), nil
}

func (s *Session) children(h *hierarchy, p Parent) Children {
	c := Children{Lists: map[string]string{}, Folders: map[string]string{}, Age: s.now().Sub(h.at)}
	for _, l := range h.lists {
		if (p.Kind == KindFolder && l.Folder.ID == p.ID) || (p.Kind == KindSpace && l.Space.ID == p.ID && l.Folder.ID == "") {
			c.Lists[strings.ToLower(l.Name)] = l.ID
		}
	}
	if p.Kind == KindSpace {
		for _, f := range h.folders {
			if f.Space.ID == p.ID {
				c.Folders[strings.ToLower(f.Name)] = f.ID
			}
		}
	}
	return c
}

// LearnList puts a list this session made into the cached hierarchy of ws
// (when there is one), so that a following call finds it by name without a
// stale miss and its refresh. The cache's age is kept: what else it holds
// is no fresher.
func (s *Session) LearnList(ws string, p Parent, id, name string) {
	s.learn(ws, func(h *hierarchy) {
		for si := range h.tree {
			sp := &h.tree[si]
			if sp.ID != p.SpaceID {
				continue
			}
			node := ListNode{ID: id, Name: name}
			if p.Kind == KindSpace {
				sp.Lists = append(sp.Lists, node)
				h.lists = append(h.lists, hNode{ID: id, Name: name, Space: hRef{sp.ID, sp.Name}})
				return
			}
			for fi := range sp.Folders {
				if f := &sp.Folders[fi]; f.ID == p.ID {
					f.Lists = append(f.Lists, node)
					h.lists = append(h.lists, hNode{ID: id, Name: name, Space: hRef{sp.ID, sp.Name}, Folder: hRef{f.ID, f.Name}})
				}
			}
		}
	})
}

// LearnFolder puts a folder this session made (with the lists a template
// gave it) into the cached hierarchy of ws, as LearnList does.
func (s *Session) LearnFolder(ws, spaceID, id, name string, lists []ListNode) {
	s.learn(ws, func(h *hierarchy) {
		for si := range h.tree {
			sp := &h.tree[si]
			if sp.ID != spaceID {
				continue
			}
			sp.Folders = append(sp.Folders, FolderNode{ID: id, Name: name, Lists: append([]ListNode{}, lists...)})
			h.folders = append(h.folders, hNode{ID: id, Name: name, Space: hRef{sp.ID, sp.Name}})
			for _, l := range lists {
				h.lists = append(h.lists, hNode{ID: l.ID, Name: l.Name, Space: hRef{sp.ID, sp.Name}, Folder: hRef{id, name}})
			}
		}
	})
}

// learn replaces the cached hierarchy with a changed copy: readers hold the
// old one without the lock, so it is never changed in place.
func (s *Session) learn(ws string, change func(h *hierarchy)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.hier[ws]
	if old == nil {
		return
	}
	h := &hierarchy{at: old.at, tree: make([]SpaceNode, len(old.tree)),
		spaces: append([]hNode{}, old.spaces...), folders: append([]hNode{}, old.folders...), lists: append([]hNode{}, old.lists...)}
	for i, sp := range old.tree {
		c := SpaceNode{ID: sp.ID, Name: sp.Name, Lists: append([]ListNode{}, sp.Lists...), Folders: make([]FolderNode, len(sp.Folders))}
		for j, f := range sp.Folders {
			c.Folders[j] = FolderNode{ID: f.ID, Name: f.Name, Lists: append([]ListNode{}, f.Lists...)}
		}
		h.tree[i] = c
	}
	change(h)
	s.hier[ws] = h
}

// RememberList caches a list this session just made, as a create answers
// it (the list detail, statuses included), so that a first write to it
// needs no GET. An answer without statuses (a template still being
// applied) is not kept.
func (s *Session) RememberList(l *clickup.List) {
	if l == nil || l.ID == "" || len(l.Statuses) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lists == nil || len(s.lists) > 500 {
		s.lists = map[string]cachedList{}
	}
	s.lists[string(l.ID)] = cachedList{list: l, at: s.now()}
}
