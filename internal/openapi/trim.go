package openapi

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Trim turns one of ClickUp's published OpenAPI documents (v2: 3.1, 82 paths, ~0.5 MB, prose and
// examples included, internal $refs pointing into other operations; v3: 3.0, named components)
// into a small one: the chosen operations, their parameters, request bodies and 2xx responses,
// nothing else. Then it applies the reviewed exceptions, so a trimmed document describes the API
// as it really behaves and an exceptions file says, entry by entry, where and why that differs
// from the spec.

// Exception is one reviewed deviation of a trimmed document from ClickUp's published spec.
type Exception struct {
	// Operation names the operationIds the entry applies to: a string or a list of strings
	// (a list when the same field is wrong at the same place in several operations).
	Operation Operations `json:"operation"`
	// Where is "request" or "response".
	Where string `json:"where"`
	// Location is "query:NAME", "header:NAME", "path:NAME", or "body:FIELD.PATH", where
	// FIELD.PATH is dot-separated property names and "[]" steps into array items
	// ("body:tasks[].assignees"); "body:" alone is the whole body. Response locations refer to
	// the JSON body of every 2xx response of the operation.
	Location string `json:"location"`
	// Fix is what the generator does there:
	//   schema   replace the schema with Schema
	//   nullable allow null besides what the spec allows
	//   array    the spec declares one item where the API sends an array of them: wrap it
	//   optional the parameter or property need not be present
	//   rename   the parameter is sent under the name To
	//   add      declare a parameter or property the spec omits, with Schema
	Fix    string          `json:"fix"`
	Schema json.RawMessage `json:"schema,omitempty"`
	To     string          `json:"to,omitempty"`
	// Reason is one sentence that cites API-NOTES, or, for behaviour of the real API that only
	// third parties report, starts with "[3p]" (API-NOTES' tag for such reports).
	Reason string `json:"reason"`
}

// Operations is a list of operationIds that reads from a JSON string or array.
type Operations []string

func (o *Operations) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*o = Operations{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("operation: want a string or a list of strings: %w", err)
	}
	*o = many
	return nil
}

func (o Operations) MarshalJSON() ([]byte, error) {
	if len(o) == 1 {
		return json.Marshal(o[0])
	}
	return json.Marshal([]string(o))
}

// ExceptionsFile is the layout of an exceptions file (testdata/contract/exceptions.json).
type ExceptionsFile struct {
	About      string      `json:"about"`
	Exceptions []Exception `json:"exceptions"`
}

// ReadOperations reads an operations list: one operationId a line, # starts a comment.
func ReadOperations(r io.Reader) ([]string, error) {
	var ops []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if f := strings.Fields(line); len(f) > 0 {
			if len(f) > 1 {
				return nil, fmt.Errorf("operations: one operationId a line, got %q", line)
			}
			ops = append(ops, f[0])
		}
	}
	return ops, sc.Err()
}

// ReadExceptions reads and checks an exceptions file.
func ReadExceptions(r io.Reader) ([]Exception, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f ExceptionsFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("exceptions: %w", err)
	}
	for i, e := range f.Exceptions {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("exceptions[%d] (%v %s): %w", i, []string(e.Operation), e.Location, err)
		}
	}
	return f.Exceptions, nil
}

var fixes = []string{"schema", "nullable", "array", "optional", "rename", "add"}

