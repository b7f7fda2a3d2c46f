package prompts

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clickup-mcp/clickup-mcp/internal/render"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
	"github.com/clickup-mcp/clickup-mcp/tools"
	"github.com/mark3labs/mcp-go/mcp"
)

func TestPromptsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	r, err := h.c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range r.Prompts {
		names = append(names, p.Name)
		if p.Title == "" || p.Description == "" {
			t.Errorf("%s: needs a title and a description", p.Name)
		}
		for _, a := range p.Arguments {
			if a.Description == "" || a.Title == "" {
				t.Errorf("%s.%s: undocumented argument", p.Name, a.Name)
			}
		}
	}
	if want := []string{"break_down", "from_notes", "standup", "triage", "weekly_report"}; !slices.Equal(names, want) {
		t.Fatalf("prompts %v, want %v", names, want)
	}
	b, err := json.MarshalIndent(r.Prompts, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	snapshot(t, "prompts.json", append(b, '\n'))
}

// promptCases render every prompt with its required arguments only and
// with every optional one; the texts are snapshots under testdata/rendered.
var promptCases = []struct {
	name, prompt string
	args         map[string]string
	want         []string
}{
	{"standup", "standup", nil, []string{"me (Alex Rivera, user 81000001)", "Tuesday 24 November 2026", `"done_after":"2026-11-24"`, `"due_before":"2026-11-24"`, `"assignees":["81000001"]`}},
	{"standup_member", "standup", map[string]string{"member": "priya", "since": "last friday", "workspace": "Acme Product"}, []string{"Priya Patel (user 81000002)", `"done_after":"2026-11-20"`}},
	{"triage_list", "triage", map[string]string{"list": "Bugs"}, []string{`"list_ids":["901530000036"]`, "Engineering/Bugs", `clickup_update_task {`, `clickup_list_members {"list_id":"901530000036"}`, "Priya Patel <priya.patel@example.com>"}},
	{"triage_space", "triage", map[string]string{"space": "engineering", "workspace": clickuptest.DemoWorkspaceID}, []string{`"space_ids":["901510000011"]`}},
	{"break_down_task", "break_down", map[string]string{"task": "ACME-1"}, []string{"[resource clickup://task/", `"parent":"`, "Create these subtasks?"}},
	{"break_down_description", "break_down", map[string]string{"description": "Add SAML single sign-on for enterprise customers", "list": "Platform / Backlog"}, []string{`"list_id":"901530000031"`, `"subtasks":[{`, "SAML single sign-on"}},
	{"break_down_no_list", "break_down", map[string]string{"description": "Ship dark mode"}, []string{`"list_id":"<list id>"`, "clickup_get_workspace_hierarchy {"}},
	{"from_notes", "from_notes", map[string]string{"notes": "- Priya to fix the CSV export by Friday\n- Marcus: draft the SSO rollout plan next week"}, []string{"Priya to fix the CSV export", "Sofia Rossi <sofia.rossi@example.com>", "clickup_create_task {", "clickup_get_workspace_hierarchy {"}},
	{"from_notes_list", "from_notes", map[string]string{"notes": "Bug: checkout returns 500 for EU customers after plan upgrade. ```stack``` attached.", "list": "901530000036"}, []string{"````text", `"list_ids":["901530000036"]`, `"list_id":"901530000036"`}},
	{"weekly_report", "weekly_report", map[string]string{"space": "Engineering"}, []string{"Thursday 19 November 2026 to Wednesday 25 November 2026", `"done_after":"2026-11-19"`, `"done_before":"2026-11-25"`, `"due_before":"2026-11-24"`}},
	{"weekly_report_range", "weekly_report", map[string]string{"space": "901510000012", "from": "2026-11-02", "to": "2026-11-08"}, []string{"Marketing", `"created_after":"2026-11-02"`, `"due_before":"2026-11-08"`}},
}

