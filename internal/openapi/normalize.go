package openapi

import (
	"fmt"
	"strings"
)

// Normalize rewrites a parsed OpenAPI 3.0 document in place into OpenAPI 3.1, whose schemas are
// JSON Schema 2020-12, so that one validator and one set of exceptions serve ClickUp's v2 spec
// (3.1) and its v3 spec (3.0). It returns the version it converted from, or "" when the
// document was 3.1 already (left untouched: ClickUp's 3.1 spec carries a few stray `nullable`s,
// which mean nothing there and which the exceptions handle where they matter).
//
// The 3.0 keywords that differ: `nullable: true` becomes a "null" in `type` (or an anyOf with
// {"type":"null"} where there is no type to extend, as beside a $ref), and boolean
// `exclusiveMinimum`/`exclusiveMaximum` become the numeric bounds of 2020-12. `example` is
// prose and goes with the rest of it when trimming.
func Normalize(root map[string]any) (string, error) {
	v, _ := root["openapi"].(string)
	switch {
	case strings.HasPrefix(v, "3.1."):
		// ClickUp's 3.1 spec still writes 3.0's nullable in places; 3.1 validators reject the
		// keyword, so it gets the same rewrite. Nothing else of 3.0 appears there.
		for k, c := range root {
			root[k] = normalize(c)
		}
		return "", nil
	case strings.HasPrefix(v, "3.0."):
	default:
		return "", fmt.Errorf("spec: openapi %q: want 3.0.x or 3.1.x", v)
	}
	for k, c := range root {
		root[k] = normalize(c)
	}
	root["openapi"] = "3.1.0"
	return v, nil
}

func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			t[k] = normalize(c)
		}
		return normalizeSchema(t)
	case []any:
		for i, c := range t {
			t[i] = normalize(c)
		}
	}
	return v
}

// normalizeSchema converts one schema object's 3.0-only keywords. Only a boolean value counts:
// a property that happens to be called "nullable" has an object (its schema) as value.
func normalizeSchema(m map[string]any) any {
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum"} {
		b, ok := m[k].(bool)
		if !ok {
			continue
		}
		bound := "minimum"
		if k == "exclusiveMaximum" {
			bound = "maximum"
		}
		delete(m, k)
		if n, has := m[bound]; b && has {
			m[k] = n
			delete(m, bound)
		}
	}
	n, ok := m["nullable"].(bool)
	if !ok {
		return m
	}
	delete(m, "nullable")
	if !n {
		return m
	}
	if e, ok := m["enum"].([]any); ok && !containsNil(e) {
		m["enum"] = append(e, nil)
	}
	switch t := m["type"].(type) {
	case string:
		m["type"] = []any{t, "null"}
		return m
	case []any:
		for _, x := range t {
			if x == "null" {
				return m
			}
		}
		m["type"] = append(t, "null")
		return m
	}
	return map[string]any{"anyOf": []any{m, map[string]any{"type": "null"}}}
}

func containsNil(l []any) bool {
	for _, x := range l {
		if x == nil {
			return true
		}
	}
	return false
}
