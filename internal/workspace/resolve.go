package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lithammer/fuzzysearch/fuzzy"
	"golang.org/x/sync/errgroup"
)

// hierarchy is one workspace's spaces, folders and lists, flattened for
// name resolution and cached per session.
type hierarchy struct {
	at      time.Time
	spaces  []hNode
	folders []hNode
	lists   []hNode
	tree    []SpaceNode
}

// hNode is a space, folder or list with the names of its parents.
type hNode struct {
	ID, Name string
	Space    hRef
	Folder   hRef // empty for spaces, folders and folderless lists
}

type hRef struct{ ID, Name string }

func (n hNode) path() string {
	parts := []string{}
	if n.Space.Name != "" {
		parts = append(parts, n.Space.Name)
	}
	if n.Folder.Name != "" {
		parts = append(parts, n.Folder.Name)
	}
	return strings.Join(append(parts, n.Name), "/")
}

// Hierarchy returns the workspace's hierarchy, from the cache when it is
// younger than the TTL (or fresh when asked). A cold load costs 1 request
// for the spaces plus 2 per space (folders with their lists, and folderless
// lists), made 4 at a time.
func (s *Session) Hierarchy(ctx context.Context, ws string, fresh bool) (*hierarchy, error) {
	s.mu.Lock()
	h := s.hier[ws]
	s.mu.Unlock()
	if h != nil && !fresh && s.now().Sub(h.at) < s.deps.cfg.CacheTTL {
		s.cacheLookup("hierarchy", true)
		return h, nil
	}
	s.cacheLookup("hierarchy", false)
	start, why := time.Now(), s.refreshWhy(h != nil, fresh)
	spaces, err := s.Client.Spaces.List(ctx, ws, false)
	if err != nil {
		return nil, err
	}
	tree := make([]SpaceNode, len(spaces))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, sp := range spaces {
		node := &tree[i]
		node.ID, node.Name = string(sp.ID), sp.Name
		g.Go(func() error {
			folders, err := s.Client.Folders.List(gctx, node.ID, false)
			if err != nil {
				return err
			}
			node.Folders = make([]FolderNode, 0, len(folders))
			for _, f := range folders {
				node.Folders = append(node.Folders, FolderNode{ID: string(f.ID), Name: f.Name, Lists: ListNodes(f.Lists)})
			}
			return nil
		})
		g.Go(func() error {
			lists, err := s.Client.Lists.ListFolderless(gctx, node.ID, false)
			if err != nil {
				return err
			}
			node.Lists = ListNodes(lists)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	h = &hierarchy{at: s.now(), tree: tree}
	for _, sp := range tree {
		spRef := hRef{sp.ID, sp.Name}
		h.spaces = append(h.spaces, hNode{ID: sp.ID, Name: sp.Name})
		for _, f := range sp.Folders {
			h.folders = append(h.folders, hNode{ID: f.ID, Name: f.Name, Space: spRef})
			for _, l := range f.Lists {
				h.lists = append(h.lists, hNode{ID: l.ID, Name: l.Name, Space: spRef, Folder: hRef{f.ID, f.Name}})
			}
		}
		for _, l := range sp.Lists {
			h.lists = append(h.lists, hNode{ID: l.ID, Name: l.Name, Space: spRef})
		}
	}
	s.mu.Lock()
	if s.hier == nil {
		s.hier = map[string]*hierarchy{}
	}
	s.hier[ws] = h
	s.mu.Unlock()
	s.refreshed(ctx, "workspace hierarchy", why, start, fmt.Sprintf("%d spaces, %d folders, %d lists", len(h.spaces), len(h.folders), len(h.lists)))
	return h, nil
}

// CountTasks keeps cached task counts true after our own creates and
// deletes, so the cache stays usable (a warm create costs one request)
// without showing stale counts.
func (s *Session) CountTasks(listID string, delta int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hier {
		for si := range h.tree {
			sp := &h.tree[si]
			for fi := range sp.Folders {
				for li := range sp.Folders[fi].Lists {
					if l := &sp.Folders[fi].Lists[li]; l.ID == listID {
						l.TaskCount += delta
					}
				}
			}
			for li := range sp.Lists {
				if l := &sp.Lists[li]; l.ID == listID {
					l.TaskCount += delta
				}
			}
		}
	}
}

// CopyTree copies the cached tree under the lock: CountTasks may change
// counts while a result is being encoded.
func (s *Session) CopyTree(h *hierarchy) []SpaceNode {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SpaceNode, len(h.tree))
	for i, sp := range h.tree {
		c := SpaceNode{ID: sp.ID, Name: sp.Name, Lists: append([]ListNode{}, sp.Lists...), Folders: make([]FolderNode, len(sp.Folders))}
		for j, f := range sp.Folders {
			c.Folders[j] = FolderNode{ID: f.ID, Name: f.Name, Lists: append([]ListNode{}, f.Lists...)}
		}
		out[i] = c
	}
	return out
}

type NodeKind int

const (
	KindSpace NodeKind = iota
	KindFolder
	KindList
)

func (k NodeKind) String() string {
	return [...]string{"space", "folder", "list"}[k]
}

// ResolveNode turns an id, a name or a path ("Space/Folder/List",
// "Space/List") into an id, case-insensitively. Ids are taken as given (no
// request); names use the cached hierarchy, refreshed once on a miss. An
// unknown or ambiguous name lists the closest candidates.
func (s *Session) ResolveNode(ctx context.Context, ws, arg, value string, kind NodeKind) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", InvalidArg(arg, "is required")
	}
	if isNumericID(v) {
		return v, nil
	}
	if len(v) > 300 || strings.ContainsAny(v, "\x00\r\n") {
		return "", InvalidArg(arg, "%q is not a %s id, name or path", Truncate(v, 40), kind)
	}
	if ws == "" {
		return "", InvalidArg(arg, "a workspace is needed to resolve names")
	}
	pick := func(h *hierarchy) []hNode {
		switch kind {
		case KindFolder:
			return h.folders
		case KindList:
			return h.lists
		}
		return h.spaces
	}
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return "", err
	}
	matches := matchPath(pick(h), v)
	if len(matches) == 0 && s.now().Sub(h.at) >= time.Second {
		// A miss on a cached hierarchy: it may be stale, so refresh once.
		if h, err = s.Hierarchy(ctx, ws, true); err != nil {
			return "", err
		}
		matches = matchPath(pick(h), v)
	}
	switch len(matches) {
	case 1:
		age := "just loaded"
		if a := s.now().Sub(h.at); a >= time.Second {
			age = fmt.Sprintf("cached %ds ago", int(a.Seconds()))
		}
		AddNote(ctx, "%s %q = %s (%s; hierarchy %s)", kind, v, matches[0].ID, matches[0].path(), age)
		return matches[0].ID, nil
	case 0:
		return "", InvalidArg(arg, "no %s named %q; closest: %s", kind, Truncate(v, 60), closest(pick(h), v, 5))
	}
	paths := make([]string, len(matches))
	for i, m := range matches {
		paths[i] = fmt.Sprintf("%s (%s)", m.path(), m.ID)
	}
	return "", InvalidArg(arg, "%q matches several %ss: %s; use the id or a path such as %q", v, kind, strings.Join(paths, ", "), matches[0].path())
}

