// Package catalog is the generated catalogue of ClickUp's v2 and v3 operations: readable ids,
// facts from the specs (operations.json, `go generate ./internal/catalog`) and reviewed metadata
// (metadata.json), with a local search, a compact description, argument validation against each
// operation's schema and the request an operation's arguments make.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

//go:generate go run ./gen -shared ../../../shared/clickup -root ../..
//go:generate go run ../schemagen/gen -set catalog -o schemas_gen.go

//go:embed operations.json
var operationsJSON []byte

// Catalog is the set of operations.
type Catalog struct {
	entries []*Entry
	byID    map[string]*Entry

	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
}

var (
	once    sync.Once
	loaded  *Catalog
	loadErr error
)

// Load returns the embedded catalogue.
func Load() (*Catalog, error) {
	once.Do(func() { loaded, loadErr = parse(operationsJSON) })
	return loaded, loadErr
}

func parse(b []byte) (*Catalog, error) {
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	c := &Catalog{byID: map[string]*Entry{}, compiled: map[string]*jsonschema.Schema{}}
	for i := range f.Operations {
		e := &f.Operations[i]
		c.entries = append(c.entries, e)
		for _, k := range append([]string{e.ID}, e.Aliases...) {
			if _, dup := c.byID[k]; dup {
				return nil, fmt.Errorf("catalog: %s named twice", k)
			}
			c.byID[k] = e
		}
	}
	return c, nil
}

// Entries lists every operation, by id.
func (c *Catalog) Entries() []*Entry { return c.entries }

// Lookup finds an operation by id or by ClickUp's operationId.
func (c *Catalog) Lookup(id string) (*Entry, error) {
	if e, ok := c.byID[strings.TrimSpace(id)]; ok {
		return e, nil
	}
	// Suggest the closest ids: the ones Find ranks first for the words of the unknown one.
	var near []string
	for _, m := range c.Find(strings.NewReplacer(".", " ", "_", " ").Replace(id), 3) {
		near = append(near, m.ID)
	}
	msg := fmt.Sprintf("unknown operation %q", id)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return nil, fmt.Errorf("%w: %s", errUnknown, msg)
}

// Match is one Find result.
type Match struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
	Kind    string `json:"kind"`
	Score   int    `json:"-"`
}

// synonyms map a user's words to the catalogue's.
var synonyms = map[string][]string{
	"team": {"workspaces", "user_groups"}, "group": {"user_groups"}, "groups": {"user_groups"},
	"okr": {"goals", "key_results"}, "objective": {"goals"}, "target": {"key_results"},
	"timer": {"time_entries"}, "time": {"time_entries", "time_legacy", "time_in_status"},
	"doc": {"docs"}, "page": {"pages"}, "channel": {"channels"}, "message": {"messages"},
	"member": {"members", "users"}, "people": {"members", "users"}, "permission": {"roles", "acls"},
	"template": {"task_templates", "list_templates", "folder_templates"}, "field": {"custom_fields"},
	"audit": {"audit_logs"}, "log": {"audit_logs"}, "hook": {"webhooks"}, "subtask": {"tasks"},
	"remove": {"delete", "remove"}, "delete": {"delete", "remove"}, "edit": {"update"}, "change": {"update"},
	"add": {"create", "add"}, "new": {"create"}, "show": {"get", "list"}, "find": {"list", "search", "get"},
}

