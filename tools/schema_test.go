package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/schemagen"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func testTools(t *testing.T) []toolkit.Tool {
	t.Helper()
	return All(workspace.NewDeps(workspace.Config{Token: "pk_test"}))
}

// TestToolSnapshots keeps each tool's definition (name, description,
// schemas, annotations) under testdata/toolsnaps: a changed definition is a
// reviewed change. Regenerate with UPDATE_SNAPSHOTS=1 go test ./tools/...
func TestToolSnapshots(t *testing.T) {
	for _, tool := range testTools(t) {
		got, err := json.MarshalIndent(tool.Tool, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", "toolsnaps", tool.Name()+".json")
		if os.Getenv("UPDATE_SNAPSHOTS") == "1" {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no snapshot (run UPDATE_SNAPSHOTS=1 go test ./tools/...): %v", tool.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: definition changed; review and run UPDATE_SNAPSHOTS=1 go test ./tools/...\n got: %s", tool.Name(), got)
		}
	}
}

// TestGeneratedSchemasFresh reflects every tool's argument and result types
// again and compares with schemas_gen.go, which the server serves instead
// of reflecting at start: a changed type must be regenerated
// (go generate ./tools/, or UPDATE_SNAPSHOTS=1 with the snapshots).
func TestGeneratedSchemasFresh(t *testing.T) {
	var ts []schemagen.Tool
	for _, tool := range testTools(t) {
		if tool.Args == nil || tool.Result == nil {
			t.Fatalf("%s: the framework did not record its argument and result types", tool.Name())
		}
		ts = append(ts, schemagen.Tool{Name: tool.Name(), Args: tool.Args, Result: tool.Result})
	}
	update := os.Getenv("UPDATE_SNAPSHOTS") == "1"
	fresh, err := schemagen.Fresh("schemas_gen.go", "tools", "generatedSchemas", ts, update)
	if err != nil {
		t.Fatal(err)
	}
	if update {
		return
	}
	if !fresh {
		t.Fatal("schemas_gen.go is stale: a tool's argument or result type changed; run go generate ./tools/ and review the snapshots")
	}
	// And every tool serves exactly the generated schemas.
	for _, tool := range testTools(t) {
		g := generatedSchemas[tool.Name()]
		if string(tool.Tool.RawInputSchema) != g.Input || string(tool.Tool.RawOutputSchema) != g.Output {
			t.Errorf("%s does not serve its generated schemas", tool.Name())
		}
	}
}

// A tool without generated schemas is refused before the server starts,
// with the command that makes them.
func TestMissingSchemasRefused(t *testing.T) {
	d := workspace.NewDeps(workspace.Config{Token: "pk_test"})
	tool := newTool(d, toolkit.Spec{Name: "clickup_not_generated", Title: "Not generated", Toolset: toolkit.ToolsetContext,
		Hints: toolkit.ReadHints, Description: "d", Examples: []string{`{}`}},
		func(context.Context, *workspace.Session, *WhoamiArgs) (*WhoamiResult, string, error) {
			return nil, "", nil
		})
	err := toolkit.Validate([]toolkit.Tool{tool})
	if err == nil || !strings.Contains(err.Error(), "go generate ./tools/") {
		t.Fatalf("a tool without generated schemas: %v", err)
	}
}

// TestSchemasStrict compiles every schema as JSON Schema 2020-12 and finds
// no bare boolean sub-schema and no non-object root: either breaks the
// TypeScript SDK clients (Claude Desktop, Cursor, VS Code, the Inspector).
func TestSchemasStrict(t *testing.T) {
	for _, tool := range testTools(t) {
		for kind, raw := range map[string]json.RawMessage{"input": tool.Tool.RawInputSchema, "output": tool.Tool.RawOutputSchema} {
			name := tool.Name() + " " + kind
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			m, ok := doc.(map[string]any)
			if !ok || m["type"] != "object" {
				t.Errorf("%s: root must be an object schema", name)
			}
			if _, ok := m["properties"].(map[string]any); !ok {
				t.Errorf("%s: root must have properties", name)
			}
			if p := findBareBool(doc, "#"); p != "" {
				t.Errorf("%s: bare boolean sub-schema at %s", name, p)
			}
			if strings.Contains(string(raw), `"$ref"`) {
				t.Errorf("%s: $ref present", name)
			}
			c := jsonschema.NewCompiler()
			c.DefaultDraft(jsonschema.Draft2020)
			if err := c.AddResource("mem://"+tool.Name()+"/"+kind, doc); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if _, err := c.Compile("mem://" + tool.Name() + "/" + kind); err != nil {
				t.Errorf("%s: does not compile as 2020-12: %v", name, err)
			}
		}
	}
}

