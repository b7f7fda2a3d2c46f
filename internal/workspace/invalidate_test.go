package workspace

import (
	"context"
	"testing"
)

func TestInvalidateDropsStaleCachesInEverySession(t *testing.T) {
	d := NewDeps(Config{BaseURL: "http://127.0.0.1:1/api"})
	var sessions []*Session
	for _, tok := range []string{"pk_1_A", "pk_2_B"} {
		s, err := d.Session(WithRequestToken(context.Background(), tok))
		if err != nil {
			t.Fatal(err)
		}
		s.lists = map[string]cachedList{"L1": {}, "L2": {}}
		s.hier = map[string]*hierarchy{
			"w1": {tree: []SpaceNode{{ID: "S", Folders: []FolderNode{{ID: "F", Lists: []ListNode{{ID: "L1", TaskCount: 3}}}}}}},
			"w2": {tree: []SpaceNode{{ID: "S2", Lists: []ListNode{{ID: "L9"}}}}},
		}
		sessions = append(sessions, s)
	}
	d.Invalidate([]string{"L1"}, false)
	for i, s := range sessions {
		if _, ok := s.lists["L1"]; ok {
			t.Errorf("session %d keeps list L1", i)
		}
		if _, ok := s.lists["L2"]; !ok {
			t.Errorf("session %d lost list L2, which nobody wrote", i)
		}
		if _, ok := s.hier["w1"]; ok {
			t.Errorf("session %d keeps the hierarchy holding L1", i)
		}
		if _, ok := s.hier["w2"]; !ok {
			t.Errorf("session %d lost an unrelated hierarchy", i)
		}
	}
	d.Invalidate(nil, true)
	for i, s := range sessions {
		if len(s.lists) != 0 || len(s.hier) != 0 {
			t.Errorf("session %d keeps caches after invalidating all", i)
		}
	}
	var told []string
	d2 := NewDeps(Config{OnTaskCountChange: func(l string) { told = append(told, l) }})
	(&Session{deps: d2}).TaskCountChanged("L7")
	(&Session{deps: d2}).TaskCountChanged("")
	if len(told) != 1 || told[0] != "L7" {
		t.Errorf("hook told %v", told)
	}
}
