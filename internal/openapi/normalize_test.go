package openapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

// mini30 has the v3 spec's habits: OpenAPI 3.0, named components, nullable beside a type, an
// enum and a $ref, boolean exclusive bounds, a 201 and a 204.
const mini30 = `{
 "openapi": "3.0.0",
 "info": {"title": "t", "version": "3.0"},
 "servers": [{"url": "https://api.clickup.com/"}],
 "paths": {
  "/api/v3/workspaces/{workspace_id}/docs": {
   "post": {
    "operationId": "createDoc",
    "parameters": [{"name": "workspace_id", "in": "path", "required": true, "schema": {"type": "number"}, "example": 1}],
    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateDoc"}}}},
    "responses": {"201": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Doc"}}}},
                  "400": {"description": "bad"}}
   },
   "delete": {"operationId": "dropDoc", "parameters": [{"name": "workspace_id", "in": "path", "required": true, "schema": {"type": "number"}}],
              "responses": {"204": {"description": ""}}}
  }
 },
 "components": {"schemas": {
  "CreateDoc": {"type": "object", "required": ["name"], "properties": {
   "name": {"type": "string", "example": "x"},
   "size": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false},
   "kind": {"type": "string", "enum": ["a", "b"], "nullable": true},
   "parent": {"allOf": [{"$ref": "#/components/schemas/Parent"}], "nullable": true}}},
  "Parent": {"type": "object", "properties": {"id": {"type": "string"}, "nullable": {"type": "boolean"}}},
  "Doc": {"type": "object", "properties": {"id": {"type": "string"}, "parent": {"$ref": "#/components/schemas/Parent"}}},
  "Unused": {"type": "string"}
 }}
}`

func TestTrimNormalisesOpenAPI30(t *testing.T) {
	b, err := Trim([]byte(mini30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" || mget(doc, "info", "x-source-openapi") != "3.0.0" {
		t.Errorf("openapi %v, source %v: want 3.1.0 from 3.0.0", doc["openapi"], mget(doc, "info", "x-source-openapi"))
	}
	props := mget(doc, "components", "schemas", "CreateDoc", "properties")
	cases := map[string]any{
		"size": map[string]any{"type": "integer", "exclusiveMinimum": 0.0, "maximum": 9.0},
		"kind": map[string]any{"type": []any{"string", "null"}, "enum": []any{"a", "b", nil}},
		"parent": map[string]any{"anyOf": []any{
			map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/Parent"}}},
			map[string]any{"type": "null"}}},
		"name": map[string]any{"type": "string"},
	}
	for k, want := range cases {
		if got := mget(props, k); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	if mget(doc, "components", "schemas", "Parent", "properties", "nullable") == nil {
		t.Error("a property named nullable must stay")
	}
	if mget(doc, "components", "schemas", "Unused") != nil {
		t.Error("Unused component kept")
	}
}

func TestParseFacts(t *testing.T) {
	b, err := Trim([]byte(mini30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != 2 || d.Server != "https://api.clickup.com/" {
		t.Fatalf("got %d operations on %q", len(d.Operations), d.Server)
	}
	create := d.Operation("createDoc")
	if create == nil || create.Method != "POST" || create.Body == nil || !create.Body.Required || create.Body.ContentType != "application/json" {
		t.Fatalf("createDoc: %+v", create)
	}
	if p := create.Param("path", "workspace_id"); p == nil || !p.Required {
		t.Errorf("workspace_id: %+v", p)
	}
	if len(create.Responses) != 1 || create.Responses[0].Status != 201 {
		t.Errorf("responses: %+v", create.Responses)
	}
	body := d.Resolve(create.Body.Schema).(map[string]any)
	if !reflect.DeepEqual(body["required"], []any{"name"}) {
		t.Errorf("body schema: %v", body)
	}
	drop := d.Operation("dropDoc")
	if drop == nil || len(drop.Responses) != 1 || drop.Responses[0].Status != 204 || drop.Responses[0].Schema != nil {
		t.Errorf("dropDoc: %+v", drop)
	}
	if got := mget(d.Root, "paths", "/api/v3/workspaces/{workspace_id}/docs", "post", "operationId"); got != "createDoc" {
		t.Errorf("pointer root: %v", got)
	}
}

func TestNormalizeRefusesOtherVersions(t *testing.T) {
	if _, err := Normalize(map[string]any{"openapi": "2.0"}); err == nil {
		t.Error("swagger 2.0: want an error")
	}
}
