package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/tokens"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestReadmeTables keeps the README's tool table and its table of preset
// sizes generated from the registry: a new or changed tool changes them in
// the same commit. UPDATE_SNAPSHOTS=1 rewrites the text between the marker
// comments; anything else in the README is left alone.
func TestReadmeTables(t *testing.T) {
	path := filepath.Join("..", "README.md")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all := testTools(t)
	got := old
	for _, r := range []struct{ name, body string }{
		{"tools", toolTable(all)},
		{"presets", presetTable(t, all)},
	} {
		got, err = replaceGenerated(got, r.name, r.body)
		if err != nil {
			t.Fatal(err)
		}
	}
	if os.Getenv("UPDATE_SNAPSHOTS") == "1" {
		if !bytes.Equal(got, old) {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	if !bytes.Equal(got, old) {
		t.Errorf("README.md's generated tables are stale; run UPDATE_SNAPSHOTS=1 go test ./tools/ -run TestReadmeTables and review the diff")
	}
}

// replaceGenerated replaces the lines between <!-- name:begin ... --> and
// <!-- name:end --> with body.
func replaceGenerated(doc []byte, name, body string) ([]byte, error) {
	begin, end := []byte("<!-- "+name+":begin"), []byte("<!-- "+name+":end -->")
	i := bytes.Index(doc, begin)
	if i < 0 || bytes.Count(doc, begin) != 1 || bytes.Count(doc, end) != 1 {
		return nil, fmt.Errorf("README.md needs exactly one %q ... %q pair of markers", begin, end)
	}
	nl := bytes.IndexByte(doc[i:], '\n')
	j := bytes.Index(doc, end)
	if nl < 0 || i+nl >= j {
		return nil, fmt.Errorf("README.md: %q must be on its own line before %q", begin, end)
	}
	var b bytes.Buffer
	b.Write(doc[:i+nl+1])
	b.WriteString(body)
	b.Write(doc[j:])
	return b.Bytes(), nil
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func toolTable(all []toolkit.Tool) string {
	var b strings.Builder
	b.WriteString("| tool | toolset | kind | what it does |\n|---|---|---|---|\n")
	for _, t := range all {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", t.Name(), t.Toolset, t.Kind(),
			cell(strings.TrimSuffix(toolkit.Summary(t.Tool.Description), ".")))
	}
	return b.String()
}

// presetTable measures tools/list for each preset: the result as the server
// writes it (encoding/json, compact) and its o200k tokens.
func presetTable(t *testing.T, all []toolkit.Tool) string {
	t.Helper()
	type preset struct {
		label string
		sel   toolkit.Selection
	}
	presets := []preset{{"`default`", toolkit.Selection{}}, {"`all`", toolkit.Selection{Toolsets: []string{"all"}}}}
	sameNames := func(a, b []toolkit.Tool) bool {
		return slices.EqualFunc(a, b, func(x, y toolkit.Tool) bool { return x.Name() == y.Name() })
	}
	def, err := toolkit.Select(all, presets[0].sel)
	if err != nil {
		t.Fatal(err)
	}
	every, err := toolkit.Select(all, presets[1].sel)
	if err != nil {
		t.Fatal(err)
	}
	if sameNames(def, every) {
		presets = []preset{{"`default` / `all`", toolkit.Selection{}}}
	}
	presets = append(presets, preset{"`--read-only`", toolkit.Selection{ReadOnly: true}})
	var sets []string
	for _, tl := range all {
		if !slices.Contains(sets, tl.Toolset) {
			sets = append(sets, tl.Toolset)
		}
	}
	for _, s := range sets {
		presets = append(presets, preset{"`" + s + "`", toolkit.Selection{Toolsets: []string{s}}})
	}
	var b strings.Builder
	b.WriteString("| preset | tools | bytes of `tools/list` | o200k tokens |\n|---|---|---|---|\n")
	for _, p := range presets {
		ts, err := toolkit.Select(all, p.sel)
		if err != nil {
			t.Fatalf("%s: %v", p.label, err)
		}
		res := mcp.ListToolsResult{}
		for _, tl := range ts {
			res.Tools = append(res.Tools, tl.Tool)
		}
		raw, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", p.label, len(ts), thousands(len(raw)), thousands(tokens.CountBytes(raw)))
	}
	return b.String()
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
