// Package toolkit is the tool framework of clickup-mcp: a tool definition
// (name, title, toolset, hints, description, argument and result types,
// examples, and for a write its target), strict argument decoding, the
// read-only and write-scope checks that run before any handler, selection,
// per-request narrowing, aliases and validation. It knows nothing of
// ClickUp's workspace: the Runtime gives it sessions, explanations and the
// scope check.
package toolkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Toolset names. A tool belongs to exactly one.
const (
	ToolsetContext   = "context"
	ToolsetTasks     = "tasks"
	ToolsetComments  = "comments"
	ToolsetCatalog   = "catalog"
	ToolsetTime      = "time"
	ToolsetHierarchy = "hierarchy"
	ToolsetChat      = "chat"
	ToolsetDocs      = "docs"
)

// Tool is an MCP tool with the facts the server needs to offer it: its
// toolset, whether it writes, its examples and its write target.
type Tool struct {
	server.ServerTool
	Toolset string
	// NotDefault keeps the tool out of the default preset (the token
	// budget of tools/list) while its toolset is in it: --toolsets with its
	// toolset, --tools and all still offer it.
	NotDefault bool
	// ReadOnly mirrors the readOnly annotation; it is the group (read or
	// write) the tool belongs to.
	ReadOnly bool
	// Examples are arguments a model would send, as JSON, each runnable
	// against the sandbox.
	Examples []string
	// Target is how the framework finds what a write tool writes to; nil
	// for a read tool.
	Target *Target
	// Confirm says the tool asks the user before a destructive change.
	Confirm bool
	// Args and Result are the handler's argument and result types, which
	// the schemas are generated from.
	Args, Result reflect.Type
	// props are the input schema's property names, sorted.
	props []string
}

// Name is the tool's MCP name.
func (t Tool) Name() string { return t.Tool.Name }

// Summary is the first sentence of a tool's description: what
// `clickup-mcp tools` and the README's tool table show.
func Summary(description string) string {
	s, _, _ := strings.Cut(description, ". ")
	return s
}

// Kind is "read", "write" or "write, destructive", from the hints.
func (t Tool) Kind() string {
	switch {
	case t.ReadOnly:
		return "read"
	case t.Tool.Annotations.DestructiveHint != nil && *t.Tool.Annotations.DestructiveHint:
		return "write, destructive"
	}
	return "write"
}

// Hints are the four MCP annotation hints every tool sets.
type Hints struct {
	ReadOnly, Destructive, Idempotent, OpenWorld bool
}

// The hints of the four kinds of tool.
var (
	ReadHints    = Hints{ReadOnly: true, Idempotent: true, OpenWorld: true}
	CreateHints  = Hints{OpenWorld: true}
	UpdateHints  = Hints{Idempotent: true, OpenWorld: true}
	DestroyHints = Hints{Destructive: true, Idempotent: true, OpenWorld: true}
)

// Target names the arguments that say where a write lands, so the framework
// can check the write scope before the handler runs. List names the
// argument holding a list (id, name or path) the tool writes to; Task the
// argument holding a task the tool writes to (or, for a create without a
// list, whose list it writes to); Workspace the argument holding the
// workspace, if the tool has one. When List has a value it wins.
type Target struct {
	List, Task, Workspace string
	// Handler says the tool checks the write scope itself, before it sends
	// anything (the catalogue, whose place is each operation's anchor).
	Handler bool
}

// Place is a Target read from one call's arguments: the values, and the
// names of the arguments they came from (for errors).
type Place struct {
	ListArg, List string
	TaskArg, Task string
	Workspace     string
}

