package openapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// miniSpec has ClickUp's habits in small: prose everywhere, a property called "description",
// path-level parameters, a $ref into another operation, non-2xx responses, a required
// Content-Type header, OpenAPI 3.0's nullable.
const miniSpec = `{
 "openapi": "3.1.0",
 "info": {"title": "t", "version": "2.0", "description": "prose"},
 "servers": [{"url": "https://api.clickup.com/api", "description": "ClickUp", "variables": {}}],
 "security": [{"K": []}],
 "components": {"securitySchemes": {"K": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "d"}}},
 "tags": [{"name": "Things"}],
 "paths": {
  "/v2/thing/{thing_id}": {
   "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "p"}],
   "get": {
    "operationId": "GetThing", "summary": "s", "tags": ["Things"], "x-hideTryItPanel": true, "deprecated": false,
    "parameters": [
     {"name": "Content-Type", "in": "header", "required": true, "schema": {"const": "application/json", "type": "string"}},
     {"name": "statuses", "in": "query", "style": "form", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}}
    ],
    "responses": {
     "200": {"description": "", "headers": {}, "content": {"application/json": {"schema": {
      "title": "GetThingresponse", "type": "object", "required": ["description"],
      "properties": {
       "description": {"type": "string", "description": "a property named description stays"},
       "owner": {"$ref": "#/paths/~1v2~1other/post/requestBody/content/application~1json/schema/properties/owner"},
       "box": {"type": "object", "properties": {"n": {"type": "integer"}}},
       "when": {"type": "string", "enum": ["a"], "default": "a"}
      },
      "examples": [{"description": "x"}]
     }, "example": {"description": "x"}}}},
     "404": {"description": "not found"}
    }
   },
   "delete": {"operationId": "DeleteThing", "responses": {"204": {"description": ""}}}
  },
  "/v2/other": {
   "post": {"operationId": "PostOther", "requestBody": {"content": {"application/json": {"schema": {"type": "object",
    "properties": {"owner": {"type": "object", "nullable": true, "properties": {"id": {"type": "integer"}}}}}}}},
    "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {
     "owner": {"$ref": "#/paths/~1v2~1other/post/requestBody/content/application~1json/schema/properties/owner"}}}}}}}}
  }
 }
}`

func gen(t *testing.T, ops []string, exc []Exception) map[string]any {
	t.Helper()
	b, err := Trim([]byte(miniSpec), Options{Operations: ops, Exceptions: exc})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestTrimTrims(t *testing.T) {
	doc := gen(t, []string{"GetThing"}, nil)
	paths := doc["paths"].(map[string]any)
	if len(paths) != 1 || paths["/v2/thing/{thing_id}"] == nil {
		t.Fatalf("paths = %v, want only /v2/thing/{thing_id}", keys(paths))
	}
	item := paths["/v2/thing/{thing_id}"].(map[string]any)
	if len(item) != 1 || item["get"] == nil {
		t.Fatalf("path item keeps %v, want only get", keys(item))
	}
	op := item["get"].(map[string]any)
	if got := keys(op["responses"].(map[string]any)); strings.Join(got, ",") != "200" {
		t.Errorf("responses = %v, want only the 2xx", got)
	}
	if params := op["parameters"].([]any); len(params) != 3 || params[0].(map[string]any)["name"] != "thing_id" {
		t.Errorf("parameters = %v, want the path-level thing_id merged in first", params)
	}
	schema := mget(op, "responses", "200", "content", "application/json", "schema").(map[string]any)
	props := schema["properties"].(map[string]any)
	if _, ok := props["description"]; !ok {
		t.Error("the property named description was stripped")
	}
	if ref := mget(props, "owner", "$ref"); ref != "#/components/schemas/PostOther.request.owner" {
		t.Errorf("owner $ref = %v", ref)
	}
	if mget(doc, "components", "schemas", "PostOther.request.owner", "properties", "id", "type") != "integer" {
		t.Errorf("component missing: %v", mget(doc, "components", "schemas"))
	}
	if mget(props, "when", "default") != "a" || mget(props, "when", "enum", 0) != "a" {
		t.Errorf("literal values lost: %v", props["when"])
	}
	b, _ := json.Marshal(doc)
	for _, prose := range []string{`"summary"`, `"title":"GetThingresponse"`, `"examples"`, `"example"`, `"tags"`,
		`x-hideTryItPanel`, `"deprecated"`, `"headers"`, `prose`, `"variables"`, `a property named`} {
		if bytes.Contains(b, []byte(prose)) {
			t.Errorf("output still has %s", prose)
		}
	}
	if doc["security"] == nil || mget(doc, "components", "securitySchemes", "K", "in") != "header" {
		t.Error("security facts were dropped")
	}
	if mget(doc, "servers", 0, "url") != "https://api.clickup.com/api" {
		t.Errorf("servers = %v", doc["servers"])
	}
}

func TestTrimIsDeterministic(t *testing.T) {
	ops := []string{"GetThing", "DeleteThing", "PostOther"}
	a, err := Trim([]byte(miniSpec), Options{Operations: ops, Exceptions: nil})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Trim([]byte(miniSpec), Options{Operations: ops, Exceptions: nil})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("two runs gave different bytes")
		}
	}
	if !bytes.HasSuffix(a, []byte("}\n")) || !bytes.Contains(a, []byte("\n  \"components\"")) {
		t.Errorf("want two-space indentation and a final newline:\n%.200s", a)
	}
}

