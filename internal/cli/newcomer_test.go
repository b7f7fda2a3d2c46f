package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/auth"
)

// run runs the command line in-process with no CLICKUP_* settings from the
// developer's shell.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	for _, k := range []string{"CLICKUP_API_TOKEN", "CLICKUP_MCP_TOOLSETS", "CLICKUP_MCP_TOOLS", "CLICKUP_MCP_EXCLUDE_TOOLS", "CLICKUP_MCP_READ_ONLY", "CLICKUP_MCP_SANDBOX", "CLICKUP_MCP_TRANSPORT", "CLICKUP_API_URL"} {
		t.Setenv(k, "")
	}
	t.Setenv(auth.EnvConfigDir, t.TempDir())
	t.Setenv("CLICKUP_TIMEZONE", "UTC")
	var o, e bytes.Buffer
	code = Run(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

func TestCallNamesTheNearestToolAndTheFlagThatRemovedOne(t *testing.T) {
	_, errOut, code := run(t, "call", "--sandbox", "clickup_search_task", "{}")
	if code != 2 || !strings.Contains(errOut, "Did you mean clickup_search_tasks?") || !strings.Contains(errOut, "The tools offered: ") || !strings.Contains(errOut, "clickup_whoami") {
		t.Fatalf("typo: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "invalid params") {
		t.Errorf("the protocol error leaked through: %s", errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--read-only"}, "--read-only"},
		{[]string{"--exclude-tools", "clickup_create_task"}, "--exclude-tools"},
		{[]string{"--toolsets", "context"}, "--toolsets context"},
	} {
		_, errOut, code := run(t, append(append([]string{"call", "--sandbox"}, c.args...), "clickup_create_task", "name=x")...)
		if code != 2 || !strings.Contains(errOut, "clickup_create_task is not offered") || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d: %s", c.args, code, errOut)
		}
	}
	// A tool of a default toolset that the default preset leaves out says so,
	// not that its toolset is missing.
	_, errOut, _ = run(t, "call", "--sandbox", "clickup_move_task", "{}")
	if !strings.Contains(errOut, "the default preset leaves it out") || !strings.Contains(errOut, "--toolsets default,tasks") || strings.Contains(errOut, "does not include") {
		t.Errorf("a tool outside the default preset: %s", errOut)
	}
	// The nearest name, when the selection removed it, says that too.
	_, errOut, _ = run(t, "call", "--sandbox", "--read-only", "clickup_create_tsak")
	if !strings.Contains(errOut, "Did you mean clickup_create_task?") || !strings.Contains(errOut, "--read-only") {
		t.Errorf("typo of a removed tool: %s", errOut)
	}
}

func TestCallTakesKeyValuePairs(t *testing.T) {
	out, errOut, code := run(t, "call", "--sandbox", "--json", "clickup_get_task", "task_id=ACME-1")
	if code != 0 || !strings.Contains(out, `"custom_id": "ACME-1"`) {
		t.Fatalf("task_id=ACME-1: exit %d\n%s%s", code, out, errOut)
	}
	// JSON values where they parse (limit=2, a list), text otherwise.
	out, errOut, code = run(t, "call", "--sandbox", "clickup_search_tasks", "query=login", "limit=2", `assignees=["me"]`)
	if code != 0 || !strings.Contains(out, "tasks (scanned") {
		t.Fatalf("search with pairs: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = run(t, "call", "--sandbox", "clickup_whoami", "oops")
	if code != 2 || !strings.Contains(errOut, "not key=value") || !strings.Contains(errOut, "JSON object") {
		t.Fatalf("a bare word: exit %d: %s", code, errOut)
	}
	m, err := parseCallArgs([]string{"task_id=123", "name=x y", `limit=5`, `archived=true`, `name2="quoted"`},
		[]byte(`{"properties":{"task_id":{"type":"string"},"name":{"type":"string"},"limit":{"type":"integer"},"archived":{"type":"boolean"},"name2":{"type":"string"}}}`))
	if err != nil || m["task_id"] != "123" || m["name"] != "x y" || m["limit"] != float64(5) || m["archived"] != true || m["name2"] != "quoted" {
		t.Fatalf("parseCallArgs = %#v, %v", m, err)
	}
	if _, err := parseCallArgs([]string{"a=1", "a=2"}, nil); err == nil {
		t.Error("a key given twice was accepted")
	}
}

func TestWrongFlagIsOneLineAndHelpGoesToStdout(t *testing.T) {
	for _, cmd := range []string{"call", "tools", "demo"} {
		out, errOut, code := run(t, cmd, "--bogus")
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 2 || len(lines) != 2 || !strings.Contains(lines[0], "unknown flag --bogus") || !strings.Contains(lines[1], "--help") || out != "" {
			t.Errorf("%s --bogus: exit %d, stderr:\n%s", cmd, code, errOut)
		}
		out, errOut, code = run(t, cmd, "--help")
		if code != 0 || errOut != "" || !strings.Contains(out, "Usage: clickup-mcp "+cmd) || !strings.Contains(out, "-toolsets") {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}

func TestDemoTellsTheTruth(t *testing.T) {
	out, errOut, code := run(t, "demo")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	// "Assigned to me" shows no finished task.
	_, step3, _ := strings.Cut(out, "── 3.")
	step3, _, _ = strings.Cut(step3, "── 4.")
	if !strings.Contains(step3, "assigned to me") || strings.Count(step3, "@Alex Rivera") == 0 {
		t.Fatalf("step 3 lists no task:\n%s", step3)
	}
	for _, done := range []string{"[done]", "[closed]", "[published]", "[fixed]"} {
		if strings.Contains(step3, done) {
			t.Errorf("what is assigned to me shows a %s task:\n%s", done, step3)
		}
	}
	// The list is passed by name, as the step says.
	_, step4, _ := strings.Cut(out, "── 4.")
	step4, _, _ = strings.Cut(step4, "── 5.")
	if !strings.Contains(step4, `"list_id":"Sprint 12"`) || !strings.Contains(step4, `Resolved: list "Sprint 12"`) {
		t.Errorf("step 4 does not look the list name up:\n%s", step4)
	}
	if strings.Contains(out, "(1 more lines)") {
		t.Error("the demo hides a single line behind '(1 more lines)'")
	}
	for _, args := range [][]string{{"--toolsets", "comments"}, {"--read-only"}} {
		_, errOut, code := run(t, append([]string{"demo"}, args...)...)
		if code != 2 || !strings.Contains(errOut, "the tour needs") || !strings.Contains(errOut, args[0]) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("demo %v: exit %d: %s", args, code, errOut)
		}
	}
}
