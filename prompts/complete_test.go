package prompts

import (
	"fmt"
	"slices"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/mark3labs/mcp-go/mcp"
)

func TestPromptCompletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	ref := func(name string) mcp.PromptReference { return mcp.PromptReference{Type: "ref/prompt", Name: name} }
	for _, tc := range []struct {
		prompt, arg, value string
		ctx                map[string]string
		want               []string // in this order, at the start
		not                []string
	}{
		{"standup", "member", "pri", nil, []string{"Priya Patel"}, nil},
		{"standup", "member", "", nil, []string{"me", "Alex Rivera"}, nil},
		{"standup", "member", "chen", nil, []string{"Marcus Chen"}, nil},
		{"standup", "member", "ma", nil, []string{"Marcus Chen"}, []string{"Emma Schmidt"}[:0]},
		{"standup", "since", "last", nil, []string{"last monday", "last friday"}, nil},
		{"standup", "workspace", "ac", nil, []string{"Acme Product"}, nil},
		{"triage", "list", "spr", nil, []string{"Sprint 12", "Sprint 13"}, []string{"Sprint 11"}},
		{"triage", "list", "app", nil, []string{"iOS App", "Android App"}, nil},
		{"triage", "space", "", nil, []string{"Engineering", "Marketing", "Operations"}, nil},
		{"weekly_report", "space", "MAR", map[string]string{"workspace": "Acme Product"}, []string{"Marketing"}, nil},
		{"triage", "list", "x", map[string]string{"workspace": "Globex R&D"}, nil, nil}, // not this token's: nothing
		{"from_notes", "notes", "anything", nil, nil, nil},
	} {
		t.Run(fmt.Sprintf("%s.%s=%s", tc.prompt, tc.arg, tc.value), func(t *testing.T) {
			c := h.complete(t, ref(tc.prompt), tc.arg, tc.value, tc.ctx)
			if c.Values == nil {
				t.Fatal("values must be an array, not null")
			}
			if len(c.Values) < len(tc.want) || !slices.Equal(c.Values[:len(tc.want)], tc.want) {
				t.Errorf("got %v, want %v first", c.Values, tc.want)
			}
			if len(tc.want) == 0 && len(c.Values) != 0 {
				t.Errorf("got %v, want nothing", c.Values)
			}
			for _, n := range tc.not {
				if slices.Contains(c.Values, n) {
					t.Errorf("got %v, which should not hold %q", c.Values, n)
				}
			}
			if c.Total != len(c.Values) || c.HasMore {
				t.Errorf("total %d, hasMore %v for %d values", c.Total, c.HasMore, len(c.Values))
			}
		})
	}
}

func TestListCompletionUsesPaths(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{changed: true})
	c := h.complete(t, mcp.PromptReference{Type: "ref/prompt", Name: "triage"}, "list", "bug", nil)
	if !slices.Equal(c.Values, []string{"Engineering/Bugs", "Marketing/Bugs"}) {
		t.Fatalf("got %v", c.Values)
	}
	// Each suggestion resolves in the prompt.
	for _, v := range c.Values {
		h.mustPrompt(t, "triage", map[string]string{"list": v})
	}
}

func TestResourceCompletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	ref := func(uri string) mcp.ResourceReference { return mcp.ResourceReference{Type: "ref/resource", URI: uri} }
	c := h.complete(t, ref("clickup://list/{list_id}"), "list_id", "sprint", nil)
	if !slices.Equal(c.Values, []string{clickuptest.DemoListSprint12, clickuptest.DemoListSprint13}) {
		t.Errorf("list_id by name: %v", c.Values)
	}
	c = h.complete(t, ref("clickup://list/{list_id}"), "list_id", "90153000003", nil)
	if len(c.Values) < 5 || !slices.Contains(c.Values, clickuptest.DemoListBugs) {
		t.Errorf("list_id by id prefix: %v", c.Values)
	}
	c = h.complete(t, ref("clickup://workspace/{workspace_id}/hierarchy"), "workspace_id", "", nil)
	if !slices.Equal(c.Values, []string{clickuptest.DemoWorkspaceID}) {
		t.Errorf("workspace_id: %v", c.Values)
	}
	c = h.complete(t, ref("clickup://task/{+task_id}"), "task_id", "ACME", nil)
	if len(c.Values) != 0 {
		t.Errorf("task_id: %v", c.Values)
	}
}

// TestCompletionIsCached: completing keystroke by keystroke costs ClickUp
// nothing once the hierarchy and members are cached.
func TestCompletionIsCached(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{own: true})
	ref := mcp.PromptReference{Type: "ref/prompt", Name: "triage"}
	h.complete(t, ref, "list", "", nil)
	h.complete(t, mcp.PromptReference{Type: "ref/prompt", Name: "standup"}, "member", "", nil)
	n := h.fake.Count("")
	for _, v := range []string{"s", "sp", "spr", "spri"} {
		h.complete(t, ref, "list", v, nil)
		h.complete(t, mcp.PromptReference{Type: "ref/prompt", Name: "standup"}, "member", v, nil)
	}
	if got := h.fake.Count("") - n; got != 0 {
		t.Errorf("warm completions made %d ClickUp requests", got)
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	vals := []string{"Sprint 12", "Design sprint", "Backlog", "Sprint 12", "Misprint"}
	c := match(vals, "sprint")
	if !slices.Equal(c.Values, []string{"Sprint 12", "Design sprint", "Misprint"}) || c.Total != 3 {
		t.Errorf("got %+v", c)
	}
	many := make([]string, 150)
	for i := range many {
		many[i] = fmt.Sprintf("List %03d", i)
	}
	c = match(many, "list")
	if len(c.Values) != 100 || !c.HasMore || c.Total != 150 {
		t.Errorf("got %d values, hasMore %v, total %d", len(c.Values), c.HasMore, c.Total)
	}
	if c = match(nil, "x"); c.Values == nil {
		t.Error("nil values")
	}
}
