// Package cli is clickup-mcp's command line: it dispatches the demo, tools,
// call, auth and version commands and hands everything else to the server
// (internal/app).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/clickup-mcp/clickup-mcp/internal/buildinfo"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"

	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/clickup-mcp/clickup-mcp/internal/workspace"
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mattn/go-isatty"
)

// Run runs the command line with args (without the program name) and
// returns the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, buildinfo.Get())
			return 0
		case "demo":
			return runDemo(args[1:], stdout, stderr)
		case "tools":
			return runTools(args[1:], stdout, stderr)
		case "call":
			return runCall(args[1:], stdout, stderr)
		case "auth":
			return runAuth(args[1:], stdout, stderr)
		case "serve":
			args = args[1:]
		}
	}
	return app.Serve(args, stdin, stdout, stderr)
}

// session is an MCP client talking to an in-process server through the real
// protocol (initialize, tools/list, tools/call), as any client would.
type session struct {
	c *client.Client
}

func connect(ctx context.Context, a *app.App) (*session, error) {
	c, err := client.NewInProcessClient(a.MCP)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "clickup-mcp-cli", Version: app.Version}
	if _, err := c.Initialize(ctx, init); err != nil {
		return nil, err
	}
	return &session{c: c}, nil
}

func (s *session) call(ctx context.Context, name string, args any) (*mcp.CallToolResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return s.c.CallTool(ctx, req)
}

func resultText(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// structured decodes a result's structured content into v.
func structured(r *mcp.CallToolResult, v any) error {
	var b []byte
	var err error
	if len(r.RawStructuredContent) > 0 {
		b = r.RawStructuredContent
	} else if b, err = json.Marshal(r.StructuredContent); err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// cliApp builds an app for the command line: logs only warnings (to
// stderr), sandbox when asked or when there is no token. ok is false when
// the command should end with code (--help, a wrong flag, a bad setting).
func cliApp(fs *flag.FlagSet, cfg *app.Config, args []string, usage string, stdout, stderr io.Writer) (a *app.App, rest []string, code int, ok bool) {
	if code, ok := app.ParseFlags(fs, args, usage, stdout, stderr); !ok {
		return nil, nil, code, false
	}
	if cfg.LogLevel == "info" {
		cfg.LogLevel = "warn"
	}
	log, err := app.NewLogger(cfg, stderr)
	if err == nil {
		a, err = app.New(*cfg, log)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return nil, nil, 2, false
	}
	return a, fs.Args(), 0, true
}

func runTools(args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	fs := app.NewFlagSet("clickup-mcp tools", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print the full tool definitions as JSON")
	cfg.Sandbox = true
	a, _, code, ok := cliApp(fs, &cfg, args, "Usage: clickup-mcp tools [--json] [selection flags such as --toolsets, --read-only]\n", stdout, stderr)
	if !ok {
		return code
	}
	ctx := context.Background()
	s, err := connect(ctx, a)
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp tools:", err)
		return 1
	}
	res, err := s.c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp tools:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res.Tools); err != nil {
			return 1
		}
		return 0
	}
	group := map[string]toolkit.Tool{}
	for _, t := range a.Tools {
		group[t.Name()] = t
	}
	for _, t := range res.Tools {
		mode := "read "
		if !group[t.Name].ReadOnly {
			mode = "write"
		}
		fmt.Fprintf(stdout, "%-32s %-9s %s  %s\n", t.Name, group[t.Name].Toolset, mode, toolkit.Summary(t.Description))
	}
	return 0
}