func (e Exception) check() error {
	var errs []error
	if len(e.Operation) == 0 {
		errs = append(errs, errors.New("no operation"))
	}
	if e.Where != "request" && e.Where != "response" {
		errs = append(errs, fmt.Errorf("where %q: want request or response", e.Where))
	}
	in, _, ok := strings.Cut(e.Location, ":")
	switch {
	case !ok:
		errs = append(errs, fmt.Errorf("location %q: want IN:NAME", e.Location))
	case in == "body":
	case in == "query" || in == "header" || in == "path":
		if e.Where != "request" {
			errs = append(errs, fmt.Errorf("location %q is a request parameter", e.Location))
		}
	default:
		errs = append(errs, fmt.Errorf("location %q: want a query:, header:, path: or body: prefix", e.Location))
	}
	if !slices.Contains(fixes, e.Fix) {
		errs = append(errs, fmt.Errorf("fix %q: want one of %v", e.Fix, fixes))
	}
	needSchema := e.Fix == "schema" || e.Fix == "add"
	if needSchema != (len(e.Schema) > 0) {
		errs = append(errs, fmt.Errorf("fix %q: schema given=%v", e.Fix, len(e.Schema) > 0))
	}
	if (e.Fix == "rename") != (e.To != "") {
		errs = append(errs, fmt.Errorf("fix %q: to given=%v", e.Fix, e.To != ""))
	}
	if !strings.Contains(e.Reason, "API-NOTES") && !strings.HasPrefix(e.Reason, "[3p]") {
		errs = append(errs, errors.New(`reason must cite API-NOTES or, for a third-party report, start with "[3p]"`))
	}
	return errors.Join(errs...)
}

// Options say what Trim keeps and how it labels the result.
type Options struct {
	// Operations are the operationIds to keep; nil keeps every operation of the spec.
	Operations []string
	// Exceptions are applied, in order, after trimming.
	Exceptions []Exception
	// Title and GeneratedBy label the result (info.title, info.x-generated-by).
	Title, GeneratedBy string
}

// Trim reduces spec (an OpenAPI 3.0 or 3.1 document in JSON) to the named operations, keeping
// facts (paths, methods, parameters, request bodies, 2xx responses, security) and dropping prose,
// applies the exceptions and returns OpenAPI 3.1 as indented JSON with sorted keys, so that the
// same inputs always give the same bytes. A 3.0 document is normalised to 3.1 (JSON Schema
// 2020-12) first; see Normalize.
func Trim(spec []byte, o Options) ([]byte, error) {
	src, err := decodeJSON(spec)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	root, ok := src.(map[string]any)
	if !ok {
		return nil, errors.New("spec: not a JSON object")
	}
	from, err := Normalize(root)
	if err != nil {
		return nil, err
	}
	g := &generator{src: root, comps: map[string]any{}, names: map[string]string{}, ops: map[string]map[string]any{}}
	operations := o.Operations
	if operations == nil {
		operations = AllOperationIDs(root)
	}
	paths, err := g.paths(operations)
	if err != nil {
		return nil, err
	}
	comps := map[string]any{}
	for k, v := range g.comps {
		comps[k] = v
	}
	sum := sha256.Sum256(spec)
	out := map[string]any{
		"openapi":    root["openapi"],
		"servers":    []any{map[string]any{"url": mget(root, "servers", 0, "url")}},
		"paths":      paths,
		"components": map[string]any{"schemas": comps, "securitySchemes": mget(root, "components", "securitySchemes")},
	}
	if d, ok := root["jsonSchemaDialect"]; ok {
		out["jsonSchemaDialect"] = d
	}
	if s, ok := root["security"]; ok {
		out["security"] = s
	}
	out = strip(out, false).(map[string]any)
	// After strip, which would drop the title and these extensions.
	info := map[string]any{
		"title":           o.Title,
		"version":         mget(root, "info", "version"),
		"x-generated-by":  o.GeneratedBy,
		"x-source-sha256": hex.EncodeToString(sum[:]),
	}
	if from != "" {
		info["x-source-openapi"] = from
	}
	out["info"] = info
	// strip built new maps: point the operation index at them.
	for _, item := range out["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			op := op.(map[string]any)
			g.ops[op["operationId"].(string)] = op
			// OpenAPI requires a description on every response; the prose goes, the key stays.
			for _, r := range op["responses"].(map[string]any) {
				r.(map[string]any)["description"] = ""
			}
		}
	}
	g.comps = out["components"].(map[string]any)["schemas"].(map[string]any)
	for i, e := range o.Exceptions {
		if err := g.apply(e); err != nil {
			return nil, fmt.Errorf("exceptions[%d] (%v %s %s): %w", i, []string(e.Operation), e.Where, e.Location, err)
		}
	}
	g.collectGarbage(out)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AllOperationIDs lists every operationId of a parsed spec, by path then method.
