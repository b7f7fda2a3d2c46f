package tools

import (
	"context"
	"fmt"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
)

// A token ClickUp refused keeps no state: 300 calls with distinct junk
// tokens leave the session table as it was, and a real user's session
// (with its caches) is still there afterwards.
func TestRefusedTokensKeepNoState(t *testing.T) {
	w := newWorld(t)
	h := w.connect(t, "pk_alex", toolkit.Selection{Toolsets: []string{"all"}})
	h.deps.Tune(func(c *workspace.Config) { c.MaxSessions = 100 })
	h.mustOK(t, "clickup_whoami", nil, nil)
	mine, err := h.deps.Session(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sessions := h.deps.SessionCount
	before := sessions()
	for i := 0; i < 300; i++ {
		ctx := workspace.WithRequestToken(context.Background(), fmt.Sprintf("pk_9%d_JUNKTOKENVALUE%08d", i, i))
		h.mustErrCtx(t, ctx)
	}
	if n := sessions(); n != before {
		t.Errorf("after 300 refused tokens the session table holds %d sessions, was %d", n, before)
	}
	again, _ := h.deps.Session(context.Background())
	if again != mine {
		t.Error("the real user's session was pushed out by refused tokens")
	}
}

// mustErrCtx runs clickup_whoami for the token in ctx through the tool
// handler, which must fail.
func (h *harness) mustErrCtx(t *testing.T, ctx context.Context) {
	t.Helper()
	tool := Whoami(h.deps)
	req := mcp.CallToolRequest{}
	req.Params.Name = "clickup_whoami"
	r, err := tool.Handler(ctx, req)
	if err != nil || !r.IsError {
		t.Fatalf("whoami with a junk token: %v %+v", err, r)
	}
}
