package app

import (
	"context"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/mark3labs/mcp-go/mcp"
)

// The server names itself (title, description, website, icon) at
// initialize, and every tool (with a top-level title), prompt, resource and
// resource template carries an icon, as a data URI (nothing fetched).
func TestServerIdentityAndIcons(t *testing.T) {
	w := newSmallWorld(t)
	a := testApp(t, w.url, nil, "--toolsets", "all")
	c, res := testutil.Open(t, a.MCP, testutil.WithProtocol("2025-11-25"), testutil.WithClientName("polish-test"))
	ctx := context.Background()
	si := res.ServerInfo
	if si.Title == "" || si.Description == "" || !strings.HasPrefix(si.WebsiteURL, "https://") || !dataIcons(si.Icons) {
		t.Errorf("server info %+v: want a title, description, https website and a data-URI icon", si)
	}
	tl, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tl.Tools {
		if tool.Title == "" || !dataIcons(tool.Icons) {
			t.Errorf("tool %s: title %q, icons %v", tool.Name, tool.Title, tool.Icons)
		}
	}
	pl, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rl, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Prompts) == 0 || len(rl.Resources) == 0 || len(tpl.ResourceTemplates) == 0 {
		t.Fatalf("%d prompts, %d resources, %d templates", len(pl.Prompts), len(rl.Resources), len(tpl.ResourceTemplates))
	}
	for _, p := range pl.Prompts {
		if !dataIcons(p.Icons) {
			t.Errorf("prompt %s has no icon", p.Name)
		}
	}
	for _, r := range rl.Resources {
		if !dataIcons(r.Icons) {
			t.Errorf("resource %s has no icon", r.URI)
		}
	}
	for _, r := range tpl.ResourceTemplates {
		if !dataIcons(r.Icons) {
			t.Errorf("resource template %s has no icon", r.Name)
		}
	}
}

func dataIcons(icons []mcp.Icon) bool {
	if len(icons) == 0 {
		return false
	}
	for _, i := range icons {
		if !strings.HasPrefix(i.Src, "data:image/svg+xml,") || len(i.Src) > 400 {
			return false
		}
	}
	return true
}

// Results that name tasks or lists carry resource links (at most
// toolkit.MaxLinks), and resources/read answers every link, over the whole
// server as main builds it (the tools' links, the prompts package's
// resources).
func TestResultLinksReadAsResources(t *testing.T) {
	a := testApp(t, "http://clickup.invalid/api", nil, "--sandbox", "--toolsets", "all")
	c, _ := testutil.Open(t, a.MCP, testutil.WithProtocol("2025-11-25"), testutil.WithClientName("links-test"))
	ctx := context.Background()
	calls := []struct {
		tool string
		args map[string]any
		want []string // URIs the links must include
		min  int
	}{
		{"clickup_get_task", map[string]any{"task_id": "ACME-1"}, []string{"clickup://task/"}, 2},
		{"clickup_get_list", map[string]any{"list_id": "Sprint 12"}, []string{"clickup://list/"}, 1},
		{"clickup_search_tasks", map[string]any{"limit": 100, "include_closed": true, "subtasks": true}, nil, toolkit.MaxLinks},
		{"clickup_get_task_comments", map[string]any{"task_id": "ACME-1"}, []string{"clickup://task/ACME-1"}, 1},
		{"clickup_create_task", map[string]any{"list_id": "Sprint 12", "name": "Linked parent", "subtasks": []map[string]any{{"name": "Linked child"}}}, []string{"clickup://task/", "clickup://list/"}, 3},
		{"clickup_update_task", map[string]any{"task_id": "ACME-1", "status": "in review"}, []string{"clickup://task/"}, 1},
		{"clickup_move_task", map[string]any{"task_id": "ACME-1", "also_in": []string{"Q3 Launch"}}, []string{"clickup://task/", "clickup://list/"}, 3},
		{"clickup_relate_tasks", map[string]any{"task_id": "ACME-1", "add": []map[string]any{{"relation": "waiting_on", "task": "ACME-2"}}}, []string{"clickup://task/"}, 2},
		{"clickup_create_task_comment", map[string]any{"task_id": "ACME-1", "text": "Linked."}, []string{"clickup://task/ACME-1"}, 1},
		{"clickup_log_time", map[string]any{"task_id": "ACME-1", "duration": "30m"}, []string{"clickup://task/"}, 1},
		{"clickup_timer", map[string]any{"action": "start", "task_id": "ACME-2"}, []string{"clickup://task/"}, 1},
		{"clickup_attach_file", map[string]any{"task_id": "ACME-1", "content_base64": "UmVsZWFzZSBub3Rlcwo=", "filename": "notes.txt"}, []string{"clickup://task/"}, 1},
		{"clickup_create_list", map[string]any{"name": "Linked list", "parent": "Engineering/Platform"}, []string{"clickup://list/"}, 1},
		{"clickup_update_checklist", map[string]any{"task_id": "ACME-262", "checklist": "Release", "add": []string{"Write tests"}}, []string{"clickup://task/ACME-262"}, 1},
	}
	read := map[string]bool{}
	for _, tc := range calls {
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = tc.tool, tc.args
		res, err := c.CallTool(ctx, req)
		if err != nil || res.IsError {
			t.Fatalf("%s: %v %+v", tc.tool, err, res)
		}
		var links []mcp.ResourceLink
		for _, item := range res.Content {
			if l, ok := item.(mcp.ResourceLink); ok {
				links = append(links, l)
			}
		}
		if len(links) < tc.min || len(links) > toolkit.MaxLinks {
			t.Errorf("%s: %d links, want %d to %d: %+v", tc.tool, len(links), tc.min, toolkit.MaxLinks, links)
		}
		for _, want := range tc.want {
			found := false
			for _, l := range links {
				found = found || strings.HasPrefix(l.URI, want)
			}
			if !found {
				t.Errorf("%s: no link starting %s in %+v", tc.tool, want, links)
			}
		}
		for _, l := range links {
			if l.Type != mcp.ContentTypeLink || l.Name == "" || l.MIMEType != "text/markdown" {
				t.Errorf("%s: link %+v: want type resource_link, a name and text/markdown", tc.tool, l)
			}
			if read[l.URI] {
				continue
			}
			read[l.URI] = true
			rr, err := c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: l.URI}})
			if err != nil {
				t.Errorf("%s: resources/read %s: %v", tc.tool, l.URI, err)
				continue
			}
			if len(rr.Contents) == 0 {
				t.Errorf("%s: resources/read %s: no contents", tc.tool, l.URI)
				continue
			}
			if tc, ok := rr.Contents[0].(mcp.TextResourceContents); !ok || tc.URI != l.URI || !strings.HasPrefix(tc.Text, "# ") {
				t.Errorf("resources/read %s: %+v", l.URI, rr.Contents[0])
			}
		}
	}
	t.Logf("%d distinct links read", len(read))
}
