package app

import (
	"context"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

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
