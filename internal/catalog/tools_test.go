package catalog

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/schemagen"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// TestPolicyEveryOperation: over every generated operation, find locates
// it, describe is valid, read-only removes writes from find, describe and
// call, --exclude-tools and X-MCP-Exclude-Tools remove it, and a sensitive
// area is refused until --catalog-areas names it.
func TestPolicyEveryOperation(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	open, _ := newPolicy(c, Options{Areas: []string{"all"}})
	closed, _ := newPolicy(c, Options{})
	ro, _ := newPolicy(c, Options{ReadOnly: true, Areas: []string{"all"}})
	ctx := context.Background()
	for _, e := range c.Entries() {
		found := false
		for _, m := range c.Find(strings.NewReplacer(".", " ", "_", " ").Replace(e.ID), 0) {
			found = found || m.ID == e.ID
		}
		if !found {
			t.Errorf("%s: find does not locate it by its own words", e.ID)
		}
		if _, err := c.Describe(e.ID); err != nil {
			t.Errorf("%s: describe: %v", e.ID, err)
		}
		if err := open.allowed(ctx, e); err != nil {
			t.Errorf("%s: refused with every area on: %v", e.ID, err)
		}
		if err := closed.allowed(ctx, e); (err != nil) != (e.Area != "") {
			t.Errorf("%s (area %q): refused=%v without --catalog-areas", e.ID, e.Area, err)
		}
		if err := ro.allowed(ctx, e); (err != nil) != (e.Kind != "read") {
			t.Errorf("%s (%s): refused=%v under read-only", e.ID, e.Kind, err)
		}
		narrowed := toolkit.WithNarrowing(ctx, &toolkit.Selection{ReadOnly: true})
		if err := open.allowed(narrowed, e); (err != nil) != (e.Kind != "read") {
			t.Errorf("%s: X-MCP-Read-Only not honoured", e.ID)
		}
		excl := toolkit.WithNarrowing(ctx, &toolkit.Selection{Exclude: []string{e.ID}})
		if open.allowed(excl, e) == nil {
			t.Errorf("%s: X-MCP-Exclude-Tools not honoured", e.ID)
		}
		ex, _ := newPolicy(c, Options{Exclude: []string{e.Aliases[0]}, Areas: []string{"all"}})
		if ex.allowed(ctx, e) == nil {
			t.Errorf("%s: --exclude-tools by ClickUp's operationId not honoured", e.ID)
		}
	}
}

func TestUnknownAreaListsValid(t *testing.T) {
	c, _ := Load()
	_, err := newPolicy(c, Options{Areas: []string{"webhook"}})
	if err == nil || !strings.Contains(err.Error(), "valid areas: audit_logs") {
		t.Fatalf("want the valid areas listed, got %v", err)
	}
}

func TestCompactDropsNoise(t *testing.T) {
	got := Compact(map[string]any{"id": "1", "name": "x", "color": "#fff", "orderindex": 3, "x": nil, "l": []any{}, "sub": map[string]any{"status_color": "#000", "id": "2"}})
	m := got.(map[string]any)
	if len(m) != 3 || m["sub"].(map[string]any)["id"] != "2" || m["sub"].(map[string]any)["status_color"] != nil {
		t.Fatalf("compact: %v", got)
	}
}

// TestReach prints how many of the specs' operations a curated tool or the
// catalogue reaches with --catalog-areas all (go test -run TestReach -v
// ./internal/catalog/): every one but the OAuth code exchange (skipped in
// metadata.json).
func TestReach(t *testing.T) {
	c, _ := Load()
	p, _ := newPolicy(c, Options{Areas: []string{"all"}})
	reach, curated := 0, 0
	for _, e := range c.Entries() {
		if p.allowed(context.Background(), e) == nil {
			reach++
		}
		if prefer[e.ID] != "" {
			curated++
		}
	}
	const specOps = 172 // v2 and v3 operations in ClickUp's specs
	t.Logf("reachable: %d of %d operations (%d also by a curated tool); not offered: GetAccessToken (the OAuth code exchange)", reach, specOps, curated)
	if reach != specOps-1 {
		t.Errorf("reach %d, want %d", reach, specOps-1)
	}
}

// TestGeneratedSchemasFresh reflects the four tools' argument and result
// types again and compares with schemas_gen.go, which they serve: a changed
// type must be regenerated (go generate ./internal/catalog/, or
// UPDATE_SNAPSHOTS=1 go test ./internal/catalog/).
func TestGeneratedSchemasFresh(t *testing.T) {
	ts, err := Tools(workspace.NewDeps(workspace.Config{Token: "pk_generate"}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var st []schemagen.Tool
	for _, tl := range ts {
		st = append(st, schemagen.Tool{Name: tl.Name(), Args: tl.Args, Result: tl.Result})
	}
	update := os.Getenv("UPDATE_SNAPSHOTS") == "1"
	fresh, err := schemagen.Fresh("schemas_gen.go", "catalog", "generatedSchemas", st, update)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		return
	}
	if !fresh {
		t.Fatal("schemas_gen.go is stale: a catalogue tool's argument or result type changed; run go generate ./internal/catalog/")
	}
	for _, tl := range ts {
		if g := generatedSchemas[tl.Name()]; string(tl.Tool.RawInputSchema) != g.Input || string(tl.Tool.RawOutputSchema) != g.Output || g.Input == "" {
			t.Errorf("%s does not serve its generated schemas", tl.Name())
		}
		if strings.Contains(string(tl.Tool.RawInputSchema)+string(tl.Tool.RawOutputSchema), ":true") {
			t.Errorf("%s: a bare true schema (clients and the conformance suite refuse it)", tl.Name())
		}
	}
}
