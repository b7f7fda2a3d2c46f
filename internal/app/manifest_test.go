package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
)

// TestManifestListsEveryTool: the Claude Desktop bundle's manifest.json lists
// every tool the server can offer (--toolsets all, the catalogue included),
// each with the first sentence of its description, so the bundle never
// advertises a tool the server lacks or hides one it has.
// UPDATE_SNAPSHOTS=1 go test ./internal/app/ -run TestManifestListsEveryTool
// rewrites the list; .ci/packaging.sh checks it against the built binary too.
func TestManifestListsEveryTool(t *testing.T) {
	a := testApp(t, "http://clickup.invalid/api", nil, "--sandbox", "--toolsets", "all")
	type entry struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	var want []entry
	for _, tl := range a.AllTools {
		want = append(want, entry{tl.Name(), toolkit.Summary(tl.Tool.Description)})
	}
	path := filepath.Join("..", "..", "manifest.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(want); err != nil {
		t.Fatal(err)
	}
	fresh := strings.TrimSpace(b.String())
	if string(m["tools"]) == fresh {
		return
	}
	if os.Getenv("UPDATE_SNAPSHOTS") == "1" {
		out := bytes.Replace(raw, m["tools"], []byte(fresh), 1)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("manifest.json's tools differ from the server's; run UPDATE_SNAPSHOTS=1 go test ./internal/app/ -run TestManifestListsEveryTool and review the diff")
}
