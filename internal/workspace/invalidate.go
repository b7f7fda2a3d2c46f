package workspace

// Invalidate drops cached knowledge that a write elsewhere (another
// replica) made stale, in every token's session: the cached lists and the
// hierarchies that hold one of lists, or every list and hierarchy when all
// is set. Identity (user, workspaces) is kept: writes to tasks do not change
// it. The next call reads ClickUp again.
func (d *Deps) Invalidate(lists []string, all bool) {
	d.mu.Lock()
	sessions := make([]*Session, 0, d.order.Len())
	for el := d.order.Front(); el != nil; el = el.Next() {
		sessions = append(sessions, el.Value.(*Session))
	}
	d.mu.Unlock()
	for _, s := range sessions {
		s.invalidate(lists, all)
	}
}

func (s *Session) invalidate(lists []string, all bool) {
	s.tasks.mu.Lock()
	if all {
		s.tasks.fields, s.tasks.places = nil, nil
	}
	for _, l := range lists {
		delete(s.tasks.fields, l)
	}
	s.tasks.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if all {
		s.lists = map[string]cachedList{}
		s.hier = nil
		s.chat = nil
		return
	}
	stale := make(map[string]bool, len(lists))
	for _, l := range lists {
		stale[l] = true
		delete(s.lists, l)
	}
	for ws, h := range s.hier {
		if hierarchyHolds(h, stale) {
			delete(s.hier, ws)
		}
	}
}

func hierarchyHolds(h *hierarchy, lists map[string]bool) bool {
	for _, sp := range h.tree {
		for _, l := range sp.Lists {
			if lists[l.ID] {
				return true
			}
		}
		for _, f := range sp.Folders {
			for _, l := range f.Lists {
				if lists[l.ID] {
					return true
				}
			}
		}
	}
	return false
}

// TaskCountChanged tells the configured hook (other replicas) that our own
// write changed listID's task count.
func (s *Session) TaskCountChanged(listID string) {
	if f := s.deps.cfg.OnTaskCountChange; f != nil && listID != "" {
		f(listID)
	}
}

func (s *Session) cacheLookup(cache string, hit bool) {
	if f := s.deps.cfg.CacheObserver; f != nil {
		f(cache, hit)
	}
}
