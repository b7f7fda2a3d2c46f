// Package prompts offers ready-made ClickUp workflows as MCP prompts (shown
// by many clients as slash commands) and ClickUp objects as MCP resources
// (attachable context), acting for the request's token like the tools.
//
// A prompt does the lookups a person should not have to: it resolves names
// (lists, spaces, people) and dates to ids before the model starts, so the
// messages name exact tool calls with exact arguments, and an unknown name
// fails at once with the valid choices instead of half-way through a chat.
package prompts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// ServerOptions are what the prompts and resources need at server
// construction: their capabilities and the argument completion providers.
// Pass them in toolkit.ServerOptions.Extra, then call Register.
func ServerOptions(d *workspace.Deps) []server.ServerOption {
	c := &completer{d: d}
	// One deadline for every request kind, as tools have: a hung ClickUp
	// ends a prompt or a resource read at the call timeout, not minutes on.
	timeout := d.Config().CallTimeout
	return []server.ServerOption{
		server.WithPromptHandlerMiddleware(func(next server.PromptHandlerFunc) server.PromptHandlerFunc {
			return func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
				ctx, cancel := context.WithTimeout(ctx, timeout)
				defer cancel()
				return next(logRefreshes(ctx), req)
			}
		}),
		server.WithResourceHandlerMiddleware(func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
			return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				ctx, cancel := context.WithTimeout(ctx, timeout)
				defer cancel()
				return next(logRefreshes(ctx), req)
			}
		}),
		server.WithPromptCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(c),
		server.WithResourceCompletionProvider(c),
	}
}

// logRefreshes sends the client a log notification at info (if its level
// admits it) for each cache a prompt or resource read loads from ClickUp,
// as the tools do.
func logRefreshes(ctx context.Context) context.Context {
	return workspace.WithCacheRefreshes(ctx, func(r workspace.CacheRefresh) {
		if srv := server.ServerFromContext(ctx); srv != nil {
			_ = srv.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(mcp.LoggingLevelInfo, "clickup-mcp", r.String()))
		}
	})
}

// Register adds the prompts, the static resources and the resource
// templates to s. icon, when set, gives the icon of a toolset ("tasks",
// "context"): prompts carry the tasks icon, resources the icon of the
// toolset they belong with.
func Register(s *server.MCPServer, d *workspace.Deps, icon func(toolset string) []mcp.Icon) {
	if icon == nil {
		icon = func(string) []mcp.Icon { return nil }
	}
	r := &registry{d: d, srv: s}
	ps := r.prompts()
	for i := range ps {
		ps[i].Prompt.Icons = icon("tasks")
	}
	s.AddPrompts(ps...)
	rs := r.resources()
	for i := range rs {
		rs[i].Resource.Icons = icon("context")
	}
	s.AddResources(rs...)
	ts := r.templates()
	for i := range ts {
		set := "context"
		if ts[i].Template.Name == "task" {
			set = "tasks"
		}
		ts[i].Template.Icons = icon(set)
	}
	s.AddResourceTemplates(ts...)
}

// registry holds what the prompt and resource handlers share.
type registry struct {
	d   *workspace.Deps
	srv *server.MCPServer
}

// --- typed prompt arguments ---

// Prompt arguments are declared as structs of string fields:
//
//	Member string `arg:"member" title:"Member" desc:"..."`
//	Notes  string `arg:"notes,required" desc:"..."`
//
// so each prompt's arguments, their documentation and their decoding live
// in one place, as the tools' argument structs do.
func promptArgs[A any]() []mcp.PromptArgument {
	t := reflect.TypeFor[A]()
	var out []mcp.PromptArgument
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, ok := strings.Cut(f.Tag.Get("arg"), ",")
		if name == "" {
			continue
		}
		if f.Type.Kind() != reflect.String {
			panic(fmt.Sprintf("prompts: argument %s of %s must be a string", name, t))
		}
		out = append(out, mcp.PromptArgument{
			Name: name, Title: f.Tag.Get("title"), Description: f.Tag.Get("desc"),
			Required: ok && opts == "required",
		})
	}
	return out
}

// decodeArgs fills dst from a prompts/get request's arguments, refusing
// unknown names and missing required ones with the valid names listed.
func decodeArgs[A any](in map[string]string, dst *A) error {
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	fields := map[string]int{}
	var names, required []string
	for i := range t.NumField() {
		name, opts, ok := strings.Cut(t.Field(i).Tag.Get("arg"), ",")
		if name == "" {
			continue
		}
		fields[name] = i
		names = append(names, name)
		if ok && opts == "required" {
			required = append(required, name)
		}
	}
	for k, val := range in {
		i, ok := fields[k]
		if !ok {
			return &workspace.ArgError{Arg: k, Msg: "unknown argument; this prompt takes: " + strings.Join(names, ", ")}
		}
		v.Field(i).SetString(strings.TrimSpace(val))
	}
	for _, r := range required {
		if v.Field(fields[r]).String() == "" {
			return &workspace.ArgError{Arg: r, Msg: "is required"}
		}
	}
	return nil
}