// findBareBool returns the JSON pointer of the first sub-schema that is a
// bare true/false, or "".
func findBareBool(v any, at string) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	for _, key := range []string{"properties", "patternProperties", "$defs", "definitions"} {
		if props, ok := m[key].(map[string]any); ok {
			for k, sub := range props {
				if _, isBool := sub.(bool); isBool {
					return at + "/" + key + "/" + k
				}
				if p := findBareBool(sub, at+"/"+key+"/"+k); p != "" {
					return p
				}
			}
		}
	}
	for _, key := range []string{"items", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedProperties"} {
		if sub, ok := m[key]; ok {
			if _, isBool := sub.(bool); isBool {
				return at + "/" + key
			}
			if p := findBareBool(sub, at+"/"+key); p != "" {
				return p
			}
		}
	}
	if sub, ok := m["additionalProperties"]; ok {
		if _, isBool := sub.(bool); !isBool {
			if p := findBareBool(sub, at+"/additionalProperties"); p != "" {
				return p
			}
		}
	}
	for _, key := range []string{"anyOf", "oneOf", "allOf", "prefixItems"} {
		if arr, ok := m[key].([]any); ok {
			for i, sub := range arr {
				if _, isBool := sub.(bool); isBool {
					return fmt.Sprintf("%s/%s/%d", at, key, i)
				}
				if p := findBareBool(sub, fmt.Sprintf("%s/%s/%d", at, key, i)); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

func TestFindBareBoolCatchesOne(t *testing.T) {
	doc := map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "object", "properties": map[string]any{"x": true}}}}
	if p := findBareBool(doc, "#"); p != "#/properties/a/properties/x" {
		t.Fatalf("got %q", p)
	}
}

// TestAnnotationsMatchBehaviour checks every tool's hints against what it
// does: read tools are the ones that only GET.
func TestAnnotationsMatchBehaviour(t *testing.T) {
	writes := map[string]bool{
		"clickup_create_task": true, "clickup_update_task": true, "clickup_delete_task": true,
		"clickup_create_task_comment": true,
		"clickup_log_time":            true, "clickup_timer": true,
		"clickup_move_task": true, "clickup_relate_tasks": true,
		"clickup_create_list": true, "clickup_create_folder": true, "clickup_send_chat_message": true,
		"clickup_create_doc": true, "clickup_edit_doc_page": true,
		"clickup_update_checklist": true, "clickup_attach_file": true,
	}
	destructive := map[string]bool{"clickup_delete_task": true, "clickup_edit_doc_page": true, "clickup_update_checklist": true}
	ts := testTools(t)
	if err := toolkit.Validate(ts); err != nil {
		t.Fatal(err)
	}
	for _, tool := range ts {
		a := tool.Tool.Annotations
		if *a.ReadOnlyHint == writes[tool.Name()] {
			t.Errorf("%s: readOnly=%v, but writes=%v", tool.Name(), *a.ReadOnlyHint, writes[tool.Name()])
		}
		if *a.DestructiveHint != destructive[tool.Name()] {
			t.Errorf("%s: destructive=%v", tool.Name(), *a.DestructiveHint)
		}
		if !strings.HasPrefix(tool.Name(), "clickup_") {
			t.Errorf("%s: names start with clickup_", tool.Name())
		}
	}
}

func TestValidateRefusesContradiction(t *testing.T) {
	ts := testTools(t)
	bad := ts[0]
	bad.ReadOnly = !bad.ReadOnly
	if err := toolkit.Validate([]toolkit.Tool{bad}); err == nil {
		t.Fatal("a tool whose group contradicts its readOnly hint was accepted")
	}
	if err := toolkit.Validate([]toolkit.Tool{ts[0], ts[0]}); err == nil {
		t.Fatal("duplicate names accepted")
	}
}

// TestEveryInputPropertyDescribed: a model reads an argument's meaning from
// its description, so every input property (nested ones included) has one.
// Output schemas carry none on purpose (schemagen strips them: the model
// never sees them).
func TestEveryInputPropertyDescribed(t *testing.T) {
	for name, s := range generatedSchemas {
		var doc any
		if err := json.Unmarshal([]byte(s.Input), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(path string, n any)
		walk = func(path string, n any) {
			m, _ := n.(map[string]any)
			props, _ := m["properties"].(map[string]any)
			for k, v := range props {
				pm, _ := v.(map[string]any)
				if d, _ := pm["description"].(string); strings.TrimSpace(d) == "" {
					t.Errorf("%s: argument %s has no description", name, strings.TrimPrefix(path+"."+k, "."))
				}
				walk(path+"."+k, v)
			}
			if it, ok := m["items"]; ok {
				walk(path+"[]", it)
			}
		}
		walk("", doc)
	}
}