func TestPromptsGet(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	for _, tc := range promptCases {
		t.Run(tc.name, func(t *testing.T) {
			text, r, err := h.prompt(t, tc.prompt, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if r.Description == "" {
				t.Error("no description")
			}
			mustContain(t, tc.name, text, tc.want...)
			mustContain(t, tc.name, text, "Acme Product")
			snapshot(t, "rendered/"+tc.name+".md", []byte(text+"\n"))
		})
	}
}

var callRe = regexp.MustCompile("`(clickup_[a-z_]+) (\\{[^`]*\\})`")

// TestPromptToolCallsWork runs every concrete tool call the prompts write
// (those without <placeholders>) through the server: the model is told to
// copy them, so each must name a real tool and be accepted as is.
func TestPromptToolCallsWork(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	known := map[string]bool{}
	for _, tool := range tools.All(h.deps) {
		known[tool.Name()] = true
	}
	ran := 0
	seen := map[string]bool{}
	for _, tc := range promptCases {
		text := h.mustPrompt(t, tc.prompt, tc.args)
		calls := callRe.FindAllStringSubmatch(text, -1)
		if len(calls) == 0 {
			t.Errorf("%s: no tool calls in the prompt", tc.name)
		}
		for _, m := range calls {
			name, raw := m[1], m[2]
			if !known[name] {
				t.Errorf("%s: unknown tool %s", tc.name, name)
			}
			var args map[string]any
			if err := json.Unmarshal([]byte(raw), &args); err != nil {
				t.Errorf("%s: %s arguments are not JSON: %v", tc.name, name, err)
				continue
			}
			if strings.Contains(raw, "<") || seen[m[0]] {
				continue
			}
			seen[m[0]] = true
			if text, isErr := h.callTool(t, name, args, nil); isErr {
				t.Errorf("%s: %s %s failed: %s", tc.name, name, raw, text)
			}
			ran++
		}
	}
	if ran < 15 {
		t.Errorf("only %d concrete calls ran", ran)
	}
}

// TestStandupFindsWork checks that the standup's calls return Alex's work
// in the demo, so the note has something to say.
func TestStandupFindsWork(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	text := h.mustPrompt(t, "standup", map[string]string{"since": "7 days ago"})
	var total int
	for _, m := range callRe.FindAllStringSubmatch(text, -1) {
		var args map[string]any
		_ = json.Unmarshal([]byte(m[2]), &args)
		var r struct {
			Tasks []render.TaskSummary `json:"tasks"`
		}
		h.callTool(t, m[1], args, &r)
		for _, task := range r.Tasks {
			if !slices.Contains(task.Assignees, "Alex Rivera") {
				t.Errorf("task %s is not Alex's: %v", task.ID, task.Assignees)
			}
		}
		total += len(r.Tasks)
	}
	if total == 0 {
		t.Error("the standup calls found no tasks for Alex in the demo")
	}
}

func TestPromptErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{})
	for _, tc := range []struct {
		prompt string
		args   map[string]string
		want   []string
	}{
		{"from_notes", nil, []string{"notes: is required"}},
		{"weekly_report", map[string]string{}, []string{"space: is required"}},
		{"standup", map[string]string{"who": "me"}, []string{"who: unknown argument", "member, since, workspace"}},
		{"standup", map[string]string{"member": "nobody-here"}, []string{"member", "no member matches", "Priya Patel"}},
		{"standup", map[string]string{"since": "the day after tomorrow-ish"}, []string{"since", "cannot read"}},
		{"standup", map[string]string{"since": "tomorrow"}, []string{"since", "after today"}},
		{"standup", map[string]string{"workspace": "Globex R&D"}, []string{"workspace", "Acme Product"}},
		{"triage", nil, []string{"give a list", "or a space"}},
		{"triage", map[string]string{"list": "Bugs", "space": "Engineering"}, []string{"not both"}},
		{"triage", map[string]string{"list": "Sprint 99"}, []string{"invalid argument list:", `no list named "Sprint 99"`, "closest:", "Sprint 13 (901530000033)"}},
		{"triage", map[string]string{"list": "Sprint"}, []string{`no list named "Sprint"`}},
		{"triage", map[string]string{"space": "Enginering"}, []string{"no space named", "Engineering (901510000011)"}},
		{"break_down", nil, []string{"give a task"}},
		{"break_down", map[string]string{"task": "zzz999"}, []string{"invalid argument task:", "no task zzz999", "OAUTH_027", "custom id"}},
		{"break_down", map[string]string{"task": "ACME-99999"}, []string{"no task ACME-99999"}},
		{"break_down", map[string]string{"task": "not a task!"}, []string{"not a task id"}},
		{"break_down", map[string]string{"task": "ACME-1", "list": "Bugs"}, []string{"parent's list"}},
		{"weekly_report", map[string]string{"space": "Engineering", "from": "2026-11-20", "to": "2026-11-10"}, []string{"from", "after to"}},
	} {
		_, _, err := h.prompt(t, tc.prompt, tc.args)
		if err == nil {
			t.Errorf("%s %v: want an error", tc.prompt, tc.args)
			continue
		}
		mustContain(t, tc.prompt+" error", err.Error(), tc.want...)
		mustContain(t, tc.prompt+" error", err.Error(), "prompt "+tc.prompt+": ")
	}
}

