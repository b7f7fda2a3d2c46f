package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// The tools that name tasks or lists link them (the URIs of the task and
// list resources); a 100-task search links only its first toolkit.MaxLinks
// tasks, in order; each link costs at most 45 tokens by the real count.
// (internal/app's TestResultLinksReadAsResources reads every link back.)
func TestResultLinks(t *testing.T) {
	s := newDemoStack(t, toolkit.Selection{Toolsets: []string{"all"}}, workspace.Config{})
	uris := func(r *wireResult) []string {
		var out []string
		for _, l := range r.links() {
			var v struct{ URI, Name, MIMEType string }
			if err := json.Unmarshal(l, &v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v.URI)
		}
		return out
	}

	r := s.call(t, "clickup_search_tasks", map[string]any{"limit": 100, "include_closed": true, "subtasks": true})
	var sr SearchResult
	if err := json.Unmarshal(r.Result.StructuredContent, &sr); err != nil {
		t.Fatal(err)
	}
	got := uris(r)
	if len(sr.Tasks) <= toolkit.MaxLinks || len(got) != toolkit.MaxLinks {
		t.Fatalf("a search of %d tasks carries %d links, want %d", len(sr.Tasks), len(got), toolkit.MaxLinks)
	}
	for i, u := range got {
		if u != "clickup://task/"+sr.Tasks[i].ID {
			t.Errorf("link %d is %s, want task %s", i, u, sr.Tasks[i].ID)
		}
	}
	per, sum := 0, 0
	for _, l := range r.links() {
		per = max(per, tokens.CountBytes(l))
		sum += tokens.CountBytes(l)
	}
	t.Logf("%d search links: %d tokens (o200k), at most %d a link", len(got), sum, per)
	if per > 45 {
		t.Errorf("a link costs %d tokens, over 45", per)
	}

	parent := ""
	for _, task := range sr.Tasks {
		if task.Parent != "" {
			parent = task.Parent
			break
		}
	}
	r = s.call(t, "clickup_get_task", map[string]any{"task_id": parent})
	var td struct {
		ID, Parent string
		List       struct{ ID string }
		Subtasks   []struct{ ID string }
	}
	if err := json.Unmarshal(r.Result.StructuredContent, &td); err != nil {
		t.Fatal(err)
	}
	got = uris(r)
	want := []string{"clickup://task/" + td.ID, "clickup://list/" + td.List.ID}
	for _, st := range td.Subtasks {
		want = append(want, "clickup://task/"+st.ID)
	}
	want = want[:min(len(want), toolkit.MaxLinks)]
	if len(td.Subtasks) == 0 || len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
		t.Errorf("get_task links %v, want %v", got, want)
	}

	r = s.call(t, "clickup_get_list", map[string]any{"list_id": "Sprint 12"})
	if got := uris(r); len(got) != 1 || !strings.HasPrefix(got[0], "clickup://list/") {
		t.Errorf("get_list links %v", got)
	}
	// A tool that names no task or list links nothing.
	if got := uris(s.call(t, "clickup_whoami", nil)); len(got) != 0 {
		t.Errorf("whoami links %v", got)
	}
}