func TestTrimRejectsUnknownOperation(t *testing.T) {
	_, err := Trim([]byte(miniSpec), Options{Operations: []string{"GetThing", "NoSuchOp"}, Exceptions: nil})
	if err == nil || !strings.Contains(err.Error(), "NoSuchOp") {
		t.Fatalf("err = %v, want it to name NoSuchOp", err)
	}
}

const cite = "API-NOTES §4 says so."

func TestTrimAppliesExceptions(t *testing.T) {
	exc := []Exception{
		{Operation: Operations{"GetThing"}, Where: "request", Location: "header:content-type", Fix: "optional", Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "request", Location: "query:statuses", Fix: "rename", To: "statuses[]", Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "response", Location: "body:when", Fix: "nullable", Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "response", Location: "body:box", Fix: "array", Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "response", Location: "body:box[].n", Fix: "schema", Schema: json.RawMessage(`{"type":["integer","null"]}`), Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "response", Location: "body:last_page", Fix: "add", Schema: json.RawMessage(`{"type":"boolean"}`), Reason: cite},
		{Operation: Operations{"GetThing"}, Where: "response", Location: "body:description", Fix: "optional", Reason: cite},
	}
	doc := gen(t, []string{"GetThing", "PostOther"}, exc)
	op := mget(doc, "paths", "/v2/thing/{thing_id}", "get").(map[string]any)
	params := op["parameters"].([]any)
	if p := params[1].(map[string]any); p["name"] != "Content-Type" || p["required"] != nil {
		t.Errorf("Content-Type = %v, want optional", p)
	}
	if p := params[2].(map[string]any); p["name"] != "statuses[]" {
		t.Errorf("statuses = %v, want renamed", p)
	}
	props := mget(op, "responses", "200", "content", "application/json", "schema", "properties").(map[string]any)
	if when := props["when"].(map[string]any); mget(when, "type", 1) != "null" {
		t.Errorf("when = %v, want typed [string, null]", when)
	}
	// 3.0's nullable, stray in a 3.1 spec, is rewritten in the component the $refs share.
	owner := mget(doc, "components", "schemas", "PostOther.request.owner").(map[string]any)
	if owner["nullable"] != nil || mget(owner, "type", 1) != "null" {
		t.Errorf("owner = %v, want typed [object, null]", owner)
	}
	if mget(props, "box", "type") != "array" || mget(props, "box", "items", "properties", "n", "type", 1) != "null" {
		t.Errorf("box = %v", props["box"])
	}
	if mget(props, "last_page", "type") != "boolean" {
		t.Errorf("last_page = %v", props["last_page"])
	}
	if req := mget(op, "responses", "200", "content", "application/json", "schema", "required"); req != nil {
		t.Errorf("required = %v, want description optional", req)
	}
}