// matchPath matches a name or a path's trailing segments against nodes.
func matchPath(nodes []hNode, v string) []hNode {
	segs := strings.Split(v, "/")
	for i := range segs {
		segs[i] = strings.TrimSpace(segs[i])
	}
	var out []hNode
	for _, n := range nodes {
		full := []string{}
		if n.Space.Name != "" {
			full = append(full, n.Space.Name)
		}
		if n.Folder.Name != "" {
			full = append(full, n.Folder.Name)
		}
		full = append(full, n.Name)
		if len(segs) > len(full) {
			continue
		}
		ok := true
		for i := range segs {
			if !strings.EqualFold(segs[len(segs)-1-i], full[len(full)-1-i]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, n)
		}
	}
	return out
}

// closest ranks nodes by how near their name (or path) is to v.
func closest(nodes []hNode, v string, limit int) string {
	if len(nodes) == 0 {
		return "(none exist)"
	}
	type scored struct {
		n     hNode
		score int
	}
	want := strings.ToLower(v)
	if i := strings.LastIndex(want, "/"); i >= 0 {
		want = want[i+1:]
	}
	ranked := make([]scored, 0, len(nodes))
	for _, n := range nodes {
		name := strings.ToLower(n.Name)
		score := fuzzy.LevenshteinDistance(want, name)
		if fuzzy.Match(want, name) || fuzzy.Match(name, want) {
			score -= 100 // contained in order: the likeliest meaning
		}
		ranked = append(ranked, scored{n, score})
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score < ranked[j].score })
	if len(ranked) > limit {
		ranked = ranked[:limit]
	}
	parts := make([]string, len(ranked))
	for i, r := range ranked {
		parts[i] = fmt.Sprintf("%s (%s)", r.n.path(), r.n.ID)
	}
	return strings.Join(parts, ", ")
}

