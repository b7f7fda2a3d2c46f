package catalog

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// TestTokenBudgets: the four tools cost at most 1,200 o200k tokens of
// tools/list, a typical find answer at most 400, any describe at most 900.
func TestTokenBudgets(t *testing.T) {
	ts, err := Tools(workspace.NewDeps(workspace.Config{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, tl := range ts {
		total += tokens.Count(tl.Tool.Name) + tokens.Count(tl.Tool.Description) + tokens.CountBytes(tl.Tool.RawInputSchema)
	}
	t.Logf("tools/list of the %d catalogue tools: %d tokens", len(ts), total)
	if len(ts) != 4 || total > 1200 {
		t.Errorf("%d tools cost %d tokens, over 1,200", len(ts), total)
	}
	c, _ := Load()
	p, _ := newPolicy(c, Options{})
	for _, q := range []string{"goal key results", "time entry tags", "views of a list", "custom task types"} {
		var ops []FoundOp
		for _, m := range c.Find(q, 0) {
			if p.allowed(context.Background(), c.byID[m.ID]) == nil && len(ops) < 8 {
				ops = append(ops, FoundOp{ID: m.ID, What: m.Summary, Kind: m.Kind, Prefer: prefer[m.ID]})
			}
		}
		n, _ := tokens.JSON(FindResult{Operations: ops})
		t.Logf("find %q: %d tokens", q, n)
		if n > 400 || len(ops) == 0 {
			t.Errorf("find %q: %d results, %d tokens (over 400?)", q, len(ops), n)
		}
	}
	most, which := 0, ""
	for _, e := range c.Entries() {
		raw, _ := c.Describe(e.ID)
		n, _ := tokens.JSON(DescribeResult{Operation: json.RawMessage(raw)})
		if n > most {
			most, which = n, e.ID
		}
	}
	t.Logf("largest describe: %s, %d tokens", which, most)
	if most > 900 {
		t.Errorf("describe %s costs %d tokens, over 900", which, most)
	}
}