func TestAmbiguousListName(t *testing.T) {
	t.Parallel()
	// Two lists named Bugs: the bare name no longer resolves, a path does.
	h := newHarness(t, setup{changed: true})
	_, _, err := h.prompt(t, "triage", map[string]string{"list": "bugs"})
	if err == nil {
		t.Fatal("want an ambiguity error")
	}
	mustContain(t, "error", err.Error(), "matches several lists", "Engineering/Bugs (901530000036)", "Marketing/Bugs (901530000099)")
	text := h.mustPrompt(t, "triage", map[string]string{"list": "Marketing/Bugs"})
	mustContain(t, "triage", text, `"list_ids":["901530000099"]`)
}

func TestNewListIsFoundPastTheCache(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{changed: true})
	h.mustPrompt(t, "triage", map[string]string{"list": "Sprint 12"}) // warms the cache
	h.fake.AddList(clickuptest.DemoSpaceOperations, true, clickuptest.List{ID: "901530000098", Name: "Vendors"})
	h.advance(2 * time.Second) // the tools refresh a cache on a miss once it is a second old
	text := h.mustPrompt(t, "triage", map[string]string{"list": "Vendors"})
	mustContain(t, "triage", text, `"list_ids":["901530000098"]`)
}

func TestReadOnlyPromptsDoNotWrite(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{readOnly: true})
	for _, tc := range promptCases {
		text := h.mustPrompt(t, tc.prompt, tc.args)
		for _, w := range []string{"clickup_create_task {", "clickup_update_task {"} {
			if strings.Contains(text, w) {
				t.Errorf("%s: read-only server's prompt calls %s", tc.name, w)
			}
		}
		if tc.prompt != "standup" && tc.prompt != "weekly_report" {
			mustContain(t, tc.name, text, "read-only")
		}
	}
}

func TestPromptsWithoutToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{noToken: true})
	r, err := h.c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil || len(r.Prompts) != 5 {
		t.Fatalf("prompts/list without a token: %v %v", r, err)
	}
	_, _, err = h.prompt(t, "standup", nil)
	if err == nil || !strings.Contains(err.Error(), "CLICKUP_API_TOKEN") {
		t.Fatalf("want the no-token advice, got %v", err)
	}
	if _, err := h.read(t, "clickup://me"); err == nil || !strings.Contains(err.Error(), "CLICKUP_API_TOKEN") {
		t.Fatalf("want the no-token advice, got %v", err)
	}
	c := h.complete(t, mcp.PromptReference{Type: "ref/prompt", Name: "standup"}, "member", "", nil)
	if len(c.Values) != 0 {
		t.Errorf("completion without a token: %v", c.Values)
	}
}

func TestDecodeArgs(t *testing.T) {
	t.Parallel()
	var a FromNotesArgs
	if err := decodeArgs(map[string]string{"notes": "  x  ", "list": "Bugs"}, &a); err != nil || a.Notes != "x" || a.List != "Bugs" {
		t.Fatalf("%+v %v", a, err)
	}
	if err := decodeArgs(map[string]string{"notes": "   "}, &a); err == nil || !strings.Contains(err.Error(), "notes: is required") {
		t.Fatalf("blank required: %v", err)
	}
	args := promptArgs[FromNotesArgs]()
	if len(args) != 3 || args[0].Name != "notes" || !args[0].Required || args[1].Required {
		t.Fatalf("%+v", args)
	}
}

func TestFence(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":          "```text\nplain\n```",
		"has ``` inside": "````text\nhas ``` inside\n````",
		"`one`":          "```text\n`one`\n```",
	} {
		if got := fence(in); got != want {
			t.Errorf("fence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPreviousWorkingDay(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2026-11-23": "2026-11-20", // Monday -> Friday
		"2026-11-25": "2026-11-24",
		"2026-11-22": "2026-11-20", // Sunday -> Friday
	} {
		d, _ := time.Parse("2006-01-02", in)
		if got := day(previousWorkingDay(d)); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestNameOnly(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"me (Alex Rivera, user 1)": "Alex Rivera",
		"Priya Patel (user 2)":     "Priya Patel",
		"user 3":                   "user 3",
	} {
		if got := nameOnly(in); got != want {
			t.Errorf("nameOnly(%q) = %q", in, got)
		}
	}
}