// promptDef is one prompt: its definition and a typed body that writes the
// messages.
type promptDef struct {
	prompt mcp.Prompt
	get    func(ctx context.Context, r *registry, args map[string]string) ([]mcp.PromptMessage, error)
}

func newPrompt[A any](name, title, description string, build func(ctx context.Context, e *env, a *A) ([]mcp.PromptMessage, error)) promptDef {
	p := mcp.NewPrompt(name, mcp.WithPromptTitle(title), mcp.WithPromptDescription(description))
	p.Arguments = promptArgs[A]()
	return promptDef{prompt: p, get: func(ctx context.Context, r *registry, in map[string]string) ([]mcp.PromptMessage, error) {
		var a A
		if err := decodeArgs(in, &a); err != nil {
			return nil, err
		}
		e, err := r.env(ctx, workspaceOf(&a))
		if err != nil {
			return nil, err
		}
		return build(ctx, e, &a)
	}}
}

// workspaceOf reads the optional `workspace` argument every prompt takes.
func workspaceOf(a any) string {
	f := reflect.ValueOf(a).Elem().FieldByName("Workspace")
	if !f.IsValid() {
		return ""
	}
	return f.String()
}

func (r *registry) prompts() []server.ServerPrompt {
	defs := allPrompts()
	out := make([]server.ServerPrompt, len(defs))
	for i, p := range defs {
		out[i] = server.ServerPrompt{Prompt: p.prompt, Handler: func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			msgs, err := p.get(ctx, r, req.Params.Arguments)
			if err != nil {
				return nil, r.promptError(ctx, p.prompt.Name, err)
			}
			return mcp.NewGetPromptResult(p.prompt.Description, msgs), nil
		}}
	}
	return out
}

// promptError becomes the JSON-RPC error message a client shows the person
// who picked the prompt: what to fix, in ClickUp's and the tools' terms.
func (r *registry) promptError(ctx context.Context, name string, err error) error {
	s, _ := r.d.Session(ctx)
	return fmt.Errorf("prompt %s: %s", name, explainFor(ctx, s, err))
}

// explainFor explains an error for a person reading a client's error
// message: a bad argument as just that, anything else as the tools explain
// it (ClickUp's code and what to do).
func explainFor(ctx context.Context, s *workspace.Session, err error) string {
	var ae *workspace.ArgError
	switch {
	case errors.As(err, &ae):
		return "invalid argument " + ae.Error()
	case s != nil:
		return s.Explain(ctx, err)
	}
	return workspace.Explain(err)
}

// --- the environment a prompt is written in ---

// env is one prompts/get: the session, the workspace it acts in, and now
// in the session's time zone (the one the tools read dates in).
type env struct {
	*registry
	s      *workspace.Session
	ws     string
	wsName string
	now    time.Time // in the configured time zone
}

func (r *registry) env(ctx context.Context, workspaceArg string) (*env, error) {
	s, err := r.d.Session(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := s.Workspace(ctx, workspaceArg)
	if workspace.IsArgError(err) {
		return nil, &workspace.ArgError{Arg: "workspace", Msg: strings.TrimPrefix(err.Error(), "workspace_id: ")}
	}
	if err != nil {
		return nil, err
	}
	_, teams, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	// Learn the session's time zone (the user's, unless configured) so
	// "today" and the dates written are the ones the tools will read.
	s.Location(ctx)
	e := &env{registry: r, s: s, ws: ws, wsName: ws, now: s.Now()}
	for _, t := range teams {
		if string(t.ID) == ws {
			e.wsName = t.Name
		}
	}
	return e, nil
}

// date resolves a date argument to YYYY-MM-DD in the configured zone.
func (e *env) date(ctx context.Context, arg, value, def string) (time.Time, error) {
	if value == "" {
		value = def
	}
	t, _, err := e.s.ParseDate(arg, value)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, e.now.Location()), nil
}

func (e *env) today() time.Time {
	return time.Date(e.now.Year(), e.now.Month(), e.now.Day(), 0, 0, 0, 0, e.now.Location())
}

// canWrite reports whether the server offers a tool: in read-only mode the
// prompts propose changes but do not tell the model to make them.
func (e *env) canWrite(tool string) bool { return e.srv.GetTool(tool) != nil }

// --- writing messages ---

// call renders one tool call the way the messages show them: the exact
// name and JSON arguments, in backticks, so the model can copy it verbatim.
// Arguments are key, value pairs, kept in the order given (the important
// ones first) rather than sorted.
func call(name string, kv ...any) string {
	var b strings.Builder
	b.WriteString("`" + name + " {")
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(jsonText(kv[i].(string)) + ":" + jsonText(kv[i+1]))
	}
	b.WriteString("}`")
	return b.String()
}

func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("prompts: %v", err))
	}
	return strings.TrimSpace(buf.String())
}

func day(t time.Time) string     { return t.Format("2006-01-02") }
func longDay(t time.Time) string { return t.Format("Monday 2 January 2006") }

func userText(text string) mcp.PromptMessage {
	return mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))
}

// sortedNames returns at most max names, sorted, with a count of the rest.
func sortedNames(names []string, limit int) string {
	sort.Strings(names)
	if len(names) > limit {
		return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
	}
	return strings.Join(names, ", ")
}
