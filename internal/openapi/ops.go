package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Document is a trimmed (or any OpenAPI 3.1) document read back as facts: its operations and the
// component schemas their $refs ("#/components/schemas/NAME") point at.
type Document struct {
	Root       map[string]any // the whole document, numbers as json.Number
	Server     string         // servers[0].url
	Operations []*Operation   // by path, then method
	Schemas    map[string]any // components.schemas
}

// Operation is one method on one path.
type Operation struct {
	ID         string
	Method     string // upper case: GET, POST...
	Path       string // the spec's template: "/v2/goal/{goal_id}", "/api/v3/workspaces/{workspace_id}/docs"
	Pointer    string // JSON pointer of the operation object in Root ("/paths/~1v2~1goal/post")
	Params     []Param
	Body       *Body      // nil when the operation takes no body
	Responses  []Response // 2xx only, by status
	Deprecated bool
}

// Param is one path, query or header parameter.
type Param struct {
	Name     string
	In       string // path, query, header
	Required bool
	Schema   any
}

// Body is a request body: its media type (application/json first when several are declared)
// and schema.
type Body struct {
	ContentType string
	Required    bool
	Schema      any
	Pointer     string // JSON pointer of Schema in Root
}

// Response is one 2xx response. Schema is nil when it declares no content.
type Response struct {
	Status      int
	ContentType string
	Schema      any
	Pointer     string
}

// Parse reads an OpenAPI 3.1 document (JSON) into facts.
func Parse(doc []byte) (*Document, error) {
	v, err := decodeJSON(doc)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("openapi: not a JSON object")
	}
	d := &Document{Root: root}
	d.Server, _ = mget(root, "servers", 0, "url").(string)
	d.Schemas, _ = mget(root, "components", "schemas").(map[string]any)
	paths, _ := root["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		item, _ := paths[p].(map[string]any)
		for _, m := range methods {
			om, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			op, err := d.operation(p, m, item, om)
			if err != nil {
				return nil, fmt.Errorf("openapi: %s %s: %w", m, p, err)
			}
			d.Operations = append(d.Operations, op)
		}
	}
	return d, nil
}

func pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

func (d *Document) operation(path, method string, item, om map[string]any) (*Operation, error) {
	op := &Operation{Method: strings.ToUpper(method), Path: path, Pointer: pointer("paths", path, method)}
	op.ID, _ = om["operationId"].(string)
	op.Deprecated, _ = om["deprecated"].(bool)
	index := map[string]int{}
	for _, list := range []any{item["parameters"], om["parameters"]} {
		ps, _ := list.([]any)
		for _, raw := range ps {
			pm, ok := d.resolveMap(raw)
			if !ok {
				return nil, errors.New("a parameter is not an object")
			}
			p := Param{Schema: pm["schema"]}
			p.Name, _ = pm["name"].(string)
			p.In, _ = pm["in"].(string)
			p.Required, _ = pm["required"].(bool)
			if p.In == "cookie" {
				continue
			}
			key := p.In + ":" + p.Name
			if i, dup := index[key]; dup {
				op.Params[i] = p // an operation's own declaration overrides the path's
				continue
			}
			index[key] = len(op.Params)
			op.Params = append(op.Params, p)
		}
	}
	if rb, ok := d.resolveMap(om["requestBody"]); ok {
		content, _ := rb["content"].(map[string]any)
		ct := pickMedia(content)
		if ct != "" {
			b := &Body{ContentType: ct, Pointer: pointer("paths", path, method, "requestBody", "content", ct, "schema")}
			b.Required, _ = rb["required"].(bool)
			b.Schema = mget(content, ct, "schema")
			op.Body = b
		}
	}
	responses, _ := om["responses"].(map[string]any)
	for _, code := range sortedKeys(responses) {
		status, err := strconv.Atoi(code)
		if err != nil || status < 200 || status > 299 {
			continue
		}
		r, _ := d.resolveMap(responses[code])
		content, _ := r["content"].(map[string]any)
		resp := Response{Status: status}
		if ct := pickMedia(content); ct != "" {
			resp.ContentType = ct
			resp.Schema = mget(content, ct, "schema")
			resp.Pointer = pointer("paths", path, method, "responses", code, "content", ct, "schema")
		}
		op.Responses = append(op.Responses, resp)
	}
	return op, nil
}

// pickMedia prefers JSON among a body's media types, then the first by name.
func pickMedia(content map[string]any) string {
	if _, ok := content["application/json"]; ok {
		return "application/json"
	}
	keys := sortedKeys(content)
	sort.Strings(keys)
	if len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// resolveMap follows a $ref to a local object (parameters, request bodies, responses may be
// references in a 3.0 spec) and returns it.
func (d *Document) resolveMap(v any) (map[string]any, bool) {
	for range 8 {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		ref, isRef := m["$ref"].(string)
		if !isRef {
			return m, true
		}
		tokens, err := pointerTokens(ref)
		if err != nil {
			return nil, false
		}
		if v, err = resolve(d.Root, tokens); err != nil {
			return nil, false
		}
	}
	return nil, false
}

// Resolve returns the schema s stands for, following $refs to components (a chain of them, not
// the refs nested inside it). It returns nil for a dangling reference.
func (d *Document) Resolve(s any) any {
	for range 16 {
		m, ok := s.(map[string]any)
		if !ok {
			return s
		}
		ref, isRef := m["$ref"].(string)
		if !isRef {
			return s
		}
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			tokens, err := pointerTokens(ref)
			if err != nil {
				return nil
			}
			t, err := resolve(d.Root, tokens)
			if err != nil {
				return nil
			}
			s = t
			continue
		}
		s = d.Schemas[name]
	}
	return nil
}

// Operation returns the operation with the given operationId, or nil.
func (d *Document) Operation(id string) *Operation {
	for _, op := range d.Operations {
		if op.ID == id {
			return op
		}
	}
	return nil
}

// Param returns op's parameter of that name in that place, or nil.
func (op *Operation) Param(in, name string) *Param {
	for i := range op.Params {
		if op.Params[i].In == in && op.Params[i].Name == name {
			return &op.Params[i]
		}
	}
	return nil
}

// MarshalSchema renders a schema as compact JSON (numbers as written in the spec).
func MarshalSchema(s any) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	return b
}