// Spec describes one tool for New.
type Spec struct {
	Name, Title, Toolset, Description string
	// NotDefault: see Tool.NotDefault.
	NotDefault bool
	Hints      Hints
	// Examples are arguments a model would send (JSON objects), run against
	// the sandbox by one table test.
	Examples []string
	// Target is required for a write tool (one whose hints are not
	// read-only) and refused for a read tool.
	Target *Target
	// Confirm makes a destructive tool able to ask the user (by
	// elicitation) before it changes anything: its handler calls Confirm.
	// Validate refuses a destructive tool without it.
	Confirm bool
	// Schemas are the input and output schemas of the argument and result
	// types, generated ahead of time (internal/schemagen), so that no
	// schema is reflected at start. Validate refuses a tool without them.
	Schemas Schemas
}

// Schemas are a tool's input and output JSON Schemas, compact, and the
// input's property names, sorted (generated together, so that a start never
// decodes a schema to learn which arguments a call may name).
type Schemas struct {
	Input, Output string
	Props         []string
}

// Runtime is what the framework needs from the rest of the server for
// sessions of type S; the framework never imports the workspace.
type Runtime[S any] interface {
	// Session opens the session for the request's token.
	Session(ctx context.Context) (S, error)
	// CallTimeout bounds one tool call.
	CallTimeout() time.Duration
	// Explain renders an error for the model. ok is false when no session
	// could be opened (s is then the zero S).
	Explain(ctx context.Context, s S, ok bool, err error) string
	// CheckWrite refuses a write to a place outside the server's write
	// scope, before any handler runs. Without a scope it must cost nothing.
	CheckWrite(ctx context.Context, s S, p Place) error
	// WithNotes gives a call a place for resolution notes.
	WithNotes(ctx context.Context) (context.Context, *[]string)
	// Logger receives a debug line for each failed call.
	Logger() *zerolog.Logger
	// MaxResultTokens is the token budget of one result, text and
	// structured content together (--max-result-tokens).
	MaxResultTokens() int
}

// Handler is the typed body of a tool: arguments in, a result and its short
// text rendering out. An error is turned into an isError result.
type Handler[S, A, R any] func(ctx context.Context, s S, args *A) (*R, string, error)

// New builds a Tool from a typed handler. Its schemas are sp.Schemas,
// generated from A and R ahead of time (internal/schemagen); arguments are
// decoded strictly (unknown names are refused with the valid ones listed) so
// a model's guess that misses is corrected instead of silently ignored. A
// write tool is refused under a read-only narrowing, and its target is
// checked against the write scope, before the handler runs.
func New[S, A, R any](rt Runtime[S], sp Spec, h Handler[S, A, R]) Tool {
	var in, out json.RawMessage
	if sp.Schemas.Input != "" && sp.Schemas.Output != "" {
		in, out = json.RawMessage(sp.Schemas.Input), json.RawMessage(sp.Schemas.Output)
	}
	t := mcp.NewToolWithRawSchema(sp.Name, sp.Description, in)
	t.RawOutputSchema = out
	t.Title = sp.Title
	t.Icons = Icon(sp.Toolset)
	// The title is the tool's own (the spec's first choice for display),
	// not repeated in the annotations: 14 copies of it on every tools/list.
	t.Annotations = mcp.ToolAnnotation{
		ReadOnlyHint:    ptr(sp.Hints.ReadOnly),
		DestructiveHint: ptr(sp.Hints.Destructive),
		IdempotentHint:  ptr(sp.Hints.Idempotent),
		OpenWorldHint:   ptr(sp.Hints.OpenWorld),
	}
	valid := sp.Schemas.Props
	if valid == nil {
		valid = propertyNames(in)
	}
	write := !sp.Hints.ReadOnly
	handler := func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		ctx, cancel := context.WithTimeout(ctx, rt.CallTimeout())
		defer cancel()
		var zero S
		fail := func(s S, ok bool, err error) (*mcp.CallToolResult, error) {
			noteFailure(ctx, err)
			return mcp.NewToolResultError(rt.Explain(ctx, s, ok, err)), nil
		}
		if write {
			if readOnlyRequest(ctx) {
				return fail(zero, false, fmt.Errorf("refused: %s changes ClickUp, and this request is read-only (X-MCP-Read-Only). Nothing was changed", sp.Name))
			}
		}
		var args A
		if err := decodeArgs(req.Params.Arguments, &args, valid); err != nil {
			return fail(zero, false, err)
		}
		sess, err := rt.Session(ctx)
		if err != nil {
			return fail(zero, false, err)
		}
		if write && sp.Target != nil {
			// Before the notes start: how the check resolved names is not
			// the call's answer (the handler resolves them again, from
			// the session's caches).
			if err := rt.CheckWrite(ctx, sess, place(*sp.Target, req.Params.Arguments)); err != nil {
				return fail(sess, true, err)
			}
		}
		ctx, notes := rt.WithNotes(ctx)
		ctx = withProgress(ctx, req.Params.Meta)
		if sp.Confirm {
			ctx = withConfirm(ctx, req.Params.MultiRoundTripParams)
		}
		r, text, err := h(ctx, sess, &args)
		if ask, ok := askResult(err); ok {
			return ask, nil
		}
		if err != nil {
			rt.Logger().Debug().Str("tool", sp.Name).Err(err).Msg("tool call failed")
			return fail(sess, true, err)
		}
		if len(*notes) > 0 {
			text += "\nResolved: " + strings.Join(*notes, "; ")
		}
		var links []mcp.ResourceLink
		if r != nil {
			links = resultLinks(r)
		}
		res, err = budgetedResult(sp.Name, rt.MaxResultTokens(), r, links, text)
		if err != nil {
			return fail(sess, true, err)
		}
		return res, nil
	}
	return Tool{
		ServerTool: server.ServerTool{Tool: t, Handler: handler},
		Toolset:    sp.Toolset,
		NotDefault: sp.NotDefault,
		ReadOnly:   sp.Hints.ReadOnly,
		Examples:   sp.Examples,
		Target:     sp.Target,
		Confirm:    sp.Confirm,
		Args:       reflect.TypeFor[A](),
		Result:     reflect.TypeFor[R](),
		props:      valid,
	}
}

