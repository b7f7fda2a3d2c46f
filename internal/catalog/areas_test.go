package catalog

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/clickup-mcp/clickup-mcp/internal/testutil"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// The table of areas that Tools checks --catalog-areas against at start is
// the embedded catalogue's (go generate ./internal/catalog/ rewrites both).
func TestAreasTable(t *testing.T) {
	want, err := AreasSource(operationsJSON)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_AREAS") != "" {
		if err := os.WriteFile("areas_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("areas_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("areas_gen.go is not the catalogue's areas: run go generate ./internal/catalog/ (or UPDATE_AREAS=1 go test -run TestAreasTable ./internal/catalog/)\ngot:\n%s\nwant:\n%s", got, want)
	}
	if len(areaNames) == 0 {
		t.Error("no sensitive areas in the table")
	}
}

// Building the catalogue tools parses nothing; the first call does, once,
// and a bad --catalog-areas is refused at start all the same.
func TestToolsParseAtFirstCall(t *testing.T) {
	loads := 0
	load := func() (*Catalog, error) { loads++; return parse(operationsJSON) }
	d := workspace.NewDeps(workspace.Config{Token: "pk_1_TEST"})
	if _, err := tools(d, Options{Areas: []string{"webhook"}}, load); err == nil {
		t.Error("an unknown area was accepted at start")
	}
	ts, err := tools(d, Options{Areas: []string{"webhooks"}, Exclude: []string{"goals.list"}}, load)
	if err != nil {
		t.Fatal(err)
	}
	if loads != 0 || len(ts) != 4 {
		t.Fatalf("building the tools parsed the catalogue %d times (%d tools)", loads, len(ts))
	}
	s := server.NewMCPServer("catalog-test", "test", server.WithToolCapabilities(false))
	for _, tl := range ts {
		s.AddTools(tl.ServerTool)
	}
	c := testutil.Connect(t, s)
	if _, err := c.ListTools(context.Background(), mcp.ListToolsRequest{}); err != nil {
		t.Fatal(err)
	}
	if loads != 0 {
		t.Fatal("tools/list parsed the catalogue")
	}
	for _, q := range []string{"webhooks", "goals"} {
		req := mcp.CallToolRequest{}
		req.Params.Name = "clickup_find_operations"
		req.Params.Arguments = map[string]any{"query": q}
		res, err := c.CallTool(context.Background(), req)
		if err != nil || res.IsError {
			t.Fatalf("find %s: %v %v", q, err, testutil.Text(res))
		}
		if strings.Contains(testutil.Text(res), "goals.list ") {
			t.Errorf("find %s offers the excluded goals.list: %s", q, testutil.Text(res))
		}
	}
	if loads != 1 {
		t.Errorf("two calls parsed the catalogue %d times, want once", loads)
	}
}
