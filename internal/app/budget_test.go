package app

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
)

// TestBudgetComposedToolsList: issue 18's budgets hold for the server as it
// is composed, the catalogue included (tools/ checks its curated tools
// alone): what the model sees of tools/list (name, description and input
// schema, compact JSON) is at most 4,000 o200k tokens in the default preset
// and 9,000 with every toolset, and the whole default answer on the wire at
// most 6,000, every tool's icon (issue 19, a valid SVG data URI of about 95
// tokens, which clients show to the user, not to the model) included: it was
// 6,988 with output schemas two levels deep and the title repeated in the
// annotations, 5,770 with schemas that list the root's properties only.
func TestBudgetComposedToolsList(t *testing.T) {
	for _, c := range []struct {
		preset      string
		args        []string
		model, wire int
	}{
		{"default", nil, 4000, 6000},
		{"all", []string{"--toolsets", "all"}, 9000, 0},
	} {
		a := testApp(t, "http://clickup.invalid/api", nil, append([]string{"--sandbox"}, c.args...)...)
		raw, err := json.Marshal(a.MCP.HandleMessage(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Result struct {
				Tools []struct {
					Name        string          `json:"name"`
					Description string          `json:"description"`
					InputSchema json.RawMessage `json:"inputSchema"`
				} `json:"tools"`
			} `json:"result"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		model, catalog := 0, 0
		for _, tl := range r.Result.Tools {
			n, err := tokens.JSON(map[string]any{"name": tl.Name, "description": tl.Description, "inputSchema": tl.InputSchema})
			if err != nil {
				t.Fatal(err)
			}
			model += n
			switch tl.Name {
			case "clickup_find_operations", "clickup_describe_operation", "clickup_call_read", "clickup_call_write":
				catalog++
			}
		}
		wire := tokens.CountBytes(raw)
		t.Logf("%s: %d tools (%d of the catalogue): %d tokens seen by the model (budget %d), %d on the wire", c.preset, len(r.Result.Tools), catalog, model, c.model, wire)
		if catalog != 4 {
			t.Errorf("%s: %d catalogue tools, want 4 (every ClickUp operation reachable)", c.preset, catalog)
		}
		if model > c.model {
			t.Errorf("%s: the model sees %d tokens of tools/list, over %d", c.preset, model, c.model)
		}
		if c.wire > 0 && wire > c.wire {
			t.Errorf("%s: tools/list is %d tokens on the wire, over %d", c.preset, wire, c.wire)
		}
	}
}
