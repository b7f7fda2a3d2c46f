package openapi

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Example makes a value valid against schema (as far as a walk can: the caller validates):
// every property until depth 5, then only the required ones (so depth 5 gives a minimal value);
// for oneOf the first alternative no other one also takes; the first enum value; empty arrays
// unless minItems asks for more. name, the property's name, picks a plausible string ("1" for
// an id, epoch ms for a date).
func Example(d *Document, schema any, name string, depth int) any {
	if depth > 14 {
		return nil
	}
	raw := d.Resolve(schema)
	if b, ok := raw.(bool); ok {
		if b {
			return map[string]any{}
		}
		return nil
	}
	s, _ := raw.(map[string]any)
	if s == nil {
		return map[string]any{}
	}
	if c, ok := s["const"]; ok {
		return c
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		for _, x := range e {
			if x != nil {
				return x
			}
		}
		return nil
	}
	if all, ok := s["allOf"].([]any); ok && len(all) > 0 {
		merged := map[string]any{}
		var other any
		for _, part := range all {
			v := Example(d, part, name, depth)
			if m, ok := v.(map[string]any); ok {
				for k, x := range m {
					merged[k] = x
				}
			} else {
				other = v
			}
		}
		if len(merged) == 0 && other != nil {
			return other
		}
		base := exampleTyped(d, s, name, depth)
		if bm, ok := base.(map[string]any); ok {
			for k, x := range bm {
				if _, has := merged[k]; !has {
					merged[k] = x
				}
			}
		}
		return merged
	}
	if alts, ok := s["oneOf"].([]any); ok && len(alts) > 0 {
		// The first alternative whose minimal value no other alternative also takes: oneOf
		// wants exactly one match, and open objects often match several.
		var first any
		for n := range 2 * len(alts) {
			i, a := n/2, alts[n/2]
			v := Example(d, a, name, max(depth, 5)) // minimal: the required properties only
			if n%2 == 1 {
				v = Example(d, a, name, depth) // then in full, which may say more (an enum)
			}
			if n == 0 {
				first = v
			}
			others := false
			for j, b := range alts {
				if j != i && roughMatch(d, b, v) {
					others = true
					break
				}
			}
			if !others {
				return v
			}
		}
		return first
	}
	for _, k := range []string{"anyOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			for _, a := range alts {
				am, _ := d.Resolve(a).(map[string]any)
				if t := types(am); len(t) == 1 && t["null"] {
					continue
				}
				return Example(d, a, name, depth)
			}
			return nil
		}
	}
	return exampleTyped(d, s, name, depth)
}

func exampleTyped(d *Document, s map[string]any, name string, depth int) any {
	t := types(s)
	pick := ""
	for _, k := range []string{"object", "array", "string", "integer", "number", "boolean"} {
		if t[k] {
			pick = k
			break
		}
	}
	if pick == "" {
		switch {
		case t["null"]:
			return nil
		case s["properties"] != nil:
			pick = "object"
		case s["items"] != nil:
			pick = "array"
		default:
			return map[string]any{}
		}
	}
	switch pick {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		required := map[string]bool{}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if rs, ok := r.(string); ok {
					required[rs] = true
				}
			}
		}
		for k, p := range props {
			if depth < 5 || required[k] {
				out[k] = Example(d, p, k, depth+1)
			}
		}
		return out
	case "array":
		n := 0
		if m, err := num(s["minItems"]); err == nil {
			n = int(m)
		}
		out := make([]any, 0, n)
		for range n {
			out = append(out, Example(d, s["items"], name, depth+1))
		}
		return out
	case "string":
		return exampleString(s, name)
	case "integer", "number":
		v := 1.0
		if m, err := num(s["minimum"]); err == nil && m > v {
			v = m
		}
		if m, err := num(s["exclusiveMinimum"]); err == nil && m >= v {
			v = m + 1
		}
		if m, err := num(s["maximum"]); err == nil && m < v {
			v = m
		}
		return json.Number(strconv.FormatFloat(v, 'f', -1, 64))
	case "boolean":
		return false
	}
	return nil
}

func exampleString(s map[string]any, name string) string {
	switch s["format"] {
	case "date-time":
		return "2026-01-01T09:00:00Z"
	case "date":
		return "2026-01-01"
	case "uri", "url":
		return "https://example.com/clickup-mcp"
	case "email":
		return "user@example.com"
	case "uuid":
		return "00000000-0000-4000-8000-000000000001"
	}
	v := "example"
	switch {
	case name == "id" || strings.HasSuffix(name, "_id"):
		v = "1"
	case strings.HasPrefix(name, "date") || strings.HasSuffix(name, "_date") || name == "start" || name == "end":
		v = "1767258000000"
	case name != "":
		v = name
	}
	if m, err := num(s["minLength"]); err == nil && len(v) < int(m) {
		v += strings.Repeat("x", int(m)-len(v))
	}
	if m, err := num(s["maxLength"]); err == nil && len(v) > int(m) {
		v = v[:int(m)]
	}
	return v
}

func num(v any) (float64, error) {
	switch t := v.(type) {
	case json.Number:
		return t.Float64()
	case float64:
		return t, nil
	}
	return 0, strconv.ErrSyntax
}

// roughMatch is a cheap structural check of v against schema: its type, and an object's required
// properties. It tells oneOf alternatives apart; the caller validates for real.
func roughMatch(d *Document, schema, v any) bool {
	s, _ := d.Resolve(schema).(map[string]any)
	if s == nil {
		return true
	}
	if c, ok := s["const"]; ok {
		return Kind(c) == Kind(v) && c == v
	}
	if e, ok := s["enum"].([]any); ok {
		found := false
		for _, x := range e {
			if Kind(x) == Kind(v) && Kind(v) != "object" && Kind(v) != "array" && x == v {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	t := types(s)
	if len(t) > 0 {
		k := Kind(v)
		ok := t[k] || k == "number" && t["integer"] || k == "bool" && t["boolean"]
		if !ok {
			return false
		}
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return true
	}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if rs, ok := r.(string); ok {
				if _, has := m[rs]; !has {
					return false
				}
			}
		}
	}
	props, _ := s["properties"].(map[string]any)
	for k, pv := range m {
		if ps, ok := props[k]; ok && !roughMatch(d, ps, pv) {
			return false
		}
	}
	return true
}

// types lists a schema's types ({"string": true}); a schema with no type has none.
func types(s map[string]any) map[string]bool {
	out := map[string]bool{}
	switch t := s["type"].(type) {
	case string:
		out[t] = true
	case []any:
		for _, x := range t {
			if xs, ok := x.(string); ok {
				out[xs] = true
			}
		}
	}
	return out
}

// Types is types for other packages.
func Types(s map[string]any) map[string]bool { return types(s) }

// Kind is the JSON kind of a decoded value: string, number, bool, object, array, null
// (or other for what JSON does not decode to).
func Kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number, float64, int, int64:
		return "number"
	case bool:
		return "bool"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	}
	return "other"
}
