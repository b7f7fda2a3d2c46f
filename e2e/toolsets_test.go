package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// toolsetCall is one call of a tool of a toolset outside the default preset,
// with a check of its structured result. Every toolset that is not offered
// by default has at least one row here (TestToolsetsCovered), so both SDKs
// call it over every transport.
type toolsetCall struct {
	toolset, tool string
	args          map[string]any
	// want is a string the structured result or the text must contain.
	want string
}

var toolsetCalls = []toolsetCall{
	{"time", "clickup_get_time_entries", map[string]any{"from": "2 months ago", "to": "today", "people": []string{"all"}}, `"entries"`},
	{"time", "clickup_timer", map[string]any{"action": "status"}, `running`},
	// The same create on one server is answered by the write guard from the
	// first one's outcome, so every client and transport sees the list.
	{"hierarchy", "clickup_create_list", map[string]any{"name": "E2E roadmap", "parent": "Engineering/Platform", "template": "Sprint"}, `"path":"Engineering/Platform/E2E roadmap"`},
	{"chat", "clickup_get_chat_messages", map[string]any{"channel": "engineering"}, `"author":"Priya Patel"`},
	{"docs", "clickup_get_doc", map[string]any{"doc_id": "Engineering Handbook", "page_id": "Code review"}, `one approving review`},
}

// toolsetArgs are the sandbox's arguments with every toolset offered.
var toolsetArgs = append(append([]string{}, sandboxArgs...), "--toolsets", "all")

// TestClientsToolsets runs both SDKs over all three transports against a
// sandbox offering every toolset and calls one tool of each toolset that is
// not in the default preset, checking each result against the tool's output
// schema.
func TestClientsToolsets(t *testing.T) {
	t.Parallel()
	base := startHTTP(t, cleanEnv(), toolsetArgs...)
	for _, ck := range []clientKind{goSDK, mcpGo} {
		for _, tk := range []transportKind{stdio, sse, streamable} {
			t.Run(string(ck)+"/"+string(tk), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				s := connect(t, ctx, ck, tk, target{stdioArgs: toolsetArgs, base: base})
				tools, err := s.listTools(ctx)
				if err != nil {
					t.Fatalf("tools/list: %v", err)
				}
				schemas := checkTools(t, tools)
				for _, c := range toolsetCalls {
					r := callOK(t, ctx, s, schemas, c.tool, c.args)
					if got := string(r.Structured) + r.Text; !strings.Contains(got, c.want) {
						t.Errorf("%s (%s toolset): the result lacks %q: %s", c.tool, c.toolset, c.want, got)
					}
				}
			})
		}
	}
}

// TestToolsetsCovered: every toolset the server offers outside the default
// preset has a call in toolsetCalls, and every call names a tool the server
// offers with --toolsets all.
func TestToolsetsCovered(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := toolNames(t, ctx, toolsetArgs)
	def := toolNames(t, ctx, sandboxArgs)
	covered := map[string]bool{}
	for _, c := range toolsetCalls {
		if !all[c.tool] {
			t.Errorf("toolsetCalls names %s, which --toolsets all does not offer", c.tool)
		}
		covered[c.toolset] = true
	}
	for _, ts := range toolsetsOutsideDefault(t, all, def) {
		if !covered[ts] {
			t.Errorf("the %s toolset is not in the default preset and no e2e call exercises it: add a row to toolsetCalls", ts)
		}
	}
}

func toolNames(t *testing.T, ctx context.Context, args []string) map[string]bool {
	t.Helper()
	s := connect(t, ctx, goSDK, stdio, target{stdioArgs: args})
	tools, err := s.listTools(ctx)
	if err != nil {
		t.Fatalf("tools/list (%v): %v", args, err)
	}
	out := map[string]bool{}
	for _, tl := range tools {
		out[tl.Name] = true
	}
	return out
}

// toolsetsOutsideDefault asks the binary which toolset each tool belongs to
// (`clickup-mcp tools --toolsets all --json`) and returns the toolsets with
// no tool in the default preset.
func toolsetsOutsideDefault(t *testing.T, all, def map[string]bool) []string {
	t.Helper()
	byToolset, err := toolsetsOf(all)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for ts, tools := range byToolset {
		inDefault := false
		for _, name := range tools {
			if def[name] {
				inDefault = true
			}
		}
		if !inDefault {
			out = append(out, ts)
		}
	}
	if len(out) == 0 {
		t.Fatal(fmt.Errorf("no toolset outside the default preset: the check checks nothing"))
	}
	return out
}

// toolsetsOf groups the given tools by toolset, as `clickup-mcp tools
// --toolsets all` prints them (name, toolset, mode, summary).
func toolsetsOf(tools map[string]bool) (map[string][]string, error) {
	cmd := exec.Command(binary, "tools", "--toolsets", "all")
	cmd.Env = cleanEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("clickup-mcp tools --toolsets all: %w", err)
	}
	by := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !tools[f[0]] {
			return nil, fmt.Errorf("clickup-mcp tools: unexpected line %q", line)
		}
		by[f[1]] = append(by[f[1]], f[0])
	}
	return by, nil
}
