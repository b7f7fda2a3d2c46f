// Package tools holds the MCP tools of clickup-mcp: one constructor per
// tool, the argument and result types beside it, and the shared machinery
// that turns arguments into ClickUp calls and ClickUp answers into compact
// results a model can act on.
package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Toolset names. A tool belongs to exactly one.
const (
	ToolsetContext  = "context"
	ToolsetTasks    = "tasks"
	ToolsetComments = "comments"
)

// Tool is an MCP tool with the facts the server needs to offer it: its
// toolset and whether it writes.
type Tool struct {
	server.ServerTool
	Toolset string
	// ReadOnly mirrors the readOnly annotation; it is the group (read or
	// write) the tool belongs to.
	ReadOnly bool
}

// Name is the tool's MCP name.
func (t Tool) Name() string { return t.Tool.Name }

// hints are the four MCP annotation hints every tool sets.
type hints struct {
	readOnly, destructive, idempotent, openWorld bool
}

var (
	readHints    = hints{readOnly: true, idempotent: true, openWorld: true}
	createHints  = hints{openWorld: true}
	updateHints  = hints{idempotent: true, openWorld: true}
	destroyHints = hints{destructive: true, idempotent: true, openWorld: true}
)

// spec describes one tool for newTool.
type spec struct {
	name, title, toolset, description string
	hints                             hints
}

// handlerFunc is the typed body of a tool: arguments in, a result and its
// short text rendering out. An error is turned into an isError result.
type handlerFunc[A, R any] func(ctx context.Context, s *Session, args *A) (*R, string, error)

// newTool builds a Tool from a typed handler. The input schema is generated
// from A and the output schema from R with invopop/jsonschema; arguments are
// decoded strictly (unknown names are refused with the valid ones listed) so
// a model's guess that misses is corrected instead of silently ignored.
func newTool[A, R any](d *Deps, s spec, h handlerFunc[A, R]) Tool {
	in := mustSchema[A](true)
	out := mustSchema[R](false)
	t := mcp.NewToolWithRawSchema(s.name, s.description, in)
	t.RawOutputSchema = out
	t.Annotations = mcp.ToolAnnotation{
		Title:           s.title,
		ReadOnlyHint:    ptr(s.hints.readOnly),
		DestructiveHint: ptr(s.hints.destructive),
		IdempotentHint:  ptr(s.hints.idempotent),
		OpenWorldHint:   ptr(s.hints.openWorld),
	}
	valid := propertyNames(in)
	handler := func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		ctx, cancel := context.WithTimeout(ctx, d.cfg.CallTimeout)
		defer cancel()
		var args A
		if err := decodeArgs(req.Params.Arguments, &args, valid); err != nil {
			return errorResult(err), nil
		}
		sess, err := d.Session(ctx)
		if err != nil {
			return errorResult(err), nil
		}
		ctx, notes := withNotes(ctx)
		r, text, err := h(ctx, sess, &args)
		if err != nil {
			d.cfg.Logger.Debug().Str("tool", s.name).Err(err).Msg("tool call failed")
			return errorResult(sess.explainWorkspaceErr(ctx, err)), nil
		}
		if len(*notes) > 0 {
			text += "\nResolved: " + strings.Join(*notes, "; ")
		}
		return budgetedResult(s.name, d.cfg.MaxResultTokens, r, text), nil
	}
	return Tool{
		ServerTool: server.ServerTool{Tool: t, Handler: handler},
		Toolset:    s.toolset,
		ReadOnly:   s.hints.readOnly,
	}
}

func ptr[T any](v T) *T { return &v }

// mustSchema reflects T into a JSON Schema an MCP client accepts: an object
// root, no $ref, no $schema/$id noise, no bare boolean sub-schemas.
func mustSchema[T any](input bool) json.RawMessage {
	r := jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: input,
		AllowAdditionalProperties:  !input,
	}
	var zero T
	s := r.Reflect(&zero)
	s.Version = ""
	s.ID = ""
	if s.Properties == nil || s.Type != "object" {
		panic(fmt.Sprintf("tools: schema of %T must be an object", zero))
	}
	if !input {
		shallow(s, 1)
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

// outputDepth is how many levels of an output schema list their
// properties: the root's and those of the objects in its arrays or fields
// (a search's tasks). Deeper objects are given by their type alone.
const outputDepth = 2

// shallow trims an output schema to what a client needs to validate
// structured content: no descriptions (output schemas are not shown to the
// model, and on the wire they were 44% of tools/list), and objects below
// outputDepth reduced to their type.
func shallow(s *jsonschema.Schema, depth int) {
	if s == nil {
		return
	}
	s.Description = ""
	if s.Items != nil {
		shallow(s.Items, depth)
	}
	if s.Properties == nil {
		return
	}
	if depth > outputDepth {
		*s = jsonschema.Schema{Type: "object"}
		return
	}
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		shallow(p.Value, depth+1)
	}
}

func propertyNames(schema json.RawMessage) []string {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(schema, &s)
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// maxArgBytes bounds one call's arguments. ClickUp documents no limit for a
// description or a comment, but a megabyte of text (some 250k tokens) is past
// anything a model means to send; refused here, it never reaches ClickUp.
const maxArgBytes = 1 << 20

// decodeArgs decodes the raw arguments into dst, refusing unknown names and
// explaining type mismatches in the model's terms.
func decodeArgs(raw any, dst any, valid []string) error {
	var b []byte
	switch v := raw.(type) {
	case nil:
		b = []byte("{}")
	case json.RawMessage:
		b = v
	case []byte:
		b = v
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			return invalidArg("arguments", "could not read the arguments: %v", err)
		}
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || string(t) == "null" {
		b = []byte("{}")
	}
	if len(b) > maxArgBytes {
		return invalidArg("arguments", "too large: %d bytes, over the limit of %d; shorten the longest text (a description, comment or query) or split the work into several calls", len(b), maxArgBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &ute):
			field := ute.Field
			if field == "" {
				return invalidArg("arguments", "must be a JSON object")
			}
			return invalidArg(field, "expected %s, got a JSON %s", jsonKind(ute.Type), ute.Value)
		case errors.As(err, &se):
			return invalidArg("arguments", "not valid JSON: %v", err)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return invalidArg(name, "unknown argument; valid arguments are: %s", strings.Join(valid, ", "))
		default:
			var ae *ArgError
			if errors.As(err, &ae) {
				return ae
			}
			return invalidArg("arguments", "%v", err)
		}
	}
	return nil
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

type notesKey struct{}

// withNotes gives a tool call a place to record how names were resolved
// (and how fresh the cache was), shown under the result's text.
func withNotes(ctx context.Context) (context.Context, *[]string) {
	n := &[]string{}
	return context.WithValue(ctx, notesKey{}, n), n
}

func addNote(ctx context.Context, format string, a ...any) {
	if n, ok := ctx.Value(notesKey{}).(*[]string); ok && len(*n) < 20 {
		*n = append(*n, fmt.Sprintf(format, a...))
	}
}
