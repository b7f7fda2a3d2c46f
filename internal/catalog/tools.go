package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
)

// Options are the configuration the catalogue's one policy reads: the same
// for listing (find, describe) and calling. Nothing changes at run time.
type Options struct {
	ReadOnly bool
	Exclude  []string // operation ids (or ClickUp's operationIds) never offered
	Areas    []string // sensitive areas enabled (--catalog-areas); "all" for every one
}

// Areas lists the sensitive areas, sorted.
func (c *Catalog) Areas() []string {
	seen := map[string]bool{}
	for _, e := range c.entries {
		if e.Area != "" {
			seen[e.Area] = true
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// policy is Options checked against the catalogue.
type policy struct {
	c        *Catalog
	readOnly bool
	exclude  map[string]bool
	areas    map[string]bool
}

func newPolicy(c *Catalog, o Options) (*policy, error) {
	areas, err := enabledAreas(o.Areas, c.Areas())
	if err != nil {
		return nil, err
	}
	p := &policy{c: c, readOnly: o.ReadOnly, exclude: map[string]bool{}, areas: areas}
	for _, x := range o.Exclude {
		if e, ok := c.byID[strings.TrimSpace(x)]; ok {
			p.exclude[e.ID] = true
		}
	}
	return p, nil
}

// enabledAreas reads --catalog-areas against the valid areas.
func enabledAreas(names, valid []string) (map[string]bool, error) {
	on := map[string]bool{}
	for _, a := range names {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == "":
		case a == "all":
			for _, v := range valid {
				on[v] = true
			}
		case contains(valid, a):
			on[a] = true
		default:
			return nil, fmt.Errorf("unknown catalogue area %q in --catalog-areas (CLICKUP_MCP_CATALOG_AREAS); valid areas: %s, all", a, strings.Join(valid, ", "))
		}
	}
	return on, nil
}

// lazyPolicy parses the catalogue and applies the policy at the first call
// of a catalogue tool: initialize and tools/list need neither, and parsing
// the 211 KB of operations.json was a tenth of the server's start-up. The
// configuration is checked at start all the same (Tools reads the areas from
// the generated table).
type lazyPolicy struct {
	load func() (*Catalog, error)
	o    Options
	once sync.Once
	c    *Catalog
	p    *policy
	err  error
}

func (l *lazyPolicy) get() (*Catalog, *policy, error) {
	l.once.Do(func() {
		if l.c, l.err = l.load(); l.err == nil {
			l.p, l.err = newPolicy(l.c, l.o)
		}
	})
	return l.c, l.p, l.err
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// IsOperation reports whether name is an operation id or alias (for
// --exclude-tools, which names tools and operations alike).
func (c *Catalog) IsOperation(name string) bool { _, ok := c.byID[name]; return ok }

// IsOperation is Catalog.IsOperation on the embedded catalogue, parsed at
// the first question (only an --exclude-tools or X-MCP-Exclude-Tools list
// asks); false if it cannot be parsed, which Tools reports at the first call.
func IsOperation(name string) bool {
	c, err := Load()
	return err == nil && c.IsOperation(name)
}

// allowed refuses an operation the configuration or the request's narrowing
// does not offer. The same check serves find, describe and call.
func (p *policy) allowed(ctx context.Context, e *Entry) error {
	write := e.Kind != "read"
	ro := p.readOnly
	for _, sel := range toolkit.Narrowings(ctx) {
		ro = ro || sel.ReadOnly
		for _, x := range sel.Exclude {
			if x = strings.TrimSpace(x); x == e.ID || contains(e.Aliases, x) {
				return fmt.Errorf("refused: %s is excluded for this request (X-MCP-Exclude-Tools)", e.ID)
			}
		}
	}
	switch {
	case p.exclude[e.ID]:
		return fmt.Errorf("refused: %s is excluded by the server's configuration (--exclude-tools)", e.ID)
	case write && ro:
		return fmt.Errorf("refused: %s changes ClickUp, and this server or request is read-only. Nothing was changed", e.ID)
	case e.Area != "" && !p.areas[e.Area]:
		return fmt.Errorf("refused: %s is in the sensitive area %q, which is off unless the server is started with --catalog-areas %s (CLICKUP_MCP_CATALOG_AREAS)", e.ID, e.Area, e.Area)
	}
	return nil
}

// prefer names the curated tool that covers an operation better.
var prefer = map[string]string{
	"user.get": "clickup_whoami", "workspaces.list": "clickup_whoami",
	"tasks.get": "clickup_get_task", "tasks.search": "clickup_search_tasks", "lists.tasks.list": "clickup_search_tasks",
	"lists.tasks.create": "clickup_create_task", "tasks.update": "clickup_update_task", "tasks.delete": "clickup_delete_task",
	"tasks.comments.list": "clickup_get_task_comments", "tasks.comments.create": "clickup_create_task_comment",
	"spaces.list": "clickup_get_workspace_hierarchy", "spaces.folders.list": "clickup_get_workspace_hierarchy",
	"spaces.lists.list": "clickup_get_workspace_hierarchy", "lists.members.list": "clickup_list_members",
	"time_entries.list": "clickup_get_time_entries", "time_entries.create": "clickup_log_time",
	"time_entries.start": "clickup_timer", "time_entries.stop": "clickup_timer", "time_entries.current.get": "clickup_timer",
	"lists.get":                     "clickup_get_list",
	"lists.custom_fields.list":      "clickup_get_list",
	"spaces.tags.list":              "clickup_get_list",
	"tasks.custom_fields.add":       "clickup_update_task",
	"tasks.custom_fields.remove":    "clickup_update_task",
	"tasks.move_home_list":          "clickup_move_task",
	"lists.tasks.add":               "clickup_move_task",
	"lists.tasks.remove":            "clickup_move_task",
	"tasks.dependencies.create":     "clickup_relate_tasks",
	"tasks.dependencies.remove":     "clickup_relate_tasks",
	"tasks.links.add":               "clickup_relate_tasks",
	"tasks.links.remove":            "clickup_relate_tasks",
	"folders.lists.create":          "clickup_create_list",
	"spaces.lists.create":           "clickup_create_list",
	"folders.list_templates.add":    "clickup_create_list",
	"spaces.list_templates.add":     "clickup_create_list",
	"list_templates.list":           "clickup_create_list",
	"spaces.folders.create":         "clickup_create_folder",
	"spaces.folder_templates.add":   "clickup_create_folder",
	"folder_templates.list":         "clickup_create_folder",
	"tasks.checklists.create":       "clickup_update_checklist",
	"checklists.update":             "clickup_update_checklist",
	"checklists.delete":             "clickup_update_checklist",
	"checklists.items.create":       "clickup_update_checklist",
	"checklists.items.update":       "clickup_update_checklist",
	"checklists.items.delete":       "clickup_update_checklist",
	"chat.channels.list":            "clickup_list_chat_channels",
	"chat.channels.messages.list":   "clickup_get_chat_messages",
	"chat.messages.replies.list":    "clickup_get_chat_messages",
	"chat.channels.messages.create": "clickup_send_chat_message",
	"chat.messages.replies.create":  "clickup_send_chat_message",
	"tasks.attachments.create":      "clickup_attach_file",
	"docs.search":                   "clickup_search_docs",
	"docs.get":                      "clickup_get_doc",
	"docs.page_listing.list":        "clickup_get_doc",
	"docs.pages.list":               "clickup_get_doc",
	"docs.pages.get":                "clickup_get_doc",
	"docs.create":                   "clickup_create_doc",
	"docs.pages.update":             "clickup_edit_doc_page",
	"comments.replies.list":         "clickup_get_task_comments",
	"comments.replies.create":       "clickup_create_task_comment",
}

// Prefer is the curated tool covering an operation, "" when none does.
func Prefer(id string) string { return prefer[id] }

type runtime struct{ d *workspace.Deps }

func (r runtime) Session(ctx context.Context) (*workspace.Session, error) { return r.d.Session(ctx) }
func (r runtime) CallTimeout() time.Duration                              { return r.d.CallTimeout() }
func (r runtime) Explain(ctx context.Context, s *workspace.Session, ok bool, err error) string {
	if ok {
		err = s.ExplainWorkspaceErr(ctx, err)
	}
	return workspace.Explain(err)
}
func (r runtime) CheckWrite(context.Context, *workspace.Session, toolkit.Place) error { return nil }
func (r runtime) WithNotes(ctx context.Context) (context.Context, *[]string) {
	return workspace.WithNotes(ctx)
}
func (r runtime) Logger() *zerolog.Logger { return r.d.Logger() }
func (r runtime) MaxResultTokens() int    { return r.d.Config().MaxResultTokens }

// FindArgs are clickup_find_operations' arguments.
type FindArgs struct {
	Query string `json:"query" jsonschema:"required,description=What to do in a few words"`
	Limit int    `json:"limit,omitempty" jsonschema:"description=At most this many (default 8)"`
}

// FoundOp is one operation found.
type FoundOp struct {
	ID     string `json:"id"`
	What   string `json:"what"`
	Kind   string `json:"kind"`
	Prefer string `json:"prefer,omitempty"`
}

// FindResult is clickup_find_operations' answer.
type FindResult struct {
	Operations []FoundOp `json:"operations"`
}

// DescribeArgs name one operation.
type DescribeArgs struct {
	Operation string `json:"operation" jsonschema:"required,description=An id from clickup_find_operations"`
}

// DescribeResult is one operation's compact schema.
type DescribeResult struct {
	Operation json.RawMessage `json:"operation" jsonschema:"type=object"`
}

// CallArgs call one operation.
type CallArgs struct {
	Operation string         `json:"operation" jsonschema:"required,description=An id from clickup_find_operations"`
	Args      map[string]any `json:"args,omitempty" jsonschema:"description=Parameters by name and the JSON body under body"`
}

// CallWriteArgs call one write operation, or with DryRun check it and show
// the request without sending it.
type CallWriteArgs struct {
	CallArgs
	DryRun bool `json:"dry_run,omitempty" jsonschema:"description=Check only, send nothing"`
}

// CallResult is ClickUp's answer, compacted.
type CallResult struct {
	Operation string `json:"operation"`
	Result    any    `json:"result,omitempty" jsonschema:"oneof_type=object;array"`
	Truncated string `json:"truncated,omitempty"`
}

// Tools are the four catalogue tools under the configuration o (three under
// read-only).
//
// The catalogue itself is parsed at the first call of one of them; the
// areas are checked now, against the table generated with operations.json.
func Tools(d *workspace.Deps, o Options) ([]toolkit.Tool, error) {
	return tools(d, o, Load)
}

func tools(d *workspace.Deps, o Options, load func() (*Catalog, error)) ([]toolkit.Tool, error) {
	if _, err := enabledAreas(o.Areas, areaNames); err != nil {
		return nil, err
	}
	lz := &lazyPolicy{load: load, o: o}
	rt := runtime{d}
	ts := []toolkit.Tool{
		toolkit.New(rt, toolkit.Spec{
			Name: "clickup_find_operations", Title: "Find ClickUp operations", Toolset: toolkit.ToolsetCatalog, Hints: toolkit.ReadHints,
			Description: "Search the ClickUp API operations no curated tool covers (goals, views, webhooks, time entry tags, templates...). Local. Then clickup_describe_operation and clickup_call_read or clickup_call_write.",
			Examples:    []string{`{"query": "goal key results"}`}, Schemas: generatedSchemas["clickup_find_operations"],
		}, func(ctx context.Context, _ *workspace.Session, a *FindArgs) (*FindResult, string, error) {
			c, p, err := lz.get()
			if err != nil {
				return nil, "", err
			}
			limit := a.Limit
			if limit <= 0 || limit > 20 {
				limit = 8
			}
			if strings.TrimSpace(a.Query) == "" {
				return nil, "", &toolkit.ArgError{Arg: "query", Msg: "empty: say what to do in a few words, e.g. \"goal key results\""}
			}
			r := &FindResult{Operations: []FoundOp{}}
			for _, m := range c.Find(a.Query, 0) {
				if p.allowed(ctx, c.byID[m.ID]) != nil {
					continue
				}
				r.Operations = append(r.Operations, FoundOp{ID: m.ID, What: m.Summary, Kind: m.Kind, Prefer: prefer[m.ID]})
				if len(r.Operations) == limit {
					break
				}
			}
			var b strings.Builder
			for _, f := range r.Operations {
				fmt.Fprintf(&b, "%s (%s): %s", f.ID, f.Kind, f.What)
				if f.Prefer != "" {
					fmt.Fprintf(&b, "; prefer %s", f.Prefer)
				}
				b.WriteByte('\n')
			}
			if len(r.Operations) == 0 {
				b.WriteString("no allowed operation matches; try other words")
			}
			return r, strings.TrimSpace(b.String()), nil
		}),
		toolkit.New(rt, toolkit.Spec{
			Name: "clickup_describe_operation", Title: "Describe a ClickUp operation", Toolset: toolkit.ToolsetCatalog, Hints: toolkit.ReadHints,
			Description: "One operation's arguments as a compact schema (type, required, house forms: names, dates in words, task ids in any form). Local.",
			Examples:    []string{`{"operation": "goals.key_results.create"}`}, Schemas: generatedSchemas["clickup_describe_operation"],
		}, func(ctx context.Context, _ *workspace.Session, a *DescribeArgs) (*DescribeResult, string, error) {
			c, p, err := lz.get()
			if err != nil {
				return nil, "", err
			}
			e, err := p.lookup(ctx, a.Operation)
			if err != nil {
				return nil, "", err
			}
			raw, err := c.Describe(e.ID)
			if err != nil {
				return nil, "", err
			}
			return &DescribeResult{Operation: raw}, string(raw), nil
		}),
		callTool(rt, lz, false),
	}
	if !o.ReadOnly {
		ts = append(ts, callTool(rt, lz, true))
	}
	return ts, nil
}

func (p *policy) lookup(ctx context.Context, id string) (*Entry, error) {
	e, err := p.c.Lookup(id)
	if err != nil {
		return nil, &toolkit.ArgError{Arg: "operation", Msg: err.Error() + " (clickup_find_operations lists them)"}
	}
	if err := p.allowed(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

func callTool(rt runtime, lz *lazyPolicy, write bool) toolkit.Tool {
	sp := toolkit.Spec{
		Name: "clickup_call_read", Title: "Call a ClickUp read operation", Toolset: toolkit.ToolsetCatalog, Hints: toolkit.ReadHints,
		Description: "Call a read operation from clickup_find_operations with its arguments, checked against its schema first.",
		Examples:    []string{`{"operation": "goals.list", "args": {}}`},
	}
	if write {
		sp = toolkit.Spec{
			Name: "clickup_call_write", Title: "Call a ClickUp write operation", Toolset: toolkit.ToolsetCatalog,
			Hints:       toolkit.Hints{Destructive: true, OpenWorld: true},
			Description: "Call a write operation from clickup_find_operations with its arguments, checked against its schema and write scope first.",
			Examples:    []string{`{"operation": "goals.create", "args": {"body": {"name": "Ship v2", "due_date": "next friday", "description": "", "multiple_owners": false, "owners": ["me"], "color": "#32a852"}}}`},
			Target:      &toolkit.Target{Handler: true},
			// Destructive operations ask the user first when the client
			// has elicitation (the handler calls toolkit.Confirm).
			Confirm: true,
		}
	}
	sp.Schemas = generatedSchemas[sp.Name]
	if write {
		return toolkit.New(rt, sp, func(ctx context.Context, s *workspace.Session, a *CallWriteArgs) (*CallResult, string, error) {
			return call(ctx, s, lz, &a.CallArgs, true, a.DryRun)
		})
	}
	return toolkit.New(rt, sp, func(ctx context.Context, s *workspace.Session, a *CallArgs) (*CallResult, string, error) {
		return call(ctx, s, lz, a, false, false)
	})
}

// call is the body of both call tools: find the operation, resolve the
// house forms, validate, check the scope; for a write, show it (dry run) or
// ask the user first (destructive, with elicitation); then send it.
func call(ctx context.Context, s *workspace.Session, lz *lazyPolicy, a *CallArgs, write, dryRun bool) (*CallResult, string, error) {
	c, p, err := lz.get()
	if err != nil {
		return nil, "", err
	}
	e, err := p.lookup(ctx, a.Operation)
	if err != nil {
		return nil, "", err
	}
	if (e.Kind != "read") != write {
		other := "clickup_call_write"
		if e.Kind == "read" {
			other = "clickup_call_read"
		}
		return nil, "", &toolkit.ArgError{Arg: "operation", Msg: fmt.Sprintf("%s is a %s operation: call it with %s", e.ID, e.Kind, other)}
	}
	args := a.Args
	if args == nil {
		args = map[string]any{}
	}
	if err := resolveForms(ctx, s, e, args); err != nil {
		return nil, "", err
	}
	req, err := c.Build(e.ID, args)
	if err != nil {
		return nil, "", &toolkit.ArgError{Arg: "args", Msg: err.Error() + " (clickup_describe_operation shows the shapes)"}
	}
	if write {
		if err := checkScope(ctx, s, e, req); err != nil {
			return nil, "", err
		}
	}
	target := e.Method + " " + shownPath(e.Path, req.Params.Path)
	if dryRun {
		shown := map[string]any{"dry_run": true, "request": target}
		if len(req.Params.Query) > 0 {
			shown["query"] = req.Params.Query.Encode()
		}
		if req.Body != nil {
			shown["body"] = req.Body
		}
		text := fmt.Sprintf("Dry run: %s (%s) was checked and not sent; it would send %s", e.ID, e.Kind, target)
		if b, err := json.Marshal(req.Body); err == nil && req.Body != nil {
			text += " with " + oneLineArgs(b)
		}
		return &CallResult{Operation: e.ID, Result: shown}, text + ". Call again without dry_run to send it.", nil
	}
	if write && e.Kind == "destructive" {
		argsJSON, _ := json.Marshal(args)
		dec, err := toolkit.Confirm(ctx, toolkit.Question{
			Subject: e.ID + " " + string(argsJSON), Action: "Go ahead",
			Describe: func() (string, error) {
				return fmt.Sprintf("Run %s (%s): %s with %s? It deletes or replaces data in ClickUp and cannot be undone.", e.ID, e.Summary, target, oneLineArgs(argsJSON)), nil
			},
		})
		if err != nil {
			return nil, "", err
		}
		if !dec.Proceed() {
			return &CallResult{Operation: e.ID}, toolkit.ConfirmRefusal(dec, e.ID+" was not sent"), nil
		}
	}
	var out json.RawMessage
	send := func(ctx context.Context) error { return s.Client.Call(ctx, req.Op, req.Params, req.Body, &out) }
	if write && e.Method == "POST" {
		err = guarded(ctx, s, e, req, send, &out)
	} else {
		err = send(ctx)
	}
	if err != nil {
		return nil, "", err
	}
	r := &CallResult{Operation: e.ID}
	var v any
	if len(out) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			return nil, "", fmt.Errorf("%s: ClickUp's answer is not JSON: %w", e.ID, err)
		}
	}
	r.Result, r.Truncated = budget(Compact(v), s.Budget(), e)
	b, _ := json.Marshal(r.Result)
	text := e.ID + ": " + string(b)
	if r.Truncated != "" {
		text += "\n" + r.Truncated
	}
	return r, text, nil
}

// shownPath is a path template with its placeholders filled, as the
// request will go (for the user and the model to see what it targets).
func shownPath(tmpl string, values map[string]string) string {
	segs := strings.Split(tmpl, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			if v, ok := values[seg[1:len(seg)-1]]; ok && v != "" {
				segs[i] = url.PathEscape(v)
			}
		}
	}
	return strings.Join(segs, "/")
}

// checkScope applies the write scope by the operation's anchor; a write
// with no anchor (workspace-level), or one on a view or doc, is refused
// while a scope is set.
func checkScope(ctx context.Context, s *workspace.Session, e *Entry, r *Request) error {
	if !s.HasWriteScope() {
		return nil
	}
	ws := r.Params.Path[e.Workspace]
	switch e.Anchor {
	case "task":
		ref, err := s.TaskRef(ctx, "task_id", r.Params.Path["task_id"], ws)
		if err != nil {
			return err
		}
		return s.CheckTaskScope(ctx, ref, ws)
	case "list":
		return s.CheckWritePlace(ctx, "list_id", r.Params.Path["list_id"], "", "", ws)
	case "folder", "space":
		return s.CheckNodeScope(ctx, ws, e.Anchor, r.Params.Path[e.Anchor+"_id"])
	}
	level := map[string]string{"none": "workspace", "view": "view", "doc": "doc"}[e.Anchor]
	return s.RefuseUnscoped(e.ID, level, "changed")
}

// resolveForms turns the house forms (task ids in any form, people by name,
// email or me, places by name or path, dates in words) into what ClickUp
// takes, where the metadata marks the fields.
func resolveForms(ctx context.Context, s *workspace.Session, e *Entry, args map[string]any) error {
	ws := ""
	if e.Workspace != "" {
		if v, ok := args[e.Workspace]; ok {
			ws = scalarText(v)
		} else {
			w, err := s.Workspace(ctx, "")
			if err != nil {
				return err
			}
			ws = w
			args[e.Workspace] = workspaceValue(e, w)
		}
	}
	wsOr := func() (string, error) {
		if ws != "" {
			return ws, nil
		}
		return s.Workspace(ctx, "")
	}
	one := func(name, form string, v any, schema json.RawMessage) (any, error) {
		str, ok := v.(string)
		if !ok {
			return v, nil
		}
		numeric := !strings.Contains(string(schema), `"string"`)
		switch form {
		case "task_id":
			ref, err := s.TaskRef(ctx, name, str, ws)
			if err != nil {
				return nil, err
			}
			if ref.TeamID == "" {
				return ref.ID, nil
			}
			if e.CustomTaskIDs && name == "task_id" {
				args["custom_task_ids"] = true
				args["team_id"] = paramValue(e, "team_id", ref.TeamID)
				return ref.ID, nil
			}
			t, err := s.Client.Tasks.Get(ctx, ref, nil)
			if err != nil {
				return nil, err
			}
			return string(t.ID), nil
		case "person":
			w, err := wsOr()
			if err != nil {
				return nil, err
			}
			ids, err := s.ResolveUsers(ctx, w, name, []string{str})
			if err != nil {
				return nil, err
			}
			if !numeric {
				return fmt.Sprint(ids[0]), nil
			}
			return float64(ids[0]), nil
		case "date":
			t, _, err := s.ParseDate(name, str)
			if err != nil {
				return nil, err
			}
			if !numeric {
				return fmt.Sprint(t.UnixMilli()), nil
			}
			return float64(t.UnixMilli()), nil
		case "place":
			kind := workspace.KindList
			switch {
			case strings.Contains(name, "space"):
				kind = workspace.KindSpace
			case strings.Contains(name, "folder"):
				kind = workspace.KindFolder
			}
			w, err := wsOr()
			if err != nil {
				return nil, err
			}
			id, err := s.ResolveNode(ctx, w, name, str, kind)
			if err != nil {
				return nil, err
			}
			if numeric && isIndex(id) {
				var f float64
				_, _ = fmt.Sscan(id, &f)
				return f, nil
			}
			return id, nil
		}
		return v, nil
	}
	for _, p := range e.Params {
		if v, ok := args[p.Name]; ok && p.Form != "" {
			nv, err := one(p.Name, p.Form, v, p.Schema)
			if err != nil {
				return err
			}
			args[p.Name] = nv
		}
	}
	if e.Body == nil {
		return nil
	}
	body, _ := args["body"].(map[string]any)
	var sch struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(e.Body.Schema, &sch)
	for k, form := range e.Body.Forms {
		v, ok := body[k]
		if !ok {
			continue
		}
		if l, isList := v.([]any); isList {
			var item struct {
				Items json.RawMessage `json:"items"`
			}
			_ = json.Unmarshal(sch.Properties[k], &item)
			for i, x := range l {
				nv, err := one("body."+k, form, x, item.Items)
				if err != nil {
					return err
				}
				l[i] = nv
			}
			continue
		}
		nv, err := one("body."+k, form, v, sch.Properties[k])
		if err != nil {
			return err
		}
		body[k] = nv
	}
	return nil
}

// workspaceValue is the workspace id in the type the operation's parameter
// takes (a number in some v3 operations).
func workspaceValue(e *Entry, id string) any { return paramValue(e, e.Workspace, id) }

// paramValue is an id in the type the operation's parameter name takes.
func paramValue(e *Entry, name, id string) any {
	for _, p := range e.Params {
		if p.Name == name && !strings.Contains(string(p.Schema), `"string"`) && isIndex(id) {
			var f float64
			_, _ = fmt.Sscan(id, &f)
			return f
		}
	}
	return id
}

// oneLineArgs shows a call's arguments in a confirmation, cut to stay short.
func oneLineArgs(b []byte) string {
	const most = 300
	if len(b) > most {
		return string(b[:most]) + "…"
	}
	return string(b)
}