// place reads a target's arguments from the raw arguments (already decoded
// strictly once, so they are a JSON object).
func place(t Target, raw any) Place {
	var m map[string]any
	switch v := raw.(type) {
	case map[string]any:
		m = v
	default:
		b, err := json.Marshal(v)
		if err == nil {
			_ = json.Unmarshal(b, &m)
		}
	}
	str := func(name string) string {
		if name == "" {
			return ""
		}
		switch v := m[name].(type) {
		case string:
			return strings.TrimSpace(v)
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case json.Number:
			return v.String()
		}
		return ""
	}
	return Place{ListArg: t.List, List: str(t.List), TaskArg: t.Task, Task: str(t.Task), Workspace: str(t.Workspace)}
}

func ptr[T any](v T) *T { return &v }

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

// MaxArgBytes bounds one call's arguments. ClickUp documents no limit for a
// description or a comment, but a megabyte of text (some 250k tokens) is past
// anything a model means to send; refused here, it never reaches ClickUp.
const MaxArgBytes = 1 << 20

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
	if len(b) > MaxArgBytes {
		return invalidArg("arguments", "too large: %d bytes, over the limit of %d; shorten the longest text (a description, comment or query) or split the work into several calls", len(b), MaxArgBytes)
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
			var ae argumentError
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

// ArgError is a bad argument found while decoding a call: the model can fix
// it and call again.
type ArgError struct {
	Arg string
	Msg string
}

func (e *ArgError) Error() string {
	if e.Arg == "" {
		return e.Msg
	}
	return e.Arg + ": " + e.Msg
}

// Argument names the argument at fault; the explanation recognises any
// error with this method as a bad argument, whatever package made it.
func (e *ArgError) Argument() string { return e.Arg }

type argumentError interface {
	error
	Argument() string
}

func invalidArg(arg, format string, a ...any) *ArgError {
	return &ArgError{Arg: arg, Msg: fmt.Sprintf(format, a...)}
}
