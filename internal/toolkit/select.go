package toolkit

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Toolsets lists every toolset with its tools' names.
func Toolsets(ts []Tool) map[string][]string {
	m := map[string][]string{}
	for _, t := range ts {
		m[t.Toolset] = append(m[t.Toolset], t.Name())
	}
	return m
}

// DefaultToolsets are offered when nothing is chosen.
var DefaultToolsets = []string{ToolsetContext, ToolsetTasks, ToolsetComments, ToolsetCatalog}

// Selection says which tools a server (or one HTTP request) offers.
type Selection struct {
	Toolsets []string // group names, "default" or "all"; empty = default
	Tools    []string // single tools added to the toolsets
	Exclude  []string // always removed
	ReadOnly bool     // only tools whose readOnly hint is true
}

// aliases maps retired tool names to their current names, so saved client
// configurations that name a tool keep working after a rename.
var aliases = map[string]string{
	"clickup_get_workspace_members": "clickup_list_members",
	"clickup_get_comments":          "clickup_get_task_comments",
	"clickup_add_comment":           "clickup_create_task_comment",
}

// Canonical returns a tool's current name.
func Canonical(name string) string {
	if n, ok := aliases[name]; ok {
		return n
	}
	return name
}

// Select applies a selection to the tools. Unknown names are an error that
// lists the valid ones.
func Select(all []Tool, sel Selection) ([]Tool, error) {
	// By index: a Tool is 512 bytes, and copies of every one cost
	// a start more than the rest of the selection.
	byName := make(map[string]int, len(all))
	sets := Toolsets(all)
	for i, t := range all {
		byName[t.Name()] = i
	}
	want := map[string]bool{}
	groups := sel.Toolsets
	if len(groups) == 0 {
		groups = []string{"default"}
	}
	for _, g := range groups {
		g = strings.TrimSpace(strings.ToLower(g))
		switch g {
		case "":
		case "all":
			for _, t := range all {
				want[t.Name()] = true
			}
		case "default":
			for _, dg := range DefaultToolsets {
				for _, n := range sets[dg] {
					want[n] = !all[byName[n]].NotDefault || want[n]
				}
			}
		default:
			names, ok := sets[g]
			if !ok {
				return nil, fmt.Errorf("unknown toolset %q; valid toolsets: %s", g, strings.Join(append(sortedKeys(sets), "default", "all"), ", "))
			}
			for _, n := range names {
				want[n] = true
			}
		}
	}
	check := func(kind string, names []string) ([]string, error) {
		var out []string
		for _, n := range names {
			n = Canonical(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			if _, ok := byName[n]; !ok {
				return nil, fmt.Errorf("unknown tool %q in %s; valid tools: %s", n, kind, strings.Join(Names(all), ", "))
			}
			out = append(out, n)
		}
		return out, nil
	}
	add, err := check("tools", sel.Tools)
	if err != nil {
		return nil, err
	}
	excl, err := check("exclude-tools", sel.Exclude)
	if err != nil {
		return nil, err
	}
	for _, n := range add {
		want[n] = true
	}
	for _, n := range excl {
		delete(want, n)
	}
	out := make([]Tool, 0, len(want))
	for _, t := range all {
		if want[t.Name()] && (!sel.ReadOnly || t.ReadOnly) {
			out = append(out, t)
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type narrowKey struct{}

// WithNarrowing attaches a per-request selection (from X-MCP-* headers): it
// can only remove tools from what the server offers, never add. Selections
// attached one after the other all apply (an SSE stream's headers, then a
// message's).
func WithNarrowing(ctx context.Context, sel *Selection) context.Context {
	if sel == nil {
		return ctx
	}
	prev, _ := ctx.Value(narrowKey{}).([]*Selection)
	return context.WithValue(ctx, narrowKey{}, append(prev[:len(prev):len(prev)], sel))
}

// Narrowings are the per-request selections attached to ctx, for a tool
// that applies them to what it offers inside (the catalogue's operations).
func Narrowings(ctx context.Context) []*Selection {
	sels, _ := ctx.Value(narrowKey{}).([]*Selection)
	return sels
}

// readOnlyRequest reports whether any narrowing attached to ctx asks for
// read-only tools.
func readOnlyRequest(ctx context.Context) bool {
	sels, _ := ctx.Value(narrowKey{}).([]*Selection)
	for _, sel := range sels {
		if sel.ReadOnly {
			return true
		}
	}
	return false
}

// ServerOptions configure NewServer.
type ServerOptions struct {
	Name, Version string
	Instructions  string
	Selection     Selection
	Logger        *slog.Logger
	// ErrorAttrs describes the error behind a failed call for its log
	// line (e.g. ClickUp's error code and HTTP status); nil adds nothing.
	ErrorAttrs func(error) []slog.Attr
	Extra      []server.ServerOption
	// Others are names that Exclude may hold besides tools (the catalogue's
	// operation ids): Select leaves them to whoever owns them.
	Others func(name string) bool
}

// withoutOthers drops from sel.Exclude the names others owns.
func withoutOthers(sel Selection, others func(string) bool) Selection {
	if others == nil {
		return sel
	}
	var ex []string
	for _, n := range sel.Exclude {
		if !others(strings.TrimSpace(n)) {
			ex = append(ex, n)
		}
	}
	sel.Exclude = ex
	return sel
}

// NewServer builds the MCP server with the selected tools out of all
// (validated first), recovery from handler panics, and per-request
// narrowing.
func NewServer(all []Tool, o ServerOptions) (*server.MCPServer, []Tool, error) {
	if err := checkTools(all); err != nil {
		return nil, nil, err
	}
	selected, err := Select(all, withoutOthers(o.Selection, o.Others))
	if err != nil {
		return nil, nil, err
	}
	opts := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithLogging(),
		server.WithRecovery(),
		server.WithInstructions(o.Instructions),
		server.WithTitle(Identity.Title),
		server.WithDescription(Identity.Description),
		server.WithWebsiteURL(Identity.WebsiteURL),
		server.WithIcons(Icon("server")...),
		server.WithToolFilter(func(ctx context.Context, ts []mcp.Tool) []mcp.Tool {
			sels, _ := ctx.Value(narrowKey{}).([]*Selection)
			for _, sel := range sels {
				n := withoutOthers(*sel, o.Others)
				ts = narrow(all, ts, &n)
			}
			return ts
		}),
	}
	if o.Logger != nil {
		opts = append(opts,
			server.WithToolHandlerMiddleware(withFailureSlot), // outside the logging middleware
			server.WithLogger(slog.New(quietCalls{o.Logger.Handler(), o.ErrorAttrs})))
	}
	opts = append(opts, o.Extra...)
	s := server.NewMCPServer(o.Name, o.Version, opts...)
	st := make([]server.ServerTool, len(selected))
	for i, t := range selected {
		st[i] = t.ServerTool
	}
	s.AddTools(st...)
	return s, selected, nil
}

// narrow keeps the tools of ts that sel allows.
func narrow(all []Tool, ts []mcp.Tool, sel *Selection) []mcp.Tool {
	// The header selection is read against every tool, then
	// intersected with what the server offers: it can only remove.
	// Without toolsets it starts from everything (or from the named
	// tools alone); unknown names narrow to nothing.
	n := *sel
	if len(n.Toolsets) == 0 {
		n.Toolsets = []string{"all"}
		if len(n.Tools) > 0 {
			n.Toolsets = []string{""}
		}
	}
	narrowed, err := Select(all, n)
	if err != nil {
		return nil
	}
	keep := map[string]bool{}
	for _, t := range narrowed {
		keep[t.Name()] = true
	}
	out := ts[:0:0]
	for _, t := range ts {
		if keep[t.Name] {
			out = append(out, t)
		}
	}
	return out
}