func runCall(args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	fs := app.NewFlagSet("clickup-mcp call", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print the structured content as JSON instead of text")
	// Flags may come after the tool name and its arguments: move them first
	// for flag parsing. A flag without "=" takes the next word as its value
	// unless it is a boolean flag.
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	a, pos, code, ok := cliApp(fs, &cfg, append(flags, rest...), callUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) < 1 {
		fmt.Fprint(stderr, "clickup-mcp call: name the tool to call (clickup-mcp tools lists them)\n"+callUsage)
		return 2
	}
	if a.Cfg.Token == "" && !cfg.Sandbox {
		fmt.Fprintln(stderr, "clickup-mcp call: no ClickUp token; set CLICKUP_API_TOKEN or add --sandbox")
		return 2
	}
	name := toolkit.Canonical(pos[0])
	if msg := missingTool(a, name); msg != "" {
		fmt.Fprintln(stderr, "clickup-mcp call:", msg)
		return 2
	}
	callArgs, err := parseCallArgs(pos[1:], inputSchema(a, name))
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp call:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, err := connect(ctx, a)
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp call:", err)
		return 1
	}
	stopSpin := spinner(stderr, "calling "+name)
	res, err := s.call(ctx, name, callArgs)
	stopSpin()
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp call:", err)
		return 1
	}
	if *asJSON && !res.IsError {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		var v any
		_ = structured(res, &v)
		_ = enc.Encode(v)
	} else if res.IsError {
		fmt.Fprintln(stderr, resultText(res))
	} else {
		fmt.Fprintln(stdout, resultText(res))
	}
	if res.IsError {
		return 1
	}
	return 0
}