// Find ranks operations by the words given: each word scores where it meets an id's parts
// (resource or verb), ClickUp's operationId or our summary. Local: no request.
func (c *Catalog) Find(words string, limit int) []Match {
	q := strings.FieldsFunc(strings.ToLower(words), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_'
	})
	cands := map[string]bool{}
	for _, w := range q {
		for _, cw := range append([]string{w, strings.TrimSuffix(w, "s"), w + "s"}, synonyms[w]...) {
			cands[cw] = true
		}
	}
	var out []Match
	for _, e := range c.entries {
		parts := strings.Split(e.ID, ".")
		score := 0
		for _, w := range q {
			best := 0
			for _, cw := range append([]string{w, strings.TrimSuffix(w, "s"), w + "s"}, synonyms[w]...) {
				for i, p := range parts {
					switch {
					case p == cw:
						best = max(best, 4+i) // later parts are more specific
					case len(cw) > 2 && strings.Contains(p, cw):
						best = max(best, 2)
					}
				}
				if len(cw) > 3 && strings.Contains(strings.ToLower(e.Aliases[0]), cw) {
					best = max(best, 1)
				}
			}
			score += best
		}
		if score == 0 {
			continue
		}
		// Parts the words cover count for the operation, parts they leave out against it: "list
		// spaces" is spaces.list before spaces.tags.list.
		for _, p := range parts {
			covered := cands[p]
			if !covered {
				covered = true
				for _, sub := range strings.Split(p, "_") {
					covered = covered && (cands[sub] || cands[sub+"s"] || cands[strings.TrimSuffix(sub, "s")])
				}
			}
			if covered {
				score += 3
			} else {
				score -= 2
			}
		}
		out = append(out, Match{ID: e.ID, Summary: e.Summary, Kind: e.Kind, Score: score})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return len(out[i].ID) < len(out[j].ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Describe renders an operation's arguments compactly: each parameter as "type, required,
// form", and the body's top-level fields with their types (nested objects by their keys).
func (c *Catalog) Describe(id string) (json.RawMessage, error) {
	e, err := c.Lookup(id)
	if err != nil {
		return nil, err
	}
	args := map[string]string{}
	for _, p := range e.Params {
		args[p.Name] = shape(p.Schema, 1) + flags(p.Required, p.Form, p.In)
	}
	d := map[string]any{"id": e.ID, "kind": e.Kind, "call": e.Method + " " + e.Path, "args": args}
	if e.Anchor != "" {
		d["scope"] = e.Anchor
	}
	if e.Area != "" {
		d["area"] = e.Area
	}
	if e.Pagination != "none" {
		d["pages"] = e.Pagination
	}
	if e.Body != nil {
		var s map[string]any
		_ = json.Unmarshal(e.Body.Schema, &s)
		fields := map[string]string{}
		props, _ := s["properties"].(map[string]any)
		req := map[string]bool{}
		if r, ok := s["required"].([]any); ok {
			for _, x := range r {
				req[fmt.Sprint(x)] = true
			}
		}
		for k, v := range props {
			b, _ := json.Marshal(v)
			fields[k] = shape(b, 1) + flags(req[k], e.Body.Forms[k], "")
		}
		if len(fields) == 0 {
			d["body"] = shape(e.Body.Schema, 2)
		} else {
			d["body"] = fields
		}
		if e.Body.ContentType == multipartType {
			d["upload"] = uploadHelp
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

func flags(required bool, form, in string) string {
	s := ""
	if required {
		s += ", required"
	}
	if form != "" {
		s += ", " + form
	}
	if in == "path" {
		s += ", in path"
	}
	return s
}

// shape is a schema in a few words: "string", "integer|null", "one of a|b", "[string]",
// "{id, name}" (depth levels of object keys).
func shape(raw json.RawMessage, depth int) string {
	var s map[string]any
	if json.Unmarshal(raw, &s) != nil {
		return "any"
	}
	return shapeOf(s, depth)
}

func shapeOf(s map[string]any, depth int) string {
	if e, ok := s["enum"].([]any); ok {
		var vs []string
		for _, x := range e {
			vs = append(vs, fmt.Sprint(x))
		}
		if len(vs) > 8 {
			vs = append(vs[:8], "…")
		}
		return "one of " + strings.Join(vs, "|")
	}
	if c, ok := s["const"]; ok {
		return fmt.Sprintf("%v", c)
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			var parts []string
			for _, a := range alts {
				if m, ok := a.(map[string]any); ok {
					parts = append(parts, shapeOf(m, depth))
				}
			}
			sep := "|"
			if k == "allOf" {
				sep = "&"
			}
			return strings.Join(parts, sep)
		}
	}
	var ts []string
	switch t := s["type"].(type) {
	case string:
		ts = []string{t}
	case []any:
		for _, x := range t {
			ts = append(ts, fmt.Sprint(x))
		}
	}
	for i, t := range ts {
		switch t {
		case "array":
			item := "any"
			if m, ok := s["items"].(map[string]any); ok {
				item = shapeOf(m, depth)
			}
			ts[i] = "[" + item + "]"
		case "object":
			ts[i] = objectShape(s, depth)
		}
	}
	if len(ts) == 0 {
		if s["properties"] != nil {
			return objectShape(s, depth)
		}
		return "any"
	}
	return strings.Join(ts, "|")
}

func objectShape(s map[string]any, depth int) string {
	props, _ := s["properties"].(map[string]any)
	if len(props) == 0 {
		return "object"
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if depth <= 0 {
		if len(keys) > 6 {
			keys = append(keys[:6], "…")
		}
		return "{" + strings.Join(keys, ", ") + "}"
	}
	var parts []string
	for _, k := range keys {
		m, _ := props[k].(map[string]any)
		parts = append(parts, k+": "+shapeOf(m, depth-1))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// argsSchema is the JSON Schema of an operation's arguments: its parameters by name, and its
// body under "body".
func argsSchema(e *Entry) map[string]any {
	props := map[string]any{}
	var req []any
	for _, p := range e.Params {
		var s any
		_ = json.Unmarshal(p.Schema, &s)
		props[p.Name] = s
		if p.Required {
			req = append(req, p.Name)
		}
	}
	if e.Body != nil {
		var s any
		_ = json.Unmarshal(e.Body.Schema, &s)
		props["body"] = s
		if e.Body.Required {
			req = append(req, "body")
		}
	}
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(req) > 0 {
		out["required"] = req
	}
	return out
}

func (c *Catalog) schema(e *Entry) (*jsonschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.compiled[e.ID]; ok {
		return s, nil
	}
	b, _ := json.Marshal(argsSchema(e))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft2020)
	u := "mem:///" + url.PathEscape(e.ID) + ".json"
	if err := comp.AddResource(u, doc); err != nil {
		return nil, err
	}
	s, err := comp.Compile(u)
	if err != nil {
		return nil, err
	}
	c.compiled[e.ID] = s
	return s, nil
}

// ArgError is one way arguments break an operation's schema.
type ArgError struct {
	Field   string // "body.name", "team_id", "" for the arguments as a whole
	Problem string
	Expect  string // the field's shape
}

func (e ArgError) String() string {
	f := e.Field
	if f == "" {
		f = "arguments"
	}
	s := f + ": " + e.Problem
	if e.Expect != "" {
		s += " (expected " + e.Expect + ")"
	}
	return s
}

// InvalidArgs is Validate's error.
type InvalidArgs struct {
	Operation string
	Errors    []ArgError
}

func (e *InvalidArgs) Error() string {
	var parts []string
	for _, a := range e.Errors {
		parts = append(parts, a.String())
	}
	return e.Operation + ": " + strings.Join(parts, "; ")
}

// Validate checks args (parameters by name, the body under "body") against the operation's
// schema. The error is an *InvalidArgs naming each offending field and the shape it takes.
func (c *Catalog) Validate(id string, args map[string]any) error {
	e, err := c.Lookup(id)
	if err != nil {
		return err
	}
	s, err := c.schema(e)
	if err != nil {
		return fmt.Errorf("catalog: %s: %w", e.ID, err)
	}
	b, err := json.Marshal(args)
	if err != nil {
		return &InvalidArgs{Operation: e.ID, Errors: []ArgError{{Problem: "not JSON: " + err.Error()}}}
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	if v == nil {
		v = map[string]any{}
	}
	err = s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	schema := argsSchema(e)
	out := &InvalidArgs{Operation: e.ID}
	seen := map[string]bool{}
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil || u.InstanceLocation == "" && strings.Contains(u.Error.String(), "doesn't validate") {
			continue
		}
		msg := u.Error.String()
		if strings.HasPrefix(msg, "doesn't validate with") || strings.HasPrefix(msg, "validation failed") {
			continue
		}
		field := strings.ReplaceAll(strings.TrimPrefix(u.InstanceLocation, "/"), "/", ".")
		key := field + msg
		if seen[key] {
			continue
		}
		seen[key] = true
		out.Errors = append(out.Errors, ArgError{Field: field, Problem: msg, Expect: expectAt(schema, field)})
	}
	if len(out.Errors) == 0 {
		out.Errors = []ArgError{{Problem: strings.Join(strings.Fields(err.Error()), " ")}}
	}
	return out
}

// expectAt is the shape of the schema at a dotted field path.
func expectAt(schema map[string]any, field string) string {
	cur := schema
	if field == "" {
		return ""
	}
	for _, step := range strings.Split(field, ".") {
		if items, ok := cur["items"].(map[string]any); ok && isIndex(step) {
			cur = items
			continue
		}
		props, _ := cur["properties"].(map[string]any)
		next, ok := props[step].(map[string]any)
		if !ok {
			return ""
		}
		cur = next
	}
	return shapeOf(cur, 0)
}

func isIndex(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Request is what an operation's arguments make: the operation and its parameters for
// clickup.Client.Call, and the body.
type Request struct {
	Op     clickup.Operation
	Params clickup.Params
	Body   any
}

// Build validates args and turns them into the request. Path parameters are filled by
// Client.Call, which escapes them; the caller never gives a path or a URL.
func (c *Catalog) Build(id string, args map[string]any) (*Request, error) {
	if err := c.Validate(id, args); err != nil {
		return nil, err
	}
	e, _ := c.Lookup(id)
	r := &Request{Op: clickup.Operation{Method: e.Method, Path: e.Path}, Params: clickup.Params{Path: map[string]string{}, Query: url.Values{}}}
	for _, p := range e.Params {
		v, ok := args[p.Name]
		if !ok {
			continue
		}
		switch p.In {
		case "path":
			r.Params.Path[p.Name] = scalarText(v)
		case "query":
			if l, ok := v.([]any); ok {
				for _, x := range l {
					r.Params.Query.Add(p.Name, scalarText(x))
				}
			} else {
				r.Params.Query.Set(p.Name, scalarText(v))
			}
		}
	}
	if b, ok := args["body"]; ok {
		r.Body = b
		if e.Body != nil && e.Body.ContentType == multipartType {
			mp, err := multipartBody(b)
			if err != nil {
				return nil, err
			}
			r.Body = mp
		}
	}
	return r, nil
}

const (
	multipartType = "multipart/form-data"
	uploadHelp    = "a file is {name, text or base64, content_type?}; a list for several; v2 puts it under attachment, v3 under file"
)

// multipartBody turns an upload's body into the parts ClickUp takes: a file
// given as {name, text | base64, content_type} (or a list of them) becomes a
// file part, anything else a plain field.
func multipartBody(b any) (*clickup.Multipart, error) {
	m, ok := b.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("body: an upload takes an object of fields; %s", uploadHelp)
	}
	mp := &clickup.Multipart{Fields: map[string]string{}}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var files []any
		switch v := m[k].(type) {
		case map[string]any:
			files = []any{v}
		case []any:
			files = v
		default:
			mp.Fields[k] = scalarText(v)
			continue
		}
		for i, x := range files {
			f, err := filePart(k, x)
			if err != nil {
				return nil, fmt.Errorf("body.%s[%d]: %w", k, i, err)
			}
			mp.Files = append(mp.Files, f)
		}
	}
	if len(mp.Files) == 0 {
		return nil, fmt.Errorf("body: no file given; %s", uploadHelp)
	}
	return mp, nil
}

func filePart(field string, x any) (clickup.FilePart, error) {
	o, ok := x.(map[string]any)
	if !ok {
		return clickup.FilePart{}, fmt.Errorf("want a file {name, text or base64}, got a %s", jsonType(x))
	}
	name, _ := o["name"].(string)
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "/\\\x00") {
		return clickup.FilePart{}, fmt.Errorf("name: a file name such as notes.txt is required (no slashes)")
	}
	ct, _ := o["content_type"].(string)
	text, isText := o["text"].(string)
	b64, isB64 := o["base64"].(string)
	for k := range o {
		if k != "name" && k != "text" && k != "base64" && k != "content_type" {
			return clickup.FilePart{}, fmt.Errorf("unknown key %q; a file takes name, text or base64, content_type", k)
		}
	}
	switch {
	case isText == isB64:
		return clickup.FilePart{}, fmt.Errorf("give the content once: text (plain text) or base64")
	case isText:
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		return clickup.FilePart{Field: field, Name: name, ContentType: ct, Content: []byte(text)}, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return clickup.FilePart{}, fmt.Errorf("base64: not valid standard base64 (%w)", err)
	}
	return clickup.FilePart{Field: field, Name: name, ContentType: ct, Content: raw}, nil
}

func jsonType(x any) string {
	switch x.(type) {
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "array"
}

func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", t), "0"), ".")
	case json.Number:
		return t.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}