func TestTrimDropsUnusedComponents(t *testing.T) {
	exc := []Exception{{Operation: Operations{"GetThing"}, Where: "response", Location: "body:owner",
		Fix: "schema", Schema: json.RawMessage(`{"type":"object"}`), Reason: cite}}
	doc := gen(t, []string{"GetThing"}, exc)
	if s := mget(doc, "components", "schemas").(map[string]any); len(s) != 0 {
		t.Errorf("components = %v, want none left", keys(s))
	}
}

// An exception that no longer changes anything (the spec was fixed) fails generation, so the
// list cannot go stale.
func TestTrimRejectsStaleExceptions(t *testing.T) {
	for name, e := range map[string]Exception{
		"optional param": {Operation: Operations{"GetThing"}, Where: "request", Location: "query:statuses", Fix: "optional", Reason: cite},
		"same schema":    {Operation: Operations{"GetThing"}, Where: "response", Location: "body:when", Fix: "schema", Schema: json.RawMessage(`{"type":"string","enum":["a"],"default":"a"}`), Reason: cite},
		"no such field":  {Operation: Operations{"GetThing"}, Where: "response", Location: "body:nope", Fix: "nullable", Reason: cite},
		"add existing":   {Operation: Operations{"GetThing"}, Where: "response", Location: "body:when", Fix: "add", Schema: json.RawMessage(`{}`), Reason: cite},
		"not in list":    {Operation: Operations{"DeleteThing"}, Where: "request", Location: "query:x", Fix: "optional", Reason: cite},
		"no such param":  {Operation: Operations{"GetThing"}, Where: "request", Location: "query:x", Fix: "optional", Reason: cite},
		"rename clash":   {Operation: Operations{"GetThing"}, Where: "request", Location: "query:statuses", Fix: "rename", To: "statuses", Reason: cite},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Trim([]byte(miniSpec), Options{Operations: []string{"GetThing", "PostOther"}, Exceptions: []Exception{e}}); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestReadExceptionsChecksEntries(t *testing.T) {
	for name, body := range map[string]string{
		"no reason":     `{"exceptions":[{"operation":"A","where":"request","location":"query:x","fix":"optional","reason":"because"}]}`,
		"3p not first":  `{"exceptions":[{"operation":"A","where":"request","location":"query:x","fix":"optional","reason":"because [3p]"}]}`,
		"bad where":     `{"exceptions":[{"operation":"A","where":"both","location":"query:x","fix":"optional","reason":"API-NOTES §4"}]}`,
		"bad fix":       `{"exceptions":[{"operation":"A","where":"request","location":"query:x","fix":"ignore","reason":"API-NOTES §4"}]}`,
		"schema needed": `{"exceptions":[{"operation":"A","where":"response","location":"body:x","fix":"schema","reason":"API-NOTES §4"}]}`,
		"param in resp": `{"exceptions":[{"operation":"A","where":"response","location":"query:x","fix":"optional","reason":"API-NOTES §4"}]}`,
		"unknown field": `{"exceptions":[{"operation":"A","where":"request","location":"query:x","fix":"optional","reason":"API-NOTES §4","why":"x"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadExceptions(strings.NewReader(body)); err == nil {
				t.Error("want an error")
			}
		})
	}
	got, err := ReadExceptions(strings.NewReader(`{"exceptions":[{"operation":["A","B"],"where":"request","location":"query:x","fix":"optional","reason":"API-NOTES §4"}]}`))
	if err != nil || len(got) != 1 || strings.Join(got[0].Operation, ",") != "A,B" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ReadExceptions(strings.NewReader(`{"exceptions":[{"operation":"A","where":"request","location":"query:x","fix":"optional","reason":"[3p] the real API does so"}]}`)); err != nil {
		t.Errorf("a [3p] reason: %v", err)
	}
}

func TestReadOperations(t *testing.T) {
	got, err := ReadOperations(strings.NewReader("# comment\nGetTask   # GET /v2/task/{task_id}\n\n  CreateTask\n"))
	if err != nil || strings.Join(got, ",") != "GetTask,CreateTask" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ReadOperations(strings.NewReader("GetTask CreateTask\n")); err == nil {
		t.Error("two ids on a line: want an error")
	}
}

func keys(m map[string]any) []string { return sortedKeys(m) }
