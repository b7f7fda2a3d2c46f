package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/cli"
)

// runBin runs the command line as main does (cli.Run is all main calls,
// with os.Exit on its code), in-process: building the binary here as well
// as in e2e cost a link of the whole server on every go test ./... . The
// environment is clean (no CLICKUP_* from the developer's shell); it
// returns stdout, stderr and the exit code.
func runBin(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "CLICKUP_") {
			t.Setenv(k, "")
		}
	}
	t.Setenv("CLICKUP_MCP_CONFIG_DIR", t.TempDir())
	t.Setenv("CLICKUP_TIMEZONE", "UTC")
	var stdout, stderr bytes.Buffer
	code := cli.Run(args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestCLIDemo(t *testing.T) {
	out, errOut, code := runBin(t, "demo")
	if code != 0 {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"clickup_whoami", "SANDBOX", "clickup_get_workspace_hierarchy", "Sprint 12", "clickup_search_tasks",
		"clickup_create_task", "subtask", "clickup_get_task", "Subtasks:", "clickup_create_task_comment",
		`"shipped" is not a status`, "valid statuses", "Updated", "in progress",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "SANDBOXDEMOTOKEN") {
		t.Error("demo printed the sandbox token")
	}
}

// The expected counts come from the full definitions (tools --json), not
// from numbers written here: a new tool changes no line of this test.
func TestCLITools(t *testing.T) {
	type def struct {
		Name        string          `json:"name"`
		InputSchema json.RawMessage `json:"inputSchema"`
		Annotations struct {
			ReadOnly *bool `json:"readOnlyHint"`
		} `json:"annotations"`
	}
	defsOf := func(args ...string) []def {
		t.Helper()
		out, _, code := runBin(t, append([]string{"tools", "--json"}, args...)...)
		var defs []def
		if err := json.Unmarshal([]byte(out), &defs); err != nil || code != 0 {
			t.Fatalf("tools --json %v: exit %d, %v", args, code, err)
		}
		return defs
	}
	all := defsOf()
	reads := 0
	for _, d := range all {
		if d.Annotations.ReadOnly != nil && *d.Annotations.ReadOnly {
			reads++
		}
	}
	out, _, code := runBin(t, "tools")
	if code != 0 || len(all) == 0 || strings.Count(out, "\n") != len(all) || !strings.Contains(out, "clickup_search_tasks") {
		t.Fatalf("tools exited %d, want one line for each of the %d tools:\n%s", code, len(all), out)
	}
	defs := defsOf("--read-only")
	if len(defs) != reads || reads == 0 || reads == len(all) {
		t.Fatalf("read-only offers %d tools, want the %d read tools of %d", len(defs), reads, len(all))
	}
	for _, d := range defs {
		if d.Annotations.ReadOnly == nil || !*d.Annotations.ReadOnly || len(d.InputSchema) == 0 {
			t.Errorf("%s: %+v", d.Name, d)
		}
	}
	_, errOut, code := runBin(t, "tools", "--toolsets", "nope")
	if code != 2 || !strings.Contains(errOut, "valid toolsets") {
		t.Fatalf("unknown toolset: exit %d, %s", code, errOut)
	}
}

func TestCLICall(t *testing.T) {
	out, _, code := runBin(t, "call", "--sandbox", "clickup_search_tasks", `{"query":"login","limit":2}`)
	if code != 0 || !strings.Contains(out, "tasks (scanned") {
		t.Fatalf("search: exit %d\n%s", code, out)
	}
	out, _, code = runBin(t, "call", "clickup_get_task", `{"task_id":"ACME-1"}`, "--sandbox", "--json")
	var task struct {
		ID       string `json:"id"`
		CustomID string `json:"custom_id"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &task) != nil || task.CustomID != "ACME-1" {
		t.Fatalf("get_task --json: exit %d\n%s", code, out)
	}
	// A ClickUp error is an error exit, with the advice on stderr.
	out, errOut, code := runBin(t, "call", "--sandbox", "clickup_get_task", `{"task_id":"ACME-99999"}`)
	if code != 1 || !strings.Contains(errOut, "OAUTH_027") || out != "" {
		t.Fatalf("unknown task: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Bad arguments and usage.
	_, errOut, code = runBin(t, "call", "--sandbox", "clickup_create_task", `{"name":"x","status":"nope","list_id":"Sprint 12"}`)
	if code != 1 || !strings.Contains(errOut, "valid statuses") {
		t.Fatalf("bad status: exit %d, %s", code, errOut)
	}
	_, errOut, code = runBin(t, "call", "--sandbox", "clickup_whoami", `not json`)
	if code != 2 || !strings.Contains(errOut, "JSON object") {
		t.Fatalf("bad JSON: exit %d, %s", code, errOut)
	}
	_, _, code = runBin(t, "call")
	if code != 2 {
		t.Fatalf("no tool: exit %d", code)
	}
	_, errOut, code = runBin(t, "call", "clickup_whoami")
	if code != 2 || !strings.Contains(errOut, "no ClickUp token") {
		t.Fatalf("no token: exit %d, %s", code, errOut)
	}
}

func TestCLIVersionAndUsage(t *testing.T) {
	out, _, code := runBin(t, "version")
	if code != 0 || !strings.HasPrefix(out, "clickup-mcp ") {
		t.Fatalf("version: %d %q", code, out)
	}
	out, errOut, code := runBin(t, "--help")
	if code != 0 || errOut != "" || !strings.Contains(out, "CLICKUP_API_TOKEN") || !strings.Contains(out, "-sandbox") {
		t.Fatalf("help (to stdout): %d %s", code, errOut)
	}
	_, errOut, code = runBin(t, "bogus")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("bogus command: %d %s", code, errOut)
	}
	// stdio without a token refuses to start with advice.
	_, errOut, code = runBin(t)
	if code != 2 || !strings.Contains(errOut, "--sandbox") {
		t.Fatalf("no token: %d %s", code, errOut)
	}
}
