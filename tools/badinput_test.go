package tools

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
)

// Every tool with missing, wrongly typed, oversized and hostile arguments:
// each gets an isError result naming what is wrong, and nothing reaches
// ClickUp with a malformed path. Tag names that are odd but legal ("a%2Fb",
// "tag with space") are sent correctly escaped instead.
func TestBadInputEveryTool(t *testing.T) {
	h := newHarness(t, "pk_alex")
	hugeLen := 10 << 20 // a 10 MB description
	if raceEnabled {
		hugeLen = 2 << 20 // still past the limit; 10 MB takes 8 s under -race
	}
	huge := strings.Repeat("x", hugeLen)
	big := strings.Repeat("y", toolkit.MaxArgBytes) // just past the limit with the other arguments
	type c struct {
		tool string
		args map[string]any
		want []string // in the error text
	}
	cases := []c{
		// Missing required arguments.
		{"clickup_get_task", map[string]any{}, []string{"task_id"}},
		{"clickup_create_task", map[string]any{"list_id": h.sprint}, []string{"name"}},
		{"clickup_create_task", map[string]any{"name": "x"}, []string{"list_id"}},
		{"clickup_update_task", map[string]any{"name": "x"}, []string{"task_id"}},
		{"clickup_update_task", map[string]any{"task_id": h.login}, []string{"nothing to change"}},
		{"clickup_delete_task", map[string]any{}, []string{"task_id"}},
		{"clickup_get_task_comments", map[string]any{}, []string{"task_id"}},
		{"clickup_create_task_comment", map[string]any{"task_id": h.login}, []string{"text"}},
		{"clickup_create_task_comment", map[string]any{"text": "hi"}, []string{"task_id"}},

		// Wrongly typed.
		{"clickup_whoami", map[string]any{"verbose": true}, []string{"unknown argument"}},
		{"clickup_get_workspace_hierarchy", map[string]any{"refresh": "yes"}, []string{"refresh", "true or false"}},
		{"clickup_get_workspace_hierarchy", map[string]any{"workspace_id": map[string]any{"id": 1}}, []string{"workspace_id"}},
		{"clickup_list_members", map[string]any{"query": 5}, []string{"query", "string"}},
		{"clickup_search_tasks", map[string]any{"limit": "ten"}, []string{"limit", "integer"}},
		{"clickup_search_tasks", map[string]any{"statuses": "open"}, []string{"statuses", "array"}},
		{"clickup_search_tasks", map[string]any{"list_ids": []any{true}}, []string{"list_ids"}},
		{"clickup_get_task", map[string]any{"task_id": []string{"abc123"}}, []string{"task_id", "string"}},
		{"clickup_get_task", map[string]any{"task_id": h.login, "detail": 1}, []string{"detail"}},
		{"clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "assignees": "me"}, []string{"assignees", "array"}},
		{"clickup_create_task", map[string]any{"list_id": h.sprint, "name": "x", "points": "three"}, []string{"points", "number"}},
		{"clickup_update_task", map[string]any{"task_id": h.login, "points": "3"}, []string{"points"}},
		{"clickup_update_task", map[string]any{"task_id": h.login, "add_tags": "bug"}, []string{"add_tags", "array"}},
		{"clickup_delete_task", map[string]any{"task_id": h.login, "dry_run": "false"}, []string{"dry_run"}},
		{"clickup_get_task_comments", map[string]any{"task_id": 12.5}, []string{"task_id"}},
		{"clickup_create_task_comment", map[string]any{"task_id": h.login, "text": []int{1}}, []string{"text"}},

		// Oversized.
		{"clickup_create_task", map[string]any{"list_id": h.sprint, "name": "big", "description": huge}, []string{"too large"}},
		{"clickup_update_task", map[string]any{"task_id": h.login, "description": big}, []string{"too large"}},
		{"clickup_create_task_comment", map[string]any{"task_id": h.login, "text": big}, []string{"too large"}},
		{"clickup_search_tasks", map[string]any{"query": big}, []string{"too large"}},
		{"clickup_get_task", map[string]any{"task_id": big}, []string{"too large"}},
		{"clickup_get_task", map[string]any{"task_id": strings.Repeat("a", 5000)}, []string{"task_id"}},
		{"clickup_create_task", map[string]any{"list_id": h.sprint, "name": strings.Repeat("n", 300_000)}, []string{"name", "INPUT_005"}},

		// Hostile ids: control characters, path traversal, encoding tricks.
		{"clickup_get_task", map[string]any{"task_id": "abc123\x00"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "abc\r\nHost: evil"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "../../team"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "abc123/../../v2/team"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "%2e%2e%2fteam"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "abc123?custom_task_ids=true"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "https://app.clickup.com/t/..%2F..%2Fv2%2Fteam"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "https://app.clickup.com.evil.example/t/abc123"}, []string{"task_id"}},
		{"clickup_get_task", map[string]any{"task_id": "DEV-1", "workspace_id": "9001/../9002"}, []string{"workspace_id"}},
		{"clickup_get_workspace_hierarchy", map[string]any{"space_id": "../x"}, []string{"space_id"}},
		{"clickup_list_members", map[string]any{"list_id": "901/../910"}, []string{"list_id"}},
		{"clickup_list_members", map[string]any{"task_id": "..", "workspace_id": "9001"}, []string{"task_id"}},
		{"clickup_search_tasks", map[string]any{"list_ids": []string{"901&include_closed=true"}}, []string{"list_ids"}},
		{"clickup_search_tasks", map[string]any{"space_ids": []string{"700\x00"}}, []string{"space_ids"}},
		{"clickup_search_tasks", map[string]any{"parent": "../abc123"}, []string{"parent"}},
		{"clickup_create_task", map[string]any{"list_id": "901/../910", "name": "x"}, []string{"list_id"}},
		{"clickup_create_task", map[string]any{"parent": "abc123/..", "name": "x"}, []string{"parent"}},
		{"clickup_update_task", map[string]any{"task_id": "abc124#frag", "name": "x"}, []string{"task_id"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "parent": "../../x"}, []string{"parent"}},
		{"clickup_delete_task", map[string]any{"task_id": "abc123%00"}, []string{"task_id"}},
		{"clickup_get_task_comments", map[string]any{"task_id": "abc123/comment"}, []string{"task_id"}},
		{"clickup_get_task_comments", map[string]any{"task_id": h.login, "cursor": "../../../../etc/passwd"}, []string{"cursor"}},
		{"clickup_create_task_comment", map[string]any{"task_id": "\u202eabc123", "text": "x"}, []string{"task_id"}},

		// Tag names that cannot be a path segment.
		{"clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{"../x"}}, []string{"tag"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{"tag/with/slash"}}, []string{"tag"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "remove_tags": []string{".."}}, []string{"tag"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{"a\\b"}}, []string{"tag"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{"nul\x00"}}, []string{"tag"}},
		{"clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{" "}}, []string{"tag"}},
	}
	for _, tc := range cases {
		before := len(h.fake.Requests())
		created := h.fake.TasksCreated()
		text, isErr := h.call(t, tc.tool, tc.args, nil)
		label := tc.tool + " " + shortArgs(tc.args)
		if !isErr {
			t.Errorf("%s: want an isError result, got: %.200s", label, text)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
				t.Errorf("%s: error %.300q lacks %q", label, text, w)
			}
		}
		if len(text) > 4000 {
			t.Errorf("%s: an error of %d bytes echoes the input", label, len(text))
		}
		if h.fake.TasksCreated() != created {
			t.Errorf("%s: created a task", label)
		}
		for _, r := range h.fake.Requests()[before:] {
			// Only a 300k-character name reaches ClickUp, which refuses it
			// (its limit is undocumented, so the tool leaves it to ClickUp).
			if r.Method != "GET" && !strings.Contains(text, "INPUT_005") {
				t.Errorf("%s: sent a write %s %s", label, r.Method, r.Path)
			}
		}
	}
	checkFakePaths(t, h.fake, "")

	// Odd but legal tag names go out as one escaped path segment and come
	// back as written (ClickUp lower-cases tags).
	for _, tag := range []string{"a%2Fb", "tag with space", "#1?x=y", "ünïcode", "100%", "a;b"} {
		n := len(h.fake.Requests())
		h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.logout, "add_tags": []string{tag}}, nil)
		got, _ := h.fake.Task(h.logout)
		if !containsString(got.Tags, strings.ToLower(tag)) {
			t.Errorf("tag %q: task has %q", tag, got.Tags)
		}
		sent := false
		for _, r := range h.fake.Requests()[n:] {
			if r.Route == "POST /v2/task/{task_id}/tag/{tag_name}" {
				sent = true
				if want := "/api/v2/task/" + h.logout + "/tag/" + tag; r.Path != want {
					t.Errorf("tag %q: path %q, want %q", tag, r.Path, want)
				}
			}
		}
		if !sent {
			t.Errorf("tag %q was not sent", tag)
		}
		h.mustOK(t, "clickup_update_task", map[string]any{"task_id": h.logout, "remove_tags": []string{tag}}, nil)
	}
	checkFakePaths(t, h.fake, "")
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func shortArgs(args map[string]any) string {
	var b strings.Builder
	for k, v := range args {
		s := fmt.Sprintf("%q", fmt.Sprint(v))
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		b.WriteString(k + "=" + s + " ")
	}
	return b.String()
}
