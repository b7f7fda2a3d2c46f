package tools

import (
	"context"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestPanicIsRecovered: a handler bug is reported to the client and the
// server keeps serving.
func TestPanicIsRecovered(t *testing.T) {
	s, _, err := NewServer(workspace.NewDeps(workspace.Config{Token: "pk_x"}), toolkit.ServerOptions{Name: "t", Version: "t"})
	if err != nil {
		t.Fatal(err)
	}
	s.AddTool(mcp.NewTool("boom"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var m map[string]int
		m["x"]++ //nolint:staticcheck // SA5000: the nil map write is the runtime panic under test
		return nil, nil
	})
	c := testutil.Connect(t, s)
	ctx := context.Background()
	req := mcp.CallToolRequest{}
	req.Params.Name = "boom"
	_, err = c.CallTool(ctx, req)
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("want a reported panic, got %v", err)
	}
	if _, err := c.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
		t.Fatalf("server stopped serving after a panic: %v", err)
	}
}
