package tools

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestSelect(t *testing.T) {
	all := testTools(t)
	// Expectations come from the registry, so a new tool re-points nothing.
	var reads []string
	for _, tl := range all {
		if tl.ReadOnly {
			reads = append(reads, tl.Name())
		}
	}
	sort.Strings(reads)
	var notDefault []string // left out of default: by the tool, or by its toolset
	for _, tl := range all {
		if tl.NotDefault || !slices.Contains(toolkit.DefaultToolsets, tl.Toolset) {
			notDefault = append(notDefault, tl.Name())
		}
	}
	ctxTools := slices.Sorted(slices.Values(toolkit.Toolsets(all)[toolkit.ToolsetContext]))
	with := func(base []string, add ...string) []string {
		return slices.Sorted(slices.Values(append(slices.Clone(base), add...)))
	}
	without := func(base []string, drop string) []string {
		return slices.DeleteFunc(slices.Clone(base), func(n string) bool { return n == drop })
	}
	tests := []struct {
		name string
		sel  toolkit.Selection
		want []string // nil: check count only
		n    int
		err  string
	}{
		{name: "default", sel: toolkit.Selection{}, n: len(all) - len(notDefault)},
		{name: "all", sel: toolkit.Selection{Toolsets: []string{"all"}}, n: len(all)},
		{name: "context", sel: toolkit.Selection{Toolsets: []string{"context"}}, want: ctxTools},
		{name: "context+tool", sel: toolkit.Selection{Toolsets: []string{"context"}, Tools: []string{"clickup_get_task"}},
			want: with(ctxTools, "clickup_get_task")},
		{name: "tools only", sel: toolkit.Selection{Toolsets: []string{""}, Tools: []string{"clickup_get_task"}}, want: []string{"clickup_get_task"}},
		{name: "exclude wins", sel: toolkit.Selection{Toolsets: []string{"context"}, Tools: []string{"clickup_get_task"}, Exclude: []string{"clickup_get_task", "clickup_whoami"}},
			want: without(ctxTools, "clickup_whoami")},
		{name: "read-only", sel: toolkit.Selection{Toolsets: []string{"all"}, ReadOnly: true}, want: reads},
		{name: "read-only beats tools", sel: toolkit.Selection{Toolsets: []string{"context"}, Tools: []string{"clickup_delete_task"}, ReadOnly: true},
			want: ctxTools},
		{name: "comments", sel: toolkit.Selection{Toolsets: []string{"comments"}}, want: []string{"clickup_create_task_comment", "clickup_get_task_comments"}},
		{name: "alias", sel: toolkit.Selection{Toolsets: []string{""}, Tools: []string{"clickup_add_comment"}}, want: []string{"clickup_create_task_comment"}},
		{name: "case and spaces", sel: toolkit.Selection{Toolsets: []string{" Context "}}, n: len(toolkit.Toolsets(all)[toolkit.ToolsetContext])},
		{name: "unknown toolset", sel: toolkit.Selection{Toolsets: []string{"nope"}}, err: "valid toolsets: chat, comments, context, docs, hierarchy, tasks, time, default, all"},
		{name: "unknown tool", sel: toolkit.Selection{Tools: []string{"clickup_nope"}}, err: "valid tools: clickup_attach_file, clickup_create_doc, clickup_create_folder, clickup_create_list, clickup_create_task"},
		{name: "unknown exclude", sel: toolkit.Selection{Exclude: []string{"nope"}}, err: "exclude-tools"},
	}
	// A tool kept out of the default preset is still offered with its toolset.
	def, err := toolkit.Select(all, toolkit.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range all {
		if !tl.NotDefault {
			continue
		}
		own, err := toolkit.Select(all, toolkit.Selection{Toolsets: []string{tl.Toolset}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(toolkit.Names(own), tl.Name()) || slices.Contains(toolkit.Names(def), tl.Name()) {
			t.Errorf("%s: want it with --toolsets %s and not in default", tl.Name(), tl.Toolset)
		}
	}
	for _, tc := range tests {
		got, err := toolkit.Select(all, tc.sel)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		names := toolkit.Names(got)
		if tc.want != nil && strings.Join(names, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: got %v, want %v", tc.name, names, tc.want)
		}
		if tc.want == nil && len(names) != tc.n {
			t.Errorf("%s: got %d tools %v, want %d", tc.name, len(names), names, tc.n)
		}
	}
}

// TestNarrowingCanOnlyRemove checks per-request narrowing (the X-MCP-*
// headers) on both tools/list and tools/call, and that it never widens what
// the server offers.
func TestNarrowingCanOnlyRemove(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"context", "tasks"}, ReadOnly: false})
	list := func(ctx context.Context) []string {
		r, err := h.c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tl := range r.Tools {
			out = append(out, tl.Name)
		}
		return out
	}
	call := func(ctx context.Context, name string, args map[string]any) (*mcp.CallToolResult, error) {
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		req.Params.Arguments = args
		return h.c.CallTool(ctx, req)
	}
	base := context.Background()
	sets := toolkit.Toolsets(testTools(t))
	offered := len(sets[toolkit.ToolsetContext]) + len(sets[toolkit.ToolsetTasks])
	if n := len(list(base)); n != offered {
		t.Fatalf("server offers %d tools, want %d", n, offered)
	}
	ro := toolkit.WithNarrowing(base, &toolkit.Selection{ReadOnly: true})
	for _, n := range list(ro) {
		if n == "clickup_create_task" || n == "clickup_update_task" || n == "clickup_delete_task" {
			t.Errorf("read-only narrowing listed %s", n)
		}
	}
	if r, err := call(ro, "clickup_delete_task", map[string]any{"task_id": w.login}); err == nil && !r.IsError {
		t.Fatal("a write tool was callable under read-only narrowing")
	}
	if _, ok := w.fake.Task(w.login); !ok {
		t.Fatal("task deleted despite read-only narrowing")
	}
	// Asking for the comments toolset, which the server does not offer,
	// adds nothing.
	wider := toolkit.WithNarrowing(base, &toolkit.Selection{Toolsets: []string{"comments", "context"}})
	got := strings.Join(list(wider), ",")
	if strings.Contains(got, "comment") || !strings.Contains(got, "clickup_whoami") {
		t.Fatalf("narrowing widened or lost tools: %s", got)
	}
	if r, err := call(wider, "clickup_get_task_comments", map[string]any{"task_id": w.login}); err == nil && !r.IsError {
		t.Fatal("a tool the server does not offer was callable")
	}
	only := toolkit.WithNarrowing(base, &toolkit.Selection{Tools: []string{"clickup_get_task"}})
	if got := list(only); len(got) != 1 || got[0] != "clickup_get_task" {
		t.Fatalf("X-MCP-Tools narrowing: %v", got)
	}
	excl := toolkit.WithNarrowing(base, &toolkit.Selection{Exclude: []string{"clickup_search_tasks"}})
	if got := list(excl); len(got) != offered-1 {
		t.Fatalf("exclude narrowing: %v", got)
	}
	bogus := toolkit.WithNarrowing(base, &toolkit.Selection{Toolsets: []string{"nope"}})
	if got := list(bogus); len(got) != 0 {
		t.Fatalf("unknown narrowing should offer nothing, got %v", got)
	}
}