// listPlace returns the folder and space of a list from the hierarchy (for
// write scopes), refreshing once if the list is unknown.
func (s *Session) listPlace(ctx context.Context, ws, listID string) (hNode, bool, error) {
	for attempt := 0; attempt < 2; attempt++ {
		h, err := s.Hierarchy(ctx, ws, attempt == 1)
		if err != nil {
			return hNode{}, false, err
		}
		for _, l := range h.lists {
			if l.ID == listID {
				return l, true, nil
			}
		}
	}
	return hNode{}, false, nil
}

// ResolveStatus checks a status name against a list's statuses,
// case-insensitively, and returns ClickUp's own spelling. An unknown status
// is refused with the list's statuses, nearest first: ClickUp would reject it.
func (s *Session) ResolveStatus(ctx context.Context, arg, listID, status string) (string, error) {
	l, err := s.List(ctx, listID)
	if err != nil {
		return "", err
	}
	want := strings.TrimSpace(status)
	names := make([]string, 0, len(l.Statuses))
	for _, st := range l.Statuses {
		if strings.EqualFold(st.Status, want) {
			return st.Status, nil
		}
		names = append(names, st.Status)
	}
	if len(names) == 0 {
		// A list without its statuses in the answer: let ClickUp decide.
		return want, nil
	}
	sort.SliceStable(names, func(i, j int) bool {
		return fuzzy.LevenshteinDistance(strings.ToLower(want), strings.ToLower(names[i])) <
			fuzzy.LevenshteinDistance(strings.ToLower(want), strings.ToLower(names[j]))
	})
	return "", InvalidArg(arg, "%q is not a status of list %q; valid statuses: %s", Truncate(want, 40), l.Name, strings.Join(names, ", "))
}

// ResolvePlace turns a space, folder or list (an id, a name or a path such
// as "Engineering/Platform") into its id and kind, for what may live at any
// of the three (docs). A name that is several places lists them; an
// unknown one lists the closest of every kind.
func (s *Session) ResolvePlace(ctx context.Context, ws, arg, value string) (string, NodeKind, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", 0, InvalidArg(arg, "is required")
	}
	if len(v) > 300 || strings.ContainsAny(v, "\x00\r\n") {
		return "", 0, InvalidArg(arg, "%q is not a space, folder or list id, name or path", Truncate(v, 40))
	}
	if ws == "" {
		return "", 0, InvalidArg(arg, "a workspace is needed to resolve names")
	}
	type hit struct {
		n    hNode
		kind NodeKind
	}
	find := func(h *hierarchy) []hit {
		var out []hit
		for k, nodes := range [][]hNode{h.spaces, h.folders, h.lists} {
			for _, n := range nodes {
				if n.ID == v {
					return []hit{{n, NodeKind(k)}}
				}
			}
			for _, n := range matchPath(nodes, v) {
				out = append(out, hit{n, NodeKind(k)})
			}
		}
		return out
	}
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return "", 0, err
	}
	hits := find(h)
	if len(hits) == 0 && s.now().Sub(h.at) >= time.Second {
		if h, err = s.Hierarchy(ctx, ws, true); err != nil {
			return "", 0, err
		}
		hits = find(h)
	}
	switch len(hits) {
	case 1:
		AddNote(ctx, "%s %q = %s (%s)", hits[0].kind, v, hits[0].n.ID, hits[0].n.path())
		return hits[0].n.ID, hits[0].kind, nil
	case 0:
		all := append(append(append([]hNode{}, h.spaces...), h.folders...), h.lists...)
		return "", 0, InvalidArg(arg, "no space, folder or list named %q; closest: %s", Truncate(v, 60), closest(all, v, 5))
	}
	paths := make([]string, len(hits))
	for i, m := range hits {
		paths[i] = fmt.Sprintf("%s %s (%s)", m.kind, m.n.path(), m.n.ID)
	}
	return "", 0, InvalidArg(arg, "%q matches several places: %s; use the id or a longer path", v, strings.Join(paths, ", "))
}

// PlacePath names a space, folder or list by its path ("Engineering/
// Platform/Sprint 12") from the cached hierarchy; ok is false when the id
// is not one of them (or the hierarchy cannot be read).
func (s *Session) PlacePath(ctx context.Context, ws, id string, kind NodeKind) (string, bool) {
	h, err := s.Hierarchy(ctx, ws, false)
	if err != nil {
		return "", false
	}
	nodes := [][]hNode{h.spaces, h.folders, h.lists}[kind]
	for _, n := range nodes {
		if n.ID == id {
			return n.path(), true
		}
	}
	return "", false
}