func AllOperationIDs(root map[string]any) []string {
	var ids []string
	paths, _ := root["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		item, _ := paths[p].(map[string]any)
		for _, m := range methods {
			if id, ok := mget(item, m, "operationId").(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

type generator struct {
	src   map[string]any
	comps map[string]any            // component name -> schema
	names map[string]string         // source $ref -> component name
	ops   map[string]map[string]any // operationId -> operation in the output
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func (g *generator) paths(operations []string) (map[string]any, error) {
	want := map[string]bool{}
	for _, id := range operations {
		if want[id] {
			return nil, fmt.Errorf("operations: %s listed twice", id)
		}
		want[id] = true
	}
	srcPaths, _ := g.src["paths"].(map[string]any)
	out := map[string]any{}
	found := map[string]string{}
	for _, p := range sortedKeys(srcPaths) {
		item, _ := srcPaths[p].(map[string]any)
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			if !want[id] {
				continue
			}
			if prev, dup := found[id]; dup {
				return nil, fmt.Errorf("spec: operationId %s on both %s and %s %s", id, prev, m, p)
			}
			found[id] = m + " " + p
			kept, err := g.operation(item, op)
			if err != nil {
				return nil, fmt.Errorf("%s (%s %s): %w", id, m, p, err)
			}
			if out[p] == nil {
				out[p] = map[string]any{}
			}
			out[p].(map[string]any)[m] = kept
		}
	}
	var missing []string
	for _, id := range operations {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("operations not in the spec: %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// operation keeps the facts of one operation: parameters (path-level ones merged in), request
// body, 2xx responses and security.
func (g *generator) operation(item, op map[string]any) (map[string]any, error) {
	out := map[string]any{"operationId": op["operationId"]}
	var params []any
	index := map[string]int{}
	for _, list := range []any{item["parameters"], op["parameters"]} {
		ps, _ := list.([]any)
		for _, p := range ps {
			pm, _ := p.(map[string]any)
			key := fmt.Sprint(pm["in"], ":", pm["name"])
			if i, ok := index[key]; ok {
				params[i] = p
				continue
			}
			index[key] = len(params)
			params = append(params, p)
		}
	}
	if len(params) > 0 {
		rp, err := g.rewrite(params)
		if err != nil {
			return nil, err
		}
		out["parameters"] = rp
	}
	if rb, ok := op["requestBody"]; ok {
		r, err := g.rewrite(rb)
		if err != nil {
			return nil, err
		}
		out["requestBody"] = r
	}
	responses := map[string]any{}
	srcResp, _ := op["responses"].(map[string]any)
	for code, r := range srcResp {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		rr, err := g.rewrite(r)
		if err != nil {
			return nil, err
		}
		responses[code] = rr
	}
	if len(responses) == 0 {
		return nil, errors.New("no 2xx response")
	}
	out["responses"] = responses
	if s, ok := op["security"]; ok {
		out["security"] = s
	}
	if d, _ := op["deprecated"].(bool); d {
		out["deprecated"] = true
	}
	return out, nil
}

// rewrite deep-copies v, pointing every local $ref at a component that holds a copy of its
// target. ClickUp's $refs point into other operations' schemas (even into examples), which the
// trimmed contract does not keep.
func (g *generator) rewrite(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			if ref, ok := c.(string); ok && k == "$ref" {
				name, err := g.component(ref)
				if err != nil {
					return nil, err
				}
				out[k] = "#/components/schemas/" + name
				continue
			}
			rc, err := g.rewrite(c)
			if err != nil {
				return nil, err
			}
			out[k] = rc
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, c := range t {
			rc, err := g.rewrite(c)
			if err != nil {
				return nil, err
			}
			out[i] = rc
		}
		return out, nil
	}
	return v, nil
}

func (g *generator) component(ref string) (string, error) {
	if name, ok := g.names[ref]; ok {
		return name, nil
	}
	tokens, err := pointerTokens(ref)
	if err != nil {
		return "", err
	}
	target, err := resolve(g.src, tokens)
	if err != nil {
		return "", fmt.Errorf("$ref %s: %w", ref, err)
	}
	base := g.componentName(tokens)
	name := base
	for i := 2; g.comps[name] != nil; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	g.names[ref] = name
	g.comps[name] = true // reserve the name: the target may refer to itself
	rt, err := g.rewrite(target)
	if err != nil {
		return "", err
	}
	g.comps[name] = rt
	return name, nil
}

// nameUnsafe is compiled at its first use, not in package init (this
// package is linked into every start, through the sandbox's fake and the
// catalogue).
var (
	nameUnsafeOnce sync.Once
	nameUnsafeRe   *regexp.Regexp
)

func nameUnsafe() *regexp.Regexp {
	nameUnsafeOnce.Do(func() { nameUnsafeRe = regexp.MustCompile(`[^A-Za-z0-9._-]+`) })
	return nameUnsafeRe
}

// componentName names a component after where its schema sits in the spec:
// "GetTask.response.status", "UpdateSpace.request.features.due_dates".
func (g *generator) componentName(tokens []string) string {
	var parts []string
	rest := tokens
	if len(tokens) >= 3 && tokens[0] == "components" && tokens[1] == "schemas" {
		// OpenAPI 3.0 specs (ClickUp's v3) refer to named components: keep their names.
		rest = tokens[2:]
	}
	if len(tokens) >= 3 && tokens[0] == "paths" {
		if id, ok := mget(g.src, "paths", tokens[1], tokens[2], "operationId").(string); ok {
			parts = append(parts, id)
		} else {
			parts = append(parts, tokens[1], tokens[2])
		}
		rest = tokens[3:]
		switch {
		case len(rest) >= 4 && rest[0] == "requestBody" && rest[1] == "content" && rest[3] == "schema":
			parts = append(parts, "request")
			rest = rest[4:]
		case len(rest) >= 5 && rest[0] == "responses" && rest[2] == "content" && rest[4] == "schema":
			parts = append(parts, "response")
			if rest[1] != "200" {
				parts = append(parts, rest[1])
			}
			rest = rest[5:]
		}
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] == "properties" && i+1 < len(rest) {
			i++
		}
		parts = append(parts, rest[i])
	}
	return strings.Trim(nameUnsafe().ReplaceAllString(strings.Join(parts, "."), "_"), "._")
}

// strip drops prose (descriptions, summaries, titles, examples, tags, x-* extensions) and empty
// noise, keeping facts. keysAreNames says v's keys are names (properties, status codes, media
// types, paths), not keywords, so that a property called "description" stays.
func strip(v any, keysAreNames bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			if keysAreNames {
				out[k] = strip(c, false)
				continue
			}
			if dropKey(k, c) {
				continue
			}
			switch k {
			case "enum", "const", "default":
				out[k] = c // literal values, not schemas
			default:
				out[k] = strip(c, nameMap(k))
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, c := range t {
			out[i] = strip(c, false)
		}
		return out
	}
	return v
}

// nameMap reports whether k's value is a map from names to schemas (or
// operations, responses, ...); a switch, where a package-level map would
// be built at every start.
func nameMap(k string) bool {
	switch k {
	case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "responses",
		"content", "headers", "schemas", "securitySchemes", "encoding", "variables":
		return true
	}
	return false
}

func dropKey(k string, v any) bool {
	switch k {
	case "description", "summary", "title", "example", "examples", "tags", "externalDocs":
		return true
	case "deprecated":
		return v == false
	case "headers", "variables":
		m, _ := v.(map[string]any)
		return len(m) == 0
	case "parameters":
		l, _ := v.([]any)
		return len(l) == 0
	}
	return strings.HasPrefix(k, "x-")
}

// apply patches the trimmed document according to one exception.
func (g *generator) apply(e Exception) error {
	if err := e.check(); err != nil {
		return err
	}
	var schema any
	if len(e.Schema) > 0 {
		s, err := decodeJSON(e.Schema)
		if err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		schema = s
	}
	in, name, _ := strings.Cut(e.Location, ":")
	for _, id := range e.Operation {
		op, ok := g.ops[id]
		if !ok {
			return fmt.Errorf("operation %s is not among the trimmed operations", id)
		}
		var err error
		if in == "body" {
			err = g.patchBody(op, e, name, schema)
		} else {
			err = g.patchParam(op, e, in, name, schema)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
	}
	return nil
}

func (g *generator) patchParam(op map[string]any, e Exception, in, name string, schema any) error {
	params, _ := op["parameters"].([]any)
	find := func(n string) (int, map[string]any) {
		for i, p := range params {
			pm := p.(map[string]any)
			pn, _ := pm["name"].(string)
			if pm["in"] == in && (pn == n || in == "header" && strings.EqualFold(pn, n)) {
				return i, pm
			}
		}
		return -1, nil
	}
	_, p := find(name)
	if e.Fix == "add" {
		if p != nil {
			return fmt.Errorf("parameter %s %s is already declared", in, name)
		}
		np := map[string]any{"name": name, "in": in, "schema": schema}
		if in == "query" {
			np["style"], np["explode"] = "form", true
		}
		op["parameters"] = append(params, np)
		return nil
	}
	if p == nil {
		return fmt.Errorf("no parameter %s %s", in, name)
	}
	switch e.Fix {
	case "optional":
		if p["required"] != true {
			return fmt.Errorf("parameter %s %s is already optional", in, name)
		}
		delete(p, "required")
	case "rename":
		if _, q := find(e.To); q != nil {
			return fmt.Errorf("parameter %s %s is already declared", in, e.To)
		}
		p["name"] = e.To
	default:
		return g.patchSchema(slot{p, "schema"}, e, schema)
	}
	return nil
}

type slot struct {
	m   map[string]any
	key string
}

func (g *generator) patchBody(op map[string]any, e Exception, path string, schema any) error {
	var roots []slot
	if e.Where == "request" {
		if s, ok := mget(op, "requestBody", "content", "application/json").(map[string]any); ok {
			roots = append(roots, slot{s, "schema"})
		}
	} else {
		responses, _ := op["responses"].(map[string]any)
		for _, code := range sortedKeys(responses) {
			if s, ok := mget(responses, code, "content", "application/json").(map[string]any); ok {
				roots = append(roots, slot{s, "schema"})
			}
		}
	}
	if len(roots) == 0 {
		return fmt.Errorf("no application/json %s body", e.Where)
	}
	steps, err := parseFieldPath(path)
	if err != nil {
		return err
	}
	for _, root := range roots {
		cur := root
		var parent map[string]any // the object schema whose property cur is
		for i, st := range steps {
			node, err := g.inline(cur)
			if err != nil {
				return err
			}
			if st == "[]" {
				if _, ok := node["items"]; !ok {
					return fmt.Errorf("%s: not an array schema", path)
				}
				cur, parent = slot{node, "items"}, nil
				continue
			}
			props, _ := node["properties"].(map[string]any)
			if _, ok := props[st]; !ok {
				if e.Fix != "add" || i != len(steps)-1 {
					return fmt.Errorf("%s: no property %q", path, st)
				}
				if props == nil {
					props = map[string]any{}
					node["properties"] = props
				}
			} else if e.Fix == "add" && i == len(steps)-1 {
				return fmt.Errorf("%s: property %q is already declared", path, st)
			}
			cur, parent = slot{props, st}, node
		}
		if e.Fix == "optional" {
			if len(steps) == 0 || parent == nil {
				return fmt.Errorf("%s: optional applies to a property", path)
			}
			req, _ := parent["required"].([]any)
			i := slices.Index(req, any(steps[len(steps)-1]))
			if i < 0 {
				return fmt.Errorf("%s is not required", path)
			}
			if req = slices.Delete(req, i, i+1); len(req) == 0 {
				delete(parent, "required")
			} else {
				parent["required"] = req
			}
			continue
		}
		if err := g.patchSchema(cur, e, DeepCopy(schema)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// inline returns the schema in s, first replacing a bare $ref to a component with a copy of it,
// so that a patch below this point changes this operation only.
func (g *generator) inline(s slot) (map[string]any, error) {
	node, ok := s.m[s.key].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is not a schema object", s.key)
	}
	ref, isRef := node["$ref"].(string)
	if !isRef {
		return node, nil
	}
	if len(node) != 1 {
		return nil, fmt.Errorf("%s: $ref with siblings", s.key)
	}
	name := strings.TrimPrefix(ref, "#/components/schemas/")
	target, ok := g.comps[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unresolved $ref %s", ref)
	}
	cp := DeepCopy(target).(map[string]any)
	s.m[s.key] = cp
	return cp, nil
}

func (g *generator) patchSchema(s slot, e Exception, schema any) error {
	old := s.m[s.key]
	switch e.Fix {
	case "schema", "add":
		if reflect.DeepEqual(old, schema) {
			return errors.New("the spec already says this: drop the exception")
		}
		s.m[s.key] = schema
	case "array":
		if m, _ := old.(map[string]any); m["type"] == "array" {
			return errors.New("already an array")
		}
		s.m[s.key] = map[string]any{"type": "array", "items": old}
	case "nullable":
		// Change a copy of a referenced schema, not the component other operations share.
		m, err := g.inline(s)
		if err != nil {
			return err
		}
		// OpenAPI 3.0's nullable keyword means nothing in 3.1 (and the validator rejects it).
		delete(m, "nullable")
		switch t := m["type"].(type) {
		case string:
			if t == "null" {
				return errors.New("already nullable")
			}
			m["type"] = []any{t, "null"}
		case []any:
			if slices.Contains(t, any("null")) {
				return errors.New("already nullable")
			}
			m["type"] = append(t, "null")
		default:
			s.m[s.key] = map[string]any{"anyOf": []any{m, map[string]any{"type": "null"}}}
		}
	default:
		return fmt.Errorf("fix %q does not apply here", e.Fix)
	}
	return nil
}

// collectGarbage drops components no operation reaches any more (an exception may have replaced
// the last use).
func (g *generator) collectGarbage(doc map[string]any) {
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if ref, ok := t["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if !seen[name] {
					seen[name] = true
					walk(g.comps[name])
				}
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(doc["paths"])
	for name := range g.comps {
		if !seen[name] {
			delete(g.comps, name)
		}
	}
}

func parseFieldPath(p string) ([]string, error) {
	var steps []string
	if p == "" {
		return nil, nil
	}
	for _, seg := range strings.Split(p, ".") {
		name := strings.TrimRight(seg, "[]")
		n := (len(seg) - len(name)) / 2
		if name == "" && n == 0 || strings.Repeat("[]", n) != seg[len(name):] {
			return nil, fmt.Errorf("field path %q: bad segment %q", p, seg)
		}
		if name != "" {
			steps = append(steps, name)
		}
		for range n {
			steps = append(steps, "[]")
		}
	}
	return steps, nil
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

// pointerTokens splits a local JSON reference ("#/a/b~1c") into unescaped tokens. ClickUp's
// references also percent-encode braces (%7Btask_id%7D).
func pointerTokens(ref string) ([]string, error) {
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q: only local references are supported", ref)
	}
	var out []string
	for _, t := range strings.Split(frag, "/") {
		t, err := url.PathUnescape(t)
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %w", ref, err)
		}
		out = append(out, strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~"))
	}
	return out, nil
}

func resolve(v any, tokens []string) (any, error) {
	for _, t := range tokens {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[t]
			if !ok {
				return nil, fmt.Errorf("no %q", t)
			}
			v = next
		case []any:
			var i int
			if _, err := fmt.Sscan(t, &i); err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("bad index %q", t)
			}
			v = c[i]
		default:
			return nil, fmt.Errorf("cannot descend into %q", t)
		}
	}
	return v, nil
}

// mget walks maps by key and lists by int index, returning nil when a step is missing.
func mget(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// DeepCopy copies a decoded JSON value, its objects and arrays included.
func DeepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			out[k] = DeepCopy(c)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, c := range t {
			out[i] = DeepCopy(c)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