// spinner shows progress on a terminal while a call runs; it prints nothing
// when stderr is not a terminal (pipes, CI, MCP hosts).
func spinner(w io.Writer, label string) func() {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		frames := `|/-\`
		start := time.Now()
		t := time.NewTicker(120 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
				if time.Since(start) > 300*time.Millisecond {
					fmt.Fprintf(w, "\r%c %s (%.1fs)", frames[i%4], label, time.Since(start).Seconds())
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// runDemo is the guided tour: every step is a real MCP tool call against
// the sandbox, printed as call and result.
func runDemo(args []string, stdout, stderr io.Writer) int {
	var cfg app.Config
	fs := app.NewFlagSet("clickup-mcp demo", &cfg, stderr)
	cfg.Sandbox = true
	a, _, code, ok := cliApp(fs, &cfg, args, "Usage: clickup-mcp demo [selection flags such as --toolsets]\nA guided tour of the core tools, each step a real MCP call against the built-in sandbox.\n", stdout, stderr)
	if !ok {
		return code
	}
	if msg := demoNeeds(a); msg != "" {
		fmt.Fprintln(stderr, "clickup-mcp demo:", msg)
		return 2
	}
	if !a.Cfg.Sandbox {
		a.Cfg.Sandbox = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := connect(ctx, a)
	if err != nil {
		fmt.Fprintln(stderr, "clickup-mcp demo:", err)
		return 1
	}
	d := &demo{s: s, out: stdout, app: a}
	if err := d.run(ctx); err != nil {
		fmt.Fprintln(stderr, "clickup-mcp demo failed:", err)
		return 1
	}
	return 0
}

type demo struct {
	app  *app.App
	s    *session
	out  io.Writer
	step int
}

func (d *demo) do(ctx context.Context, why, tool string, args map[string]any, wantError bool) (*mcp.CallToolResult, error) {
	d.step++
	b, _ := json.Marshal(args)
	fmt.Fprintf(d.out, "\n── %d. %s\n   call  %s %s\n", d.step, why, tool, b)
	r, err := d.s.call(ctx, tool, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tool, err)
	}
	label := "result"
	if r.IsError {
		label = "error "
	}
	text := resultText(r)
	lines := strings.Split(text, "\n")
	// Cut only where it hides several lines: "1 more line" would take
	// the room of the line itself.
	if len(lines) > demoLines+1 {
		lines = append(lines[:demoLines], fmt.Sprintf("… (%d more lines)", len(lines)-demoLines))
	}
	fmt.Fprintf(d.out, "   %s %s\n", label, strings.Join(lines, "\n          "))
	if r.IsError != wantError {
		return nil, fmt.Errorf("%s: isError=%v, want %v: %s", tool, r.IsError, wantError, text)
	}
	return r, nil
}

func (d *demo) run(ctx context.Context) error {
	fmt.Fprintln(d.out, "clickup-mcp demo: a tour of the tools through the MCP protocol, against the built-in sandbox workspace (no account, no network).")
	if _, err := d.do(ctx, "Who am I, and which workspaces can I use?", "clickup_whoami", map[string]any{}, false); err != nil {
		return err
	}
	r, err := d.do(ctx, "Where can tasks go? Spaces, folders and lists.", "clickup_get_workspace_hierarchy", map[string]any{}, false)
	if err != nil {
		return err
	}
	var h workspace.HierarchyResult
	if err := structured(r, &h); err != nil {
		return err
	}
	listID, listName := pickList(h)
	if listID == "" || listName == "" {
		return errors.New("the sandbox has no list")
	}
	// include_closed=false leaves out only "closed" statuses; tasks in a
	// "done" status are finished too, so the question names the statuses
	// still to work on.
	active, err := d.activeStatuses(ctx, h)
	if err != nil {
		return err
	}
	if _, err := d.do(ctx, "What is assigned to me and still to do, soonest due first? (statuses neither done nor closed)", "clickup_search_tasks",
		map[string]any{"assignees": []string{"me"}, "statuses": active, "order_by": "due_date", "limit": 5}, false); err != nil {
		return err
	}
	// The list by name, as a user would say it: the tool looks it up.
	r, err = d.do(ctx, fmt.Sprintf("Create a task with two subtasks in list %q (by name: the tool looks it up), assigned to me, due next friday.", listName), "clickup_create_task",
		map[string]any{
			"list_id": listName, "name": "Prepare the release notes",
			"description": "## Scope\n- Collect merged changes\n- Draft the **highlights**\n",
			"assignees":   []string{"me"}, "priority": "high", "due_date": "next friday", "tags": []string{"docs"},
			"subtasks": []map[string]any{{"name": "Collect merged changes"}, {"name": "Draft highlights", "due_date": "in 3 days"}},
		}, false)
	if err != nil {
		return err
	}
	var created tools.CreateTaskResult
	if err := structured(r, &created); err != nil {
		return err
	}
	id := created.Task.ID
	if _, err := d.do(ctx, "Read it back, with its subtasks.", "clickup_get_task", map[string]any{"task_id": id}, false); err != nil {
		return err
	}
	if _, err := d.do(ctx, "Leave a comment.", "clickup_create_task_comment", map[string]any{"task_id": id, "text": "Drafting now; review on Thursday."}, false); err != nil {
		return err
	}
	if _, err := d.do(ctx, "Move it to a status the list does not have: refused before reaching ClickUp, with the valid statuses.", "clickup_update_task",
		map[string]any{"task_id": id, "status": "shipped"}, true); err != nil {
		return err
	}
	if _, err := d.do(ctx, "Now a real status of the list (any case works).", "clickup_update_task",
		map[string]any{"task_id": id, "status": "IN PROGRESS"}, false); err != nil {
		return err
	}
	fmt.Fprintln(d.out, "\nDone. Serve this sandbox to a real MCP client with: clickup-mcp --sandbox (stdio) or clickup-mcp --sandbox --transport http")
	return nil
}

// demoLines is how many lines of a result the tour shows.
const demoLines = 14

// activeStatuses are the statuses of the workspace's lists that are
// neither done nor closed, for "what is left to do".
func (d *demo) activeStatuses(ctx context.Context, h workspace.HierarchyResult) ([]string, error) {
	sess, err := d.app.Deps.Session(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, sp := range h.Spaces {
		lists := sp.Lists
		for _, f := range sp.Folders {
			lists = append(lists, f.Lists...)
		}
		for _, l := range lists {
			cl, err := sess.List(ctx, l.ID)
			if err != nil {
				return nil, fmt.Errorf("reading list %s: %w", l.Name, err)
			}
			for _, st := range cl.Statuses {
				if k := strings.ToLower(st.Status); st.Type != "done" && st.Type != "closed" && !seen[k] {
					seen[k] = true
					out = append(out, st.Status)
				}
			}
		}
	}
	return out, nil
}

// pickList prefers a sprint list for the tour, else the first list.
func pickList(h workspace.HierarchyResult) (string, string) {
	type cand struct{ id, name string }
	var all []cand
	for _, sp := range h.Spaces {
		for _, f := range sp.Folders {
			for _, l := range f.Lists {
				all = append(all, cand{l.ID, l.Name})
			}
		}
		for _, l := range sp.Lists {
			all = append(all, cand{l.ID, l.Name})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		return strings.Contains(strings.ToLower(all[i].name), "sprint") && !strings.Contains(strings.ToLower(all[j].name), "sprint")
	})
	if len(all) == 0 {
		return "", ""
	}
	return all[0].id, all[0].name
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
